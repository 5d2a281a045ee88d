"""Security headers on every kind of response, and templates free of inline script."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask, Response

from blog import ROOT, create_app, security
from blog.assets import asset_url
from blog.extensions import db
from blog.services.shares import FORM_ACTION_SOURCES

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CORP = "Cross-Origin-Resource-Policy"
SHARED = {"static file", "fingerprinted static file", "upload"}  # feed readers load these
DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def secured(app):
    # A no-op once create_app registers the headers itself.
    security.register(app)
    return app


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} appears twice in {policy}"
        parsed[name] = values
    return parsed


def assert_secured(response, label: str, *, https: bool = False, shared: bool = False) -> None:
    """Every header once; `shared` for static files and uploads, which other sites may load."""
    for name, value in EXPECTED.items():
        assert response.headers.getlist(name) == [value], (label, name)
    resource_policy = "cross-origin" if shared else "same-origin"
    assert response.headers.getlist(CORP) == [resource_policy], label
    policies = response.headers.getlist("Content-Security-Policy")
    assert len(policies) == 1, label
    policy = directives(policies[0])
    assert policy["default-src"] == ["'self'"], label
    assert policy["script-src"] == ["'self'"], label
    assert policy["style-src"] == ["'self'"], label
    assert policy["object-src"] == ["'none'"], label
    assert policy["frame-ancestors"] == ["'none'"], label
    assert policy["base-uri"] == ["'self'"], label
    assert policy["form-action"] == ["'self'", *FORM_ACTION_SOURCES], label
    features = response.headers["Permissions-Policy"]
    for feature in DENIED:
        assert f"{feature}=()" in features, (label, feature)
    if https:
        assert response.headers.getlist("Strict-Transport-Security") == [security.HSTS], label
    else:
        assert "Strict-Transport-Security" not in response.headers, label


# ---------- Inline script and style: in templates and in the pages they render ----------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/ld\+json["']""", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.IGNORECASE)
STYLE = re.compile(r"""<style\b|\sstyle\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    """What a policy without unsafe-inline would block (or that has no place here)."""
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if not re.search(r"\bsrc\s*=", attributes) and not DATA_BLOCK.search(attributes):
            found.append(match.group(0))
    for pattern in (HANDLER, STYLE, JAVASCRIPT_URL):
        found += [match.group(0) for match in pattern.finditer(text)]
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button onclick="go()">',
        "<body onload='go()'>",
        '<p style="color: red">',
        "<style>p {}</style>",
        '<a href="javascript:go()">',
    ],
)
def test_the_scan_finds_inline_code(snippet):
    assert inline_code(snippet)


def test_the_scan_allows_scripts_by_url_and_data_blocks():
    assert not inline_code('<script src="/static/js/share.js" defer></script>')
    assert not inline_code('<script type="application/ld+json">{"a": 1}</script>')
    assert not inline_code('<span data-one="share" class="x">')


def test_no_template_has_inline_script_handlers_or_styles():
    # Mail (templates/mail/) is read in mail clients, which ignore style sheets and are
    # not under the site's Content-Security-Policy: its HTML carries its styles inline.
    templates = sorted(
        path for path in (ROOT / "templates").rglob("*.*") if "mail" not in path.parent.parts
    )
    assert len(templates) > 20  # the scan reads the real folder
    found = {
        str(path.relative_to(ROOT)): hits
        for path in templates
        if (hits := inline_code(path.read_text()))
    }
    assert found == {}


# ---------- Every kind of response ----------


@pytest.fixture
def site(app, make_article, make_topic, make_comment, editor):
    topic = make_topic("Harbours", slug="harbours")
    article = make_article("The harbour reopens", slug="harbour", topics=[topic])
    make_comment(article, "Good news for the town.")
    uploads = Path(app.config["UPLOADS_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "pixel.png").write_bytes(PNG)
    return article


def public_paths(article, app) -> dict[str, str]:
    with app.test_request_context():
        fingerprinted = asset_url("js/share.js")
    assert fingerprinted != "/static/js/share.js"
    return {
        "front page": "/",
        "article": f"/articles/{article.slug}",
        "section": f"/section/{article.section.slug}",
        "topic": "/topic/harbours",
        "author": f"/author/{article.author.slug}",
        "search": "/search?q=harbour",
        "site feed": "/feed.xml",
        "section feed": f"/section/{article.section.slug}/feed.xml",
        "comment feed": f"/articles/{article.slug}/comments/feed.xml",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "health check": "/healthz",
        "login page": "/editor/login",
        "follow by e-mail": "/follow",
        "static file": "/static/js/share.js",
        "fingerprinted static file": fingerprinted,
        "upload": "/uploads/pixel.png",
    }


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_every_kind_of_response_carries_the_headers(app, site, https):
    base_url = "https://byline.test" if https else "http://byline.test"
    client = app.test_client()
    for label, path in public_paths(site, app).items():
        with client.get(path, base_url=base_url) as response:  # files are streamed
            assert response.status_code == 200, (label, response.status_code)
            assert_secured(response, label, https=https, shared=label in SHARED)
            if response.mimetype == "text/html":
                assert inline_code(response.get_data(as_text=True)) == [], label

    article_page = client.get(f"/articles/{site.slug}", base_url=base_url).get_data(as_text=True)
    assert "share-form" in article_page and "Good news for the town." in article_page

    not_found = client.get("/no-such-page", base_url=base_url)
    assert not_found.status_code == 404
    assert_secured(not_found, "404", https=https)

    wrong_method = client.get("/editor/logout", base_url=base_url)
    assert wrong_method.status_code == 405
    assert_secured(wrong_method, "405", https=https)

    refused = client.post(f"/articles/{site.slug}/share/x", base_url=base_url)
    assert refused.status_code == 400
    assert_secured(refused, "400 page", https=https)

    hit = client.get("/", base_url=base_url)
    assert hit.headers["X-Cache"] == "hit"
    assert_secured(hit, "cached page", https=https)
    etag = hit.headers["ETag"]
    unchanged = client.get("/", base_url=base_url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert_secured(unchanged, "304", https=https)

    with client.get("/uploads/pixel.png", base_url=base_url) as image:
        etag = image.headers["ETag"]
    with client.get(
        "/uploads/pixel.png", base_url=base_url, headers={"If-None-Match": etag}
    ) as unchanged:
        assert unchanged.status_code == 304
        assert_secured(unchanged, "upload 304", https=https, shared=True)


def test_the_500_page_carries_the_headers(app):
    def broken():
        raise RuntimeError("a bug in a view")

    app.add_url_rule("/broken", view_func=broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert_secured(response, "500")


def test_signed_in_editor_pages_carry_the_headers(app, site, editor, login, client):
    login(editor)
    for path in ("/editor/", f"/editor/articles/{site.id}", "/editor/comments/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secured(response, path)
        assert inline_code(response.get_data(as_text=True)) == [], path


def test_feeds_stay_atom_documents(client, site):
    response = client.get("/feed.xml")
    assert response.content_type == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.get_data())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("{http://www.w3.org/2005/Atom}entry") is not None


def test_https_behind_a_proxy_gets_hsts(app, site):
    proxied = create_app({**app.config, "PROXY_FIX_X_FOR": 1})
    security.register(proxied)
    try:
        client = proxied.test_client()
        forwarded = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
        assert_secured(forwarded, "proxied https", https=True)
        plain = client.get("/robots.txt")
        assert_secured(plain, "proxied http", https=False)
    finally:
        with proxied.app_context():
            db.engine.dispose()


# ---------- The hook itself ----------


def test_a_views_own_header_wins_and_register_is_idempotent():
    app = Flask(__name__)
    security.register(app)
    hooks = list(app.after_request_funcs[None])
    security.register(app)
    assert app.after_request_funcs[None] == hooks

    @app.get("/framed")
    def framed():
        response = Response("ok")
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    response = app.test_client().get("/framed")
    assert response.headers.getlist("Content-Security-Policy") == ["frame-ancestors 'self'"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_scripts_never_allow_unsafe_inline():
    policy = directives(security.content_security_policy())
    for name in ("script-src", "default-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name]
        assert "'unsafe-eval'" not in policy[name]
