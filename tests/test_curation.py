"""Front-page curation: the editors' lead, pinned top stories with expiry, the breaking
banner, and the desk at /editor/front; each change on the next page view, and audited."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from blog.domain import NotAllowed
from blog.extensions import db
from blog.jobs import expire_front_page
from blog.models import Article, ArticleStatus, AuditEntry, FrontPagePick, Role
from blog.models.base import utcnow
from blog.services import breaking, curation, frontpage, settings
from blog.services.curation import CurationRejected
from tests.security_helpers import signed_in
from tests.test_pagecache import cached_twice
from tests.xss_corpus import PAYLOADS, active_content

BANNER = 'class="breaking"'


@pytest.fixture
def desk(app, editor):
    """A client signed in as an editor (never served from the page cache)."""
    return signed_in(app, editor)


@pytest.fixture
def reader(app):
    """An anonymous reader, served from the page cache."""
    return app.test_client()


def stories(make_article, count: int, **fields) -> list[Article]:
    """Public stories, newest first."""
    return [
        make_article(f"Story {n:02d}", published_at=utcnow() - timedelta(hours=n), **fields)
        for n in range(count)
    ]


def block(html: str, marker: str) -> str:
    """The markup of the section opened by `marker` up to its end."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def curation_entries() -> list[AuditEntry]:
    """The audit log's entries of front-page and banner changes (sign-ins left out)."""
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [e for e in entries if e.action.startswith(("front.", "breaking."))]


def audit_actions() -> list[tuple[str, str]]:
    return [(entry.action, entry.target) for entry in curation_entries()]


def picks() -> list[tuple[int, bool, int]]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(FrontPagePick).order_by(FrontPagePick.is_lead, FrontPagePick.position)
    )
    return [(pick.article_id, pick.is_lead, pick.position) for pick in rows]


def expire_quietly(**values) -> None:
    """Time passes: a pick's time comes without a write any page would notice."""
    db.session.execute(
        update(FrontPagePick)
        .values(**values)
        .execution_options(page_cache_quiet=True)  # as if its time had simply come
    )
    db.session.commit()


# ----------------------------------------------------------------- the service


def test_the_lead_pick_shows_on_the_front_page_at_once(reader, editor, make_article):
    newest, older = stories(make_article, 2)
    assert "Story 00" in block(cached_twice(reader, "/").get_data(as_text=True), 'class="lead"')
    curation.set_lead(editor, older)
    page = reader.get("/")
    assert page.headers["X-Cache"] == "miss"
    html = page.get_data(as_text=True)
    assert "Story 01" in block(html, 'class="lead"')
    assert html.count(f'href="/articles/{older.slug}"') == 1  # once: in the lead only
    assert audit_actions() == [("front.lead", f"article {older.id}: Story 01")]
    # Taken off again: the automatic lead returns.
    (pick,) = db.session.scalars(select(FrontPagePick)).all()
    curation.unpin(editor, pick.id)
    assert "Story 00" in block(reader.get("/").get_data(as_text=True), 'class="lead"')
    assert audit_actions()[-1] == ("front.unpin", f"article {older.id}: Story 01")


def test_one_lead_at_a_time_and_a_pinned_story_can_become_the_lead(editor, make_article):
    first, second, third = stories(make_article, 3)
    curation.set_lead(editor, first)
    curation.pin(editor, second)
    curation.pin(editor, third)
    curation.set_lead(editor, second)  # from the top stories: the others close up
    assert picks() == [(third.id, False, 1), (second.id, True, 0)]
    curation.pin(editor, second)  # the lead back among the top stories
    assert picks() == [(third.id, False, 1), (second.id, False, 2)]
    front = frontpage.front_page([])
    assert front.top_stories == [third, second]
    assert front.lead not in front.top_stories


def test_top_stories_pin_move_place_and_unpin_in_order(editor, make_article):
    made = stories(make_article, 4)
    pinned = [curation.pin(editor, story).id for story in made]
    assert [a.id for a in frontpage.front_page([]).top_stories] == [a.id for a in made]
    curation.move(editor, pinned[2], "up")
    assert frontpage.front_page([]).top_stories == [made[0], made[2], made[1], made[3]]
    curation.move(editor, pinned[0], "up")  # already first: nothing changes, nothing recorded
    curation.update_pick(editor, pinned[3], position=1, until=None)
    assert frontpage.front_page([]).top_stories == [made[3], made[0], made[2], made[1]]
    curation.update_pick(editor, pinned[0], position=99, until=None)  # past the end: last
    assert frontpage.front_page([]).top_stories == [made[3], made[2], made[1], made[0]]
    curation.unpin(editor, pinned[2])
    assert [position for _, _, position in picks()] == [1, 2, 3]
    assert [action for action, _ in audit_actions()] == [
        *["front.pin"] * 4,
        "front.move",
        "front.move",
        "front.move",
        "front.unpin",
    ]
    entry = next(e for e in curation_entries() if e.action == "front.move")
    assert entry.actor_id == editor.id and entry.details == {"from": 3, "to": 2}


def test_at_most_the_limit_of_top_stories(editor, make_article):
    made = stories(make_article, curation.TOP_STORIES_LIMIT + 1)
    for story in made[:-1]:
        curation.pin(editor, story)
    with pytest.raises(CurationRejected, match="remove one first"):
        curation.pin(editor, made[-1])
    with pytest.raises(CurationRejected, match="already a top story"):
        curation.pin(editor, made[0])
    assert len(picks()) == curation.TOP_STORIES_LIMIT
    assert len(audit_actions()) == curation.TOP_STORIES_LIMIT


@pytest.mark.parametrize(
    ("status", "delay", "reason"),
    [
        (ArticleStatus.DRAFT, None, "is a draft"),
        (ArticleStatus.REVIEW, None, "waiting for review"),
        (ArticleStatus.PUBLISHED, timedelta(hours=2), "scheduled"),
    ],
)
def test_only_public_stories_go_on_the_front_page(editor, make_article, status, delay, reason):
    fields = {"published_at": utcnow() + delay} if delay else {}
    story = make_article("Not out yet", status=status, **fields)
    for place in (curation.set_lead, curation.pin):
        with pytest.raises(CurationRejected, match=reason) as refused:
            place(editor, story)
        assert "“Not out yet”" in refused.value.message
    assert picks() == [] and audit_actions() == []


def test_authors_may_not_curate(author, make_article):
    story = make_article()
    for change in (
        lambda: curation.set_lead(author, story),
        lambda: curation.pin(author, story),
        lambda: breaking.set_breaking(author, "Storm warning"),
        lambda: breaking.clear_breaking(author),
        lambda: curation.board(author),
    ):
        with pytest.raises(NotAllowed):
            change()
    assert picks() == [] and audit_actions() == []


def test_nothing_appears_twice_on_the_front_page(client, editor, make_article, make_section):
    city, arts = make_section("City", slug="city"), make_section("Arts", slug="arts")
    made = [
        make_article(
            f"Story {n:02d}",
            section=(city, arts)[n % 2],
            published_at=utcnow() - timedelta(hours=n),
            comment_count=9 if n in (20, 25) else n % 3,
        )
        for n in range(30)
    ]
    curation.set_lead(editor, made[20])  # an older story, the most discussed
    for story in (made[0], made[25], made[3]):
        curation.pin(editor, story)
    front = frontpage.front_page([city, arts])
    assert front.lead == made[20]
    assert front.top_stories == [made[0], made[25], made[3]]
    above = [front.lead, *front.top_stories, *front.latest]
    in_blocks = [story for _, items in front.section_blocks for story in items]
    assert len(above) == len(set(above)) == 1 + 3 + frontpage.LATEST_SIZE
    assert in_blocks and len(in_blocks) == len(set(in_blocks)) and not set(in_blocks) & set(above)
    # The rankings are automatic lists too: neither the lead nor the pinned stories.
    assert front.most_discussed and not set(front.most_discussed) & {front.lead, made[25]}
    # On the page, each story's headline links once, the lead's among them.
    html = client.get("/").get_data(as_text=True)
    titles = re.findall(r'class="card-title"><a href="/articles/([^"]+)"', html)
    assert len(titles) == len(set(titles)) == len(above) + len(in_blocks)
    assert html.count(f'href="/articles/{made[20].slug}"') == 1
    assert block(html, 'class="top-stories"').count('class="card ') == 3


def test_without_picks_the_front_page_fills_itself(make_article):
    newest, featured, *_ = stories(make_article, 5)
    featured.is_featured = True
    db.session.commit()
    front = frontpage.front_page([])
    assert front.lead == featured and front.top_stories == []
    assert front.latest[0] == newest and featured not in front.latest


def test_an_expired_pick_is_hidden_at_once_and_the_worker_deletes_it(reader, editor, make_article):
    newest, pinned, lead = stories(make_article, 3)
    curation.set_lead(editor, lead, until=utcnow() + timedelta(hours=1))
    curation.pin(editor, pinned, until=utcnow() + timedelta(hours=1))
    html = cached_twice(reader, "/").get_data(as_text=True)
    assert "Story 02" in block(html, 'class="lead"') and "Top stories" in html

    expire_quietly(expires_at=utcnow() - timedelta(seconds=1))
    front = frontpage.front_page([])  # read afresh: ignored at once
    assert front.lead == newest and front.top_stories == []
    assert reader.get("/").headers["X-Cache"] == "hit"  # nothing was written yet

    assert expire_front_page() == 2
    assert picks() == []
    page = reader.get("/")
    assert page.headers["X-Cache"] == "miss"
    assert "Top stories" not in page.get_data(as_text=True)
    assert expire_front_page() == 0  # again, or late: nothing more to do


def test_a_pick_of_a_story_no_longer_public_is_ignored(reader, editor, make_article):
    newest, pinned = stories(make_article, 2)
    curation.pin(editor, pinned)
    assert "Top stories" in reader.get("/").get_data(as_text=True)
    pinned.status = ArticleStatus.DRAFT
    db.session.commit()
    assert "Top stories" not in reader.get("/").get_data(as_text=True)
    assert frontpage.front_page([]).top_stories == []
    assert len(picks()) == 1  # kept: back on the front page if it is published again
    (row,) = curation.board(editor).top
    assert row.hidden_because == "not public"


def test_expiry_is_read_on_the_sites_clock(editor, make_article):
    settings.save(timezone="Europe/Berlin")
    story = make_article()
    tomorrow = datetime.now(ZoneInfo("Europe/Berlin")).date() + timedelta(days=1)
    pick = curation.pin(editor, story, until=datetime.combine(tomorrow, datetime.min.time()))
    berlin_midnight = datetime.combine(tomorrow, datetime.min.time(), ZoneInfo("Europe/Berlin"))
    assert pick.expires_at == berlin_midnight.astimezone(UTC)
    for until, message in [
        (utcnow() - timedelta(minutes=1), "has passed"),
        (utcnow() + timedelta(days=400), "within the next year"),
        (datetime(9999, 12, 31, 23, 59), "within the next year"),
    ]:
        with pytest.raises(CurationRejected, match=message):
            curation.update_pick(editor, pick.id, position=None, until=until)


# ----------------------------------------------------------------- the banner


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Give a path on this site"),
        ("//evil.example/x", "Give a path on this site"),
        ("https://", "Give a path on this site"),
        ("/a b", "Give a path on this site"),
        ("/\\evil.example", "Give a path on this site"),
        ("/x" * 300, "At most 500"),
    ],
)
def test_the_banner_link_is_a_site_path_or_a_web_address(editor, url, message):
    with pytest.raises(CurationRejected, match=message) as refused:
        breaking.set_breaking(editor, "Storm warning", url)
    assert refused.value.field == "url"
    assert not settings.load().breaking_text and audit_actions() == []


def test_the_banner_text_is_one_short_line(editor):
    with pytest.raises(CurationRejected, match="at most 140"):
        breaking.set_breaking(editor, "x" * 141)
    with pytest.raises(CurationRejected, match="Write the banner"):
        breaking.set_breaking(editor, " \n ")
    breaking.set_breaking(editor, "  Storm\nwarning  ", "https://news.example/storm")
    current = settings.load()
    assert (current.breaking_text, current.breaking_url) == (
        "Storm warning",
        "https://news.example/storm",
    )
    assert current.is_breaking_live()


def test_the_banner_shows_on_every_public_page_until_cleared(
    reader, editor, make_article, make_section
):
    section = make_section("City", slug="city")
    story = make_article("Harbour reopens", slug="harbour", section=section)
    pages = ["/", f"/articles/{story.slug}", "/section/city"]
    for path in pages:
        assert BANNER not in cached_twice(reader, path).get_data(as_text=True)
    breaking.set_breaking(editor, "Storm warning: ferries stopped", f"/articles/{story.slug}")
    for path in [*pages, "/no-such-page", "/articles/no-such-story"]:
        response = reader.get(path)
        html = response.get_data(as_text=True)
        assert response.headers.get("X-Cache") != "hit", path
        banner = block(html, BANNER)
        assert 'aria-label="Breaking news"' in banner, path
        assert f'href="/articles/{story.slug}"' in banner and "Storm warning" in banner
        assert 'role="alert"' not in banner and "aria-live" not in banner
    assert breaking.clear_breaking(editor) is True
    for path in pages:
        assert BANNER not in reader.get(path).get_data(as_text=True)
    assert breaking.clear_breaking(editor) is False  # nothing to take down: not recorded
    assert [action for action, _ in audit_actions()] == ["breaking.set", "breaking.clear"]


def test_the_banner_expires_at_once_and_the_worker_clears_it(reader, editor):
    breaking.set_breaking(editor, "Polls close at 18:00", until=utcnow() + timedelta(hours=1))
    assert BANNER in reader.get("/").get_data(as_text=True)
    assert expire_front_page() == 0  # not yet
    settings.save(breaking_until=(utcnow() - timedelta(seconds=1)).isoformat())
    assert BANNER not in reader.get("/").get_data(as_text=True)  # its time has passed
    assert expire_front_page() == 1
    assert settings.load().breaking_text == ""


def test_the_banner_stays_out_of_the_admin_settings_form(app, admin):
    client = signed_in(app, admin)
    breaking.set_breaking(admin, "Storm warning")
    html = client.get("/editor/settings").get_data(as_text=True)
    assert "breaking" not in html.lower()
    with pytest.raises(KeyError):
        settings.update(breaking_text="From the settings form")
    assert settings.load().breaking_text == "Storm warning"


# ----------------------------------------------------------------- the desk


def test_an_editor_leads_with_a_story_from_the_desk(desk, reader, make_article):
    newest, older = stories(make_article, 2)
    cached_twice(reader, "/")
    page = desk.get("/editor/front").get_data(as_text=True)
    assert f'<option value="{older.id}">Story 01' in page and 'name="csrf_token"' in page
    response = desk.post(
        "/editor/front/picks", data={"article_id": str(older.id), "make_lead": "Make it the lead"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/editor/front#lead"
    )
    assert "“Story 01” now leads the front page." in desk.get("/editor/front").get_data(
        as_text=True
    )
    assert "Story 01" in block(reader.get("/").get_data(as_text=True), 'class="lead"')


def test_the_desk_pins_by_address_moves_and_removes(desk, editor, make_article):
    first, second, third = stories(make_article, 3)
    for address in (
        f"http://byline.test/articles/{first.slug}",
        second.slug,
        f"/articles/{third.slug}/",
    ):
        response = desk.post("/editor/front/picks", data={"address": address, "pin": "Pin"})
        assert response.status_code == 302, address
    ids = [
        pick_id
        for pick_id in db.session.scalars(select(FrontPagePick.id).order_by(FrontPagePick.position))
    ]
    assert frontpage.front_page([]).top_stories == [first, second, third]
    assert desk.post(f"/editor/front/picks/{ids[2]}/move/up").status_code == 302
    assert frontpage.front_page([]).top_stories == [first, third, second]
    response = desk.post(f"/editor/front/picks/{ids[1]}", data={"position": "1"})
    assert response.status_code == 302
    assert frontpage.front_page([]).top_stories == [second, first, third]
    assert desk.post(f"/editor/front/picks/{ids[0]}/remove").status_code == 302
    assert frontpage.front_page([]).top_stories == [second, third]
    page = desk.get("/editor/front").get_data(as_text=True)
    assert "is off the front page" in page and "2 of 6" in page
    assert desk.post("/editor/front/picks/999999/remove").status_code == 404
    assert desk.post("/editor/front/picks/999999/move/up").status_code == 404
    assert desk.get("/editor/front?article=%C2%B2").status_code == 200  # "²" is no id


def test_the_desk_sets_an_expiry_on_the_sites_clock(desk, make_article):
    settings.save(timezone="America/New_York")
    story = make_article()
    tomorrow = datetime.now(ZoneInfo("America/New_York")).date() + timedelta(days=1)
    response = desk.post(
        "/editor/front/picks",
        data={"article_id": story.id, "until_date": tomorrow.isoformat(), "until_time": "18:00"},
    )
    assert response.status_code == 302
    (pick,) = db.session.scalars(select(FrontPagePick)).all()
    local = datetime.combine(
        tomorrow, datetime.min.time().replace(hour=18), ZoneInfo("America/New_York")
    )
    assert pick.expires_at == local.astimezone(UTC)
    page = desk.get("/editor/front").get_data(as_text=True)
    assert f'value="{tomorrow.isoformat()}"' in page and 'value="18:00"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"address": "no-such-story"}, "No story has this address"),
        ({}, "Choose a story from the list"),
        ({"address": "{draft}"}, "is a draft, not public"),
        (
            {"address": "{story}", "until_date": "2020-01-01", "until_time": "10:00"},
            "That time has passed",
        ),
        ({"address": "{story}", "until_date": "2030-01-01"}, "Give a time as well"),
        ({"address": "{story}", "until_time": "25:61"}, "Not a valid time value"),
    ],
)
def test_a_refused_pick_is_shown_again_with_what_was_typed(desk, make_article, data, message):
    story, draft = (
        make_article(slug="harbour"),
        make_article(status=ArticleStatus.DRAFT, slug="wip"),
    )
    sent = {key: value.format(story=story.slug, draft=draft.slug) for key, value in data.items()}
    response = desk.post("/editor/front/picks", data={**sent, "pin": "Pin"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'class="field-errors"' in html
    for value in sent.values():
        assert f'value="{value}"' in html
    assert picks() == [] and audit_actions() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "x" * 141}, "At most 140 characters"),
        ({"text": ""}, "Write the banner"),
        ({"text": "Storm", "url": "javascript:alert(1)"}, "Give a path on this site"),
        (
            {"text": "Storm", "until_date": "2020-01-01", "until_time": "09:00"},
            "That time has passed",
        ),
    ],
)
def test_a_refused_banner_is_shown_again_with_what_was_typed(desk, data, message):
    response = desk.post("/editor/front/breaking", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    for value in data.values():
        assert f'value="{value}"' in html
    assert settings.load().breaking_text == "" and audit_actions() == []


def test_the_desk_puts_up_and_takes_down_the_banner(desk, reader, editor):
    cached_twice(reader, "/")
    response = desk.post(
        "/editor/front/breaking",
        data={"text": "Bridge closed", "url": "/section/city", "until_time": "23:59"},
    )
    assert response.status_code == 302
    banner = block(reader.get("/").get_data(as_text=True), BANNER)
    assert "Bridge closed" in banner and 'href="/section/city"' in banner
    page = desk.get("/editor/front").get_data(as_text=True)
    assert "Live" in page and 'value="Bridge closed"' in page
    assert BANNER not in page  # the editor area shows the desk, not the banner
    assert desk.post("/editor/front/breaking/clear").status_code == 302
    assert BANNER not in reader.get("/").get_data(as_text=True)
    entries = curation_entries()
    assert [e.action for e in entries] == ["breaking.set", "breaking.clear"]
    assert entries[0].details["text"] == "Bridge closed" and entries[0].actor_id == editor.id


def test_the_desk_offers_the_story_named_in_its_address(desk, make_article):
    story = make_article("An old story", published_at=utcnow() - timedelta(days=400))
    for _ in range(curation.CHOICES_LIMIT):
        make_article()
    assert f'value="{story.id}"' not in desk.get("/editor/front").get_data(as_text=True)
    page = desk.get(f"/editor/front?article={story.id}").get_data(as_text=True)
    assert f'<option selected value="{story.id}">An old story' in page
    for bad in ("x", "-1", "9" * 40):
        assert desk.get(f"/editor/front?article={bad}").status_code == 200
    # Refused (a time past), the form comes back with the old story still chosen.
    sent = {"article_id": story.id, "until_date": "2020-01-01", "until_time": "10:00"}
    html = desk.post("/editor/front/picks", data=sent).get_data(as_text=True)
    assert "That time has passed" in html
    assert f'<option selected value="{story.id}">An old story' in html


def test_authors_get_403_from_the_desk(app, author, editor, make_article):
    story = make_article()
    pick = curation.pin(editor, story)
    client = signed_in(app, author)
    assert client.get("/editor/front").status_code == 403
    for path in (
        "/editor/front/picks",
        f"/editor/front/picks/{pick.id}",
        f"/editor/front/picks/{pick.id}/move/up",
        f"/editor/front/picks/{pick.id}/remove",
        "/editor/front/breaking",
        "/editor/front/breaking/clear",
    ):
        response = client.post(
            path, data={"article_id": story.id, "text": "Hacked", "make_lead": "1"}
        )
        assert response.status_code == 403, path
    assert picks() == [(story.id, False, 1)] and not settings.load().breaking_text
    assert "/editor/front" not in client.get("/editor/").get_data(as_text=True)
    assert 'href="/editor/front"' in signed_in(app, editor).get("/editor/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_reach_the_desk_from_a_published_article(
    app, make_user, make_article, role
):
    story = make_article()
    client = signed_in(app, make_user(role))
    page = client.get(f"/editor/articles/{story.id}").get_data(as_text=True)
    assert f'href="/editor/front?article={story.id}#pick"' in page
    draft = make_article(status=ArticleStatus.DRAFT)
    assert "/editor/front?article=" not in client.get(f"/editor/articles/{draft.id}").get_data(
        as_text=True
    )


def test_the_banner_holds_the_xss_corpus_inert(reader, editor, make_article):
    """Every payload as the banner's line, and as its link where the rules let it through."""
    story = make_article(slug="harbour")
    links = 0
    for payload in PAYLOADS:
        line = " ".join(payload.split())[: breaking.BREAKING_TEXT_LIMIT] or "x"
        try:
            breaking.set_breaking(editor, line, payload)
            links += 1
        except CurationRejected:
            breaking.set_breaking(editor, line)
        for path in ("/", f"/articles/{story.slug}", "/no-such-page"):
            html = reader.get(path).get_data(as_text=True)
            assert BANNER in html and active_content(html) == [], (path, payload)
    assert 0 < links < len(PAYLOADS)  # some links refused, some shown (escaped)


def test_a_cached_page_lasts_no_longer_than_what_ends_on_it(
    app, reader, editor, make_article, monkeypatch
):
    """A pick or a banner that ends between two commits changes the page by itself: the
    cached copy is kept only until then, not for the whole TTL."""
    cache = app.extensions["byline_page_cache"]
    kept_for: list[int] = []
    store = cache.store.set

    def remember(key, entry, timeout):
        if key.startswith("page:"):  # the pages, not the fragments kept with them
            kept_for.append(timeout)
        return store(key, entry, timeout=timeout)

    monkeypatch.setattr(cache.store, "set", remember)
    story, other = make_article("Picked"), make_article("Not picked")
    curation.pin(editor, story, until=utcnow() + timedelta(seconds=30))
    reader.get("/")
    reader.get(f"/articles/{other.slug}")  # no pick on it: the TTL
    breaking.set_breaking(editor, "Polls close", until=utcnow() + timedelta(seconds=20))
    reader.get(f"/articles/{other.slug}")
    assert len(kept_for) == 3
    assert 25 <= kept_for[0] <= 30
    assert kept_for[1] == cache.ttl > 30
    assert 15 <= kept_for[2] <= 20
