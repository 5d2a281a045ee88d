"""The editor's live preview endpoint, and the note that tells the page a save went through."""

import pytest
from sqlalchemy import select

from blog.editor.preview import MAX_PREVIEW_CHARACTERS
from blog.extensions import db
from blog.models import Article, ArticleStatus, Role
from blog.rendering import render_article
from tests.harness import csrf_token_from, rebuilt, signed_in_by_form

PREVIEW = "/editor/preview"
TOO_LONG = "The text is too long to preview: at most 200,000 characters."
CSRF_MESSAGE = "This form has expired or did not come from this site."


@pytest.fixture
def signed_in(client, login, author):
    login(author)
    return client


def test_preview_renders_markdown_with_the_sites_sanitiser(signed_in):
    text = (
        "## Harbour\n\n**Ferries** run again. <script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    response = signed_in.post(PREVIEW, json={"body": text})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    html = response.get_json()["html"]
    assert html == render_article(text)
    assert "<h2>Harbour</h2>" in html and "<strong>Ferries</strong>" in html
    assert "<script" not in html and "href=" not in html  # no javascript: link either
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never passed through
    assert response.headers["Cache-Control"] == "no-store"


def test_preview_of_an_empty_body(signed_in):
    response = signed_in.post(PREVIEW, json={"body": ""})
    assert response.status_code == 200
    assert response.get_json() == {"html": ""}


@pytest.mark.parametrize(
    "payload",
    [
        {"data": "body=**x**", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"json": ["a list"]},
        {"json": {"text": "wrong key"}},
        {"json": {"body": 42}},
    ],
)
def test_preview_refuses_what_is_not_a_json_body_with_a_clear_message(signed_in, payload):
    response = signed_in.post(PREVIEW, **payload)
    assert response.status_code == 400
    assert response.get_json() == {"error": 'Send the text to preview as JSON: {"body": "..."}.'}


def test_preview_refuses_an_oversized_body(signed_in):
    response = signed_in.post(PREVIEW, json={"body": "a" * (MAX_PREVIEW_CHARACTERS + 1)})
    assert response.status_code == 413
    assert response.get_json() == {"error": TOO_LONG}
    at_limit = signed_in.post(PREVIEW, json={"body": "a" * MAX_PREVIEW_CHARACTERS})
    assert at_limit.status_code == 200


def test_preview_refuses_an_oversized_request_before_reading_it(signed_in):
    huge = b'{"body": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    response = signed_in.post(PREVIEW, data=huge, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"error": TOO_LONG}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.post(PREVIEW, json={"body": "**x**"})
    assert response.status_code == 302
    assert "/editor/login" in response.headers["Location"]


def test_get_is_not_allowed(signed_in):
    assert signed_in.get(PREVIEW).status_code == 405


@pytest.fixture
def protected(app):
    """The test app with CSRF protection on (the shared fixture turns it off)."""
    with rebuilt(app, WTF_CSRF_ENABLED=True) as guarded:
        yield guarded


def test_preview_needs_the_csrf_token_when_protection_is_on(protected, make_user):
    client = signed_in_by_form(protected, make_user(Role.AUTHOR))
    token = csrf_token_from(client, "/editor/articles/new")
    for headers in ({}, {"X-CSRFToken": "forged"}):
        refused = client.post(PREVIEW, json={"body": "**x**"}, headers=headers)
        assert refused.status_code == 400
        assert CSRF_MESSAGE in refused.get_data(as_text=True)
    accepted = client.post(PREVIEW, json={"body": "**x**"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
    assert accepted.get_json() == {"html": "<p><strong>x</strong></p>\n"}


def test_the_editor_page_offers_the_writing_aids(signed_in):
    page = signed_in.get("/editor/articles/new").get_data(as_text=True)
    assert 'data-preview-url="/editor/preview"' in page
    assert 'data-draft-article="new"' in page
    assert 'role="toolbar" aria-label="Format the body"' in page
    assert "/static/js/article-editor." in page
    assert "data-unsaved" not in page and "data-saved-draft" not in page


def test_a_successful_save_names_the_draft_it_made_redundant(signed_in, author, make_article):
    created = signed_in.post("/editor/articles/new", data={"title": "Tide tables", "body": "x"})
    assert created.status_code == 302
    article = db.session.scalar(select(Article).where(Article.title == "Tide tables"))
    page = signed_in.get(created.headers["Location"]).get_data(as_text=True)
    assert 'data-saved-draft="new"' in page
    assert f'data-draft-article="{article.id}"' in page
    # Said once: reloading the page does not say it again.
    assert "data-saved-draft" not in signed_in.get(created.headers["Location"]).get_data(
        as_text=True
    )

    own = make_article(author=author, status=ArticleStatus.DRAFT)
    form = {"title": "Changed", "body": "y", "version": str(own.version)}
    saved = signed_in.post(f"/editor/articles/{own.id}", data=form)
    assert saved.status_code == 302
    page = signed_in.get(f"/editor/articles/{own.id}").get_data(as_text=True)
    assert f'data-saved-draft="{own.id}"' in page


def test_a_refused_save_keeps_the_draft_and_marks_the_page_unsaved(signed_in):
    refused = signed_in.post("/editor/articles/new", data={"title": "", "body": "kept text"})
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "data-unsaved" in page and "data-saved-draft" not in page
    assert "kept text" in page
