"""The article editor, tested through HTTP the way writers and editors use it."""

import io
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from blog.extensions import db
from blog.models import Article, ArticleStatus, EditorComment, OldSlug, Role, Upload
from blog.models.base import utcnow
from blog.rendering import render_article
from blog.services import settings
from tests.conftest import PASSWORD


def image_file(size=(64, 48), fmt="PNG", name="photo.png", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 1).save(buffer, format=fmt)
    return (io.BytesIO(buffer.getvalue()), name)


def article_form(**fields) -> dict:
    data = {
        "title": "Harbour trams return",
        "brief": "The city brings back the harbour line after twenty years.",
        "body": "The first tram ran at dawn.\n\nCrowds cheered.",
        "comments_open": "y",
        "action": "save",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name} field"
    return match.group(1)


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def only_article(title: str) -> Article:
    db.session.expire_all()
    return db.session.scalars(select(Article).where(Article.title == title)).one()


def sign_in(app, user):
    other = app.test_client()
    response = other.post("/editor/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return other


def test_anonymous_visitors_are_sent_to_login(client, make_article):
    article = make_article()
    urls = ["/editor/articles/", "/editor/articles/new", f"/editor/articles/{article.id}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert "/editor/login" in response.headers["Location"]
    response = client.post(f"/editor/articles/{article.id}", data=article_form())
    assert response.status_code == 302 and "/editor/login" in response.headers["Location"]


def test_publishing_through_the_forms_shows_the_article_everywhere(
    client, login, editor, make_section, make_topic
):
    section = make_section("Climate", slug="climate")
    topic = make_topic("Energy", slug="energy")
    login(editor)
    assert client.get("/editor/articles/new").status_code == 200
    response = client.post(
        "/editor/articles/new",
        data=article_form(
            title="Wind farms double their output",
            section_id=section.id,
            topic_ids=[topic.id],
            new_topics="Offshore wind, energy",
            action="publish",
        ),
    )
    assert response.status_code == 302
    article = only_article("Wind farms double their output")
    assert response.headers["Location"].endswith(f"/editor/articles/{article.id}")
    assert "Published: the article is live." in html_of(client.get(response.headers["Location"]))
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at <= utcnow()
    assert article.slug == "wind-farms-double-their-output"
    assert sorted(t.slug for t in article.topics) == ["energy", "offshore-wind"]

    title = "Wind farms double their output"
    for url in ["/", "/section/climate", "/topic/energy", "/topic/offshore-wind", "/feed.xml"]:
        assert title in html_of(client.get(url)), url
    page = html_of(client.get(f"/articles/{article.slug}"))
    assert f"<h1>{title}</h1>" in page and "Crowds cheered." in page
    sitemap = html_of(client.get("/sitemap.xml"))
    assert f"<loc>http://byline.test/articles/{article.slug}</loc>" in sitemap


def test_a_scheduled_article_appears_only_after_its_time(client, login, editor, make_topic):
    settings.save(timezone="Europe/Berlin")
    topic = make_topic("Transport", slug="transport")
    berlin = ZoneInfo("Europe/Berlin")
    local = (utcnow() + timedelta(hours=2)).astimezone(berlin)
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(
            topic_ids=[topic.id],
            publish_date=local.date().isoformat(),
            publish_time=local.strftime("%H:%M"),
            action="schedule",
        ),
    )
    assert response.status_code == 302
    assert "Scheduled: the article goes live on" in html_of(
        client.get(response.headers["Location"])
    )
    article = only_article("Harbour trams return")
    expected = datetime.combine(local.date(), time(local.hour, local.minute), tzinfo=berlin)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at == expected.astimezone(UTC)

    public_urls = ["/", "/topic/transport", "/feed.xml", "/sitemap.xml"]
    assert client.get(f"/articles/{article.slug}").status_code == 404
    for url in public_urls:
        assert article.slug not in html_of(client.get(url)), url

    # Time passes: the row's publication time is now behind us. No cron involved.
    db.session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(published_at=utcnow() - timedelta(seconds=5))
    )
    db.session.commit()
    assert client.get(f"/articles/{article.slug}").status_code == 200
    for url in public_urls:
        assert article.slug in html_of(client.get(url)), url


def test_scheduling_in_the_past_is_a_form_error(client, login, editor):
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(publish_date="2020-01-01", publish_time="09:00", action="schedule"),
    )
    assert response.status_code == 200
    assert "Choose a time in the future" in html_of(response)
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_a_later_save_over_an_earlier_one_is_refused_and_both_texts_kept(
    app, client, login, editor, admin, make_article
):
    article = make_article(status=ArticleStatus.DRAFT, body="The original text.")
    url = f"/editor/articles/{article.id}"
    login(editor)
    other = sign_in(app, admin)
    first_version = hidden_value(html_of(client.get(url)), "version")
    second_version = hidden_value(html_of(other.get(url)), "version")
    assert first_version == second_version == "1"

    first = client.post(
        url, data=article_form(title=article.title, body="Eddie's text.", version=first_version)
    )
    assert first.status_code == 302
    second = other.post(
        url, data=article_form(title=article.title, body="Alma's text.", version=second_version)
    )
    assert second.status_code == 409
    page = html_of(second)
    assert "someone else saved this article" in page
    assert "Alma&#39;s text." in page  # hers, still in the form
    assert "Eddie&#39;s text." in page  # his, shown as the saved version
    assert fresh(Article, article.id).body_md == "Eddie's text."

    # Having seen both, she saves again on purpose: now it goes through.
    assert hidden_value(page, "version") == "2"
    again = other.post(url, data=article_form(title=article.title, body="Merged.", version="2"))
    assert again.status_code == 302
    saved = fresh(Article, article.id)
    assert saved.body_md == "Merged." and saved.version == 3


def test_authors_write_drafts_and_submit_them_but_cannot_publish(
    client, login, author, editor, make_article
):
    login(author)
    response = client.post(
        "/editor/articles/new", data=article_form(author_id=editor.id, new_topics="Sneaky")
    )
    assert response.status_code == 302
    article = only_article("Harbour trams return")
    assert article.author_id == author.id  # an author cannot hand the article to someone else
    assert article.status == ArticleStatus.DRAFT and article.topics == []

    url = f"/editor/articles/{article.id}"
    page = html_of(client.get(url))
    assert 'value="publish"' not in page and 'name="author_id"' not in page
    for action in ("publish", "schedule", "unpublish"):
        denied = client.post(url, data=article_form(action=action, version=str(article.version)))
        assert denied.status_code == 403
    assert fresh(Article, article.id).status == ArticleStatus.DRAFT

    submitted = client.post(url, data=article_form(action="submit", version="1"))
    assert submitted.status_code == 302
    assert fresh(Article, article.id).status == ArticleStatus.REVIEW


def test_authors_cannot_open_other_peoples_or_published_articles(
    client, login, author, make_user, make_article
):
    someone = make_user(Role.AUTHOR)
    theirs = make_article(status=ArticleStatus.DRAFT, author=someone)
    own_published = make_article(author=author)
    login(author)
    for article in (theirs, own_published):
        url = f"/editor/articles/{article.id}"
        assert client.get(url).status_code == 403
        assert client.post(url, data=article_form(version="1")).status_code == 403
    assert fresh(Article, theirs.id).title == theirs.title


def test_editors_unpublish(client, login, editor, make_article):
    article = make_article()
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}",
        data=article_form(title=article.title, action="unpublish", version="1"),
    )
    assert response.status_code == 302
    assert fresh(Article, article.id).status == ArticleStatus.DRAFT
    assert client.get(f"/articles/{article.slug}").status_code == 404


def test_editing_a_published_article_marks_it_updated(
    client, login, editor, author, make_article, make_topic
):
    article = make_article(
        published_at=utcnow() - timedelta(days=3), topics=[make_topic()], author=author
    )
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}",
        data=article_form(
            title=article.title, body="A corrected paragraph.", author_id=editor.id, version="1"
        ),
    )
    assert response.status_code == 302
    saved = fresh(Article, article.id)
    assert saved.status == ArticleStatus.PUBLISHED and saved.was_updated
    assert saved.author_id == editor.id  # editors assign the author
    assert saved.topics == []  # no topic ticked on the form: none kept
    page = html_of(client.get(f"/articles/{article.slug}"))
    assert "A corrected paragraph." in page and 'class="updated"' in page


def test_renaming_a_published_article_keeps_the_old_address(client, login, editor, make_article):
    article = make_article("Council votes", slug="council-votes")
    url = f"/editor/articles/{article.id}"
    login(editor)
    renamed = client.post(url, data=article_form(title="Council votes", slug="budget-passes"))
    assert renamed.status_code == 302
    moved = client.get("/articles/council-votes")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/articles/budget-passes")

    # Renaming back takes the old address over again: it serves the page, not a redirect.
    back = client.post(url, data=article_form(title="Council votes", slug="council-votes"))
    assert back.status_code == 302
    assert client.get("/articles/council-votes").status_code == 200
    assert client.get("/articles/budget-passes").headers["Location"].endswith("/council-votes")
    kept = db.session.scalars(select(OldSlug.slug).where(OldSlug.target_id == article.id)).all()
    assert kept == ["budget-passes"]


def test_a_taken_or_malformed_slug_is_a_form_error(client, login, editor, make_article):
    make_article(slug="taken")
    login(editor)
    response = client.post("/editor/articles/new", data=article_form(slug="taken"))
    assert response.status_code == 200
    assert "Another article already uses this address" in html_of(response)
    assert 'value="Harbour trams return"' in html_of(response)
    malformed = client.post("/editor/articles/new", data=article_form(slug="Not A Slug!"))
    assert "lowercase letters, digits and single hyphens" in html_of(malformed)


def test_a_form_with_errors_keeps_everything_typed(client, login, editor):
    login(editor)
    brief = "Too long. " * 31
    response = client.post(
        "/editor/articles/new",
        data=article_form(title="", brief=brief, body="My *precious* paragraph."),
    )
    assert response.status_code == 200
    page = html_of(response)
    assert "Give the article a title." in page
    assert "The brief can be at most 300 characters long." in page
    assert brief.strip() in page and "My *precious* paragraph." in page
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_publishing_needs_a_brief(client, login, editor):
    login(editor)
    response = client.post("/editor/articles/new", data=article_form(brief="", action="publish"))
    assert response.status_code == 200
    assert "A brief is required to publish." in html_of(response)
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_preview_draws_the_public_article_page_and_saves_nothing(client, login, editor):
    body = "## Heading\n\nSome **bold** words and <script>alert(1)</script>."
    login(editor)
    response = client.post("/editor/articles/new", data=article_form(body=body, action="preview"))
    assert response.status_code == 200
    page = html_of(response)
    assert 'class="preview-banner"' in page and '<article class="story">' in page
    assert render_article(body) in page
    assert "<script>alert(1)</script>" not in page
    assert "<textarea" not in page  # not the editor: the editor's own tab keeps the text
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_cover_upload_shows_on_the_article_page(app, client, login, editor):
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(
            cover=image_file((2000, 1000)),
            cover_alt="Trams lined up at the depot",
            cover_caption="The depot at dawn.",
            action="publish",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    article = only_article("Harbour trams return")
    cover = article.cover
    assert (cover.width, cover.height, cover.content_type) == (2000, 1000, "image/png")
    assert sorted(width for width in cover.variants if width.isdigit()) == ["1600", "480", "960"]
    assert re.fullmatch(r"\d{4}/\d\d/[0-9a-f]{16}\.png", cover.path)  # a random name
    assert (Path(app.config["UPLOADS_DIR"]) / cover.path).is_file()

    page = html_of(client.get(f"/articles/{article.slug}"))
    assert 'alt="Trams lined up at the depot"' in page and "The depot at dawn." in page
    assert "480w" in page and "1600w" in page
    served = client.get(f"/uploads/{cover.path}")
    served.close()  # the file is streamed; the test does not need its bytes
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "max-age=31536000" in served.headers["Cache-Control"]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: (io.BytesIO(b"just some text"), "notes.png"), "not a JPEG, PNG, WebP or GIF"),
        (lambda: (io.BytesIO(SVG), "logo.svg"), "not a JPEG, PNG, WebP or GIF image"),
        (lambda: image_file((7000, 6000), mode="1"), "at most 40 megapixels"),
    ],
    ids=["text", "svg", "too-many-pixels"],
)
def test_a_cover_that_is_not_an_acceptable_image_is_a_form_error(
    client, login, editor, upload, message
):
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(cover=upload(), cover_alt="Alt"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert 'value="Harbour trams return"' in html_of(response)
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_a_chosen_cover_survives_a_form_error(client, login, editor):
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(cover=image_file(), cover_alt=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Describe the cover image" in html_of(response)
    pending = hidden_value(html_of(response), "pending_cover_id")
    saved = client.post(
        "/editor/articles/new",
        data=article_form(pending_cover_id=pending, cover_alt="A tram"),
    )
    assert saved.status_code == 302
    article = only_article("Harbour trams return")
    assert article.cover_id == int(pending) and article.cover_alt == "A tram"


def test_an_oversized_request_gets_the_413_page(client, login, editor):
    # Encoded by hand: the test client would spool 17 MB to a temporary file it never closes.
    body = (
        b'--cut\r\nContent-Disposition: form-data; name="cover"; filename="huge.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + b"\0" * (17 * 1024 * 1024) + b"\r\n--cut--\r\n"
    )
    login(editor)
    response = client.post(
        "/editor/articles/new",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type="multipart/form-data; boundary=cut",
    )
    assert response.status_code == 413
    assert "Too large" in html_of(response)


def test_an_image_uploaded_for_the_body_is_added_at_its_end(client, login, editor):
    """The form without JavaScript (tests/test_body_images.py has the rest)."""
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data=article_form(
            body="Text typed so far.",
            body_image=image_file((3000, 1500)),
            body_image_alt="A chart [draft]",
            action="upload",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = html_of(response)
    upload = db.session.scalars(select(Upload)).one()
    snippet = f"![A chart \\[draft\\]](/uploads/{upload.variants['1600']})"
    assert f"Text typed so far.\n\n{snippet}\n</textarea>" in page
    assert "The image is at the end of the body: move it where it belongs." in page
    assert db.session.scalar(select(func.count(Article.id))) == 0

    client.post("/editor/articles/new", data=article_form(body=snippet, action="publish"))
    article = only_article("Harbour trams return")
    public = html_of(client.get(f"/articles/{article.slug}"))
    assert f'<img src="/uploads/{upload.variants["1600"]}" alt="A chart [draft]"' in public


def test_editors_comments_are_added_edited_and_deleted(client, login, editor, admin, make_article):
    article = make_article()
    login(editor)
    url = f"/editor/articles/{article.id}/notes"
    assert client.post(url, data={"note_body": "First note."}).status_code == 302
    db.session.execute(update(EditorComment).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert client.post(url, data={"note_body": "Second note."}).status_code == 302

    page = html_of(client.get(f"/articles/{article.slug}"))
    notes_box = page[page.index('class="editor-comments"') : page.index('id="share"')]
    assert notes_box.index("First note.") < notes_box.index("Second note.")
    assert notes_box.count("Eddie Editor") == 2
    when = (utcnow() - timedelta(days=2)).strftime("%B")
    assert when in notes_box

    first = db.session.scalars(select(EditorComment).order_by(EditorComment.created_at)).first()
    assert client.get(f"/editor/notes/{first.id}").status_code == 200
    edited = client.post(f"/editor/notes/{first.id}", data={"note_body": "Corrected note."})
    assert edited.status_code == 302
    page = html_of(client.get(f"/articles/{article.slug}"))
    assert "Corrected note." in page and "First note." not in page

    assert client.post(f"/editor/notes/{first.id}/delete").status_code == 302
    page = html_of(client.get(f"/articles/{article.slug}"))
    assert "Corrected note." not in page and "Second note." in page


def test_an_empty_editors_comment_is_a_form_error(client, login, editor, make_article):
    article = make_article()
    login(editor)
    response = client.post(f"/editor/articles/{article.id}/notes", data={"note_body": "  "})
    assert response.status_code == 200
    assert "Write the comment first." in html_of(response)
    assert db.session.scalar(select(func.count(EditorComment.id))) == 0


def test_authors_cannot_write_editors_comments(client, login, author, editor, make_article):
    article = make_article(status=ArticleStatus.DRAFT, author=author)
    note = EditorComment(article=article, editor=editor)
    note.set_body("Please check the figures.")
    db.session.add(note)
    db.session.commit()
    login(author)
    page = html_of(client.get(f"/editor/articles/{article.id}"))
    assert "Please check the figures." in page  # shown to the author, read-only
    assert f"/editor/notes/{note.id}" not in page
    assert (
        client.post(f"/editor/articles/{article.id}/notes", data={"note_body": "x"}).status_code
        == 403
    )
    assert client.post(f"/editor/notes/{note.id}", data={"note_body": "x"}).status_code == 403
    assert client.post(f"/editor/notes/{note.id}/delete").status_code == 403
    assert fresh(EditorComment, note.id).body_md == "Please check the figures."


def list_titles(client, query: str = "") -> list[str]:
    response = client.get(f"/editor/articles/{query}")
    assert response.status_code == 200
    return re.findall(r'<a href="/editor/articles/\d+">([^<]+)</a>', html_of(response))


def test_the_articles_list_filters_by_status_section_and_author(
    client, login, editor, author, make_article, make_section
):
    news, sport = make_section("News"), make_section("Sport")
    make_article("A draft", status=ArticleStatus.DRAFT, section=news, author=author)
    make_article("In review", status=ArticleStatus.REVIEW, section=sport, author=editor)
    make_article("Live", section=news, author=editor)
    make_article("Coming", published_at=utcnow() + timedelta(days=1), section=sport, author=author)
    login(editor)
    assert "Not a valid choice" not in html_of(client.get("/editor/articles/"))
    assert sorted(list_titles(client)) == ["A draft", "Coming", "In review", "Live"]
    assert list_titles(client, "?status=draft") == ["A draft"]
    assert list_titles(client, "?status=scheduled") == ["Coming"]
    assert list_titles(client, "?status=published") == ["Live"]
    assert sorted(list_titles(client, f"?section={news.id}")) == ["A draft", "Live"]
    assert sorted(list_titles(client, f"?author={author.id}")) == ["A draft", "Coming"]
    assert list_titles(client, f"?author={author.id}&section={sport.id}") == ["Coming"]
    assert sorted(list_titles(client, "?status=bogus")) == [
        "A draft",
        "Coming",
        "In review",
        "Live",
    ]


def test_authors_list_only_their_own_articles(client, login, author, editor, make_article):
    make_article("Mine", status=ArticleStatus.DRAFT, author=author)
    make_article("Not mine", status=ArticleStatus.DRAFT, author=editor)
    login(author)
    assert list_titles(client) == ["Mine"]
    assert list_titles(client, f"?author={editor.id}") == ["Mine"]


def test_the_articles_list_paginates(client, login, editor, make_article):
    for n in range(30):
        make_article(f"Story {n:02d}", status=ArticleStatus.DRAFT, author=editor)
    login(editor)
    assert len(list_titles(client)) == 25
    second = client.get("/editor/articles/?page=2&status=draft")
    assert len(re.findall(r'<a href="/editor/articles/\d+">', html_of(second))) == 5
    assert "status=draft" in html_of(second)  # the pager keeps the filter
    assert client.get("/editor/articles/?page=3").status_code == 404


def test_editor_pages_cost_a_fixed_number_of_queries(
    client, login, editor, make_article, make_topic, count_queries
):
    small = make_article(topics=[make_topic()], author=editor)
    login(editor)

    def cost(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    list_small, edit_small = cost("/editor/articles/"), cost(f"/editor/articles/{small.id}")
    topics = [make_topic() for _ in range(6)]
    large = make_article(topics=topics, author=editor)
    for n in range(4):
        note = EditorComment(article=large, editor=editor)
        note.set_body(f"Note {n}")
        db.session.add(note)
    db.session.commit()
    for _ in range(20):
        make_article(topics=topics[:2])
    assert cost("/editor/articles/") == list_small
    assert cost(f"/editor/articles/{large.id}") == edit_small


def test_an_editor_can_unpublish_the_article_of_a_departed_author(
    client, login, editor, author, make_article
):
    article = make_article(author=author)
    author.active = False
    db.session.commit()
    login(editor)
    page = client.get(f"/editor/articles/{article.id}").get_data(as_text=True)
    assert author.display_name in page
    response = client.post(
        f"/editor/articles/{article.id}",
        data={
            "action": "unpublish",
            "title": article.title,
            "slug": article.slug,
            "brief": article.brief,
            "body": article.body_md,
            "section_id": article.section_id,
            "author_id": author.id,
            "comments_open": "y",
            "version": article.version,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"/articles/{article.slug}").status_code == 404


def test_control_characters_never_reach_the_database(client, login, editor):
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data={
            "action": "save",
            "title": "Nul\x00 byte\x07 title\uffff",  # U+FFFF would break the Atom feed
            "body": "a\x00b\ufffe",
            "brief": "",
        },
    )
    assert response.status_code == 302
    article = db.session.scalar(select(Article).order_by(Article.id.desc()))
    assert article.title == "Nul byte title" and article.body_md == "ab"


def test_huge_page_numbers_are_404(client, login, editor):
    login(editor)
    for url in ("/editor/articles/?page=9223372036854775807", "/editor/topics/?page=abc"):
        assert client.get(url).status_code == 404


def test_scheduling_beyond_ten_years_is_a_form_error(client, login, editor, make_article):
    article = make_article(status=ArticleStatus.DRAFT)
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}",
        data={
            "action": "schedule",
            "title": article.title,
            "slug": article.slug,
            "brief": article.brief,
            "body": article.body_md,
            "author_id": article.author_id,
            "version": article.version,
            "publish_date": "9999-12-31",
            "publish_time": "23:59",
        },
    )
    assert response.status_code == 200
    assert "within the next ten years" in response.get_data(as_text=True) or (
        "within ten years" in response.get_data(as_text=True)
    )


def test_a_slug_saved_under_a_longer_limit_is_kept_but_a_new_one_is_measured(
    client, login, editor, make_article
):
    long_slug = "-".join(["harbour"] * 20)  # 159 characters, as an earlier limit allowed
    article = make_article(status=ArticleStatus.DRAFT, slug=long_slug)
    login(editor)
    url = f"/editor/articles/{article.id}"
    kept = article_form(slug=long_slug, title="Renamed", author_id=editor.id, version=1)
    response = client.post(url, data=kept)
    assert response.status_code == 302, html_of(response)
    db.session.rollback()
    assert db.session.get(Article, article.id).title == "Renamed"
    longer = article_form(slug="a" * 81, author_id=editor.id, version=2)
    response = client.post(url, data=longer)
    assert response.status_code == 200 and "At most 80 characters." in html_of(response)
    db.session.rollback()
    assert db.session.get(Article, article.id).slug == long_slug
