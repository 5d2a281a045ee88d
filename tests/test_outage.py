"""The database goes away while gunicorn serves: readers get a styled 503 with Retry-After,
/healthz says so, and service comes back by itself when the database does."""

import http.client
import os
import shutil
import socket
import threading
from contextlib import suppress
from datetime import timedelta

from sqlalchemy.engine import make_url

from blog import create_app
from blog.extensions import db
from blog.models import Role, Section
from blog.models.base import utcnow
from tests.conftest import TemporaryPostgres
from tests.harness import inside, new_user, published_article, wait_until
from tests.live_server import SERVER_WORKERS, LiveServer, free_port, make_app, running_server


class TcpProxy:
    """Forwards 127.0.0.1:port to an upstream address. cut() closes the listener and every
    live connection, as a network failure would; restore() listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            live, self._open = self._open, set()
        for sock in [listener, *live] if listener else live:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed by cut()
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut while connecting
                    _close(client)
                    _close(upstream)
                    return
                self._open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.difference_update((source, target))
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv()
    sock.close()


def get(server: LiveServer, path: str) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode()
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()


def all_answer(server: LiveServer, paths: list[str], status: int) -> bool:
    # Several rounds, so that every worker (and its connection pool) is asked.
    return all(get(server, path)[0] == status for _ in range(SERVER_WORKERS * 2) for path in paths)


def seed(database_url: str, tmp_path) -> tuple[str, str]:
    """Schema and one published article, written directly (not through the proxy)."""
    with inside(make_app(database_url, tmp_path), migrate=True):
        author = new_user("reporter@byline.test", "Rita Reporter", Role.AUTHOR)
        section = Section(name="World", slug="world")
        published = utcnow() - timedelta(hours=1)
        article = published_article(
            "Harbour reopens",
            "harbour-reopens",
            "The harbour reopened on Monday.",
            brief="Ships are back.",
            author=author,
            section=section,
            published_at=published,
            updated_at=published,
        )
        db.session.add(article)
        db.session.commit()
    return "harbour-reopens", "world"


def test_database_outage_gives_503_and_service_returns(tmp_path):
    with TemporaryPostgres(f"byline_outage_{os.getpid()}") as database:
        article, section = seed(database.url, tmp_path)
        direct = make_url(database.url)
        proxy = TcpProxy((direct.host, direct.port or 5432))
        proxy.restore()
        proxied = direct.set(host="127.0.0.1", port=proxy.port)
        try:
            with running_server(proxied.render_as_string(hide_password=False), tmp_path) as server:
                assert get(server, f"/articles/{article}")[0] == 200

                proxy.cut()
                # Pages never shown before the cut, so no cache can answer for them.
                pages = ["/", f"/section/{section}", "/author/rita-reporter", "/search?q=harbour"]
                wait_until(
                    lambda: all_answer(server, [*pages, "/healthz"], 503),
                    "every page and /healthz answer 503 while the database is cut off",
                    log=server.log,
                )
                status, headers, body = get(server, "/")
                assert status == 503
                assert headers["Retry-After"].isdigit()
                assert "no-store" in headers["Cache-Control"]
                assert "Temporarily unavailable" in body and "site-title" in body  # styled page
                status, headers, body = get(server, "/healthz")
                assert '"database":"unreachable"' in body.replace(" ", "")
                assert headers["Retry-After"].isdigit()

                proxy.restore()
                wait_until(
                    lambda: all_answer(server, [*pages, "/healthz"], 200),
                    "service returns once the database is reachable again",
                    log=server.log,
                )
                assert "Harbour reopens" in get(server, f"/articles/{article}")[2]

                log = server.log.read_text()
                assert "service unavailable on GET /" in log
                assert "Traceback" not in log
                # The same workers served throughout: none crashed or was replaced.
                assert log.count("Booting worker") == SERVER_WORKERS
        finally:
            proxy.cut()


def test_unreachable_redis_gives_503_not_500(sqlite_template, tmp_path):
    """Rate limits live in Redis when REDIS_URL is set: a sign-in attempt while Redis is
    down gets the 503 page, and /healthz names Redis."""
    shutil.copyfile(sqlite_template, tmp_path / "byline.db")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "outage-test-secret",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'byline.db'}",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "UPLOADS_DIR": str(tmp_path / "uploads"),
        }
    )
    client = app.test_client()
    response = client.post("/editor/login", data={"email": "a@b.test", "password": "x"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "Temporarily unavailable" in response.get_data(as_text=True)

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "error", "database": "ok", "redis": "unreachable"}
    with app.app_context():
        db.engine.dispose()
