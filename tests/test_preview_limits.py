"""What bounds the editor's Preview button: any form it is sent (fields missing), a body
longer than the editor takes, a writer pressing it over and over, and an article with
hundreds of topics; with the cap on topics a save now enforces."""

import pytest
from limits import parse
from sqlalchemy import func, insert, select

from blog.editor.preview import MAX_PREVIEW_CHARACTERS, PREVIEW_RATE_LIMIT
from blog.extensions import db
from blog.models import Article, Role, Topic
from blog.models.taxonomy import article_topics
from blog.services import articles, publishing
from blog.services.publishing import (
    MAX_TOPICS,
    TOO_MANY_TOPICS,
    ArticleChanges,
    ArticleRejected,
)
from tests.security_helpers import signed_in

BANNER = 'class="preview-banner"'
ARTICLE_FORM = {
    "title": "Night trams",
    "slug": "night-trams",
    "brief": "Trams all night from May.",
    "body": "The *first* tram leaves at midnight.",
    "topic_ids": [],
    "new_topics": "Transit",
    "coauthor_1": "",
    "comments_open": "y",
    "pending_cover_id": "",
    "cover_alt": "",
    "cover_caption": "",
    "remove_cover": "",
    "body_image_alt": "",
    "version": "",
    "publish_date": "",
    "publish_time": "",
}
PAGE_FORM = {
    "title": "About us",
    "slug": "about-us",
    "summary": "Who we are.",
    "body": "We *answer* letters.",
    "show_byline": "y",
    "show_updated": "y",
    "pending_cover_id": "",
    "cover_alt": "",
    "cover_caption": "",
    "remove_cover": "",
    "body_image_alt": "",
    "version": "",
}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def many_topics(count: int) -> list[Topic]:
    """`count` topics, written at once."""
    start = db.session.scalar(select(func.count(Topic.id)))
    db.session.execute(
        insert(Topic),
        [{"name": f"Topic {n}", "slug": f"topic-{n}"} for n in range(start, start + count)],
    )
    db.session.commit()
    return list(db.session.scalars(select(Topic).order_by(Topic.id)))[start:]


# ---------- Any form ----------


@pytest.mark.parametrize("missing", ["every field", *ARTICLE_FORM, "author_id", "section_id"])
def test_an_article_preview_stands_any_missing_field(app, admin, make_article, make_topic, missing):
    story = make_article("Trams", topics=[make_topic("Transport")])
    form = ARTICLE_FORM | {
        "author_id": str(admin.id),
        "section_id": str(story.section_id),
        "topic_ids": [str(story.topics[0].id)],
        "version": str(story.version),
    }
    sent = {} if missing == "every field" else {k: v for k, v in form.items() if k != missing}
    client = signed_in(app, admin)
    for url in (f"/editor/articles/{story.id}", "/editor/articles/new"):
        response = client.post(url, data=sent | {"action": "preview"})
        assert response.status_code == 200, (url, missing)
        assert BANNER in html_of(response)
    if missing in ("every field", "title"):  # the new article's
        assert "<h1>(No title yet)</h1>" in html_of(response)
        assert "<li>Title: Give the article a title.</li>" in html_of(response)


@pytest.mark.parametrize("missing", ["every field", *PAGE_FORM])
def test_a_page_preview_stands_any_missing_field(app, admin, missing):
    sent = {} if missing == "every field" else {k: v for k, v in PAGE_FORM.items() if k != missing}
    response = signed_in(app, admin).post("/editor/pages/new", data=sent | {"action": "preview"})
    assert response.status_code == 200 and BANNER in html_of(response), missing
    if missing in ("every field", "title"):
        assert "<h1>(No title yet)</h1>" in html_of(response)
        assert "<li>Title: Give the page a title.</li>" in html_of(response)


def test_problems_name_their_field(client, login, editor):
    login(editor)
    page = html_of(
        client.post(
            "/editor/articles/new",
            data={
                "slug": "Not A Slug",
                "brief": "Long. " * 60,
                "pending_cover_id": "x",
                "action": "preview",
            },
        )
    )
    assert "<li>Title: Give the article a title.</li>" in page
    assert "<li>Address (slug): Use lowercase letters, digits and single hyphens.</li>" in page
    assert "<li>Brief: The brief can be at most 300 characters long.</li>" in page
    # A hidden field has no label a writer knows: its message stands alone.
    assert "Pending Cover Id" not in page and "<li>Not a number we sent.</li>" in page


# ---------- A body longer than the editor takes ----------


@pytest.mark.parametrize("url", ["/editor/articles/new", "/editor/pages/new"])
def test_the_preview_draws_at_most_the_longest_body_a_save_takes(client, login, editor, url):
    login(editor)
    words = "word " * (MAX_PREVIEW_CHARACTERS // 5)
    response = client.post(
        url, data={"title": "Long", "body": words + "TAILMARK", "action": "preview"}
    )
    page = html_of(response)
    assert response.status_code == 200 and BANNER in page
    assert "TAILMARK" not in page and page.count("word") >= MAX_PREVIEW_CHARACTERS // 5 - 1
    assert "<li>Body: Field cannot be longer than 200000 characters.</li>" in page
    assert "The preview shows the body’s first 200,000 characters." in page


# ---------- Pressed over and over ----------


def test_the_preview_button_has_a_rate_limit_per_writer(app, editor, make_user):
    client = signed_in(app, editor)
    form = {"title": "Again", "body": "Words.", "action": "preview"}
    for _ in range(parse(PREVIEW_RATE_LIMIT).amount):
        assert client.post("/editor/articles/new", data=form).status_code == 200
    # Both editors count against one limit; the refusal is a page that says what to do.
    refused = client.post("/editor/pages/new", data=form)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many previews" in html_of(refused)
    assert "Your text is still in the editor’s tab" in html_of(refused)
    assert BANNER not in html_of(refused)
    assert client.post("/editor/articles/new", data=form).status_code == 429
    # The other buttons, the live preview and other writers are not held back.
    saved = client.post("/editor/articles/new", data=form | {"action": "save"})
    assert saved.status_code == 302
    assert client.post("/editor/preview", json={"body": "Hi"}).status_code == 200
    other = signed_in(app, make_user(Role.EDITOR))
    assert other.post("/editor/articles/new", data=form).status_code == 200


# ---------- Hundreds of topics ----------


def test_a_save_refuses_more_topics_than_the_cap(app, editor):
    topics = many_topics(MAX_TOPICS + 1)
    changes = ArticleChanges(title="Everything", topic_ids=[t.id for t in topics])
    with pytest.raises(ArticleRejected) as refused:
        publishing.create_article(changes, actor=editor)
    assert refused.value.errors == {"topic_ids": TOO_MANY_TOPICS}
    with pytest.raises(ArticleRejected):
        publishing.create_article(
            ArticleChanges(
                title="Everything",
                topic_ids=[t.id for t in topics[: MAX_TOPICS - 1]],
                new_topic_names=["One more", "And another"],
            ),
            actor=editor,
        )
    assert db.session.scalar(select(func.count(Article.id))) == 0
    kept = publishing.create_article(
        ArticleChanges(title="Enough", topic_ids=[t.id for t in topics[:MAX_TOPICS]]), actor=editor
    )
    assert len(kept.topics) == MAX_TOPICS


def test_the_editor_shows_the_topic_cap_beside_the_topics(client, login, editor):
    topics = many_topics(MAX_TOPICS + 1)
    login(editor)
    response = client.post(
        "/editor/articles/new",
        data={"title": "Everything", "topic_ids": [str(t.id) for t in topics], "action": "save"},
    )
    assert response.status_code == 200 and "Please correct the error below" in html_of(response)
    assert f'<ul class="field-errors" id="topic_ids-errors"><li>{TOO_MANY_TOPICS}</li>' in (
        html_of(response)
    )
    assert db.session.scalar(select(func.count(Article.id))) == 0
    enough = client.post(
        "/editor/articles/new",
        data={
            "title": "Enough",
            "topic_ids": [str(t.id) for t in topics[:MAX_TOPICS]],
            "action": "save",
        },
    )
    assert enough.status_code == 302
    preview = client.post(
        "/editor/articles/new",
        data={"title": "Everything", "topic_ids": [str(t.id) for t in topics], "action": "preview"},
    )
    assert preview.status_code == 200 and f"<li>Topics: {TOO_MANY_TOPICS}</li>" in html_of(preview)


def test_an_article_with_hundreds_of_topics_still_shows(app, client, login, editor, make_article):
    topics = many_topics(600)
    story = make_article("Everything at once")
    db.session.execute(
        insert(article_topics), [{"article_id": story.id, "topic_id": t.id} for t in topics]
    )
    db.session.commit()
    near = make_article("Shares its first topic", topics=[topics[0]])
    make_article("Newer and unrelated")
    public = client.get(f"/articles/{story.slug}")
    assert public.status_code == 200 and "Everything at once" in html_of(public)
    assert articles.related_articles(db.session.get(Article, story.id))[0] == near
    login(editor)
    preview = client.post(
        f"/editor/articles/{story.id}",
        data={
            "title": "Everything at once",
            "topic_ids": [str(t.id) for t in topics],
            "new_topics": ", ".join(f"F{n}" for n in range(60)),
            "version": str(story.version),
            "action": "preview",
        },
    )
    assert preview.status_code == 200 and f"<li>Topics: {TOO_MANY_TOPICS}</li>" in html_of(preview)
    # However many a hand-made form names, the preview looks up no more than a save takes.
    flood = client.post(
        f"/editor/articles/{story.id}",
        data={
            "title": "Flood",
            "topic_ids": [str(n) for n in range(1, 40_000)],
            "new_topics": ",".join(f"n{n}" for n in range(20_000)),
            "action": "preview",
        },
    )
    assert flood.status_code == 200 and "<h1>Flood</h1>" in html_of(flood)
    assert html_of(flood).count('rel="tag"') == MAX_TOPICS
    assert html_of(flood).count('class="topic-unsaved"') == MAX_TOPICS


def test_an_article_over_the_cap_already_keeps_its_topics_but_gains_none(app, editor, make_article):
    """An imported article (or one older than the cap) with more topics than the cap may
    still be saved, unpublished or trimmed; it may not grow."""
    topics = many_topics(MAX_TOPICS + 10)
    story = make_article("Imported with every tag")
    db.session.execute(
        insert(article_topics), [{"article_id": story.id, "topic_id": t.id} for t in topics]
    )
    db.session.commit()
    db.session.expire_all()
    story = db.session.get(Article, story.id)
    kept = [t.id for t in topics]

    def save(topic_ids, new_names=(), action=publishing.Action.SAVE):
        article = db.session.get(Article, story.id)
        changes = ArticleChanges(
            title=article.title,
            body=article.body_md,
            brief=article.brief,
            slug=article.slug,
            topic_ids=topic_ids,
            new_topic_names=list(new_names),
            author_ids=[article.author_id],
        )
        return publishing.update_article(
            article, changes, actor=editor, expected_version=article.version, action=action
        )

    assert len(save(kept, action=publishing.Action.UNPUBLISH).topics) == MAX_TOPICS + 10
    assert len(save(kept[:-3]).topics) == MAX_TOPICS + 7
    with pytest.raises(ArticleRejected) as grown:
        save(kept[:-3], new_names=["One more"])
    assert grown.value.errors == {"topic_ids": TOO_MANY_TOPICS}
    with pytest.raises(ArticleRejected):
        save([*kept[:-3], *[t.id for t in many_topics(1)]])
