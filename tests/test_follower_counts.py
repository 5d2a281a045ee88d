"""The editors' page of readers who follow by e-mail (/editor/subscribers): each list's
counts by cadence and confirmation, followed comment threads, the latest mailings; for
editors and admins only, in a fixed number of queries, and never an address."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import ArticleStatus, Mailing, Role, Subscriber, Subscription, ThreadFollow
from blog.models.base import utcnow
from blog.services import follower_counts

# Every reader's address carries this, in both cases: none may reach the page.
MARKER = "zq7follower"


def reader(n: int) -> Subscriber:
    email = f"{MARKER.upper()}{n}@Readers.example"
    found = Subscriber(email=email, email_key=email.lower())
    db.session.add(found)
    return found


def follow(subscriber, scope, target=None, cadence="each", *, confirmed=True) -> Subscription:
    subscription = Subscription(
        subscriber=subscriber,
        scope=scope,
        list_key=Subscription.key_of(scope, target.id if target else None),
        section_id=target.id if scope == "section" else None,
        topic_id=target.id if scope == "topic" else None,
        cadence=cadence,
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(subscription)
    return subscription


class Newsroom:
    """Sections, topics, an article with comment threads, and readers who follow them."""

    def __init__(self, make_article, make_section, make_topic, make_comment):
        self.make_article, self.make_comment = make_article, make_comment
        self.sport, self.arts = make_section("Sport"), make_section("Arts")
        self.rivers, self.ferries = make_topic("Rivers"), make_topic("Ferries")
        self.idle = make_topic("Idle topic")
        self.story = make_article("The harbour reopens", section=self.sport)
        self.draft = make_article("Not public yet", status=ArticleStatus.DRAFT, section=self.sport)
        self.pulled = make_article("Pulled story", status=ArticleStatus.DRAFT, section=self.sport)
        self.threads = [make_comment(self.story, f"Thread {n}.") for n in range(2)]
        self.readers: list[Subscriber] = []
        self.next_reader = 0

    def readers_more(self, count: int) -> list[Subscriber]:
        made = []
        for _ in range(count):
            made.append(reader(self.next_reader))
            self.next_reader += 1
        db.session.flush()
        self.readers += made
        return made

    def build(self) -> None:
        r = self.readers_more(6)
        follow(r[0], "site")
        follow(r[1], "site")
        follow(r[2], "site", cadence="daily")
        follow(r[3], "site", confirmed=False)
        follow(r[4], "site", cadence="daily", confirmed=False)
        follow(r[0], "section", self.sport, cadence="daily")
        follow(r[5], "section", self.sport)
        follow(r[1], "section", self.sport, confirmed=False)
        follow(r[2], "topic", self.rivers)
        follow(r[3], "topic", self.ferries, cadence="daily", confirmed=False)
        for subscriber, thread in ((r[0], 0), (r[1], 0), (r[1], 1)):
            root = self.threads[thread]
            db.session.add(
                ThreadFollow(
                    subscriber=subscriber, root_comment_id=root.id, article_id=root.article_id
                )
            )
        now = utcnow()
        db.session.add_all(
            [
                Mailing(
                    kind="article",
                    key=f"article:{self.story.id}",
                    article_id=self.story.id,
                    started_at=now - timedelta(hours=2),
                    finished_at=now - timedelta(hours=1),
                    last_subscriber_id=r[5].id,
                    sent_count=4,
                ),
                Mailing(kind="article", key=f"article:{self.draft.id}", article_id=self.draft.id),
                Mailing(
                    kind="digest",
                    key="digest:2026-06-21",
                    period_end=now,
                    started_at=now,
                    last_subscriber_id=r[0].id,
                    sent_count=2,
                ),
                # Unpublished while it was being sent: the worker holds it.
                Mailing(
                    kind="article",
                    key=f"article:{self.pulled.id}",
                    article_id=self.pulled.id,
                    started_at=now,
                    last_subscriber_id=r[1].id,
                    sent_count=3,
                ),
            ]
        )
        db.session.commit()

    def grow(self) -> None:
        """More of everything: more readers on every list, threads and mailings."""
        more = self.readers_more(12)
        for n, subscriber in enumerate(more):
            follow(subscriber, "site", cadence=("each", "daily")[n % 2], confirmed=n % 3 > 0)
            follow(subscriber, "section", (self.sport, self.arts)[n % 2])
            follow(subscriber, "topic", (self.rivers, self.ferries, self.idle)[n % 3])
            root = self.make_comment(self.story, f"More {n}.")
            db.session.add(
                ThreadFollow(
                    subscriber=subscriber, root_comment_id=root.id, article_id=root.article_id
                )
            )
        for n in range(5):
            article = self.make_article(f"Later story {n}")
            db.session.add(
                Mailing(kind="article", key=f"article:{article.id}", article_id=article.id)
            )
        db.session.commit()


@pytest.fixture
def newsroom(make_article, make_section, make_topic, make_comment) -> Newsroom:
    built = Newsroom(make_article, make_section, make_topic, make_comment)
    built.build()
    return built


def rows(page: BeautifulSoup, heading_id: str) -> dict[str, list[str]]:
    """The table of one panel: each row's title and its cells' text."""
    table = page.select_one(f'table[aria-labelledby="{heading_id}"]')
    assert table is not None, heading_id
    found = {}
    for row in table.select("tbody tr"):
        title, *cells = row.find_all(["th", "td"])
        found[title.get_text(" ", strip=True)] = [c.get_text(" ", strip=True) for c in cells]
    return found


def panel_text(page: BeautifulSoup, heading_id: str) -> str:
    return " ".join(page.select_one(f"#{heading_id}").parent.get_text().split())


def test_editors_see_each_lists_counts_and_the_latest_mailings(client, login, editor, newsroom):
    login(editor)
    response = client.get("/editor/subscribers")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    # List: each new article, daily digest, confirmed, awaiting confirmation.
    assert rows(page, "whole-site") == {"The whole site": ["2", "1", "3", "2"]}
    assert rows(page, "section-lists") == {"Sport": ["1", "1", "2", "1"]}
    assert "Nobody follows this section yet: Arts." in panel_text(page, "section-lists")
    assert rows(page, "topic-lists") == {
        "Ferries": ["0", "0", "0", "1"],
        "Rivers": ["1", "0", "1", "0"],
    }
    assert "Nobody follows this topic yet: Idle topic." in panel_text(page, "topic-lists")
    assert "2 addresses follow the replies in 2 comment threads." in panel_text(
        page, "thread-follows"
    )
    mailings = rows(page, "mailings")
    assert list(mailings) == [
        "Pulled story",
        "Daily digest June 21, 2026",
        "Not public yet",
        "The harbour reopens",
    ]
    assert mailings["Pulled story"][0] == "Sending (sent 3) paused while the article is not public"
    state, started, finished = mailings["Daily digest June 21, 2026"]
    assert state == "Sending (sent 2)" and started != "—" and finished == "—"
    assert mailings["Not public yet"] == ["Waiting until the article is public", "—", "—"]
    assert mailings["The harbour reopens"][0] == "Sent 4"
    assert all(cell != "—" for cell in mailings["The harbour reopens"])
    # The page is in the editor's navigation, and names nobody.
    assert page.select_one('.editor-nav a[aria-current="page"]').get_text() == "Subscribers"
    html = response.get_data(as_text=True).lower()
    assert MARKER not in html and "readers.example" not in html


def test_a_site_nobody_follows_says_so(client, login, admin, make_section, make_topic):
    make_section("Sport")
    login(admin)
    page = BeautifulSoup(client.get("/editor/subscribers").get_data(as_text=True), "html.parser")
    assert "Nobody follows the whole site yet." in panel_text(page, "whole-site")
    assert "Nobody follows this section yet: Sport." in panel_text(page, "section-lists")
    assert "The site has no topics yet." in panel_text(page, "topic-lists")
    assert "Nobody follows the replies in a comment thread yet." in panel_text(
        page, "thread-follows"
    )
    assert "Nothing has been mailed to followers yet." in panel_text(page, "mailings")
    assert page.select("table") == []


def test_authors_may_not_see_the_counts(client, login, author, newsroom):
    login(author)
    assert client.get("/editor/subscribers").status_code == 403
    with pytest.raises(NotAllowed):
        follower_counts.overview(author)
    menu = client.get("/editor/").get_data(as_text=True)
    assert "/editor/subscribers" not in menu


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_find_the_page_in_their_menu(client, login, make_user, role):
    login(make_user(role))
    menu = BeautifulSoup(client.get("/editor/").get_data(as_text=True), "html.parser")
    assert menu.select_one('.editor-nav a[href="/editor/subscribers"]').get_text() == "Subscribers"


def test_the_counts_cost_the_same_few_queries_however_many_follow(
    app, client, login, editor, newsroom, count_queries
):
    """One query for each of: the sections, the topics, the lists' counts, the followed
    threads, the latest mailings with their articles."""

    def costs() -> tuple[int, int]:
        with count_queries() as counter:
            follower_counts.overview(editor)
        with count_queries() as page:
            assert client.get("/editor/subscribers").status_code == 200
        return counter.count, page.count

    login(editor)
    small = costs()
    newsroom.grow()
    assert editor.role == Role.EDITOR  # loaded again after the commits, before counting
    assert costs() == small
    assert small[0] == 5


def test_the_latest_mailings_are_bounded(app, editor, newsroom):
    for n in range(follower_counts.RECENT_MAILINGS + 3):
        db.session.add(Mailing(kind="digest", key=f"digest:{date(2030, 1, 1) + timedelta(n)}"))
    db.session.commit()
    shown = follower_counts.overview(editor).mailings
    assert len(shown) == follower_counts.RECENT_MAILINGS
    newest = date(2030, 1, 1) + timedelta(follower_counts.RECENT_MAILINGS + 2)
    assert shown[0].title == f"Daily digest {newest:%B} {newest.day}, {newest.year}"
    assert all(row.state == "waiting" and not row.is_held for row in shown)
