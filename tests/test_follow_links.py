"""The links in followers' mail and the pages they open: the confirmation mail as a real
SMTP server receives it (every link in it followed), confirming (never by GET, once),
the manage page, leaving with one click (GET, and a mail program's RFC 8058 POST), and
taking it back; expired and forged links."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blog import links, mail
from blog.extensions import db
from blog.models import Mailing, Subscriber, Subscription, ThreadFollow
from blog.models.base import utcnow
from blog.services import subscribers, subscriptions
from blog.services.subscriptions import AlreadyConfirmed
from tests.follow_helpers import (
    SITE,
    follower,
    form_token,
    links_in,
    only_link,
    outbox,
    path_of,
    reader,
    subscribe,
    subscriptions_of,
)
from tests.harness import at_once


@pytest.fixture
def lists(make_section, make_topic, make_article):
    city = make_section("City", slug="city")
    ports = make_topic("Ports", slug="ports")
    article = make_article("The harbour reopens", section=city, topics=[ports])
    return city, ports, article


def confirm_link(email: str) -> str:
    """The path of the confirmation link last queued for this address."""
    (message,) = [m for m in outbox("follow_confirm") if m.recipient == email][-1:]
    return only_link(message.body_text, "/mail/confirm/")


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def follows_thread(subscriber: Subscriber, comment) -> ThreadFollow:
    follow = ThreadFollow(
        subscriber_id=subscriber.id, root_comment_id=comment.id, article_id=comment.article_id
    )
    db.session.add(follow)
    db.session.commit()
    return follow


def answers_every_link(client, message) -> list[str]:
    """Follow every link in both parts of a received message: each must answer (a page or
    a redirect), never 4xx or 5xx. The message's List-Unsubscribe link, which must be in
    both parts too, is followed last: it ends what the others lead to. The links, for
    more checks."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    found = sorted(set(links_in(text)))
    assert found == sorted(set(links_in(html))), "the two parts carry different links"
    leave = (message["List-Unsubscribe"] or "").strip("<>")
    assert leave in found, "the one-click leave link is not in the message"
    for link in [*(link for link in found if link != leave), leave]:
        assert link.startswith(SITE), link
        response = client.get(path_of(link))
        assert response.status_code in (200, 303), (link, response.status_code)
    return found


# ---------- The mail, by real SMTP ----------


def test_the_confirmation_mail_arrives_whole_and_every_link_in_it_works(
    mail_app, smtp_server, lists
):
    client = mail_app.test_client()
    assert subscribe(client, "/follow/topic/ports", "rosa@example.org", "daily").status_code == 303
    assert mail.send_due() == 1
    (received,) = smtp_server.messages
    assert received["To"] == "rosa@example.org"
    assert received["From"] == "Byline <noreply@byline.test>"
    assert received["Subject"] == "Confirm that you want to follow the topic Ports"
    assert received["Message-ID"].endswith("@byline.test>")
    assert received["List-Id"] == "<byline.byline.test>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    for part in (text, html):
        assert "the topic Ports" in part and "a daily digest" in part
        assert "within 3 days" in part
    (link,) = [link for link in links_in(text) if "/mail/confirm/" in link]
    page = client.get(path_of(link))
    assert subscriptions_of("rosa@example.org")[0].confirmed_at is None  # opening did nothing
    confirmed = client.post(path_of(link), data={"form_token": form_token(page.text)})
    assert confirmed.status_code == 200
    assert subscriptions_of("rosa@example.org")[0].confirmed_at is not None
    # The mail's other link, its one-click leave link, asks, then forgets the address.
    leave = received["List-Unsubscribe"].strip("<>")
    assert sorted(set(links_in(text))) == sorted(set(links_in(html))) == sorted([link, leave])
    assert client.get(path_of(leave)).status_code == 200
    assert client.post(path_of(leave), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscribers.find("rosa@example.org") is None


def test_the_manage_link_asked_for_arrives_and_every_link_in_it_works(mail_app, smtp_server, lists):
    city, _, _ = lists
    follower("asks@example.org", ("section", city.id))
    client = mail_app.test_client()
    page = client.get("/follow/manage", environ_base=reader(3))
    asked = client.post(
        "/follow/manage",
        data={"email": "asks@example.org", "form_token": form_token(page.text)},
        environ_base=reader(3),
        headers={"Origin": SITE},
    )
    assert asked.status_code == 303
    assert mail.send_due() == 1
    (received,) = smtp_server.messages
    assert received["To"] == "asks@example.org"
    assert received["List-Id"] == "<byline.byline.test>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = answers_every_link(client, received)
    (manage,) = [link for link in found if "/mail/manage/" in link]
    assert "The section City" in client.get(path_of(manage)).text
    assert subscribers.find("asks@example.org") is not None  # opening leave-all only asks


def test_the_already_following_mail_links_to_a_working_manage_page(mail_app, smtp_server, lists):
    city, _, _ = lists
    follower("known@example.org", ("section", city.id))
    client = mail_app.test_client()
    assert subscribe(client, "/follow/section/city", "known@example.org").status_code == 303
    assert mail.send_due() == 1
    (received,) = smtp_server.messages
    assert received["Subject"] == "You already follow the section City"
    assert received["List-Id"] == "<byline.byline.test>"
    text = received.get_body(("plain",)).get_content()
    (link,) = [link for link in links_in(text) if "/mail/manage/" in link]
    manage = client.get(path_of(link))
    assert "The section City" in manage.text
    assert "k…@example.org" in manage.text and "known@example.org" not in manage.text
    # Every link answers; the mail's one-click leave link (its button) forgets the address.
    assert len(answers_every_link(client, received)) == 2
    leave = path_of(received["List-Unsubscribe"].strip("<>"))
    assert client.post(leave, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscribers.find("known@example.org") is None


def test_nothing_but_the_confirmation_reaches_an_address_before_it_confirms(
    mail_app, smtp_server, lists, make_article
):
    """The worker's mailings (blog/services/mailing_sender.py) skip an unconfirmed
    address; once confirmed it gets the next article, and every link in that works."""
    from blog.services import mailing_sender

    client = mail_app.test_client()
    subscribe(client, "/follow/topic/ports", "rosa@example.org")
    _, ports, _ = lists

    def publish_and_send(title: str) -> None:
        article = make_article(title, topics=[ports])
        db.session.add(Mailing(kind="article", key=f"article:{article.id}", article_id=article.id))
        db.session.commit()
        mailing_sender.run()
        mail.send_due()

    publish_and_send("Before confirming")
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Confirm that you want to follow the topic Ports"
    ]
    link = confirm_link("rosa@example.org")
    client.post(link, data={"form_token": form_token(client.get(link).text)})
    publish_and_send("After confirming")
    (article_mail,) = smtp_server.messages[1:]
    assert "After confirming" in article_mail["Subject"]
    assert article_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = answers_every_link(mail_app.test_client(), article_mail)
    assert any("/mail/manage/" in link for link in found)
    assert subscriptions_of("rosa@example.org") == []  # its leave link was followed too


# ---------- Confirming ----------


def test_opening_the_link_shows_what_it_confirms_and_only_the_button_confirms(client, lists):
    subscribe(client, "/follow/section/city", "rosa@example.org", "daily")
    link = confirm_link("rosa@example.org")
    for _ in range(2):  # mail scanners open links, sometimes twice
        page = client.get(link)
        assert page.status_code == 200
        assert "the section City" in page.text and "a daily digest" in page.text
        assert page.headers["Cache-Control"] == "no-store"
        assert "rosa@example.org" not in page.text
    assert client.head(link).status_code == 200
    assert subscriptions_of("rosa@example.org")[0].confirmed_at is None
    done = client.post(link, data={"form_token": form_token(page.text)}, headers={"Origin": SITE})
    assert done.status_code == 200 and "Subscription confirmed" in done.text
    assert subscriptions_of("rosa@example.org")[0].confirmed_at is not None
    # The link works once: a second use (opened or sent) says so.
    for again in (client.get(link), client.post(link, data={"form_token": "x"})):
        assert again.status_code == 410
        assert "confirmed already" in again.text
        assert 'href="/follow/manage"' in again.text


def test_two_confirmations_at_once_confirm_once(app, client, lists):
    subscribe(client, "/follow", "rosa@example.org")
    token = token_of(confirm_link("rosa@example.org"))

    def attempt(key, wait):
        subscriptions.confirmation(token)  # both find it waiting
        wait()
        return subscriptions.confirm(token).is_confirmed

    results = at_once(app, attempt, [1, 2], refused=AlreadyConfirmed)
    assert sorted(map(str, results.values())) == ["True", "refused"]
    with pytest.raises(AlreadyConfirmed):
        subscriptions.confirm(token)


def test_the_confirm_button_needs_its_token_and_this_site(client, lists):
    subscribe(client, "/follow", "rosa@example.org")
    link = confirm_link("rosa@example.org")
    token = form_token(client.get(link).text)
    forged = client.post(link, data={"form_token": "forged"})
    foreign = client.post(link, data={"form_token": token}, headers={"Origin": "https://x.example"})
    assert forged.status_code == foreign.status_code == 400
    assert subscriptions_of("rosa@example.org")[0].confirmed_at is None


def test_expired_forged_and_misused_confirmation_links(client, lists):
    subscribe(client, "/follow/topic/ports", "rosa@example.org")
    (subscription,) = subscriptions_of("rosa@example.org")
    subscriber = db.session.get(Subscriber, subscription.subscriber_id)
    payload = [subscriber.id, subscribers.digest(subscriber), subscription.id]
    four_days_ago = utcnow() - timedelta(days=4)
    expired = links.make_token(subscribers.CONFIRM_SUBSCRIPTION, payload, issued_at=four_days_ago)
    response = client.get(f"/mail/confirm/{expired}")
    assert response.status_code == 410
    assert "This link has expired" in response.text and 'href="/follow"' in response.text
    assert client.post(f"/mail/confirm/{expired}").status_code == 410

    good = token_of(confirm_link("rosa@example.org"))
    other = follower("other@example.org", ("site", None), confirmed=False)
    not_ours = [
        good[:-3] + ("abc" if not good.endswith("abc") else "xyz"),  # the signature broken
        "x" * 5000,  # longer than any link of ours
        links.make_token(subscribers.MANAGE, payload),  # signed for another purpose
        # Signed, but naming another address's subscription.
        links.make_token(
            subscribers.CONFIRM_SUBSCRIPTION,
            [subscriber.id, subscribers.digest(subscriber), other.subscriptions[0].id],
        ),
    ]
    for token in not_ours:
        response = client.get(f"/mail/confirm/{token}")
        assert response.status_code == 400, token[:40]
        assert "This link cannot be used" in response.text
    # A genuine link for a subscription that has since ended.
    db.session.delete(db.session.get(Subscription, subscription.id))
    db.session.commit()
    ended = client.get(f"/mail/confirm/{good}")
    assert ended.status_code == 410 and "no longer waits to be confirmed" in ended.text
    assert all(s.confirmed_at is None for s in db.session.scalars(select(Subscription)))


# ---------- Managing ----------


def manage_path(subscriber: Subscriber) -> str:
    return path_of(subscribers.manage_url(subscriber))


def manage(client, path: str, **data):
    token = form_token(client.get(path).text)
    return client.post(path, data={**data, "form_token": token}, headers={"Origin": SITE})


def test_the_manage_page_changes_and_ends_subscriptions(client, lists, make_comment, make_user):
    city, ports, article = lists
    rosa = follower("rosa@example.org", ("site", None), ("section", city.id))
    waiting = Subscription(
        subscriber_id=rosa.id, scope="topic", list_key=f"topic:{ports.id}", topic_id=ports.id
    )
    db.session.add(waiting)
    db.session.commit()
    follows_thread(rosa, make_comment(article))
    other = follower("other@example.org", ("site", None))
    path = manage_path(rosa)

    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.text
    assert "r…@example.org" in html and "rosa@example.org" not in html
    assert (
        html.index("Everything on Byline")
        < html.index("The section City")
        < html.index("The topic Ports")
    )
    assert html.count("Confirmed") == 2 and "Waiting for you to confirm" in html
    assert "new replies in 1 discussion." in html
    site, section = subscriptions_of("rosa@example.org")[:2]

    changed = manage(client, path, action="cadence", subscription=site.id, cadence="daily")
    assert changed.status_code == 303
    assert "that list now comes as you chose" in client.get(changed.headers["Location"]).text
    assert subscriptions_of("rosa@example.org")[0].cadence == "daily"
    bad = manage(client, path, action="cadence", subscription=site.id, cadence="weekly")
    assert bad.status_code == 400 and "Choose how often" in bad.text
    assert manage(client, path, action="explode").status_code == 400
    for odd in ("²", "9" * 40, "-1", ""):  # not an id: nothing to change, no error
        assert manage(client, path, action="end", subscription=odd).status_code == 303, odd

    ended = manage(client, path, action="end", subscription=section.id)
    assert "you no longer follow that list" in client.get(ended.headers["Location"]).text
    assert [s.list_key for s in subscriptions_of("rosa@example.org")] == [
        "site",
        f"topic:{ports.id}",
    ]
    # Another address's subscription is not this page's to end.
    theirs = other.subscriptions[0].id
    again = manage(client, path, action="end", subscription=theirs)
    assert "already ended" in client.get(again.headers["Location"]).text
    assert len(subscriptions_of("other@example.org")) == 1

    replies = manage(client, path, action="replies")
    assert "no more replies" in client.get(replies.headers["Location"]).text
    assert db.session.scalar(select(func.count(ThreadFollow.id))) == 0

    everything = manage(client, path, action="all")
    assert everything.status_code == 200 and "your address has been deleted" in everything.text
    db.session.expire_all()
    assert subscribers.find("rosa@example.org") is None
    assert subscriptions_of("rosa@example.org") == []
    assert client.get(path).status_code == 400  # the address it was made for is gone


def test_the_manage_forms_need_their_token_and_this_site(client, lists):
    rosa = follower("rosa@example.org", ("site", None))
    path = manage_path(rosa)
    token = form_token(client.get(path).text)
    forged = client.post(path, data={"action": "all", "form_token": "forged"})
    foreign = client.post(
        path, data={"action": "all", "form_token": token}, headers={"Origin": "https://x.example"}
    )
    assert forged.status_code == foreign.status_code == 400
    assert subscribers.find("rosa@example.org") is not None


def test_expired_and_forged_manage_links_offer_a_new_one(client, lists):
    rosa = follower("rosa@example.org", ("site", None))
    payload = [rosa.id, subscribers.digest(rosa)]
    old = links.make_token(subscribers.MANAGE, payload, issued_at=utcnow() - timedelta(days=31))
    expired = client.get(f"/mail/manage/{old}")
    assert expired.status_code == 410 and 'href="/follow/manage"' in expired.text
    forged = client.get(f"/mail/manage/{links.make_token(subscribers.UNSUBSCRIBE, payload)}")
    assert forged.status_code == 400 and 'href="/follow/manage"' in forged.text
    assert client.post(f"/mail/manage/{old}", data={"action": "all"}).status_code == 410
    assert subscribers.find("rosa@example.org") is not None


# ---------- Leaving with one click ----------


@pytest.fixture
def rosa(lists, make_comment):
    """An address following the site and a section, and two comment threads."""
    city, _, article = lists
    rosa = follower("rosa@example.org", ("site", None), ("section", city.id), cadence="daily")
    first, second = make_comment(article, "First."), make_comment(article, "Second.")
    return rosa, follows_thread(rosa, first), follows_thread(rosa, second)


def leave_path(subscriber, what: str, target=0) -> str:
    return path_of(subscribers.unsubscribe_url(subscriber, what, target))


def test_each_unsubscribe_link_ends_its_part_at_once_and_twice_is_once(client, rosa):
    subscriber, thread, _ = rosa
    site, section = subscriptions_of("rosa@example.org")
    cases = [
        ("list", [site.id], ["everything on Byline"], 1, 2),
        ("thread", thread.id, ["the discussion on “The harbour reopens”"], 1, 1),
        ("replies", 0, ["the discussion on “The harbour reopens”"], 1, 0),
        ("list", [section.id], ["the section City"], 0, 0),
    ]
    for what, target, names, lists_left, threads_left in cases:
        path = leave_path(subscriber, what, target)
        first = client.get(path)
        assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
        for name in names:
            assert name in first.text, what
        assert len(subscriptions_of("rosa@example.org")) == lists_left, what
        count = db.session.scalar(select(func.count(ThreadFollow.id)))
        assert count == threads_left, what
        second = client.get(path)
        assert second.status_code == 200 and "you had left already" in second.text
    # Ending everything cannot be undone: opening its link asks, its button ends it.
    leave_all = leave_path(subscriber, "all")
    asked = client.get(leave_all)
    assert asked.status_code == 200 and "cannot be undone" in asked.text
    assert subscribers.find("rosa@example.org") is not None
    button = {"List-Unsubscribe": "One-Click"}
    assert 'name="List-Unsubscribe" value="One-Click"' in asked.text
    gone = client.post(leave_all, data=button)
    assert gone.status_code == 200 and "your address has been deleted" in gone.text
    assert subscribers.find("rosa@example.org") is None
    again = client.post(leave_all, data=button)
    assert again.status_code == 200 and "there is nothing more to end" in again.text


def test_a_mail_programs_one_click_post_leaves_without_cookie_origin_or_token(app, rosa):
    subscriber, thread, _ = rosa
    site, section = subscriptions_of("rosa@example.org")
    program = app.test_client(use_cookies=False)
    body = {"List-Unsubscribe": "One-Click"}
    response = program.post(leave_path(subscriber, "list", [site.id, section.id]), data=body)
    assert response.status_code == 200
    assert subscriptions_of("rosa@example.org") == []
    # From another site's servers, say (an Origin a browser would never send here).
    response = program.post(
        leave_path(subscriber, "thread", thread.id),
        data=body,
        headers={"Origin": "https://mx.example"},
    )
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(ThreadFollow.id))) == 1
    # Twice is once; and a POST that is not the one-click request leaves nothing.
    path = leave_path(subscriber, "all")
    refused = program.post(path, data={"something": "else"})
    assert refused.status_code == 400 and subscribers.find("rosa@example.org") is not None
    assert program.post(path, data=body).status_code == 200
    assert program.post(path, data=body).status_code == 200
    assert subscribers.find("rosa@example.org") is None


def test_a_link_checkers_head_leaves_nothing(client, rosa):
    subscriber, _, _ = rosa
    assert client.head(leave_path(subscriber, "all")).status_code == 200
    assert subscribers.find("rosa@example.org") is not None


def undo(client, page):
    """Press the page's Undo button."""
    token = form_token(page.text)
    undo_token = page.text.split('name="undo" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post(
        "/mail/undo", data={"undo": undo_token, "form_token": token}, headers={"Origin": SITE}
    )


def test_what_a_link_ended_can_be_taken_back_once(client, rosa, lists):
    subscriber, thread, _ = rosa
    site, section = subscriptions_of("rosa@example.org")
    left = client.get(leave_path(subscriber, "list", [site.id, section.id]))
    assert "Undo" in left.text
    assert subscriptions_of("rosa@example.org") == []
    taken_back = undo(client, left)
    assert taken_back.status_code == 200 and "You follow these again" in taken_back.text
    again = subscriptions_of("rosa@example.org")
    assert [(s.list_key, s.cadence) for s in again] == [
        ("site", "daily"),
        (f"section:{lists[0].id}", "daily"),
    ]
    assert all(s.confirmed_at is not None for s in again)
    twice = undo(client, left)
    assert twice.status_code == 200 and "Nothing to take back" in twice.text
    assert len(subscriptions_of("rosa@example.org")) == 2

    left = client.get(leave_path(subscriber, "replies"))
    assert db.session.scalar(select(func.count(ThreadFollow.id))) == 0
    assert undo(client, left).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ThreadFollow.id))) == 2

    everything = client.get(leave_path(subscriber, "all"))
    assert "Undo" not in everything.text  # the address is forgotten: follow again instead


def test_an_undo_needs_its_token_this_site_and_a_day_at_most(client, rosa):
    subscriber, thread, _ = rosa
    left = client.get(leave_path(subscriber, "thread", thread.id))
    undo_token = left.text.split('name="undo" type="hidden" value="', 1)[1].split('"', 1)[0]
    forged = client.post("/mail/undo", data={"undo": undo_token, "form_token": "forged"})
    assert forged.status_code == 400
    foreign = client.post(
        "/mail/undo",
        data={"undo": undo_token, "form_token": form_token(left.text)},
        headers={"Origin": "https://x.example"},
    )
    assert foreign.status_code == 400
    assert client.post("/mail/undo", data={"undo": "forged"}).status_code == 400
    payload = [subscriber.id, subscribers.digest(subscriber), "thread", [[1, 1]]]
    stale = links.make_token("follow-undo", payload, issued_at=utcnow() - timedelta(days=2))
    late = client.post("/mail/undo", data={"undo": stale, "form_token": form_token(left.text)})
    assert late.status_code == 410 and "too late" in late.text
    assert db.session.scalar(select(func.count(ThreadFollow.id))) == 1


def test_expired_and_forged_unsubscribe_links_offer_a_manage_link(client, rosa):
    subscriber, _, _ = rosa
    payload = [subscriber.id, subscribers.digest(subscriber), "all", 0]
    old = links.make_token(
        subscribers.UNSUBSCRIBE, payload, issued_at=utcnow() - timedelta(days=366)
    )
    expired = client.get(f"/mail/unsubscribe/{old}")
    assert expired.status_code == 410 and 'href="/follow/manage"' in expired.text
    foreign = links.make_token(subscribers.MANAGE, payload)  # not an unsubscribe link
    for token in (foreign, "not-a-token", "x" * 5000):
        response = client.get(f"/mail/unsubscribe/{token}")
        assert response.status_code == 400 and 'href="/follow/manage"' in response.text
    assert subscribers.find("rosa@example.org") is not None
