"""Mail to followers, in-process against a real SMTP server: who receives a new article and
the daily digest, what each message carries, the rate, refusals, a server that is down,
and the message in flight when a sender dies."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from blog import create_app, jobs, mail
from blog.config import ConfigError
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    ImportedItem,
    Mailing,
    OutboxMessage,
    Role,
    Subscriber,
    Subscription,
)
from blog.models.base import utcnow
from blog.services import mailing_sender, mailings, publishing, settings, subscribers
from tests.live_server import free_port
from tests.mail_server import SMTPServer

LINK = re.compile(r"https?://[^\s<>\"]+")
HREF = re.compile(r'href="([^"]+)"')


# ---------- Helpers ----------


def follow(email: str, *keys: str, cadence: str = "each", confirmed: bool = True) -> Subscriber:
    """An address following each list key ("site", "section:<id>", "topic:<id>")."""
    subscriber = subscribers.address(email)
    for key in keys:
        scope, _, number = key.partition(":")
        db.session.add(
            Subscription(
                subscriber=subscriber,
                scope=scope,
                list_key=key,
                section_id=int(number) if scope == "section" else None,
                topic_id=int(number) if scope == "topic" else None,
                cadence=cadence,
                confirmed_at=utcnow() if confirmed else None,
            )
        )
    db.session.commit()
    return subscriber


def publish_new(editor, title: str, section=None, topics=(), **options):
    changes = publishing.ArticleChanges(
        title=title,
        body=f"The story of {title}.",
        brief=f"What {title} is about.",
        section_id=section.id if section is not None else None,
        topic_ids=[topic.id for topic in topics],
    )
    options.setdefault("action", publishing.Action.PUBLISH)
    return publishing.create_article(changes, actor=editor, **options)


def changes_of(article) -> publishing.ArticleChanges:
    return publishing.ArticleChanges(
        title=article.title,
        body=article.body_md,
        brief=article.brief,
        section_id=article.section_id,
        topic_ids=[topic.id for topic in article.topics],
    )


def save(article, editor, action: publishing.Action):
    return publishing.update_article(
        article, changes_of(article), actor=editor, expected_version=article.version, action=action
    )


def recipients(server) -> list[str]:
    return [str(message["To"]) for message in server.messages]


def mailing_of(article) -> Mailing:
    return db.session.scalars(select(Mailing).where(Mailing.article_id == article.id)).one()


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def wakes() -> int:
    """The worker's queued wake-ups for mailings."""
    return sum(task.name == "send_mailings" for task in jobs.jobs().huey.pending())


def opened_in_order(client, links: set[str], leave: str) -> str:
    """Open a message's links as its reader might, every one answering 200: the articles
    and the page to manage what one follows first, both of which leave nothing. Returns
    the link that leaves everything, left for the caller (it deletes the address)."""
    mail_links = {link for link in links if "/mail/" in link}
    (manage,) = [link for link in mail_links if "/mail/manage/" in link]
    (leave_all,) = mail_links - {manage, leave}
    assert leave in mail_links
    for link in sorted(links - mail_links) + [manage]:
        assert client.get(link).status_code == 200, link
    return leave_all


def subscriptions_of(subscriber: Subscriber) -> int:
    db.session.expire_all()
    query = select(func.count(Subscription.id)).where(Subscription.subscriber_id == subscriber.id)
    return db.session.scalar(query)


class PickyServer(SMTPServer):
    """An SMTP server that refuses some recipients: for good (550), as a mailbox that does
    not exist is refused, or for now (452, as a full mailbox is) with `code=452`."""

    def __init__(self, refused: set[str], code: int = 550):
        super().__init__()
        self.refused, self.code = refused, code

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return (
                f"{self.code} Not for this mailbox, not now"
                if self.code < 500
                else (f"{self.code} No such mailbox here")
            )
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def newsroom(mail_app, make_user, make_section, make_topic):
    editor = make_user(Role.EDITOR, name="Eddie Editor")
    return editor, make_section("Harbour"), make_topic("Ferries")


# ---------- A new article ----------


def test_a_new_article_reaches_each_follower_once_with_list_headers_and_links(
    mail_app, smtp_server, newsroom, make_section, make_topic, client
):
    editor, harbour, ferries = newsroom
    other_section, other_topic = make_section("Sport"), make_topic("Chess")
    everywhere = follow("all@example.org", "site", f"section:{harbour.id}", f"topic:{ferries.id}")
    everywhere_id = everywhere.id
    follow("ferries@example.org", f"topic:{ferries.id}")
    follow("unconfirmed@example.org", "site", confirmed=False)
    follow("daily@example.org", "site", cadence="daily")
    follow("sport@example.org", f"section:{other_section.id}", f"topic:{other_topic.id}")

    article = publish_new(editor, "Night ferry returns", harbour, [ferries])
    assert mailing_of(article).finished_at is None
    outcome = mailing_sender.run()

    assert sorted(recipients(smtp_server)) == ["all@example.org", "ferries@example.org"]
    assert outcome.sent == 2 and outcome.resume_at is None
    mailing = mailing_of(article)
    assert mailing.sent_count == 2 and mailing.finished_at is not None
    assert mailing.started_at is not None

    message = next(m for m in smtp_server.messages if m["To"] == "all@example.org")
    assert message["Subject"] == "Night ferry returns"
    assert message["List-Id"] == "<byline.byline.test>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith(f"<mailing-{mailing.id}-")
    assert message["Message-ID"].endswith(f".{everywhere.id}@byline.test>")
    text, html = parts(message)
    assert "Night ferry returns" in text and "What Night ferry returns is about." in text
    assert "By Eddie Editor · Harbour" in text
    for part in (text, html):
        assert "the whole site" in part and "the section “Harbour”" in part
        assert "the topic “Ferries”" in part
    # As sent: one plain <URL> (a folded long link would arrive as encoded words).
    raw = dict(message.raw_items())
    assert raw["List-Unsubscribe"].startswith("<http://byline.test/mail/unsubscribe/")
    assert raw["List-Unsubscribe"].endswith(">") and "\n" not in raw["List-Unsubscribe"]
    leave = message["List-Unsubscribe"].strip("<>")
    text_links, html_links = set(LINK.findall(text)), set(HREF.findall(html))
    assert text_links == html_links
    assert len(text_links) == 4  # the article, leaving these lists, managing, leaving all
    assert leave in text_links
    assert "http://byline.test/articles/night-ferry-returns" in text_links
    leave_all = opened_in_order(client, text_links, leave)

    # The mail client's one-click button ends the three subscriptions it came through.
    assert client.post(leave, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscriptions_of(everywhere) == 0
    asked = client.get(leave_all)  # ending everything asks first: it cannot be undone
    assert asked.status_code == 200 and "Stop all mail" in asked.text
    assert client.post(leave_all, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert db.session.scalar(select(Subscriber.id).where(Subscriber.id == everywhere_id)) is None
    publish_new(editor, "Second ferry", harbour, [ferries])
    # After the first run's share of the minute (2 messages of 300: 0.4 s), as the worker's
    # next run would be.
    mailing_sender.run(now=utcnow() + timedelta(seconds=1))
    assert recipients(smtp_server)[2:] == ["ferries@example.org"]


def test_only_a_first_publication_adds_a_mailing_and_wakes_the_worker(
    mail_app, newsroom, make_article
):
    editor, harbour, _ = newsroom
    before = wakes()
    draft = publish_new(editor, "Quiet draft", harbour, action=publishing.Action.SAVE)
    assert db.session.scalar(select(func.count(Mailing.id))) == 0
    article = save(draft, editor, publishing.Action.PUBLISH)
    assert mailing_of(article).key == f"article:{article.id}"
    assert wakes() == before + 1
    save(article, editor, publishing.Action.SAVE)  # an edit
    save(article, editor, publishing.Action.UNPUBLISH)
    save(article, editor, publishing.Action.PUBLISH)  # public again, not new
    # Public since before mailings existed (or imported): edited, taken down, back up.
    older = make_article("Published last year", section=harbour, author=editor)
    for action in ("save", "unpublish", "publish"):
        older = save(older, editor, publishing.Action(action))
    assert db.session.scalar(select(func.count(Mailing.id))) == 1
    assert wakes() == before + 1


def test_an_article_unpublished_before_its_batch_starts_sends_nothing(
    mail_app, smtp_server, newsroom
):
    editor, harbour, _ = newsroom
    for n in range(3):
        follow(f"reader{n}@example.org", "site")
    article = publish_new(editor, "Retracted scoop", harbour)
    save(article, editor, publishing.Action.UNPUBLISH)
    assert mailing_sender.run().sent == 0
    assert smtp_server.messages == []
    assert mailing_of(article).finished_at is None  # it waits, in case it comes back

    # Taken down between two batches: the first went, the next waits.
    other = publish_new(editor, "Brief scoop", harbour)
    assert mailing_sender.run(limit=1).sent == 1
    save(other, editor, publishing.Action.UNPUBLISH)
    assert mailing_sender.run(now=utcnow() + timedelta(minutes=2)).sent == 0
    assert len(smtp_server.messages) == 1
    assert mailing_of(other).sent_count == 1


def test_a_scheduled_article_is_sent_once_it_is_public(mail_app, smtp_server, newsroom):
    editor, harbour, _ = newsroom
    follow("reader@example.org", f"section:{harbour.id}")
    when = utcnow() + timedelta(hours=1)
    before = wakes()
    article = publish_new(
        editor, "Tomorrow's tide", harbour, action=publishing.Action.SCHEDULE, publish_at=when
    )
    assert mailing_of(article).finished_at is None
    assert wakes() == before  # nothing to send yet: the minute task takes it up at its time
    assert mailing_sender.run().sent == 0
    assert mailing_sender.run(now=when + timedelta(seconds=1)).sent == 1
    assert recipients(smtp_server) == ["reader@example.org"]
    assert mailing_of(article).finished_at is not None


def test_a_run_sends_at_most_its_rate_and_the_next_waits_its_minute(
    mail_app, smtp_server, newsroom
):
    editor, harbour, _ = newsroom
    mail_app.config["FOLLOW_MAIL_PER_MINUTE"] = 2
    for n in range(5):
        follow(f"reader{n}@example.org", "site")
    article = publish_new(editor, "Busy harbour", harbour)
    start = utcnow()

    first = mailing_sender.run(now=start)
    assert first.sent == 2 and first.resume_at == start + timedelta(minutes=1)
    assert mailing_sender.run(now=start + timedelta(seconds=30)).sent == 0  # too soon
    assert mailing_sender.run(now=start + timedelta(seconds=61)).sent == 2
    last = mailing_sender.run(now=start + timedelta(seconds=122))
    assert last.sent == 1 and last.resume_at is None
    assert recipients(smtp_server) == [f"reader{n}@example.org" for n in range(5)]
    assert mailing_of(article).finished_at is not None

    # That last run sent half its rate, and holds the next back for half a minute: a new
    # article published at once does not double the minute's rate.
    follow("late@example.org", "site")
    publish_new(editor, "Second story", harbour)
    assert mailing_sender.run(now=start + timedelta(seconds=140)).sent == 0
    assert mailing_sender.run(now=start + timedelta(seconds=153)).sent == 2


def test_a_recipient_refused_for_good_is_skipped(mail_app, newsroom):
    editor, harbour, _ = newsroom
    server = PickyServer({"gone@example.org"})
    server.start()
    try:
        mail_app.config.update(server.config())
        for name in ("first", "gone", "last"):
            follow(f"{name}@example.org", "site")
        article = publish_new(editor, "Lighthouse repainted", harbour)
        assert mailing_sender.run().sent == 3
        assert recipients(server) == ["first@example.org", "last@example.org"]
        mailing = mailing_of(article)
        assert mailing.sent_count == 2 and mailing.finished_at is not None
    finally:
        server.stop()


def test_a_recipient_refused_for_now_goes_to_the_outbox_and_the_mailing_goes_on(mail_app, newsroom):
    editor, harbour, _ = newsroom
    server = PickyServer({"full@example.org"}, code=452)
    server.start()
    try:
        mail_app.config.update(server.config())
        for name in ("first", "full", "last"):
            follow(f"{name}@example.org", "site")
        article = publish_new(editor, "Harbour fog", harbour)
        assert mailing_sender.run().sent == 3
        assert recipients(server) == ["first@example.org", "last@example.org"]
        mailing = mailing_of(article)
        assert mailing.finished_at is not None and mailing.sent_count == 2
        (later,) = db.session.scalars(select(OutboxMessage)).all()
        assert later.recipient == "full@example.org" and later.attempts == 1
        assert later.next_attempt_at > utcnow() and "452" in later.last_error
        assert later.message_id.startswith(f"<mailing-{mailing.id}-")

        # Once the mailbox takes mail again, the outbox sends it, under the same Message-ID.
        server.refused.clear()
        later.next_attempt_at = utcnow()
        db.session.commit()
        assert mail.send_due() == 1
        assert server.messages[-1]["Message-ID"] == later.message_id
        assert server.messages[-1]["Subject"] == "Harbour fog"
        assert server.messages[-1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    finally:
        server.stop()


class ActingServer(SMTPServer):
    """An SMTP server that does something (in its own thread) when a recipient is named."""

    def __init__(self, recipient: str, act):
        super().__init__()
        self.recipient, self.act = recipient, act

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.recipient:
            self.act()
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_address_that_leaves_mid_mailing_is_sent_nothing_more(mail_app, newsroom):
    editor, harbour, _ = newsroom
    follow("first@example.org", "site")
    leaving = follow("leaving@example.org", "site", f"section:{harbour.id}")
    follow("last@example.org", "site")
    engine, leaving_id = db.engine, leaving.id

    def leave() -> None:  # while the first message goes out, after the batch was read
        with engine.begin() as connection:
            connection.execute(delete(Subscription).where(Subscription.subscriber_id == leaving_id))

    server = ActingServer("first@example.org", leave)
    server.start()
    try:
        mail_app.config.update(server.config())
        article = publish_new(editor, "Tide tables", harbour)
        assert mailing_sender.run().sent == 2
        assert recipients(server) == ["first@example.org", "last@example.org"]
        assert mailing_of(article).finished_at is not None
    finally:
        server.stop()


def test_an_article_taken_down_mid_batch_goes_to_nobody_more(mail_app, newsroom):
    editor, harbour, _ = newsroom
    first = follow("first@example.org", "site")
    follow("second@example.org", "site")
    follow("third@example.org", "site")
    article = publish_new(editor, "Retracted scoop", harbour)
    engine, article_id = db.engine, article.id

    def take_down() -> None:  # while the first message goes out, after the batch was read
        with engine.begin() as connection:
            connection.execute(
                update(Article).where(Article.id == article_id).values(status=ArticleStatus.DRAFT)
            )

    server = ActingServer("first@example.org", take_down)
    server.start()
    try:
        mail_app.config.update(server.config())
        assert mailing_sender.run().sent == 1
        assert recipients(server) == ["first@example.org"]
        mailing = mailing_of(article)
        assert mailing.finished_at is None and mailing.last_subscriber_id == first.id
    finally:
        server.stop()


def test_an_address_that_cannot_be_written_is_skipped_and_the_rest_get_theirs(
    mail_app, smtp_server, newsroom
):
    editor, harbour, _ = newsroom
    follow("first@example.org", "site")
    brought_in = follow("placeholder@example.org", "site")
    brought_in.email = "bad@example.org."  # as an edited export might bring it in
    db.session.commit()
    follow("last@example.org", "site")
    article = publish_new(editor, "Anything", harbour)
    mailing_sender.run()
    assert recipients(smtp_server) == ["first@example.org", "last@example.org"]
    assert mailing_of(article).finished_at is not None


def test_a_server_that_is_down_stops_the_run_and_the_next_goes_on(mail_app, smtp_server, newsroom):
    editor, harbour, _ = newsroom
    for n in range(3):
        follow(f"reader{n}@example.org", "site")
    article = publish_new(editor, "Storm warning", harbour)

    smtp_server.refuse = True  # 451: try later
    assert mailing_sender.run().sent == 1
    mailing = mailing_of(article)
    assert (mailing.last_subscriber_id, mailing.sent_count, mailing.finished_at) == (0, 0, None)

    mail_app.config["MAIL_PORT"] = free_port()  # nothing listens there
    mailing_sender.run()
    assert mailing_of(article).last_subscriber_id == 0

    smtp_server.refuse = False
    mail_app.config.update(smtp_server.config())
    mailing_sender.run()
    assert recipients(smtp_server) == [f"reader{n}@example.org" for n in range(3)]
    assert mailing_of(article).finished_at is not None


def test_the_message_in_flight_is_sent_again_under_the_same_message_id(
    mail_app, smtp_server, newsroom
):
    editor, harbour, _ = newsroom
    mail_app.config["MAIL_TIMEOUT"] = 1
    for n in range(4):
        follow(f"reader{n}@example.org", "site")
    article = publish_new(editor, "Fog in the bay", harbour)

    # The second message reaches the server, but its answer never comes back.
    smtp_server.hold_at = 2
    mailing_sender.run()
    assert len(smtp_server.messages) == 2
    in_flight = smtp_server.messages[1]["Message-ID"]
    assert mailing_of(article).sent_count == 1
    smtp_server.release()

    mailing_sender.run()
    received = Counter(smtp_server.message_ids())
    assert len(received) == 4
    assert [mid for mid, times in received.items() if times > 1] == [in_flight]
    assert recipients(smtp_server)[2] == "reader1@example.org"
    assert mailing_of(article).sent_count == 4


def test_a_second_sender_returns_at_once(mail_app, smtp_server, newsroom):
    editor, harbour, _ = newsroom
    follow("reader@example.org", "site")
    publish_new(editor, "Two workers", harbour)
    with mailing_sender.one_sender() as is_sender:
        assert is_sender
        assert mailing_sender.run().sent == 0
    assert mailing_sender.run().sent == 1


# ---------- The daily digest ----------


def test_the_digest_is_added_at_its_hour_and_covers_the_day_since_the_last(mail_app):
    settings.save(timezone="Europe/Berlin")
    db.session.commit()
    winter = datetime(2027, 1, 14, 5, 59, tzinfo=UTC)  # 06:59 in Berlin
    assert mailings.plan_digest(winter + timedelta(minutes=1)) is None  # nobody follows daily
    follow("waiting@example.org", "site", cadence="daily", confirmed=False)
    assert mailings.plan_digest(winter + timedelta(minutes=1)) is None  # not confirmed yet
    follow("daily@example.org", "site", cadence="daily")
    assert mailings.plan_digest(winter) is None
    first = mailings.plan_digest(winter + timedelta(minutes=1))
    assert first.key == "digest:2027-01-14"
    assert first.period_start == winter + timedelta(minutes=1) - timedelta(days=1)
    assert mailings.plan_digest(winter + timedelta(hours=3)) is None  # once a day
    next_day = winter + timedelta(days=1, minutes=30)
    second = mailings.plan_digest(next_day)
    assert second.key == "digest:2027-01-15"
    assert second.period_start == first.period_end and second.period_end == next_day

    mail_app.config["FOLLOW_DIGEST_HOUR"] = 0
    third = mailings.plan_digest(winter + timedelta(days=2))
    assert third.key == "digest:2027-01-16"
    # After a long pause (the worker was down), a digest reaches back a week at most.
    later = winter + timedelta(days=30)
    assert mailings.plan_digest(later).period_start == later - timedelta(days=7)


def test_each_daily_follower_gets_the_day_s_articles_of_their_lists(
    mail_app, smtp_server, newsroom, make_article, make_section, client
):
    editor, harbour, ferries = newsroom
    sport, weather = make_section("Sport"), make_section("Weather")
    now = utcnow()
    day = now - timedelta(hours=3)

    def story(title, section, topics=(), **fields):
        fields.setdefault("published_at", day)
        return make_article(title, section=section, topics=list(topics), author=editor, **fields)

    story("Ferry timetable", harbour, [ferries])
    story("Quay reopened", harbour)
    story("Cup final", sport)
    story("Last week's ferry", harbour, [ferries], published_at=now - timedelta(days=3))
    story("Unfinished draft", harbour, [ferries], status=ArticleStatus.DRAFT)
    imported = story("Imported ferry piece", harbour, [ferries])
    db.session.add(
        ImportedItem(source="wordpress x", kind="article", source_id="1", target_id=imported.id)
    )
    db.session.commit()

    follow("everything@example.org", "site", cadence="daily")
    ferry_follower = follow("ferries@example.org", f"topic:{ferries.id}", cadence="daily")
    quiet = follow("nothing@example.org", f"section:{weather.id}", cadence="daily")
    follow("each@example.org", "site")
    follow("unconfirmed@example.org", "site", cadence="daily", confirmed=False)
    mail_app.config["FOLLOW_DIGEST_HOUR"] = 0
    mailing = mailings.plan_digest(now)
    assert mailing_sender.run(now=now).sent == 2

    assert sorted(recipients(smtp_server)) == ["everything@example.org", "ferries@example.org"]
    by_address = {str(message["To"]): message for message in smtp_server.messages}
    everything, ferry = by_address["everything@example.org"], by_address["ferries@example.org"]
    assert everything["Subject"].endswith("daily: 3 new articles")
    assert ferry["Subject"].endswith("daily: 1 new article")
    text, html = parts(everything)
    for title in ("Ferry timetable", "Quay reopened", "Cup final"):
        assert title in text and title in html
    for title in ("Last week", "Unfinished draft", "Imported ferry piece"):
        assert title not in text and title not in html
    text, html = parts(ferry)
    assert "Ferry timetable" in text and "Quay reopened" not in text
    assert "the topic “Ferries”" in text
    assert ferry["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ferry["List-Id"] == everything["List-Id"] == "<byline.byline.test>"
    assert set(LINK.findall(text)) == set(HREF.findall(html))
    leave = ferry["List-Unsubscribe"].strip("<>")
    leave_all = opened_in_order(client, set(LINK.findall(text)), leave)
    assert client.get(leave).status_code == 200
    assert subscriptions_of(ferry_follower) == 0
    assert client.get(leave_all).status_code == 200

    mailing = db.session.get(Mailing, mailing.id, populate_existing=True)
    assert mailing.sent_count == 2 and mailing.finished_at is not None
    assert mailing.last_subscriber_id == quiet.id  # the last daily follower, sent nothing


# ---------- Importers and settings ----------


def test_an_import_adds_no_mailing(app, runner, admin, newsroom):
    follow("reader@example.org", "site")
    imports = Path(__file__).resolve().parent / "fixtures" / "imports"
    export, uploads = imports / "wordpress.xml", imports / "uploads"
    result = runner.invoke(args=["import-wordpress", str(export), "--uploads", str(uploads)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(ImportedItem.id))) > 0
    assert db.session.scalar(select(func.count(Mailing.id))) == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [("FOLLOW_MAIL_PER_MINUTE", 0), ("FOLLOW_MAIL_PER_MINUTE", "fast"), ("FOLLOW_DIGEST_HOUR", 24)],
)
def test_a_setting_out_of_range_is_refused_in_one_line(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", name: value})
