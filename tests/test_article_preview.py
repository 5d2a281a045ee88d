"""The editor's Preview button: the article (or page) as typed, drawn by the public
template in a new tab, and nothing written anywhere."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.models import Article, ArticleStatus, EditorComment, Role, Topic
from blog.models.base import utcnow
from blog.rendering import render_article
from blog.services import bylines, corrections, previews, uploads
from blog.services.publishing import ArticleChanges
from blog.templating import long_date
from tests.harness import csrf_token_from, rebuilt, signed_in_by_form
from tests.security_helpers import assert_unchanged, signed_in, snapshot

BANNER = 'class="preview-banner"'


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def html_of(response) -> str:
    return response.get_data(as_text=True)


def form_for(article: Article, **fields) -> dict:
    """The editor's form as the page fills it for this article, with `fields` typed over."""
    data = {
        "title": article.title,
        "brief": article.brief,
        "body": article.body_md,
        "section_id": str(article.section_id or ""),
        "topic_ids": [str(topic.id) for topic in article.topics],
        "comments_open": "y",
        "cover_alt": article.cover_alt,
        "cover_caption": article.cover_caption,
        "version": str(article.version),
        "author_id": str(article.author_id),
        "action": "preview",
    }
    for number, link in enumerate(article.coauthor_links, start=1):
        data[f"coauthor_{number}"] = str(link.user_id)
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def story(make_article, make_user, make_topic, editor):
    """A published story with everything its page shows: a cover, two authors, a topic,
    an editor's comment and a correction."""
    lead = make_user(Role.AUTHOR, name="Lena Lead")
    partner = make_user(Role.AUTHOR, name="Cal Coauthor")
    cover = uploads.keep_image(png(), "harbour.png", uploaded_by_id=editor.id)
    article = make_article(
        "Ferries return to the harbour",
        body="The first ferry left at dawn.",
        author=lead,
        cover=cover,
        cover_alt="A blue ferry at the quay",
        cover_caption="Monday morning at the quay.",
        topics=[make_topic("Transport", slug="transport")],
    )
    bylines.credit(article, [lead, partner])
    note = EditorComment(article=article, editor=editor)
    note.set_body("Figures checked with the port authority.")
    db.session.add(note)
    db.session.commit()
    corrections.add_correction(article, editor, "correction", "The ferry leaves at six, not five.")
    return article


@pytest.fixture
def seen_sessions(app):
    """What each request's session held, unsaved, when its response left; and every
    flush, with what it wrote (a flush empties `new` and `dirty` before the response)."""
    seen: dict[str, list] = {"left": [], "flushed": []}

    @app.after_request
    def look(response):
        seen["left"].append((set(db.session.new), set(db.session.dirty), set(db.session.deleted)))
        return response

    def flushed(session, context, instances):
        seen["flushed"].append({*session.new, *session.dirty, *session.deleted})

    event.listen(Session, "before_flush", flushed)
    yield seen
    event.remove(Session, "before_flush", flushed)


def test_the_preview_is_the_public_page_of_the_typed_article(client, login, editor, story):
    login(editor)
    body = "## What changes\n\nBoats every **twenty** minutes."
    response = client.post(
        f"/editor/articles/{story.id}",
        data=form_for(
            story,
            title="Ferries are back",
            brief="Boats again from Monday.",
            body=body,
            new_topics="Harbour life",
        ),
    )
    assert response.status_code == 200
    page = html_of(response)
    # The public template and its stylesheet, with the text as typed.
    assert '<article class="story">' in page and "/static/css/site." in page
    assert "<h1>Ferries are back</h1>" in page and "<title>Ferries are back —" in page
    assert render_article(body) in page
    assert story.title not in page  # the saved title is nowhere
    # Byline with both authors and their avatars, date and reading time.
    assert 'class="byline-avatars"' in page and "Lena Lead" in page and "Cal Coauthor" in page
    assert long_date(story.published_at) in page and "1 min read" in page
    assert 'class="updated"' in page  # the text changed after publication
    # Cover, section, topics (a new name as plain text), editor's comments, correction.
    assert 'alt="A blue ferry at the quay"' in page and "Monday morning at the quay." in page
    assert f'href="/section/{story.section.slug}"' in page
    assert 'href="/topic/transport" rel="tag">Transport</a>' in page
    assert '<span class="topic-unsaved">Harbour life</span>' in page
    assert "Figures checked with the port authority." in page
    assert "The ferry leaves at six, not five." in page
    # Clearly a preview of changes readers do not see yet, with the way back.
    assert BANNER in page and "Preview of unsaved changes" in page
    assert f'href="/editor/articles/{story.id}" data-close-preview' in page
    # Nothing that posts or counts: no comment form, no share buttons.
    assert 'id="comment-form"' not in page and 'class="share' not in page
    assert "/js/share." not in page and "/js/comments." not in page
    # And the saved article is as it was.
    db.session.expire_all()
    assert db.session.get(Article, story.id).title == "Ferries return to the harbour"


def test_a_preview_writes_nothing(app, editor, story, make_user, seen_sessions):
    client = signed_in(app, editor)
    other = make_user(Role.EDITOR, name="Olga Other")
    before = snapshot()
    seen_sessions["flushed"].clear()
    response = client.post(
        f"/editor/articles/{story.id}",
        data=form_for(
            story,
            title="Retitled",
            body="New words.",
            author_id=str(other.id),
            coauthor_1=str(editor.id),
            new_topics="Brand new topic, Transport",
            remove_cover="y",
        ),
    )
    assert response.status_code == 200 and BANNER in html_of(response)
    assert "Olga Other" in html_of(response) and "Lena Lead" not in html_of(response)
    assert seen_sessions["left"][-1] == (set(), set(), set())
    assert seen_sessions["flushed"] == []
    assert_unchanged(before, "preview")


def test_the_service_leaves_the_session_untouched(app, editor, story, make_user):
    changes = ArticleChanges(
        title="A new title",
        body="Text.",
        section_id=story.section_id,
        topic_ids=[topic.id for topic in story.topics],
        new_topic_names=["Tides"],
        cover_id=story.cover_id,
        cover_alt="Alt",
        author_ids=[story.author_id, make_user(Role.AUTHOR).id],
    )
    saved = db.session.get(Article, story.id)
    version = saved.version
    shown = previews.article_preview(saved, changes, actor=editor)
    assert shown.article.title == "A new title" and shown.article.cover is saved.cover
    assert [topic.name for topic in shown.article.topics] == ["Tides", "Transport"]
    assert shown.article.editor_comments == saved.editor_comments
    assert not (db.session.new or db.session.dirty or db.session.deleted)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Article, story.id).version == version
    assert db.session.scalar(select(Topic).where(Topic.name == "Tides")) is None


def test_the_body_and_title_are_sanitised(client, login, editor, story):
    login(editor)
    hostile = "Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    page = html_of(
        client.post(
            f"/editor/articles/{story.id}",
            data=form_for(story, title="<script>alert(4)</script>", body=hostile),
        )
    )
    assert render_article(hostile) in page
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page  # text
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page


def test_an_author_previews_only_what_they_may_edit(app, make_user, make_article, author):
    own = make_article(author=author, status=ArticleStatus.DRAFT)
    others = make_article(author=make_user(Role.AUTHOR), status=ArticleStatus.DRAFT)
    own_live = make_article(author=author)
    client = signed_in(app, author)
    before = snapshot()
    assert client.post(f"/editor/articles/{others.id}", data=form_for(others)).status_code == 403
    for article in (own, own_live):
        status = client.get(f"/editor/articles/{article.id}").status_code
        assert (
            client.post(f"/editor/articles/{article.id}", data=form_for(article)).status_code
            == status
        )
    previewed = client.post(f"/editor/articles/{own.id}", data=form_for(own, title="Mine"))
    assert previewed.status_code == 200 and "<h1>Mine</h1>" in html_of(previewed)
    assert "Preview — not published" in html_of(previewed)
    assert_unchanged(before, "author previews")


def test_a_new_article_is_dated_now_and_credited_to_its_writer(client, login, author):
    login(author)
    response = client.post(
        "/editor/articles/new",
        data={"title": "Night trams", "body": "Words.", "comments_open": "y", "action": "preview"},
    )
    page = html_of(response)
    assert response.status_code == 200 and "<h1>Night trams</h1>" in page
    assert long_date(utcnow()) in page and "Ada Author" in page
    assert "Preview — not published" in page and "No comments yet." in page
    assert 'href="/editor/articles/new" data-close-preview' in page
    # Without JavaScript the link says where it leads; with it, the status line says more.
    assert 'title="Opens the editor with the article as last saved">Close the preview' in page
    assert '<noscript><p class="preview-banner-text">This link opens the editor' in page
    assert 'role="status" data-preview-status' in page
    assert db.session.scalar(select(Article.id)) is None


def test_the_preview_is_never_indexed_nor_cached(app, client, login, editor, story):
    login(editor)
    response = client.post(f"/editor/articles/{story.id}", data=form_for(story, title="Typed"))
    page = html_of(response)
    assert '<meta name="robots" content="noindex">' in page
    assert 'rel="canonical"' not in page
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"
    assert "X-Cache" not in response.headers  # the page cache neither served nor kept it
    assert not getattr(app.view_functions["editor.article_edit"], "page_cacheable", False)
    anonymous = app.test_client()
    public = anonymous.get(f"/articles/{story.slug}")
    assert public.headers["X-Cache"] == "miss" and "Typed" not in html_of(public)


def test_no_csrf_token_reaches_the_preview(app, editor, story):
    # Read before the rebuilt app's context: a lazy load in there would take a connection
    # of the rebuilt app's engine into this test's session, and hold it past its disposal.
    path, typed, _ = f"/editor/articles/{story.id}", form_for(story, title="Typed"), editor.email
    with rebuilt(app, WTF_CSRF_ENABLED=True) as protected:
        client = signed_in_by_form(protected, editor)
        token = csrf_token_from(client, path)
        response = client.post(path, data={**typed, "csrf_token": token})
        assert response.status_code == 200 and "<h1>Typed</h1>" in html_of(response)
        assert token not in html_of(response) and "csrf_token" not in html_of(response)
        forged = client.post(path, data=typed)
        assert forged.status_code == 400 and BANNER not in html_of(forged)


def test_form_errors_still_preview_and_are_listed(client, login, editor, story):
    login(editor)
    response = client.post(
        f"/editor/articles/{story.id}",
        data=form_for(story, title="", brief="Too long. " * 40, section_id="99999999999"),
    )
    page = html_of(response)
    assert response.status_code == 200 and BANNER in page
    assert "<h1>(No title yet)</h1>" in page
    assert "<li>Title: Give the article a title.</li>" in page
    assert "<li>Brief: The brief can be at most 300 characters long.</li>" in page


def test_the_saved_thread_shows_read_only(client, login, editor, story, make_comment):
    make_comment(story, body="Great news for commuters.")
    login(editor)
    page = html_of(client.post(f"/editor/articles/{story.id}", data=form_for(story)))
    assert "Great news for commuters." in page and "1 Comment" in page
    assert "comment-reply" not in page and "comment-report" not in page
    assert 'id="comment-form"' not in page
    assert "Readers find the comment form here" in page


# ---------- Static pages ----------


def test_a_page_previews_in_the_public_layout(client, login, editor):
    login(editor)
    before = snapshot()
    response = client.post(
        "/editor/pages/new",
        data={"title": "About us", "body": "We *answer* letters.", "action": "preview"},
    )
    page = html_of(response)
    assert response.status_code == 200 and BANNER in page
    assert "<h1>About us</h1>" in page and "<em>answer</em>" in page
    assert 'content="noindex, nofollow"' in page and 'rel="canonical"' not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert re.search(r'href="/editor/pages/new" data-close-preview', page)
    untitled = client.post("/editor/pages/new", data={"body": "Words.", "action": "preview"})
    assert untitled.status_code == 200
    assert "<li>Title: Give the page a title.</li>" in html_of(untitled)
    assert_unchanged(before, "page preview")
