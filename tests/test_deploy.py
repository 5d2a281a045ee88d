"""The files in deploy/ and the deployment docs: nginx accepts and serves with its config,
Caddy accepts its own, and the systemd unit and env example name real paths and settings."""

import configparser
import gzip
import http.client
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask_limiter.constants import ConfigVars
from sqlalchemy.engine import make_url

from blog import create_app
from blog.assets import asset_url
from blog.config import checked_database_url
from blog.security import CORP, HSTS, security_headers
from blog.stylesheets import build
from tests.deploy_helpers import (
    CHECKOUT,
    DEPLOY,
    HOST,
    ROOT,
    caddy_env,
    echo_upstream,
    fetch,
    https,
    loopback_nginx,
    nginx_command,
    nginx_site,
    received_headers,
    require,
)

WELL_KNOWN_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "GUNICORN_CMD_ARGS"}


# ----- nginx -----


def test_nginx_accepts_the_site_config(tmp_path):
    result = subprocess.run(
        [*nginx_command(nginx_site(tmp_path)), "-t"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[emerg]" not in result.stderr


def test_nginx_serves_assets_and_uploads_and_forwards_the_rest(tmp_path):
    """The config run for real on loopback ports: fingerprinted names map to the files on
    disk with a year's cache, uploads come from the uploads folder, and gunicorn (here a
    stand-in) receives the X-Forwarded-* headers ProxyFix reads."""
    uploads = tmp_path / "uploads"
    (uploads / "2025" / "06").mkdir(parents=True)
    (uploads / "2025" / "06" / "cover.png").write_bytes(b"\x89PNG not really")
    (uploads / "2025" / "06" / "page.html").write_bytes(b"<script>no</script>")
    (uploads / "2025" / "06" / ".cover.png.part").write_bytes(b"half")
    with echo_upstream() as upstream, loopback_nginx(tmp_path, upstream, uploads) as nginx:
        https_port, http_port = nginx.port, nginx.http_port
        app = create_app({"SECRET_KEY": "x"})
        with app.test_request_context():
            css = asset_url("css/site.css")
        assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", css), css

        response = fetch(https_port, css, **{"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert "immutable" in response.getheader("Cache-Control")
        assert response.getheader("Content-Encoding") == "gzip"
        # The minified stylesheet Byline wrote into instance/minified/, as Byline serves it.
        assert gzip.decompress(response.body) == build(ROOT / "static/css/site.css")[0]

        plain = fetch(https_port, "/static/css/site.css")
        assert plain.status == 200 and plain.getheader("Cache-Control") == "no-cache"
        escape = fetch(https_port, "/static/../pyproject.toml")  # normalised to /pyproject.toml
        assert b"[project]" not in escape.body

        for stray in ("/uploads/2025/06/page.html", "/uploads/2025/06/.cover.png.part"):
            assert fetch(https_port, stray).status == 404, stray  # only images, as Byline
        image = fetch(https_port, "/uploads/2025/06/cover.png")
        assert image.status == 200 and image.body == b"\x89PNG not really"
        assert image.getheader("Content-Type") == "image/png"
        assert image.getheader("X-Content-Type-Options") == "nosniff"

        page = fetch(https_port, "/articles/anything", **{"X-Forwarded-For": "203.0.113.9"})
        assert page.status == 200
        assert page.getheader("Strict-Transport-Security")
        forwarded = received_headers(page.body)
        assert forwarded["Host"] == HOST
        assert forwarded["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"  # client last
        assert forwarded["X-Forwarded-Proto"] == "https"
        assert forwarded["X-Forwarded-Host"] == HOST

        conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        conn.request("GET", "/some/page", headers={"Host": HOST})
        redirect = conn.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location") == f"https://{HOST}/some/page"
        assert redirect.getheader("X-Content-Type-Options") == "nosniff"
        conn.close()

        # Larger than MAX_CONTENT_LENGTH: refused before a byte of the body is read.
        too_big = create_app({"SECRET_KEY": "x"}).config["MAX_CONTENT_LENGTH"] + 1
        conn = https(https_port)
        conn.putrequest("POST", "/editor/login", skip_host=True)
        conn.putheader("Host", HOST)
        conn.putheader("Content-Length", str(too_big))
        conn.endheaders()
        refused = conn.getresponse()
        assert refused.status == 413
        assert refused.getheader("X-Content-Type-Options") == "nosniff"
        conn.close()


def test_nginx_body_limit_matches_max_content_length():
    site = (DEPLOY / "nginx.conf").read_text()
    limit = create_app({"SECRET_KEY": "x"}).config["MAX_CONTENT_LENGTH"]
    assert f"client_max_body_size {limit // 2**20}m;" in site
    assert "proxy_pass http://127.0.0.1:8000;" in site
    assert f"alias {CHECKOUT}/static/" in site


# ----- Caddy -----


def test_caddyfile_is_valid(tmp_path):
    text = (DEPLOY / "Caddyfile").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    depth = 0
    for char in re.sub(r"\{[a-z][\w.]*\}", "", code):  # placeholders like {re.asset.1}
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "a { is never closed"
    limit = create_app({"SECRET_KEY": "x"}).config["MAX_CONTENT_LENGTH"]
    assert f"max_size {limit // 2**20}MiB" in code
    assert "reverse_proxy 127.0.0.1:8000" in code
    assert f"root * {CHECKOUT}/static" in code
    assert f"root * {CHECKOUT}/instance/uploads" in code
    caddy = shutil.which("caddy")
    if caddy is None:  # Caddy is optional; the text checks above still ran
        return
    result = subprocess.run(
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=caddy_env(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


# ----- both proxies -----


def test_both_proxies_send_byline_s_page_headers_with_the_copies():
    """nginx and Caddy answer with a copy of a page in Byline's place, so each names the
    headers Byline sends on its pages; a new share network (form-action) or browser
    safeguard in blog/security.py must be written into both files too."""
    wanted = {
        **security_headers(),
        CORP: "same-origin",
        "Strict-Transport-Security": HSTS,
        "Cache-Control": "no-cache",
        "Vary": "Cookie",
    }
    nginx = (DEPLOY / "nginx.conf").read_text()
    copies = nginx[nginx.index("root /srv/byline/instance/page_files/current;") :]
    caddy = (DEPLOY / "Caddyfile").read_text()
    for name, value in wanted.items():
        assert f'add_header {name} "{value}"' in copies, name
        assert f'{name} "{value}"' in caddy, name


# ----- systemd and the environment file -----


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / "byline.service")
    return parser


def test_systemd_unit_runs_the_checkout_with_gunicorn_conf():
    service = unit()["Service"]
    assert service["WorkingDirectory"] == CHECKOUT
    assert service["EnvironmentFile"] == "/etc/byline/byline.env"
    start = service["ExecStart"].split()
    assert start[:3] == [f"{CHECKOUT}/.venv/bin/gunicorn", "-c", "gunicorn.conf.py"]
    assert start[3] == "'blog:create_app()'"
    assert service["ExecStartPre"] == f"{CHECKOUT}/.venv/bin/flask --app blog db upgrade"
    assert service["ReadWritePaths"] == f"{CHECKOUT}/instance"
    for command in (service["ExecStart"], service["ExecStartPre"]):
        program = Path(command.split()[0].replace(CHECKOUT, str(ROOT)))
        assert program.is_file() and os.access(program, os.X_OK), program
    assert (ROOT / "gunicorn.conf.py").is_file()


@pytest.mark.parametrize("name", ["byline.service", "byline-worker.service"])
def test_systemd_reads_each_unit(tmp_path, name):
    """systemd's own reading of the unit, with the checkout and user of this machine."""
    analyze = require("systemd-analyze")
    text = (DEPLOY / name).read_text().replace(CHECKOUT, str(ROOT))
    text = text.replace("/etc/byline/byline.env", str(DEPLOY / "byline.env.example"))
    user = "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
    text = re.sub(r"(?m)^(User|Group)=byline$", rf"\1={user}", text)
    (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_worker_unit_runs_the_worker_beside_the_site():
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(DEPLOY / "byline-worker.service")
    service = parser["Service"]
    assert service["WorkingDirectory"] == unit()["Service"]["WorkingDirectory"]
    assert service["EnvironmentFile"] == "/etc/byline/byline.env"
    assert service["ExecStart"].startswith(f"{CHECKOUT}/.venv/bin/flask --app blog worker")
    assert service["ReadWritePaths"] == f"{CHECKOUT}/instance"


def test_the_upgrade_command_of_the_unit_exists():
    result = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "blog", "db", "upgrade", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def known_settings() -> set[str]:
    """Everything an operator may set: the app's settings, Flask-Limiter's, the three
    well-known environment names, and what gunicorn.conf.py reads from the environment."""
    names = set(create_app({"SECRET_KEY": "x"}).config)
    names |= {value for key, value in vars(ConfigVars).items() if not key.startswith("_")}
    names |= set(
        re.findall(r"os\.environ\.get\(\"(\w+)\"", (ROOT / "gunicorn.conf.py").read_text())
    )
    return names | WELL_KNOWN_ENV


def env_example() -> tuple[dict[str, str], list[str]]:
    """The active KEY=value lines, and the keys of the commented-out examples."""
    active, examples = {}, []
    for line in (DEPLOY / "byline.env.example").read_text().splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            active[match[1]] = match[2]
        elif match := re.fullmatch(r"# ([A-Z][A-Z0-9_]*)=(.*)", line):
            examples.append(match[1])
    return active, examples


def test_env_example_names_only_real_settings():
    active, examples = env_example()
    known = known_settings()
    for key in [*active, *examples]:
        setting = key.removeprefix("FLASK_")
        assert key in known or setting in known, f"{key} is not a Byline setting"
    assert {"FLASK_SITE_URL", "FLASK_PROXY_FIX_X_FOR", "BYLINE_BIND"} <= set(active)
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "FLASK_UPLOADS_DIR"} <= set(examples)


def test_env_example_configures_the_app(monkeypatch, tmp_path):
    active, _ = env_example()
    for name in list(os.environ):
        if name.startswith("FLASK_") or name in ("DATABASE_URL", "REDIS_URL"):
            monkeypatch.delenv(name)
    for key, value in active.items():
        monkeypatch.setenv(key, value)
    app = create_app({"SECRET_KEY": "x" * 40, "TESTING": True})  # TESTING: no sweeper thread
    assert app.config["SITE_URL"] == "https://news.example.org"
    assert app.config["PROXY_FIX_X_FOR"] == 1
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert active["BYLINE_BIND"] == "127.0.0.1:8000"  # where nginx and Caddy send requests
    # The folder the proxies serve the copies of pages from, and Byline writes them there.
    copies = app.extensions["byline_page_cache"].copies
    assert copies is not None and str(copies.root) == f"{CHECKOUT}/instance/page_files"
    for proxy_file in ("nginx.conf", "Caddyfile"):
        assert f"{CHECKOUT}/instance/page_files/current" in (DEPLOY / proxy_file).read_text()


def test_docs_name_only_real_settings():
    known = known_settings()
    for doc in ("docs/deploy.md", "docs/configuration.md"):
        text = (ROOT / doc).read_text()
        named = set(re.findall(r"\bFLASK_([A-Z][A-Z0-9_]+)", text))
        named |= set(re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`", text))
        named |= set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, flags=re.M))
        unknown = {name for name in named if name.removeprefix("FLASK_") not in known}
        assert not unknown, f"{doc} names settings Byline does not have: {sorted(unknown)}"


def test_every_database_url_form_the_docs_name_reaches_psycopg():
    """configuration.md names the DATABASE_URL forms Byline reads; a PostgreSQL one without
    a driver must still reach psycopg, the driver Byline installs, not SQLAlchemy's default
    for the scheme (psycopg2 before SQLAlchemy 2.1, not installed)."""
    text = (ROOT / "docs/configuration.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| `DATABASE_URL`"))
    schemes = set(re.findall(r"`([a-z+]+)://", row))
    assert schemes == {"postgresql+psycopg", "postgres", "postgresql", "sqlite"}
    for scheme in schemes - {"sqlite"}:
        url = make_url(checked_database_url(f"{scheme}://user:se%40cret@db.example:5432/byline"))
        assert url.drivername == "postgresql+psycopg", scheme
        assert (url.password, url.host, url.database) == ("se@cret", "db.example", "byline")
    url = make_url(checked_database_url("sqlite:////srv/byline/instance/byline.db"))
    assert url.get_dialect().driver == "pysqlite"
