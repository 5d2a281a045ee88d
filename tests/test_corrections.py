"""Corrections and updates: added and retracted by editors, shown on the article page, on
/corrections, in the JSON-LD and the Atom feed, never deleted, always audited."""

import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import ArticleStatus, AuditEntry, Correction, CorrectionKind
from blog.models.base import utcnow
from blog.services import corrections, pages, settings
from blog.services.corrections import MAX_REASON_LENGTH, MAX_TEXT_LENGTH, CorrectionRejected


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def json_ld(page: BeautifulSoup) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


def add(article, editor, text="The mayor's name is Ana Ruiz, not Ana Ruis.", kind="correction"):
    return corrections.add_correction(article, editor, kind, text)


@pytest.fixture
def story(make_article):
    return make_article("The harbour reopens", slug="harbour", body="Ferries return **today**.")


def edit_page(client, article_id: int) -> BeautifulSoup:
    return soup(client.get(f"/editor/articles/{article_id}"))


# ---------- adding, through the editor ----------


def test_an_editor_adds_a_correction_and_readers_see_it_below_the_text(
    client, login, editor, story
):
    login(editor)
    response = client.post(
        f"/editor/articles/{story.id}/corrections",
        data={"correction_kind": "correction", "correction_text": "The *ferry* is the Osprey."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/editor/articles/{story.id}#corrections")
    editor_page = soup(client.get(response.headers["Location"]))
    assert "Correction published on the article." in editor_page.select_one(".flashes").text
    assert "Osprey" in editor_page.select_one("#corrections .correction-list").text

    page = soup(client.get("/articles/harbour"))
    block = page.select_one("section.corrections")
    note = block.select_one("li.correction")
    assert note.select_one(".correction-kind").text == "Correction"
    assert note.select_one(".correction-body em").text == "ferry"
    assert "Eddie Editor" in note.select_one(".correction-signature").text
    stamp = note.select_one(".correction-meta time")
    created = db.session.scalar(select(Correction.created_at))
    assert stamp["datetime"] == created.isoformat(timespec="seconds")
    assert stamp.text.endswith(created.strftime("%H:%M UTC"))  # date and time, site clock
    assert block.select_one("a[href='/corrections']") is not None
    # Below the article's text by default (the setting "bottom").
    order = [tag.name + "." + " ".join(tag.get("class", [])) for tag in page.select("article > *")]
    assert order.index("div.article-body") < order.index("section.corrections corrections-bottom")


def test_the_setting_puts_the_notes_above_the_text(client, editor, story):
    add(story, editor)
    settings.update(corrections_position="top")
    body = client.get("/articles/harbour").get_data(as_text=True)
    assert body.index('class="corrections corrections-top"') < body.index('class="article-body"')
    settings.update(corrections_position="bottom")
    body = client.get("/articles/harbour").get_data(as_text=True)
    assert body.index('class="article-body"') < body.index('class="corrections corrections-bottom"')


def test_updates_and_corrections_are_labelled_and_in_order(client, editor, story):
    add(story, editor, "First: the date was wrong.")
    add(story, editor, "Second: the port confirmed the timetable.", kind="update")
    page = soup(client.get("/articles/harbour"))
    labels = [tag.text for tag in page.select("section.corrections .correction-kind")]
    assert labels == ["Correction", "Update"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("   ", "Write the correction or update first."),
        ("x" * (MAX_TEXT_LENGTH + 1), f"At most {MAX_TEXT_LENGTH:,} characters, please."),
    ],
)
def test_an_empty_or_long_text_is_refused_and_kept(client, login, editor, story, text, message):
    login(editor)
    response = client.post(
        f"/editor/articles/{story.id}/corrections",
        data={"correction_kind": "update", "correction_text": text},
    )
    page = soup(response)
    form = page.select_one("form.correction-form")
    assert message in form.text
    assert form.select_one("textarea[name=correction_text]").text.lstrip() == text.strip()
    assert form.select_one("input[value=update]").has_attr("checked")
    assert db.session.scalar(select(func.count(Correction.id))) == 0


def test_a_draft_or_scheduled_article_cannot_get_one(client, login, editor, make_article):
    draft = make_article(status=ArticleStatus.DRAFT)
    scheduled = make_article(published_at=utcnow() + timedelta(days=1))
    for article in (draft, scheduled):
        with pytest.raises(CorrectionRejected, match="published articles"):
            add(article, editor)
    login(editor)
    response = client.post(
        f"/editor/articles/{draft.id}/corrections",
        data={"correction_kind": "correction", "correction_text": "Kept words."},
    )
    page = soup(response)
    assert "Corrections and updates go on published articles" in page.text
    assert page.select_one("textarea[name=correction_text]").text.strip() == "Kept words."
    assert db.session.scalar(select(func.count(Correction.id))) == 0


def test_authors_cannot_add_nor_retract(client, login, author, editor, make_article):
    own = make_article(author=author)
    note = add(own, editor)
    with pytest.raises(NotAllowed):
        add(own, author)
    with pytest.raises(NotAllowed):
        corrections.retract(note, author, "Mine to take back.")
    login(author)
    data = {"correction_kind": "correction", "correction_text": "Sneaky."}
    assert client.post(f"/editor/articles/{own.id}/corrections", data=data).status_code == 403
    retracted = client.post(
        f"/editor/corrections/{note.id}/retract", data={"retraction_reason": "No."}
    )
    assert retracted.status_code == 403
    db.session.expire_all()
    assert note.retracted_at is None
    assert db.session.scalar(select(func.count(Correction.id))) == 1


# ---------- retracting ----------


def test_a_retraction_leaves_a_visible_trace_and_is_audited(client, login, editor, admin, story):
    note = add(story, editor, "The bridge closes at *noon*.")
    login(admin)
    response = client.post(
        f"/editor/corrections/{note.id}/retract",
        data={"retraction_reason": "The bridge schedule was right all along."},
    )
    assert response.status_code == 302
    assert "retracted; it stays listed" in soup(client.get(response.headers["Location"])).text

    reader = client.application.test_client()
    pages = [soup(reader.get(path)) for path in ("/articles/harbour", "/corrections")]
    for page in [*pages, edit_page(client, story.id)]:
        item = page.select_one(f"#correction-{note.id}")
        assert "is-retracted" in item["class"]
        trace = " ".join(item.select_one(".correction-retraction").text.split())
        assert trace.startswith("Retracted on ")
        assert trace.endswith(" by Alma Admin: The bridge schedule was right all along.")
        assert "— Eddie Editor" in item.text  # still signed by its writer
        assert item.select_one("del.correction-body em").text == "noon"  # kept, struck
        assert not item.select("details.correction-retract")

    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.target, AuditEntry.actor_name).order_by(AuditEntry.id)
    ).all()
    target = f"correction {note.id} on “The harbour reopens”"
    assert [row for row in actions if row.action.startswith("correction.")] == [
        ("correction.add", target, "Eddie Editor"),
        ("correction.retract", target, "Alma Admin"),
    ]
    with pytest.raises(CorrectionRejected, match="already retracted"):
        corrections.retract(note, editor, "Again.")


def test_a_retraction_needs_a_short_reason_and_keeps_what_was_typed(client, login, editor, story):
    note = add(story, editor)
    login(editor)
    url = f"/editor/corrections/{note.id}/retract"
    for reason, message in (
        ("", "Say why it is retracted."),
        ("y" * (MAX_REASON_LENGTH + 1), f"At most {MAX_REASON_LENGTH:,} characters, please."),
    ):
        page = soup(client.post(url, data={"retraction_reason": reason}))
        box = page.select_one(f"#correction-{note.id} details.correction-retract")
        assert box.has_attr("open") and message in box.text
        assert box.select_one("textarea").text == reason
    db.session.expire_all()
    assert note.retracted_at is None and note.retraction_reason == ""


def test_there_is_no_way_to_edit_or_delete_a_note(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if "correction" in e} == {
        "editor.correction_create",
        "editor.correction_retract",
        "public.corrections",
    }


# ---------- /corrections ----------


def test_the_corrections_page_lists_public_notes_newest_first(
    app, client, editor, story, make_article
):
    other = make_article("Budget passes")
    hidden = make_article("Soon withdrawn")
    add(story, editor, "Oldest note.")
    add(other, editor, "Middle note.", kind="update")
    add(hidden, editor, "Note on a story taken down.")
    add(story, editor, "Newest note.")
    hidden.status = ArticleStatus.DRAFT
    db.session.commit()

    page = soup(client.get("/corrections"))
    items = page.select("ol.correction-index > li")
    assert [item.select_one(".correction-body").text.strip() for item in items] == [
        "Newest note.",
        "Middle note.",
        "Oldest note.",
    ]
    link = items[1].select_one(".correction-article a")
    assert (link.text, link["href"]) == ("Budget passes", f"/articles/{other.slug}")
    assert items[1].select_one(".correction-kind").text == "Update"

    app.config["PAGE_SIZE"] = 2
    second = soup(client.get("/corrections?page=2"))
    assert [i.select_one(".correction-body").text.strip() for i in second.select("ol > li")] == [
        "Oldest note."
    ]
    assert client.get("/corrections?page=3").status_code == 404
    assert client.get("/corrections?page=x").status_code == 404


def test_the_corrections_page_is_linked_and_in_the_sitemap(client):
    empty = soup(client.get("/corrections"))
    assert "No corrections or updates yet." in empty.select_one("main").text
    assert empty.select_one(".footer-nav a[href='/corrections']") is not None
    assert "http://byline.test/corrections</loc>" in client.get("/sitemap.xml").get_data(
        as_text=True
    )


def test_no_static_page_can_take_the_corrections_address(app):
    assert pages.route_holding("corrections") == "/corrections"
    assert pages.route_holding("Corrections") == "/Corrections"


# ---------- JSON-LD and Atom ----------


def test_json_ld_carries_live_corrections_and_the_newest_change(client, editor, story):
    first = add(story, editor, "Wrong **date** & <time>.")
    add(story, editor, "Timetable published.", kind="update")
    gone = add(story, editor, "A correction taken back.")
    corrections.retract(gone, editor, "It was not wrong.")

    data = json_ld(soup(client.get("/articles/harbour")))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Wrong date & <time>.",
            "datePublished": first.created_at.isoformat(timespec="seconds"),
        }
    ]
    db.session.refresh(gone)
    assert data["dateModified"] == gone.retracted_at.isoformat(timespec="seconds")


def test_json_ld_without_notes(client, story):
    data = json_ld(soup(client.get("/articles/harbour")))
    assert data["correction"] == []
    assert data["dateModified"] == story.updated_at.isoformat(timespec="seconds")


def test_the_feed_entry_is_updated_by_a_note(client, editor, story):
    def entry_updated():
        feed = feedparser.parse(client.get("/feed.xml").data)
        assert not feed.bozo
        return feed.entries[0].updated, feed.feed.updated

    before = story.updated_at.isoformat(timespec="seconds")
    assert entry_updated() == (before, before)
    note = add(story, editor, kind="update")
    after = note.created_at.isoformat(timespec="seconds")
    assert note.created_at > story.updated_at
    assert entry_updated() == (after, after)


def test_the_sitemap_dates_an_article_like_its_json_ld(client, editor, make_article, story):
    """lastmod is Article.modified_at: the newest of the last edit and the notes (added
    or retracted), as dateModified and the feed's updated say."""
    other = make_article("Other news", slug="other")

    def lastmod(slug):
        xml = client.get("/sitemap.xml").get_data(as_text=True)
        entry = xml.split(f"/articles/{slug}</loc>", 1)[1]
        return entry.split("<lastmod>", 1)[1].split("</lastmod>", 1)[0]

    assert lastmod("harbour") == story.updated_at.isoformat(timespec="seconds")
    note = add(story, editor, kind="update")
    assert lastmod("harbour") == note.created_at.isoformat(timespec="seconds")
    assert lastmod("other") == other.updated_at.isoformat(timespec="seconds")
    corrections.retract(note, editor, "Not so.")
    db.session.refresh(note)
    assert lastmod("harbour") == note.retracted_at.isoformat(timespec="seconds")
    data = json_ld(soup(client.get("/articles/harbour")))
    assert data["dateModified"] == lastmod("harbour")


# ---------- the "Updated" line ----------


@pytest.mark.parametrize(
    "updated, shown",
    [
        # Same day on the site's clock (Paris, summer time): date and time.
        (datetime(2025, 6, 21, 15, 30, tzinfo=UTC), "June 21, 2025, 17:30 CEST"),
        # The next day: the date alone.
        (datetime(2025, 6, 22, 9, 0, tzinfo=UTC), "June 22, 2025"),
        # Still June 21 in UTC, but past midnight in Paris: another day there.
        (datetime(2025, 6, 21, 22, 30, tzinfo=UTC), "June 22, 2025"),
    ],
)
def test_the_updated_line_shows_the_time_on_the_day_of_publication(
    client, make_article, updated, shown
):
    settings.update(timezone="Europe/Paris")
    published = datetime(2025, 6, 21, 7, 0, tzinfo=UTC)
    make_article(slug="tides", published_at=published, updated_at=updated)
    line = soup(client.get("/articles/tides")).select_one(".byline .updated time")
    assert line.text == shown
    assert line["datetime"] == updated.isoformat(timespec="seconds")


# ---------- the page cache ----------


def test_adding_and_retracting_retire_cached_pages(client, editor, story):
    def cached(path):
        client.get(path)
        response = client.get(path)
        assert response.headers["X-Cache"] == "hit", path
        return response

    for path in ("/articles/harbour", "/corrections"):
        cached(path)
    note = add(story, editor, "A fresh correction.")
    for path in ("/articles/harbour", "/corrections"):
        response = client.get(path)
        assert response.headers["X-Cache"] == "miss", path
        assert "A fresh correction." in response.get_data(as_text=True)
        cached(path)
    corrections.retract(note, editor, "Withdrawn after review.")
    for path in ("/articles/harbour", "/corrections"):
        response = client.get(path)
        assert response.headers["X-Cache"] == "miss", path
        assert "Withdrawn after review." in response.get_data(as_text=True)


def test_the_service_checks_the_kind(editor, story):
    with pytest.raises(CorrectionRejected, match="correction or an update"):
        add(story, editor, kind="rumour")
    assert add(story, editor, kind="update").kind == CorrectionKind.UPDATE
