"""Articles by several authors: the byline, JSON-LD, the feed, author pages and the newsroom,
who may edit a co-written draft, and the editor form's ordered author list."""

import json
import re
from xml.etree import ElementTree

import pytest

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import Article, ArticleStatus
from blog.services import articles, bylines
from blog.services.publishing import (
    ArticleChanges,
    ArticleRejected,
    create_article,
    update_article,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def byline_of(page: str) -> str:
    """The byline's text, tags and spacing dropped."""
    block = re.search(r'<div class="byline">(.*?)<span class="byline-details">', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", block[1]).split()).replace(" ,", ",")


def json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found[1])


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


@pytest.fixture
def people(make_user):
    return [
        make_user(name=name, slug=name.split()[0].lower())
        for name in ("Ana Lead", "Ben Second", "Cleo Third")
    ]


# ---------------------------------------------------------------- what readers see


def test_bylines_credit_one_two_or_three_authors(client, make_article, people):
    ana, ben, cleo = people
    solo = make_article("Solo", author=ana)
    pair = make_article("Pair", author=ana, coauthors=[ben])
    trio = make_article("Trio", author=cleo, coauthors=[ana, ben])

    page = html(client.get(f"/articles/{solo.slug}"))
    assert byline_of(page) == "AL Ana Lead"  # the avatar's initials, then the name
    assert '<a class="byline-author" href="/author/ana">' in page

    page = html(client.get(f"/articles/{pair.slug}"))
    assert byline_of(page) == "AL BS By Ana Lead and Ben Second"
    for person in (ana, ben):
        assert f'class="byline-name" href="/author/{person.slug}" dir="auto">' in page

    page = html(client.get(f"/articles/{trio.slug}"))
    assert byline_of(page) == "CT AL BS By Cleo Third, Ana Lead and Ben Second"
    # A card for each, in byline order, after the body.
    cards = page[page.index('class="author-card author-cards"') :]
    names = re.findall(r'<h3 class="author-card-name"><a href="/author/(\w+)"', cards)
    assert names == ["cleo", "ana", "ben"]
    # Listings name everyone too.
    front = html(client.get("/"))
    assert "<bdi>Cleo Third</bdi>, <bdi>Ana Lead</bdi> and <bdi>Ben Second</bdi>" in front


def test_json_ld_and_the_feed_list_every_author_in_order(client, make_article, people):
    ana, ben, cleo = people
    trio = make_article("Trio", author=cleo, coauthors=[ana, ben])

    authors = json_ld(html(client.get(f"/articles/{trio.slug}")))["author"]
    assert [(a["@type"], a["name"]) for a in authors] == [
        ("Person", "Cleo Third"),
        ("Person", "Ana Lead"),
        ("Person", "Ben Second"),
    ]
    assert authors[1]["url"].endswith("/author/ana")

    feed = ElementTree.fromstring(client.get("/feed.xml").data)
    (entry,) = feed.findall(f"{ATOM}entry")
    names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert names == ["Cleo Third", "Ana Lead", "Ben Second"]


def test_author_pages_and_the_newsroom_count_co_written_stories(client, make_article, people):
    ana, ben, cleo = people
    make_article("Ana alone", author=ana)
    make_article("Written together", author=ana, coauthors=[ben])
    make_article("A draft together", author=ana, coauthors=[cleo], status=ArticleStatus.DRAFT)

    page = html(client.get(f"/author/{ben.slug}"))
    assert "Written together" in page and "Ana alone" not in page
    # Someone credited only on a draft has no public page yet.
    assert client.get(f"/author/{cleo.slug}").status_code == 404
    counts = {entry.person.slug: entry.article_count for entry in articles.newsroom()}
    assert counts == {"ana": 2, "ben": 1}
    assert f"/author/{ben.slug}" in html(client.get("/sitemap.xml"))
    assert f"/author/{cleo.slug}" not in html(client.get("/sitemap.xml"))


# ---------------------------------------------------------------- who may edit


def test_a_co_author_edits_a_draft_but_not_a_published_article(client, login, make_article, people):
    ana, ben, cleo = people
    draft = make_article("Our draft", author=ana, coauthors=[ben], status=ArticleStatus.DRAFT)
    live = make_article("Our story", author=ana, coauthors=[ben])
    login(ben)
    assert client.get(f"/editor/articles/{draft.id}").status_code == 200
    response = client.post(
        f"/editor/articles/{draft.id}",
        data={"title": "Our better draft", "version": "1", "action": "save"},
    )
    assert response.status_code == 302
    saved = fresh(draft)
    assert saved.title == "Our better draft"
    assert [person.slug for person in saved.authors] == ["ana", "ben"]  # kept as it was
    assert client.get(f"/editor/articles/{live.id}").status_code == 403
    # The co-written draft is on the co-author's own lists.
    assert "Our better draft" in html(client.get("/editor/"))
    listed = html(client.get("/editor/articles/"))
    assert "Our better draft" in listed and "Ana Lead, Ben Second" in listed


def test_someone_not_credited_cannot_edit_the_draft(client, login, make_article, people):
    ana, ben, cleo = people
    draft = make_article("Our draft", author=ana, coauthors=[ben], status=ArticleStatus.DRAFT)
    login(cleo)
    assert client.get(f"/editor/articles/{draft.id}").status_code == 403
    response = client.post(f"/editor/articles/{draft.id}", data={"title": "Mine now"})
    assert response.status_code == 403
    assert "Our draft" not in html(client.get("/editor/articles/"))


def test_a_writer_changes_the_co_authors_but_not_the_lead(client, login, make_article, people):
    ana, ben, cleo = people
    draft = make_article("Our draft", author=ana, coauthors=[ben], status=ArticleStatus.DRAFT)
    login(ben)
    # The lead author's select is not there; one sent anyway changes nothing.
    page = html(client.get(f"/editor/articles/{draft.id}"))
    assert 'name="author_id"' not in page and 'name="coauthor_1"' in page
    response = client.post(
        f"/editor/articles/{draft.id}",
        data={
            "title": "Our draft",
            "author_id": str(cleo.id),
            "coauthor_1": str(cleo.id),
            "coauthor_2": str(ben.id),
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert [person.slug for person in fresh(draft).authors] == ["ana", "cleo", "ben"]

    article = fresh(draft)
    for author_ids in ([ben.id, ana.id], [cleo.id], [ben.id]):
        with pytest.raises(NotAllowed):
            update_article(
                article,
                ArticleChanges(title="Our draft", author_ids=author_ids),
                actor=ben,
                expected_version=article.version,
            )
    assert fresh(draft).author_id == ana.id


def test_editors_reorder_the_authors(client, login, editor, make_article, people):
    ana, ben, cleo = people
    article = make_article("Trio", author=ana, coauthors=[ben, cleo])
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}",
        data={
            "title": "Trio",
            "brief": article.brief,
            "author_id": str(cleo.id),
            "coauthor_1": "",  # blanks are skipped
            "coauthor_2": str(ben.id),
            "coauthor_3": str(ana.id),
            "coauthor_4": "",
            "coauthor_5": "",
            "version": "1",
        },
    )
    assert response.status_code == 302
    saved = fresh(article)
    assert [person.slug for person in saved.authors] == ["cleo", "ben", "ana"]
    assert [link.position for link in saved.coauthor_links] == [1, 2]
    page = html(client.get(f"/editor/articles/{article.id}"))
    assert re.search(rf'name="coauthor_1"[^>]*>.*?<option selected value="{ben.id}"', page, re.S)


# ---------------------------------------------------------------- refused lists


@pytest.mark.parametrize(
    "fields",
    [
        {"coauthor_1": "999999"},
        {"coauthor_1": "not a number"},
        {"coauthor_1": "{lead}"},  # the lead again
        {"coauthor_1": "{ben}", "coauthor_2": "{ben}"},  # a repeat
    ],
)
def test_a_refused_author_list_reshows_the_form(client, login, editor, people, fields):
    ana, ben, cleo = people
    login(editor)
    values = {name: value.format(lead=ana.id, ben=ben.id) for name, value in fields.items()}
    response = client.post(
        "/editor/articles/new",
        data={"title": "Typed by hand", "author_id": str(ana.id), "action": "save", **values},
    )
    page = html(response)
    assert "Typed by hand" in page
    messages = ("Not a valid choice", "Invalid Choice: could not coerce", bylines.REPEATED)
    assert any(message in page for message in messages)
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_the_service_refuses_empty_long_repeated_or_inactive_lists(editor, make_user, people):
    ana, ben, cleo = people
    more = [make_user() for _ in range(4)]
    gone = make_user(name="Former Staffer", active=False)
    refusals = {
        bylines.NO_AUTHOR: [],
        bylines.TOO_MANY: [person.id for person in (*people, *more)],
        bylines.REPEATED: [ana.id, ben.id, ana.id],
        bylines.NOT_ACTIVE: [ana.id, gone.id],
    }
    refusals_missing = {bylines.NOT_ACTIVE: [ana.id, 999999]}
    for message, author_ids in [*refusals.items(), *refusals_missing.items()]:
        with pytest.raises(ArticleRejected) as refused:
            create_article(ArticleChanges(title="Story", author_ids=author_ids), actor=editor)
        assert refused.value.errors == {"authors": message}, author_ids
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_someone_who_left_keeps_the_credit_they_have(editor, make_article, make_user, people):
    ana, ben, cleo = people
    gone = make_user(name="Former Staffer", active=False)
    article = make_article("Old scoop", author=ana, coauthors=[gone])
    update_article(
        article,
        ArticleChanges(title="Old scoop", brief="b", author_ids=[ana.id, ben.id, gone.id]),
        actor=editor,
        expected_version=1,
    )
    assert [person.display_name for person in fresh(article).authors] == [
        "Ana Lead",
        "Ben Second",
        "Former Staffer",
    ]


def test_editors_choose_a_lead_author_who_was_a_co_author(editor, make_article, people):
    ana, ben, cleo = people
    article = make_article("Swap", author=ana, coauthors=[ben, cleo])
    update_article(
        article,
        ArticleChanges(title="Swap", brief="b", author_ids=[ben.id, ana.id]),
        actor=editor,
        expected_version=1,
    )
    saved = fresh(article)
    assert [person.slug for person in saved.authors] == ["ben", "ana"]
    assert ben not in saved.coauthors
