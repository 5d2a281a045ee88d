"""The shipped deploy/nginx.conf, run for the benchmark on loopback ports in front of the
bench's gunicorn: a certificate made for the run, and the checkout's, uploads' and page
files' paths moved to this checkout and bench/.data/. One location is added to the copy
alone: /bench-static/, plain static files, to compare a page file with."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import BenchError
from bench.server import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
CHECKOUT = "/srv/byline"  # where the shipped file expects the checkout
HOST = "news.example.org"  # the shipped file's server_name, and the site's SITE_URL host
STATIC_PREFIX = "/bench-static/"
READY_WITHIN = 30.0
STOP_WITHIN = 30.0
# A path in the shipped file ending in the page files' `current` link: its folder.
PAGE_FILES = re.compile(r"(/[^\s;\"'$]+?)/current\b")
STATIC_LOCATION = """
    # The benchmark's copy only: plain static files, to compare the page files with.
    location {prefix} {{
        alias {folder}/;
    }}"""
# As Debian's /etc/nginx/nginx.conf, which includes the site from sites-enabled/.
MAIN = """{user}worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {folder}/access.log;
    gzip on;
{temp_paths}
    include {folder}/byline.conf;
}}
"""
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class Nginx:
    """nginx on 127.0.0.1: HTTPS on port (the site), plain HTTP on http_port (redirects)."""

    port: int
    http_port: int
    folder: Path  # its configuration, logs and temporary files
    static: Path  # the folder served at STATIC_PREFIX

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """GET path for HOST over HTTPS (the run's own certificate is accepted)."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=context)
        try:
            conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
            response = conn.getresponse()
            answer = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, answer, response.read())
        finally:
            conn.close()


def page_files_folder(site: str) -> str | None:
    """The page files' folder the shipped site names (the one holding `current`), if any."""
    found = {match.group(1) for match in PAGE_FILES.finditer(site)}
    if len(found) > 1:
        raise BenchError(
            f"deploy/nginx.conf names {len(found)} page-files folders (paths ending "
            f"in /current), not one: {sorted(found)}"
        )
    return found.pop() if found else None


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST, valid two days."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise BenchError("the run through nginx needs openssl (apt-get install -y openssl)")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-nodes", "-days", "2", "-subj", f"/CN={HOST}"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def loopback_site(
    site: str,
    *,
    port: int,
    http_port: int,
    upstream: str,
    folder: Path,
    data: Path,
    page_files: Path,
) -> str:
    """The shipped site rewritten to run here: its listen addresses, upstream, paths and
    certificate replaced, and the static location added to its HTTPS server."""
    cert, key = certificate(folder)
    shipped_page_files = page_files_folder(site)
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://{upstream};",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        **({shipped_page_files: str(page_files)} if shipped_page_files else {}),
        f"{CHECKOUT}/instance/uploads/": f"{data}/uploads/",
        f"{CHECKOUT}/": f"{ROOT}/",
        "/var/log/nginx/": f"{folder}/",
    }
    for old, new in replacements.items():
        if old not in site:
            raise BenchError(
                f"deploy/nginx.conf no longer holds {old!r}: bench/nginx.py must learn its new form"
            )
        site = site.replace(old, new)
    # The static location joins the HTTPS server, after its certificate.
    key_line = f"ssl_certificate_key {key};"
    if site.count(key_line) != 1:
        raise BenchError(f"deploy/nginx.conf does not hold {key_line!r} once")
    location = STATIC_LOCATION.format(prefix=STATIC_PREFIX, folder=folder / "static")
    return site.replace(key_line, key_line + "\n" + location)


def configure(upstream: str, data: Path, page_files: Path) -> Nginx:
    """Write the configuration of nginx in front of upstream (host:port), serving the page
    files in page_files and uploads from data/uploads, into data/nginx/ (emptied first),
    and have nginx check it."""
    folder = data / "nginx"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "static").mkdir(parents=True)
    front = Nginx(free_port(), free_port(), folder, folder / "static")
    site = loopback_site(
        SITE.read_text(),
        port=front.port,
        http_port=front.http_port,
        upstream=upstream,
        folder=folder,
        data=data,
        page_files=page_files,
    )
    (folder / "byline.conf").write_text(site)
    temp_paths = []
    for name in TEMP_PATHS:
        (folder / name).mkdir()
        temp_paths.append(f"    {name}_temp_path {folder / name};")
    main = MAIN.format(
        # Page files and the bench's data are the bench user's; nginx's workers read them.
        user="user root;\n" if os.geteuid() == 0 else "",
        folder=folder,
        temp_paths="\n".join(temp_paths),
    )
    (folder / "nginx.conf").write_text(main)
    checked = subprocess.run([*_command(folder), "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise BenchError(f"nginx refuses the bench's copy of the site:\n{checked.stderr}")
    return front


def _command(folder: Path) -> list[str]:
    program = shutil.which("nginx")
    if program is None:
        raise BenchError("the run through nginx needs nginx (apt-get install -y nginx)")
    return [program, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", "stderr"]


@contextmanager
def running(upstream: str, data: Path, page_files: Path) -> Iterator[Nginx]:
    """nginx configured as configure() does, started; stopped on the way out."""
    front = configure(upstream, data, page_files)
    with open(front.folder / "nginx.out", "wb") as out:
        process = subprocess.Popen(
            [*_command(front.folder), "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_listening(process, front.port, front.folder)
        yield front
    finally:
        stop(process, within=STOP_WITHIN)


def _wait_until_listening(process: subprocess.Popen, port: int, folder: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise BenchError(f"nginx not listening in {READY_WITHIN:.0f} s:\n{_logs(folder)}")
        try:
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise BenchError(f"nginx exited with {process.returncode}:\n{_logs(folder)}")


def _logs(folder: Path, lines: int = 20) -> str:
    """The ends of nginx's output (before it read its configuration) and error log."""
    tails = []
    for name in ("nginx.out", "error.log"):
        try:
            text = (folder / name).read_text(errors="replace")
        except OSError:
            continue
        tails.append("\n".join(text.splitlines()[-lines:]))
    return "\n".join(tails)
