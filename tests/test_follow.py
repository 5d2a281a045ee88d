"""Following the site, a section or a topic by e-mail, the asking side: the forms, their
one answer whatever happened, the caps on confirmation mail, the per-network limit, the
links to the forms, and the worker dropping what was never confirmed. The pages the
mailed links open are tests/test_follow_links.py."""

from datetime import datetime, timedelta

import pytest
from limits import parse
from sqlalchemy import func, select

from blog.extensions import db, limiter
from blog.jobs import jobs
from blog.models import ArticleStatus, OutboxMessage, Subscriber, Subscription, ThreadFollow
from blog.models.base import utcnow
from blog.ratelimit import keyed_hash
from blog.services import pages, subscribers, subscriptions
from blog.services.pages import PageChanges, PageRejected
from tests.follow_helpers import (
    SITE,
    follower,
    form_token,
    outbox,
    reader,
    subscribe,
    subscriptions_of,
)
from tests.harness import at_once, csrf_token_from, signed_in_by_form

SENT = "/follow/sent"


@pytest.fixture
def lists(make_section, make_topic, make_article):
    """A section and a public topic to follow."""
    city = make_section("City", slug="city")
    ports = make_topic("Ports", slug="ports")
    make_article(section=city, topics=[ports])
    return city, ports


def test_each_scope_can_be_followed_and_waits_for_confirmation(client, lists):
    city, ports = lists
    asked = [
        ("/follow", "site", None, "each"),
        ("/follow/section/city", "section", city.id, "daily"),
        ("/follow/topic/ports", "topic", ports.id, "each"),
    ]
    for path, _, _, cadence in asked:
        page = client.get(path)
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert 'value="each" checked' in page.text  # each new article unless chosen
        response = subscribe(client, path, "Rosa@Example.org", cadence)
        assert (response.status_code, response.headers["Location"]) == (303, SENT)
    rows = subscriptions_of("rosa@example.org")
    assert [(s.scope, s.section_id or s.topic_id, s.cadence) for s in rows] == [
        (scope, target_id, cadence) for _, scope, target_id, cadence in asked
    ]
    assert [s.list_key for s in rows] == ["site", f"section:{city.id}", f"topic:{ports.id}"]
    assert all(s.confirmed_at is None for s in rows)
    mails = outbox()
    assert [m.kind for m in mails] == ["follow_confirm"] * 3
    assert {m.recipient for m in mails} == {"Rosa@Example.org"}  # as typed
    assert [m.subject for m in mails] == [
        "Confirm that you want to follow everything on Byline",
        "Confirm that you want to follow the section City",
        "Confirm that you want to follow the topic Ports",
    ]


def test_unknown_sections_and_topics_and_empty_topics_cannot_be_followed(
    client, make_topic, make_article
):
    quiet = make_topic("Quiet", slug="quiet")
    make_article(topics=[quiet], status=ArticleStatus.DRAFT)  # a topic with no public article
    for path in ("/follow/section/nowhere", "/follow/topic/nowhere", "/follow/topic/quiet"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={"email": "x@example.org"}).status_code == 404, path
    assert outbox() == [] and db.session.scalar(select(func.count(Subscriber.id))) == 0


@pytest.mark.parametrize(
    ("email", "cadence", "message"),
    [
        ("not an address", "each", "That does not look like an e-mail address."),
        ("", "each", "Give the address the mail should go to."),
        ("a@b.example" + "x" * 260, "each", "At most 254 characters."),
        ("rosa@example.org", "weekly", "Choose how often: each new article, or a daily digest."),
        ("rosa@example.org", "", "Choose how often: each new article, or a daily digest."),
    ],
)
def test_bad_input_comes_back_with_what_was_typed(client, lists, email, cadence, message):
    page = client.get("/follow/topic/ports")
    response = client.post(
        "/follow/topic/ports",
        data={"email": email, "cadence": cadence, "form_token": form_token(page.text)},
    )
    assert response.status_code == 400
    assert message in response.text
    if email:
        assert f'value="{email}"' in response.text
    assert outbox() == [] and db.session.scalar(select(func.count(Subscriber.id))) == 0


def test_a_form_from_another_site_or_without_its_token_is_refused_with_text_kept(client, lists):
    data = {"email": "rosa@example.org", "cadence": "daily"}
    forged = client.post("/follow", data={**data, "form_token": "forged"})
    foreign = client.post(
        "/follow",
        data={**data, "form_token": form_token(client.get("/follow").text)},
        headers={"Origin": "https://elsewhere.example"},
    )
    for response in (forged, foreign):
        assert response.status_code == 400
        assert 'value="rosa@example.org"' in response.text
        assert 'value="daily" checked' in response.text
    assert outbox() == []


def test_the_answer_never_says_whether_the_address_is_known_or_mailed(client, lists):
    city, _ = lists
    follower("known@example.org", ("section", city.id))
    capped = "capped@example.org"
    for n in range(3):
        subscribe(client, "/follow/section/city", capped, n=10 + n)
    answers = [
        subscribe(client, "/follow/section/city", email, n=20 + n)
        for n, email in enumerate(["new@example.org", "known@example.org", capped])
    ]
    assert {(r.status_code, r.headers["Location"], r.text) for r in answers} == {
        (303, SENT, answers[0].text)
    }
    sent_page = client.get(SENT)
    assert "the address you gave" in sent_page.text
    assert "At most 3 such messages a day go to one address" in sent_page.text
    assert sent_page.headers["Cache-Control"] == "no-store"
    for path in (SENT, "/follow", "/follow/section/city", "/section/city"):
        html = client.get(path).text
        assert "@example.org" not in html, path
    # What went out: a link to confirm for the new address, a link to manage for the one
    # that follows already, and nothing for the capped one.
    assert [(m.kind, m.recipient) for m in outbox()[3:]] == [
        ("follow_confirm", "new@example.org"),
        ("manage_link", "known@example.org"),
    ]
    (already,) = outbox("manage_link")
    assert already.subject == "You already follow the section City"


def test_an_address_gets_at_most_three_confirmation_mails_a_day(client, lists, make_section):
    """Whatever asks for them: follow forms, the manage-link form (and commenters' links,
    which count in the same outbox kinds)."""
    email = "often@example.org"
    sections = [make_section(f"Desk {n}", slug=f"desk-{n}") for n in range(4)]
    answers = [
        subscribe(client, f"/follow/section/{s.slug}", email, n=n)
        for n, s in enumerate(sections[:3])
    ]
    assert len(outbox("follow_confirm")) == 3
    fourth = subscribe(client, f"/follow/section/{sections[3].slug}", email.upper(), n=9)
    assert fourth.status_code == answers[0].status_code == 303
    assert len(outbox()) == 3  # the fourth (in another spelling) is not queued
    assert len(subscriptions_of(email)) == 4  # it waits, unconfirmed, and will be dropped
    page = client.get("/follow/manage")
    asked = client.post(
        "/follow/manage", data={"email": email, "form_token": form_token(page.text)}
    )
    assert (asked.status_code, asked.headers["Location"]) == (303, "/follow/sent?about=manage")
    assert len(outbox()) == 3
    # A day later (the mailbox's counter's window over) it may be sent one again.
    mailbox = keyed_hash(subscribers.mailbox_key(email), "confirmation-mailbox")
    limiter.limiter.clear(parse(subscribers.MAILBOX_CAP), "confirmation-mailbox", mailbox)
    assert subscribe(client, f"/follow/section/{sections[3].slug}", email, n=11).status_code == 303
    assert len(outbox("follow_confirm")) == 4


@pytest.mark.parametrize(
    "spelling",
    [
        "Often+news@Example.org",  # a +tag reaches the same mailbox
        "often@example\u3002org",  # an ideographic full stop, which IDNA reads as "."
        "often@example\uff0eorg",  # a full-width full stop
        "often@\uff45xample.org",  # a full-width "e"
    ],
)
def test_other_spellings_of_one_mailbox_share_its_cap(client, lists, spelling):
    for n in range(3):
        subscribe(client, "/follow", "often@example.org", n=20 + n)
    assert subscribe(client, "/follow", spelling, n=30).status_code == 303
    assert len(outbox()) == 3


def test_forms_sent_at_the_same_moment_cannot_pass_the_cap_together(app, make_section):
    """Eight networks send the form for one address at once, each for another list."""
    sections = [make_section(f"Desk {n}", slug=f"desk-{n}") for n in range(8)]
    tokens = {}
    for n, section in enumerate(sections):
        path = f"/follow/section/{section.slug}"
        tokens[path] = form_token(app.test_client().get(path, environ_base=reader(40 + n)).text)

    def send(n: int, wait) -> int:
        path = list(tokens)[n]
        data = {"email": "together@example.org", "cadence": "each", "form_token": tokens[path]}
        client = app.test_client()
        wait()
        answer = client.post(path, data=data, environ_base=reader(40 + n), headers={"Origin": SITE})
        return answer.status_code

    answers = at_once(app, send, list(range(8)), refused=LookupError)
    assert list(answers.values()) == [303] * 8, answers
    assert len(outbox("follow_confirm")) == 3


def test_asking_again_before_confirming_sends_a_new_link_and_keeps_one_subscription(client, lists):
    subscribe(client, "/follow/topic/ports", "twice@example.org", "each")
    first = subscriptions_of("twice@example.org")[0]
    first.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    subscribe(client, "/follow/topic/ports", "twice@example.org", "daily", n=2)
    (again,) = subscriptions_of("twice@example.org")
    assert again.cadence == "daily"
    assert again.created_at > utcnow() - timedelta(minutes=1)  # waits from the newest link
    assert len(outbox("follow_confirm")) == 2


def test_too_many_forms_from_one_network_answer_429_with_the_address_kept(client, lists):
    for n in range(10):
        response = subscribe(client, "/follow", f"reader{n}@example.org", n=1)
        assert response.status_code == 303
    page = client.get("/follow", environ_base=reader(1))
    refused = client.post(
        "/follow/topic/ports",  # the same limit for every follow form
        data={
            "email": "eleventh@example.org",
            "cadence": "daily",
            "form_token": form_token(page.text),
        },
        environ_base={"REMOTE_ADDR": "10.0.1.99"},  # another address of the same network
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Please wait" in refused.text
    assert 'value="eleventh@example.org"' in refused.text
    assert 'value="daily" checked' in refused.text
    assert form_token(refused.text)  # a form that can be sent again
    manage = client.get("/follow/manage", environ_base=reader(1))
    assert manage.status_code == 200
    also_refused = client.post(
        "/follow/manage",
        data={"email": "eleventh@example.org", "form_token": form_token(manage.text)},
        environ_base=reader(1),
    )
    assert also_refused.status_code == 429
    assert 'value="eleventh@example.org"' in also_refused.text
    assert subscribe(client, "/follow", "elsewhere@example.org", n=2).status_code == 303
    assert not subscriptions_of("eleventh@example.org")


def test_a_manage_link_goes_only_to_an_address_that_follows_something(
    client, lists, make_article, make_comment
):
    city, _ = lists
    follower("lists@example.org", ("section", city.id))
    threads = follower("threads@example.org")
    comment = make_comment(make_article())
    db.session.add(
        ThreadFollow(
            subscriber_id=threads.id, root_comment_id=comment.id, article_id=comment.article_id
        )
    )
    db.session.commit()
    follower("nothing@example.org")  # an address row following nothing
    answers = []
    for n, email in enumerate(
        ["lists@example.org", "threads@example.org", "nothing@example.org", "unknown@example.org"]
    ):
        page = client.get("/follow/manage", environ_base=reader(n))
        answers.append(
            client.post(
                "/follow/manage",
                data={"email": email, "form_token": form_token(page.text)},
                environ_base=reader(n),
            )
        )
    assert {(r.status_code, r.headers["Location"]) for r in answers} == {
        (303, "/follow/sent?about=manage")
    }
    assert [(m.kind, m.recipient) for m in outbox()] == [
        ("manage_link", "lists@example.org"),
        ("manage_link", "threads@example.org"),
    ]
    assert "/mail/manage/" in outbox()[0].body_text
    bad = client.post(
        "/follow/manage",
        data={"email": "nope", "form_token": form_token(client.get("/follow/manage").text)},
    )
    assert bad.status_code == 400 and 'value="nope"' in bad.text


def test_unconfirmed_subscriptions_are_dropped_after_three_days(client, lists, app):
    city, ports = lists
    subscribe(client, "/follow/section/city", "late@example.org")
    subscribe(client, "/follow/topic/ports", "mixed@example.org")
    mixed = follower("other@example.org", ("site", None))  # confirmed: stays
    subscribe(client, "/follow/section/city", "other@example.org", n=3)
    now = utcnow()
    assert subscriptions.drop_unconfirmed(now) == 0  # all within their three days
    for subscription in db.session.scalars(select(Subscription)):
        subscription.created_at = now - timedelta(days=3, minutes=1)
    for row in db.session.scalars(select(Subscriber)):
        row.created_at = now - timedelta(days=3, minutes=1)
    for message in db.session.scalars(select(OutboxMessage)):
        message.created_at = now - timedelta(days=3, minutes=1)
    db.session.commit()
    assert jobs(app).drop_unconfirmed.call_local() == 3
    db.session.expire_all()
    assert [s.list_key for s in db.session.scalars(select(Subscription))] == ["site"]
    # The addresses that then follow nothing are forgotten; the one following a list stays.
    assert [s.email for s in db.session.scalars(select(Subscriber))] == [mixed.email]
    # Nothing but the confirmation mails ever went to them.
    assert {m.kind for m in outbox()} == {"follow_confirm"}
    assert subscriptions.drop_unconfirmed(utcnow()) == 0  # again: nothing more


def test_an_address_just_sent_a_confirmation_is_kept_while_its_link_lives(client, lists):
    """A commenter's link names the address row too: it stays while any such link lives."""
    subscribe(client, "/follow/section/city", "recent@example.org")
    old = utcnow() - timedelta(days=4)
    for subscription in db.session.scalars(select(Subscription)):
        subscription.created_at = old
    db.session.scalars(select(Subscriber)).one().created_at = old
    db.session.commit()
    assert subscriptions.drop_unconfirmed(utcnow()) == 1
    assert db.session.scalar(select(func.count(Subscriber.id))) == 1  # its mail is recent


def test_the_worker_drops_unconfirmed_subscriptions_every_hour(app):
    queue = jobs(app)

    def due_at(minute: int) -> set[str]:
        return {task.name for task in queue.huey.read_periodic(datetime(2030, 1, 1, 5, minute))}

    assert "drop_unconfirmed" in due_at(17) and "drop_unconfirmed" not in due_at(18)


def test_section_and_topic_pages_and_the_footer_lead_to_the_follow_forms(client, lists):
    section = client.get("/section/city").text
    topic = client.get("/topic/ports").text
    assert '<a href="/follow/section/city">Follow by e-mail</a>' in section
    assert '<a href="/follow/topic/ports">Follow by e-mail</a>' in topic
    for html in (section, topic, client.get("/").text, client.get("/no-such-page").text):
        assert '<li><a href="/follow">Follow by e-mail</a></li>' in html
    assert (
        '<a href="/follow" aria-current="page">Follow by e-mail</a>' in client.get("/follow").text
    )


@pytest.mark.parametrize("slug", ["follow", "mail"])
def test_a_static_page_cannot_take_the_follow_addresses(editor, slug):
    with pytest.raises(PageRejected) as refused:
        pages.create_page(PageChanges(title="Mine", slug=slug, summary="s"), actor=editor)
    assert refused.value.errors == {
        "slug": f"/{slug} is one of the site's own addresses; please choose another for this page."
    }


def test_staff_send_the_follow_form_with_their_session_token(app, lists, editor, second_worker):
    guarded = second_worker(app, WTF_CSRF_ENABLED=True)
    client = signed_in_by_form(guarded, editor)
    page = client.get("/follow")
    data = {"email": "staff@example.org", "cadence": "each", "form_token": form_token(page.text)}
    refused = client.post("/follow", data=data, headers={"Origin": SITE})
    assert refused.status_code == 400 and "security token has expired" in refused.text
    token = csrf_token_from(client, "/follow")
    sent = client.post("/follow", data={**data, "csrf_token": token}, headers={"Origin": SITE})
    assert sent.status_code == 303
