"""The shipped nginx and Caddy configurations run for real on loopback ports, in front of
a stand-in for gunicorn that answers with the request headers it received, or of a real
gunicorn (tests/proxy_site.py)."""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.harness import wait_while_running
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CHECKOUT = "/srv/byline"  # where the deploy files expect the checkout
HOST = "news.example.org"
READY_WITHIN = 30.0


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed (Debian: apt-get install -y {program})")
    return path


# ----- the stand-in for gunicorn -----


class EchoUpstream(BaseHTTPRequestHandler):
    """Answers with every request header it received, one `Name: value` a line, and with
    a nosniff header of its own, as Byline sends."""

    def do_GET(self):
        body = "\n".join(f"{name}: {value}" for name, value in self.headers.items()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def received_headers(body: bytes) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in body.decode().splitlines())


@contextmanager
def echo_upstream() -> Iterator[str]:
    """The stand-in's address, host:port."""
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{upstream.server_address[1]}"
    finally:
        upstream.shutdown()
        upstream.server_close()


# ----- requests -----


def https(port: int) -> http.client.HTTPSConnection:
    """A connection that accepts the test's self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)


def fetch(port: int, path: str, *, tls: bool = True, **headers: str) -> http.client.HTTPResponse:
    """GET path exactly as written, for HOST; the body is in response.body."""
    conn = https(port) if tls else http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    for name, value in {"Host": HOST, **headers}.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_for_port(port: int, server: subprocess.Popen, log: Path) -> None:
    wait_while_running(server, lambda: listening(port), within=READY_WITHIN, log=log, what="server")


@contextmanager
def running(command: list[str], port: int, log: Path, env: dict | None = None) -> Iterator[None]:
    """A server process, started and waited for; stopped on the way out, so that its logs
    are complete once the block ends."""
    with open(log, "ab") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_port(port, server, log)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


# ----- nginx -----


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            require("openssl"),
            *("req", "-x509", "-nodes", "-days", "2", "-subj", f"/CN={HOST}"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_site(tmp_path: Path, **replace: str) -> Path:
    """deploy/nginx.conf with the checkout, certificates, log folder and any given text
    replaced, inside a main configuration like Debian's /etc/nginx/nginx.conf, all in
    tmp_path (its access log: tmp_path/byline.access.log)."""
    cert, key = certificate(tmp_path)
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace(f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert))
    site = site.replace(f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key))
    for old, new in replace.items():
        assert old in site, old
        site = site.replace(old, new)
    site = site.replace(f"{CHECKOUT}/", f"{ROOT}/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "byline.conf").write_text(site)
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    main = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {tmp_path}/access.log;
    gzip on;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {tmp_path}/byline.conf;
}}
"""
    (tmp_path / "nginx.conf").write_text(main)
    return tmp_path / "nginx.conf"


def nginx_command(config: Path) -> list[str]:
    folder = config.parent
    return [require("nginx"), "-p", f"{folder}/", "-c", str(config), "-e", f"{folder}/error.log"]


@dataclass
class Proxy:
    port: int  # HTTPS for nginx, HTTP for Caddy
    http_port: int
    log: Path  # the access log; Caddy's holds its own log lines as well
    tls: bool
    is_caddy: bool = False

    def get(self, path: str, **headers: str) -> http.client.HTTPResponse:
        return fetch(self.port, path, tls=self.tls, **headers)

    def access_lines(self) -> list[str]:
        """The access log's lines, once the proxy has stopped."""
        lines = self.log.read_text().splitlines()
        return [line for line in lines if not self.is_caddy or "http.log.access" in line]


@contextmanager
def loopback_nginx(
    tmp_path: Path, upstream: str | list[str], uploads: Path, page_files: Path | None = None
) -> Iterator[Proxy]:
    """deploy/nginx.conf serving on loopback ports, passing to upstream (host:port, or
    several in an upstream block), serving uploads from the given folder and the copies of
    pages from page_files (PAGE_FILES_DIR; by default a folder in tmp_path that holds none)."""
    https_port, http_port = free_port(), free_port()
    upstreams = [upstream] if isinstance(upstream, str) else upstream
    servers = "".join(f"    server {address};\n" for address in upstreams)
    config = nginx_site(
        tmp_path,
        **{
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",
            "proxy_pass http://127.0.0.1:8000;": "proxy_pass http://byline_servers;",
            "\nlog_format byline ": f"\nupstream byline_servers {{\n{servers}}}\n"
            "log_format byline ",
            f"{CHECKOUT}/instance/uploads/": f"{uploads}/",
            f"{CHECKOUT}/instance/page_files/": f"{page_files or tmp_path / 'page_files'}/",
        },
    )
    command = [*nginx_command(config), "-g", "daemon off;"]
    with running(command, https_port, tmp_path / "error.log"):
        yield Proxy(https_port, http_port, tmp_path / "byline.access.log", tls=True)


# ----- Caddy -----


def caddy_env(tmp_path: Path) -> dict[str, str]:
    """Caddy keeps its state in tmp_path, not in the home folder."""
    return {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }


@contextmanager
def loopback_caddy(
    tmp_path: Path,
    upstream: str | list[str],
    uploads: Path,
    page_files: Path | None = None,
    *,
    tls: bool = False,
) -> Iterator[Proxy]:
    """deploy/Caddyfile serving HOST on a loopback port, over plain HTTP (no certificate to
    obtain) or, with tls, HTTPS with a self-signed certificate; passing to upstream (one or
    several), serving uploads from the given folder and the copies of pages from page_files
    (as loopback_nginx). Its access log and its own log both go to standard error, kept in
    the Proxy's log."""
    port = free_port()
    site = (DEPLOY / "Caddyfile").read_text()
    upstreams = [upstream] if isinstance(upstream, str) else upstream
    if tls:
        cert, key = certificate(tmp_path)
        address = f"\n{HOST} {{\n\ttls {cert} {key}"
        # Test clients connect to 127.0.0.1, so they name no host in the handshake.
        options = f"\tadmin off\n\tauto_https disable_redirects\n\thttps_port {port}\n"
        options += f"\thttp_port {free_port()}\n\tdefault_sni {HOST}\n"
    else:
        address = f"\nhttp://{HOST} {{"
        options = f"\tadmin off\n\tauto_https off\n\thttp_port {port}\n"
    for old, new in {
        f"\n{HOST} {{": address,
        "reverse_proxy 127.0.0.1:8000": f"reverse_proxy {' '.join(upstreams)}",
        f"{CHECKOUT}/instance/uploads": str(uploads),
        f"{CHECKOUT}/instance/page_files/": f"{page_files or tmp_path / 'page_files'}/",
        f"{CHECKOUT}/": f"{ROOT}/",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    code = [line for line in site.splitlines() if line.strip() and not line.startswith("#")]
    if code[0] == "{":  # the file's global options: these join them
        site = site.replace("\n{\n", f"\n{{\n{options}", 1)
    else:
        site = f"{{\n{options}}}\n{site}"
    (tmp_path / "Caddyfile").write_text(site)
    log = tmp_path / "caddy.log"
    command = [require("caddy"), "run", "--config", str(tmp_path / "Caddyfile")]
    with running([*command, "--adapter", "caddyfile"], port, log, env=caddy_env(tmp_path)):
        yield Proxy(port, port, log, tls=tls, is_caddy=True)
