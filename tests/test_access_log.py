"""Secrets in links (invitation tokens) never reach gunicorn's access log."""

import http.client
import subprocess
import sys

import pytest
from flask_migrate import upgrade
from gunicorn.config import Config

from blog import accesslog
from blog.extensions import db
from blog.models import Role
from blog.services import invitations, users
from tests.live_server import ROOT, make_app, running_server

SECRET = "S3cretT0ken.value-x_y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/editor/invite/{SECRET}", "/editor/invite/[redacted]"),
        (f"/editor/invite/{SECRET}?next=/editor/", "/editor/invite/[redacted]?next=/editor/"),
        (f"/search?q=port&token={SECRET}", "/search?q=port&token=[redacted]"),
        (f"/x?CODE={SECRET};key={SECRET}&keep=1", "/x?CODE=[redacted];key=[redacted]&keep=1"),
        (f"token={SECRET}&page=2", "token=[redacted]&page=2"),  # a bare query string
        (
            f'"POST /editor/invite/{SECRET} HTTP/1.1" 302 "https://h.test/editor/invite/{SECRET}"',
            '"POST /editor/invite/[redacted] HTTP/1.1" 302 "https://h.test/editor/invite/[redacted]"',
        ),
        # The links in readers' mail, under /mail/; the editor's /editor/mail/ is no secret.
        (f"/mail/confirm/{SECRET}", "/mail/confirm/[redacted]"),
        (f"/mail/comment/{SECRET}", "/mail/comment/[redacted]"),
        (f"/mail/manage/{SECRET}?done=ended", "/mail/manage/[redacted]?done=ended"),
        (
            f'"POST /mail/unsubscribe/{SECRET} HTTP/1.1" 200 "-"',
            '"POST /mail/unsubscribe/[redacted] HTTP/1.1" 200 "-"',
        ),
        ("/editor/mail/failures", "/editor/mail/failures"),
        ("/articles/monkey?keys=1&barcode=2&q=token", "/articles/monkey?keys=1&barcode=2&q=token"),
        ("/search?q=a&token=", "/search?q=a&token="),
    ],
)
def test_redact_replaces_every_secret_and_nothing_else(text, expected):
    assert accesslog.redact(text) == expected


def test_every_route_with_a_secret_in_its_path_is_redacted(app):
    """A new route taking a token, code or key must be added to accesslog's lists."""
    secret_routes = []
    for rule in app.url_map.iter_rules():
        secrets = rule.arguments & set(accesslog.SECRET_PARAMETERS)
        if not secrets:
            continue
        values = {name: SECRET if name in secrets else "1" for name in rule.arguments}
        path = rule.build(values)[1]
        secret_routes.append(path)
        assert SECRET not in accesslog.redact(path), rule.rule
    assert "/editor/invite/" + SECRET in secret_routes
    assert "/mail/unsubscribe/" + SECRET in secret_routes


def test_gunicorns_error_log_is_redacted_too(capsys):
    logger = accesslog.RedactingLogger(Config())
    try:
        logger.error("Error handling request %s", f"/editor/invite/{SECRET}")
    finally:
        logger.error_log.handlers.clear()  # it wrote to this test's captured stderr
    assert "Error handling request /editor/invite/[redacted]" in capsys.readouterr().err


def test_byline_s_own_log_is_redacted_too(app, capsys):
    """The app's log names a request's path on a 500 or an outage."""
    app.logger.error("unhandled error on GET %s", f"/editor/invite/{SECRET}")
    out = capsys.readouterr().out
    assert "unhandled error on GET /editor/invite/[redacted]" in out
    assert SECRET not in out


def test_gunicorn_conf_sets_the_logger_without_importing_byline():
    """gunicorn's master reads gunicorn.conf.py: were the blog package imported there, its
    first version would stay in the master, and a HUP would not give workers new code."""
    check = (
        "import importlib.util, sys; "
        "spec = importlib.util.spec_from_file_location('conf', 'gunicorn.conf.py'); "
        "conf = importlib.util.module_from_spec(spec); spec.loader.exec_module(conf); "
        "print(conf.logger_class.__name__, sorted(m for m in sys.modules if m == 'blog' "
        "or m.startswith('blog.') or m == 'flask'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["RedactingLogger", "[]"], result.stderr


def invitation_token(database_url: str, tmp_path) -> str:
    app = make_app(database_url, tmp_path)
    with app.app_context():
        upgrade()
        invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
        token = invitations.invitation_token(invited)
        db.session.remove()
        db.engine.dispose()
    return token


def request(port: int, method: str, target: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, target, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_gunicorns_access_log_holds_no_invitation_token(live_database, tmp_path):
    token = invitation_token(live_database, tmp_path)
    link = f"/editor/invite/{token}"
    with running_server(live_database, tmp_path, workers=1) as server:
        referer = {"Referer": f"{server.origin}{link}"}
        assert request(server.port, "GET", link, {}) == 200  # the link works
        assert request(server.port, "GET", f"/static/css/site.css?code={SECRET}", referer) == 200
        assert request(server.port, "GET", f"/search?q=port&token={SECRET}", referer) == 200
    log = server.log.read_text()  # complete: gunicorn has stopped
    assert '"GET /editor/invite/[redacted] HTTP/1.1" 200' in log
    assert '"GET /search?q=port&token=[redacted] HTTP/1.1" 200' in log
    assert f'"{server.origin}/editor/invite/[redacted]"' in log  # the Referer
    assert token not in log
    assert SECRET not in log
