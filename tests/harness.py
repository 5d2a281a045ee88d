"""What the suites that start servers, race requests or build apps of their own share:
app contexts that leave the database free, people and articles to seed, sign-in through
the login form, work started at once in threads or processes, and waiting for a
condition."""

import http.client
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask_migrate import upgrade
from slugify import slugify

from blog import create_app
from blog.extensions import db
from blog.models import Article, ArticleStatus, Role, User
from blog.models.base import utcnow
from blog.services import publishing
from tests.conftest import PASSWORD, PASSWORD_HASH

CSRF_FIELD = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
REQUEST_TIMEOUT = 60.0


# ---------- Apps and people ----------


@contextmanager
def inside(app: Flask, *, migrate: bool = False) -> Iterator[Flask]:
    """An app context of `app`, its database migrated first if asked; on the way out its
    session is removed and its connections closed, so that a server may take over."""
    with app.app_context():
        try:
            if migrate:
                upgrade()
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@contextmanager
def rebuilt(app: Flask, **config) -> Iterator[Flask]:
    """The test app built again with `config` changed (same database, same clients), its
    context pushed."""
    variant = create_app({**app.config, **config})
    variant.test_client_class = app.test_client_class
    with inside(variant):
        yield variant


def new_user(email: str, name: str, role: Role, *, slug: str = "", **fields) -> User:
    """A person (not yet in the session), signed in with tests.conftest.PASSWORD unless
    `password_hash` says otherwise; the slug is made from the name unless given."""
    fields.setdefault("password_hash", PASSWORD_HASH)
    return User(email=email, display_name=name, slug=slug or slugify(name), role=role, **fields)


def published_article(title: str, slug: str, body: str, **fields) -> Article:
    """An article (not yet in the session), published now unless `published_at` says."""
    fields.setdefault("published_at", utcnow())
    article = Article(title=title, slug=slug, status=ArticleStatus.PUBLISHED, **fields)
    article.set_body(body)
    return article


# ---------- Signing in through the form ----------


def csrf_token_from(client, path: str = "/editor/login") -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def signed_in_by_form(app: Flask, user: User):
    """A new client of an app with CSRF protection on, signed in as `user` through the
    login form and its token."""
    client = app.test_client()
    token = csrf_token_from(client)
    response = client.post(
        "/editor/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


# ---------- At once ----------


def publish(article: Article, changes, actor: User) -> Article:
    """Save `changes` to a draft and publish it, as the editor's Publish button does."""
    return publishing.update_article(
        article,
        changes,
        actor=actor,
        expected_version=article.version,
        action=publishing.Action.PUBLISH,
    )


def started_app_key(client) -> str:
    """Start setting up an authenticator app on the set-up page; the key it shows."""
    assert client.post("/editor/two-factor/start").status_code == 302
    page = client.get("/editor/two-factor").get_data(as_text=True)
    grouped = re.search(r'<code class="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', page)
    assert grouped is not None, page
    return grouped.group(1).replace(" ", "")


def password_change(current: str, new: str, **extra: str) -> dict[str, str]:
    """The profile page's password form, as its fields are named (it shares the page with
    the profile form, so its fields carry the "password-" prefix)."""
    fields = {"current_password": current, "new_password": new, "confirm": new, **extra}
    return {f"password-{name}": value for name, value in fields.items()}


def at_once(app: Flask, attempt: Callable, keys: list, refused: type[Exception]) -> dict:
    """attempt(key, wait) for every key, each in a thread and app context of its own, all
    started together; `wait` holds each attempt until all have reached it. The result of
    each: what `attempt` returned, "refused" for `refused`, or any other exception's repr
    (reported by the caller rather than lost in the thread)."""
    barrier = threading.Barrier(len(keys), timeout=20)
    results = {}

    def run(key) -> None:
        with app.app_context():
            try:
                results[key] = attempt(key, barrier.wait)
            except refused:
                results[key] = "refused"
            except Exception as exc:
                results[key] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def clients_at_once(client: Callable, count: int, *args) -> list:
    """client(number, barrier, *args) in `count` spawned processes at once, which wait on
    the barrier to act together; every client's list of results, joined in client order."""
    context = get_context("spawn")
    with (
        context.Manager() as manager,
        ProcessPoolExecutor(max_workers=count, mp_context=context) as pool,
    ):
        barrier = manager.Barrier(count)
        futures = [pool.submit(client, n, barrier, *args) for n in range(count)]
        return [row for future in futures for row in future.result()]


def send(
    port: int, method: str, path: str, fields: dict | None = None, *, headers=None, source=""
) -> tuple[int, str, str]:
    """One request to a live server on a new connection, from the `source` address if
    given, as a form post when there are fields: the status, Location and body."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=REQUEST_TIMEOUT, source_address=(source, 0) if source else None
    )
    all_headers = {"Origin": f"http://127.0.0.1:{port}", **(headers or {})}
    body = None
    if fields is not None:
        body = urlencode(fields)
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, response.getheader("Location") or "", text
    finally:
        conn.close()


# ---------- Waiting ----------


def wait_until(
    condition: Callable[[], bool], what: str, *, within: float = 30.0, log: Path | None = None
) -> None:
    """Poll `condition` until it holds; fail after `within` seconds, with the log if any."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {within}s: {what}" + (f"\n{log.read_text()}" if log else ""))
        time.sleep(0.02)


def wait_while_running(
    process: subprocess.Popen, ready: Callable[[], bool], *, within: float, log: Path, what: str
) -> None:
    """Poll `ready`; between polls, wait on the process (which notices it exiting)."""
    deadline = time.monotonic() + within
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not ready in {within}s:\n{log.read_text()}")
        try:
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text()}")
