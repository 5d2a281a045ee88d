"""A real multi-worker gunicorn on a test database, for the concurrency tests."""

import fcntl
import http.client
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from blog import create_app
from tests.harness import wait_while_running

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "live-server-test-secret"
SERVER_WORKERS = 3
READY_WITHIN = 60.0  # seconds for gunicorn to answer /healthz
PORTS = range(20000, 32768)  # below Linux's ephemeral ports (32768 and up)
PORT_CLAIMS = Path(tempfile.gettempdir()) / "byline-test-ports"


def free_port() -> int:
    """A loopback port that nothing listens on and that no other test process (an xdist
    worker, another run) has been given. Each port handed out is claimed with a lock file
    that this process holds until it exits, since a server binds it only later; ports
    come from below the kernel's ephemeral range, where no client connection takes one."""
    PORT_CLAIMS.mkdir(exist_ok=True)
    start = os.getpid() % len(PORTS)
    for n in range(len(PORTS)):
        port = PORTS[(start + n) % len(PORTS)]
        claim = os.open(PORT_CLAIMS / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", port))
        except OSError:  # claimed by another process, or in use
            os.close(claim)
            continue
        return port  # the descriptor stays open, and so the claim held, for this process
    raise RuntimeError(f"no free loopback port in {PORTS}")


def make_app(database_url: str, tmp_path: Path, *, extra_config: dict | None = None):
    """An app on the same database and secret as the server, for preparing and counting.

    extra_config adds or overrides settings (e.g. UPLOADS_DIR to share the server's uploads).
    """
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": f"byline-sqlite://{tmp_path / 'ratelimits.db'}",
            "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "page_cache_generation"),
            **(extra_config or {}),
        }
    )


@dataclass
class LiveServer:
    port: int
    log: Path
    pid: int = 0  # gunicorn's master (and its process group, with process_group=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _start(
    database_url: str,
    tmp_path: Path,
    port: int,
    log_path: Path,
    extra_env: dict,
    workers: int = SERVER_WORKERS,
    process_group: bool = False,
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_RATELIMIT_STORAGE_URI": f"byline-sqlite://{tmp_path / 'ratelimits.db'}",
        "FLASK_UPLOADS_DIR": str(tmp_path / "uploads"),
        "FLASK_PAGE_CACHE_GENERATION_FILE": str(tmp_path / "page_cache_generation"),
    }
    env.pop("REDIS_URL", None)
    env.update(extra_env)
    with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "blog:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=process_group,
        )


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _wait_until_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    """Poll /healthz; between polls, wait on the server process (which notices a crash)."""
    wait_while_running(
        server, lambda: _healthy(port), within=READY_WITHIN, log=log, what="gunicorn"
    )


@contextmanager
def running_server(
    database_url: str,
    tmp_path: Path,
    *,
    extra_env: dict | None = None,
    name: str = "gunicorn",
    workers: int = SERVER_WORKERS,
    process_group: bool = False,
) -> Iterator[LiveServer]:
    """gunicorn serving the (already migrated) database; always stopped on the way out.

    extra_env adds or overrides settings (e.g. REDIS_URL); name tells servers' logs apart;
    workers is the number of gunicorn worker processes; process_group starts gunicorn in a
    process group of its own, so that os.killpg(server.pid, ...) reaches all its processes.
    """
    port, log = free_port(), tmp_path / f"{name}.log"
    server = _start(database_url, tmp_path, port, log, extra_env or {}, workers, process_group)
    try:
        _wait_until_ready(server, port, log)
        yield LiveServer(port, log, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def published_stories(*stories: tuple[str, str, str], section: tuple[str, str] = ("News", "news")):
    """In an app context on a migrated database: the (title, slug, body) stories, published
    now by one author in one section and added to the session, uncommitted."""
    from blog.extensions import db
    from blog.models import Article, ArticleStatus, Role, Section, User
    from blog.models.base import utcnow

    author = User(
        email="writer@byline.test",
        display_name="Writer",
        slug="writer",
        role=Role.AUTHOR,
        password_hash="x",
    )
    home = Section(name=section[0], slug=section[1])
    articles = []
    for title, slug, body in stories:
        article = Article(
            title=title,
            slug=slug,
            author=author,
            section=home,
            status=ArticleStatus.PUBLISHED,
            published_at=utcnow(),
        )
        article.set_body(body)
        articles.append(article)
    db.session.add_all(articles)
    return articles
