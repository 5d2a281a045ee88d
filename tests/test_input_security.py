"""Hostile input in URLs: open redirects through `next` and the share buttons, header
injection through share parameters, and SQL-looking values in every public query
parameter. Answers stay ordinary (200, 3xx to this site, 400, 404), never a 500, and the
database is unchanged."""

from urllib.parse import parse_qs, urlsplit

import pytest

from blog import create_app, formguard
from blog.models import CommentStatus
from blog.services import pages, shares
from blog.services.pages import PageAction
from tests.conftest import PASSWORD
from tests.security_helpers import ORIGIN, assert_unchanged, signed_in, snapshot
from tests.test_pages import ABOUT

HOST = "byline.test"
EVIL_TARGETS = [
    "//evil.example",
    "//evil.example/editor/",
    "https://evil.example",
    "http://evil.example/editor/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/%2f/evil.example",
    " //evil.example",
    "https:evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/editor/\r\nSet-Cookie: planted=1",
    "/editor/%0d%0aSet-Cookie:%20planted=1",
    "https://byline.test@evil.example/",
    "//byline.test.evil.example",
    "///evil.example",
    "/.//evil.example",
]


def assert_no_offsite_link(body: str, context) -> None:
    """A target may be echoed only as a path of this site (e.g. /%2f/evil.example)."""
    lowered = body.lower()
    for marker in (
        '="//evil',
        '="https://evil',
        '="http://evil',
        '="https:evil',
        "javascript:alert",
    ):
        assert marker not in lowered, (context, marker)
    assert '="\\' not in body and '="/\\' not in body, context


def assert_stays_here(response, context, hosts=frozenset({"", HOST})) -> None:
    """A redirect, if any, leads to `hosts` (this site) and carries no injected header."""
    assert response.status_code < 500, context
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, (context, name)
        assert "planted" not in value or name == "Location", (context, name, value)
    assert "planted=1" not in response.headers.get("Set-Cookie", ""), context
    location = response.headers.get("Location")
    if location is None:
        return
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), (context, location)
    assert parts.netloc in hosts, (context, location)
    assert not location.startswith(("//", "/\\", "\\")), (context, location)


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_next_never_leaves_the_site(app, author, target):
    client = app.test_client()
    response = client.get("/editor/login", query_string={"next": target})
    assert response.status_code == 200
    assert_no_offsite_link(response.get_data(as_text=True), target)
    response = client.post(
        "/editor/login",
        query_string={"next": target},
        data={"email": author.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert_stays_here(response, target)
    # Already signed in, the login page forwards at once: the same rule applies.
    assert_stays_here(client.get("/editor/login", query_string={"next": target}), target)
    response = client.post("/editor/logout", query_string={"next": target})
    assert_stays_here(response, target)
    assert response.headers["Location"] == "/editor/login"


def test_moderation_next_never_leaves_the_site(app, editor, make_article, make_comment):
    comment = make_comment(make_article(), status=CommentStatus.PENDING)
    client = signed_in(app, editor)
    for target in EVIL_TARGETS:
        for url, data in (
            (f"/editor/comments/{comment.id}/moderate", {"action": "approve"}),
            ("/editor/comments/bulk", {"bulk_action": "approve", "ids": [str(comment.id)]}),
            (f"/editor/comments/{comment.id}/edit", {"body": "Edited text."}),
        ):
            response = client.post(url, data={**data, "next": target})
            assert response.status_code == 303, (url, target)
            assert_stays_here(response, target)
        page = client.get(f"/editor/comments/{comment.id}/edit", query_string={"next": target})
        assert_no_offsite_link(page.get_data(as_text=True), target)


# ---------- Share buttons ----------

NETWORK_HOSTS = {urlsplit(source).netloc for source in shares.FORM_ACTION_SOURCES} - {""}


def share(client, article, network, *, data=None, query=None, headers=None):
    form = {"token": formguard.issue_token("share", article.id), **(data or {})}
    return client.post(
        f"/articles/{article.slug}/share/{network}",
        data=form,
        query_string=query or {},
        headers={**ORIGIN, **(headers or {})},
    )


def test_share_redirects_go_only_to_the_network_with_our_article(app, client, make_article):
    article = make_article(title="Rates\r\nSet-Cookie: planted=1 & more")
    ours = f"http://{HOST}/articles/{article.slug}"
    hostile = {
        "url": "https://evil.example/",
        "u": "https://evil.example/",
        "next": "https://evil.example/",
        "redirect": "//evil.example",
        "text": "x\r\nLocation: https://evil.example/",
        "title": "\r\nSet-Cookie: planted=1",
    }
    for network in shares.NETWORK_LABELS:
        response = share(client, article, network, data=hostile, query=hostile)
        assert response.status_code == 303, network
        location = response.headers["Location"]
        assert "evil.example" not in location and "\r" not in location and "\n" not in location
        parts = urlsplit(location)
        if network == "email":
            assert parts.scheme == "mailto"
            assert parse_qs(parts.query)["body"] == [ours]
        else:
            assert parts.scheme == "https" and parts.netloc in NETWORK_HOSTS, location
            values = [v for vs in parse_qs(parts.query).values() for v in vs]
            assert any(ours in value for value in values), location
        assert "planted" not in response.headers.get("Set-Cookie", "")
    for network in shares.IN_PAGE_NETWORKS:
        response = share(client, article, network, data=hostile, query=hostile)
        assert response.headers["Location"] == f"{ours}#share"


@pytest.mark.parametrize(
    "network",
    ["x%0d%0aSet-Cookie:%20planted=1", "x\r\nLocation: //evil.example", "evil", "%0a", "X"],
)
def test_unknown_or_injected_networks_are_404(app, client, make_article, network):
    article = make_article()
    before = snapshot()
    response = share(client, article, network)
    assert response.status_code == 404
    assert_stays_here(response, network)
    assert_unchanged(before, network)


def test_crlf_in_share_headers_and_fields_never_reaches_a_header(app, client, make_article):
    article = make_article()
    for value in ("\r\nSet-Cookie: planted=1", "%0d%0aSet-Cookie:%20planted=1", "\x00", "\u2028"):
        referer = f"http://{HOST}/" + value.replace("\r", "%0d").replace("\n", "%0a")
        response = share(client, article, "x", data={"token": value}, headers={"Referer": referer})
        assert response.status_code == 400  # a forged token
        assert_stays_here(response, value)
        response = share(client, article, "x", query={"slug": value, "network": value})
        assert response.status_code == 303
        assert_stays_here(response, value, hosts={"x.com"})


# ---------- SQL-looking input ----------

NASTY = [
    "' OR 1=1 --",
    "1; DROP TABLE articles; --",
    "1' UNION SELECT password_hash, email FROM users --",
    "\u2019 OR \u20181\u2019=\u20181",  # typographic quotes
    "\\",
    "\x00",
    "99999999999999999999999",
    "-1",
]
PARAMS = ["q", "page", "comments", "reply", "section", "topic", "sort", "id"]


def public_get_urls(app, slugs: dict[str, str], comment_id: int) -> list[str]:
    """Every public GET page of the URL map, built for the objects in `slugs`."""
    urls = []
    fresh = create_app({"SECRET_KEY": "x"})
    for rule in sorted(fresh.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "GET" not in rule.methods
            or rule.endpoint.startswith("editor.")
            or rule.endpoint
            in (
                "static",
                "public.upload",
            )
        ):
            continue
        values = {"comment_id": comment_id} if "comment_id" in rule.arguments else {}
        if "token" in rule.arguments:  # a mailed link's page: a token that is not ours
            values["token"] = "not-a-link"
        if "slug" in rule.arguments:
            kind = rule.rule.split("/")[1]
            if kind == "follow":  # /follow/section/<slug>, /follow/topic/<slug>
                kind = rule.rule.split("/")[2]
            values["slug"] = slugs[{"articles": "article", "<slug:slug>": "page"}.get(kind, kind)]
        urls.append(rule.build(values)[1])
    return urls


def test_sql_looking_values_in_every_public_parameter(
    app, client, make_article, make_comment, editor
):
    article = make_article()
    comment = make_comment(article)
    slugs = {
        "article": article.slug,
        "section": article.section.slug,
        "topic": "no-such-topic",
        "author": article.author.slug,
        "page": pages.create_page(ABOUT, actor=editor, action=PageAction.PUBLISH).slug,
    }
    urls = public_get_urls(app, slugs, comment.id)
    assert len(urls) >= 12, urls
    before = snapshot()
    tried = 0
    for url in urls:
        for param in PARAMS:
            for value in NASTY:
                response = client.get(url, query_string={param: value})
                assert response.status_code in (200, 301, 302, 304, 400, 403, 404), (
                    url,
                    param,
                    value,
                    response.status_code,
                )
                body = response.get_data(as_text=True)
                assert "scrypt:" not in body and "pbkdf2:" not in body
                tried += 1
    print(f"{tried} requests over {len(urls)} public pages")
    assert_unchanged(before, "SQL-looking input")
