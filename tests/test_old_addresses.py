"""Old addresses: a renamed article, section, topic or author keeps its old slug as a 301
that nobody else may take, and the redirect carries only the page's own query keys."""

import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Article, ArticleStatus, OldSlug, Role, Section, SlugKind, Topic
from blog.services import profiles, shares, taxonomy, users
from blog.services.publishing import ArticleChanges, update_article
from tests.security_helpers import signed_in
from tests.test_editor_articles import article_form, html_of


def old_slugs() -> set[tuple[str, str, int]]:
    db.session.rollback()  # see the commits of the requests
    return {
        (row.kind.value, row.slug, row.target_id) for row in db.session.scalars(select(OldSlug))
    }


def redirects_to(client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301, old
    assert response.headers["Location"] == new


def rename_article(article, editor, slug: str) -> None:
    changes = ArticleChanges(
        title=article.title,
        brief=article.brief,
        body=article.body_md,
        slug=slug,
        section_id=article.section_id,
        topic_ids=[t.id for t in article.topics],
    )
    update_article(article, changes, actor=editor, expected_version=article.version)


# ------------------------------------------------------------- takeovers


def test_an_author_cannot_take_a_colleagues_old_author_address(
    app, client, author, make_user, make_article
):
    colleague = make_user(name="Grace Hopper", slug="grace")
    make_article(author=colleague)  # an author page is public once it has a story
    profiles.update_profile(colleague, display_name="Grace Hopper", bio="", slug="grace-hopper")
    me = signed_in(app, author)
    response = me.post(
        "/editor/profile", data={"display_name": "Ada Typed", "bio": "My bio.", "slug": "grace"}
    )
    assert response.status_code == 200
    page = html_of(response)
    assert "still leads to the person who used to have it" in page
    assert 'value="Ada Typed"' in page and 'value="grace"' in page and "My bio." in page
    assert old_slugs() == {("author", "grace", colleague.id)}
    redirects_to(client, "/author/grace", "/author/grace-hopper")

    # A new colleague named the same gets a suffix, not the address.
    newcomer = users.invite_user("grace2@byline.test", "Grace", Role.AUTHOR)
    assert newcomer.slug == "grace-2"
    # The owner may take the address back.
    profiles.update_profile(colleague, display_name="Grace Hopper", bio="", slug="grace")
    assert old_slugs() == {("author", "grace-hopper", colleague.id)}
    assert client.get("/author/grace").status_code == 200


def test_a_draft_cannot_take_a_renamed_articles_old_address(
    app, client, author, editor, make_article
):
    live = make_article("Tram strike ends", slug="tram-strike")
    rename_article(live, editor, "tram-strike-ends")
    writer = signed_in(app, author)
    response = writer.post(
        "/editor/articles/new", data=article_form(title="My typed title", slug="tram-strike")
    )
    assert response.status_code == 200
    page = html_of(response)
    assert "still leads to the article that used to have it" in page
    assert 'value="My typed title"' in page and 'value="tram-strike"' in page

    # A slug made from the title steps around the old address.
    response = writer.post("/editor/articles/new", data=article_form(title="Tram strike"))
    assert response.status_code == 302
    assert old_slugs() == {("article", "tram-strike", live.id)}
    redirects_to(client, "/articles/tram-strike", "/articles/tram-strike-ends")


@pytest.mark.parametrize("kind", ["section", "topic"])
def test_a_section_or_topic_cannot_take_anothers_old_address(
    app, client, editor, make_section, make_topic, make_article, kind
):
    make = make_section if kind == "section" else make_topic
    update = taxonomy.update_section if kind == "section" else taxonomy.update_topic
    renamed = make("Harbour", slug="harbour")
    make_article(**({"section": renamed} if kind == "section" else {"topics": [renamed]}))
    update(renamed, "Harbour", "port", "")
    staff = signed_in(app, editor)
    response = staff.post(
        f"/editor/{kind}s/new", data={"name": "Harbour works", "slug": "harbour", "description": ""}
    )
    assert response.status_code == 200
    page = html_of(response)
    assert f"still leads to the {kind} that used to have it" in page
    assert 'value="Harbour works"' in page and 'value="harbour"' in page

    other = make(f"Other {kind}", slug="other")
    with pytest.raises(taxonomy.TaxonomyError, match="still leads"):
        update(other, other.name, "harbour", "")
    db.session.rollback()
    assert update(other, "Harbour!", None, "").slug == "other"  # a rename keeps its address
    response = staff.post(f"/editor/{kind}s/new", data={"name": "Harbour.", "description": ""})
    assert response.status_code == 302
    model = Section if kind == "section" else Topic
    assert db.session.scalar(select(model.slug).where(model.name == "Harbour.")) == "harbour-2"
    assert old_slugs() == {(kind, "harbour", renamed.id)}
    redirects_to(client, f"/{kind}/harbour", f"/{kind}/port")


def test_a_topic_made_from_a_draft_steps_around_an_old_topic_address(
    client, editor, make_topic, make_article
):
    renamed = make_topic("Climate change", slug="climate-change")
    make_article(topics=[renamed])
    taxonomy.update_topic(renamed, "Climate", "climate", "")
    draft = make_article("Draft", status=ArticleStatus.DRAFT)
    changes = ArticleChanges(
        title="Draft", section_id=draft.section_id, new_topic_names=["Climate Change!"]
    )
    update_article(draft, changes, actor=editor, expected_version=draft.version)
    assert [t.slug for t in draft.topics] == ["climate-change-2"]
    assert old_slugs() == {("topic", "climate-change", renamed.id)}
    redirects_to(client, "/topic/climate-change", "/topic/climate")


# ---------------------------------------------------- redirect parameters

URL_FOR_OPTIONS = ["_method=POST", "_scheme=http", "_external=1", "_scheme=http&_external=1"]


@pytest.fixture
def renamed(make_article, make_section, make_topic, make_user, make_comment):
    """One renamed thing of each kind: (old path, new path)."""
    section = make_section(slug="new-section")
    topic = make_topic(slug="new-topic")
    author = make_user(slug="new-author")
    article = make_article(slug="new-article", section=section, topics=[topic], author=author)
    for kind, target in (
        (SlugKind.ARTICLE, article),
        (SlugKind.SECTION, section),
        (SlugKind.TOPIC, topic),
        (SlugKind.AUTHOR, author),
    ):
        db.session.add(OldSlug(kind=kind, slug=f"old-{kind.value}", target_id=target.id))
    db.session.commit()
    return {
        "article": ("/articles/old-article", "/articles/new-article"),
        "section": ("/section/old-section", "/section/new-section"),
        "topic": ("/topic/old-topic", "/topic/new-topic"),
        "author": ("/author/old-author", "/author/new-author"),
    }


@pytest.mark.parametrize("options", URL_FOR_OPTIONS)
@pytest.mark.parametrize("kind", ["article", "section", "topic", "author"])
def test_query_keys_are_not_url_for_options(app, client, renamed, kind, options):
    # As deployed: no SERVER_NAME, so an absolute URL would take the request's Host.
    app.config["SERVER_NAME"] = None
    old, new = renamed[kind]
    response = client.get(f"{old}?{options}", headers={"Host": "evil.example"})
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_the_pages_own_query_keys_are_kept(client, renamed):
    redirects_to(
        client, "/section/old-section?page=2&_anchor=x&utm=y", "/section/new-section?page=2"
    )
    redirects_to(
        client,
        "/articles/old-article?comments=2&reply=7&_method=POST",
        "/articles/new-article?comments=2&reply=7",
    )


def test_an_old_address_leads_only_to_what_is_public_now(client, renamed):
    """Unpublishing the article hides it, its topic and its author (who have no other):
    their old addresses must not give away where they went."""
    db.session.execute(update(Article).values(status=ArticleStatus.DRAFT))
    db.session.commit()
    for kind in ("article", "topic", "author"):
        old = renamed[kind][0]
        assert client.get(old).status_code == 404, kind
    redirects_to(client, *renamed["section"])


def test_an_old_address_a_draft_lives_under_leads_nowhere(app, client, renamed, make_article):
    """A draft's address is not public, so neither the article page nor a share button
    there may lead on to the article that once had it."""
    assert shares.find_article("old-article").slug == "new-article"
    make_article("Draft", slug="old-article", status=ArticleStatus.DRAFT)
    assert client.get("/articles/old-article").status_code == 404
    assert shares.find_article("old-article") is None
    redirects_to(client, *renamed["section"])
