"""Reply notices: "e-mail me replies" on the comment form, the link mailed to confirm it
(which also proves a returning commenter's address under the "first_time" policy), and
the notice each follower of a thread gets when a reply in it is first approved. Mail goes
through the worker's sender to a real SMTP server, and its links are followed."""

import html
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from blog import links, mail
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, OutboxMessage, Role, ThreadFollow
from blog.models.base import utcnow
from blog.services import comments, moderation, notifications, reply_notices, subscribers
from blog.services.comments import REPLIES_NEED_EMAIL, CommentData
from blog.services.moderation import ModerationAction
from tests.harness import at_once
from tests.security_helpers import signed_in
from tests.test_comment_trust import trust_cookie
from tests.test_comments import ORIGIN, TOKEN_FIELD, comment_id_from, page, post_comment, set_policy
from tests.test_security_headers import assert_secured

ANA, BOB, CLEO = "ana@example.org", "bob@example.org", "cleo@example.org"
LINK = re.compile(r"https?://[^\s<>\"]+")
HREF = re.compile(r'href="([^"]+)"')
AWAITING = re.compile(r'<p class="comment-awaiting" role="status">([^<]*)</p>')
BOX = re.compile(r"<input[^>]*name=\"wants_replies\"[^>]*>")


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing")


# ---------- Helpers ----------


def fresh(comment_id: int) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


def outbox(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def follows(email: str) -> list[int]:
    """The root comment ids of the threads this address follows."""
    db.session.expire_all()
    subscriber = subscribers.find(email)
    if subscriber is None:
        return []
    query = select(ThreadFollow.root_comment_id).where(ThreadFollow.subscriber_id == subscriber.id)
    return sorted(db.session.scalars(query))


def delivered(smtp_server, kind_subject: str) -> list:
    """Send what is due; the received messages whose subject starts so."""
    mail.send_due()
    return [m for m in smtp_server.messages if m["Subject"].startswith(kind_subject)]


def parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def links_in(message) -> list[str]:
    """Every link of both parts, each once, in order."""
    text, markup = parts(message)
    found = LINK.findall(text) + [html.unescape(href) for href in HREF.findall(markup)]
    return list(dict.fromkeys(found))


def path_of(url: str) -> str:
    address = urlsplit(url)
    assert address.netloc == "byline.test", url
    return address.path + (f"?{address.query}" if address.query else "")


def confirm_link(message) -> str:
    [link] = [url for url in links_in(message) if "/mail/comment/" in url]
    return link


def press_confirm(client, link: str):
    """Open the link's page, then press its button, as the reader does."""
    opened = client.get(path_of(link))
    assert opened.status_code == 200, opened.get_data(as_text=True)
    token = TOKEN_FIELD.search(opened.get_data(as_text=True)).group(1)
    return client.post(path_of(link), data={"form_token": token}, headers=ORIGIN)


def moderate(app, editor, comment_id: int, action: str) -> None:
    """A moderator's action from the editor's moderation queue."""
    response = signed_in(app, editor).post(
        f"/editor/comments/{comment_id}/moderate", data={"action": action}
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def confirmed_follower(app, smtp_server, article, email=ANA, name="Ana Asker") -> int:
    """A reader's top-level comment, published at once, whose poster confirmed "e-mail me
    replies" from the mailed link; its id."""
    set_policy("none")
    reader = app.test_client()
    root_id = comment_id_from(
        post_comment(reader, article, name=name, email=email, body="Where is the ferry?",
                     wants_replies="y")
    )  # fmt: skip
    [message] = [m for m in delivered(smtp_server, "Confirm") if m["To"] == email]
    assert press_confirm(reader, confirm_link(message)).status_code == 303
    assert follows(email) == [root_id]
    return root_id


def assert_every_link_answers(client, message, *, leave: bool = True) -> None:
    """Open every link of the message: each answers. The one-click leave link
    (List-Unsubscribe, which must be in the message too) last, or not at all with
    leave=False, since it ends what the others lead to."""
    last = message["List-Unsubscribe"].strip("<>")
    assert last in links_in(message)
    for link in [url for url in links_in(message) if url != last] + ([last] if leave else []):
        response = client.get(path_of(link))
        assert response.status_code in (200, 303), (link, response.status_code)


# ---------- The form ----------


def test_the_box_is_off_by_default_and_not_offered_to_staff(app, client, article, editor):
    [box] = BOX.findall(page(client, article))
    assert 'type="checkbox"' in box and "checked" not in box
    assert "E-mail me replies" in page(client, article)
    staff_page = signed_in(app, editor).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert 'id="comment-form"' in staff_page and not BOX.search(staff_page)


def test_ticked_without_an_address_the_form_comes_back_with_the_text_kept(client, article):
    response = post_comment(
        client, article, name="Ana Asker", email="", body="Keep me, please.", wants_replies="y"
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.search(r'<ul class="field-errors" id="comment-email-errors">(.*?)</ul>', body, re.S)
    assert errors and REPLIES_NEED_EMAIL in errors.group(1)
    assert 'value="Ana Asker"' in body and "Keep me, please.</textarea>" in body
    assert "checked" in BOX.search(body).group(0)
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_staff_comments_never_ask_for_replies(app, article, editor):
    staff = signed_in(app, editor)
    response = post_comment(staff, article, wants_replies="y", body="From the desk.")
    comment = fresh(comment_id_from(response))
    assert comment.is_staff and not comment.wants_replies
    assert outbox("comment_confirm") == []


# ---------- The confirmation mail and its link ----------


def test_the_confirmation_mail_says_what_confirming_does_and_quotes_nothing(
    mail_app, smtp_server, client, article
):
    response = post_comment(
        client, article, name="Ana Asker", email="Ana@Example.org",
        body="A secret only the page shows.", wants_replies="y",
    )  # fmt: skip
    comment = fresh(comment_id_from(response))
    assert comment.status == CommentStatus.PENDING and comment.confirm_sent_at is not None
    [queued] = outbox("comment_confirm")
    [message] = delivered(smtp_server, "Confirm")
    assert message["To"] == ANA and queued.recipient == ANA
    assert message["From"].addresses[0].addr_spec == "noreply@byline.test"
    assert message["Subject"] == "Confirm your comment on “A story worth discussing”"
    assert message["Message-ID"] == queued.message_id
    assert message["List-Id"] == "<byline.byline.test>"
    text, markup = parts(message)
    for part in (text, markup):
        assert "A story worth discussing" in part
        assert "e-mails you replies in its thread" in part
        assert "publishes the comment" not in part
        assert "If you did not write it, ignore this message" in part
        assert "A secret only the page shows" not in part and "Ana Asker" not in part
    link = confirm_link(message)
    assert link in text and html.escape(link) in markup
    assert_every_link_answers(mail_app.test_client(), message)
    assert fresh(comment.id).confirmed_at is None  # opening it changed nothing
    # The poster's own page says a link was mailed.
    [note] = AWAITING.findall(page(client, article))
    assert "A link to confirm is mailed to the address you gave" in note


def test_opening_the_link_changes_nothing_and_the_button_confirms_once(
    mail_app, smtp_server, client, article
):
    comment_id = comment_id_from(
        post_comment(client, article, email=ANA, body="My words.", wants_replies="y")
    )
    link = confirm_link(delivered(smtp_server, "Confirm")[0])
    phone = mail_app.test_client()  # the mail is read on another device

    opened = phone.get(path_of(link))
    shown = opened.get_data(as_text=True)
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    assert_secured(opened, "comment confirmation page")
    assert "A story worth discussing" in shown and "My words." in shown
    assert "e-mails you replies in its thread" in shown and "publishes" not in shown
    assert "appear at once" not in shown  # no approved comment under the address
    assert ANA not in shown
    assert phone.get(path_of(link)).status_code == 200  # a mail scanner may open it twice
    assert fresh(comment_id).confirmed_at is None and follows(ANA) == []

    token = TOKEN_FIELD.search(shown).group(1)
    done = phone.post(path_of(link), data={"form_token": token}, headers=ORIGIN)
    body = done.get_data(as_text=True)
    assert done.status_code == 200, body
    assert "Confirmed" in body and "waits for an editor" in body and ANA not in body
    comment = fresh(comment_id)
    assert comment.confirmed_at is not None and comment.status == CommentStatus.PENDING
    assert follows(ANA) == [comment_id]
    assert trust_cookie(done) is None  # no approved comment under the address yet

    again = phone.post(path_of(link), data={"form_token": token}, headers=ORIGIN)
    assert again.status_code == 410 and "already been confirmed" in again.get_data(as_text=True)
    assert phone.get(path_of(link)).status_code == 410
    assert follows(ANA) == [comment_id]
    # Now the poster's note says replies will come.
    [note] = AWAITING.findall(page(client, article))
    assert "Replies in its thread will be e-mailed to you." in note


def test_the_button_needs_the_pages_token_and_this_sites_origin(
    mail_app, smtp_server, client, article
):
    comment_id = comment_id_from(post_comment(client, article, email=ANA, wants_replies="y"))
    link = confirm_link(delivered(smtp_server, "Confirm")[0])
    token = TOKEN_FIELD.search(client.get(path_of(link)).get_data(as_text=True)).group(1)
    assert client.post(path_of(link), headers=ORIGIN).status_code == 400
    foreign = {"Origin": "https://elsewhere.example"}
    response = client.post(path_of(link), data={"form_token": token}, headers=foreign)
    assert response.status_code == 400
    assert fresh(comment_id).confirmed_at is None and follows(ANA) == []


def test_expired_forged_and_misdirected_links_are_refused(mail_app, client, article):
    comment_id = comment_id_from(post_comment(client, article, email=ANA, wants_replies="y"))
    other_id = comment_id_from(post_comment(client, article, email=BOB, wants_replies="y"))
    ana, bob = subscribers.find(ANA), subscribers.find(BOB)

    def made(subscriber, target: int, **options) -> str:
        payload = [subscriber.id, subscribers.digest(subscriber), target]
        return links.make_token(subscribers.CONFIRM_COMMENT, payload, **options)

    old = utcnow() - timedelta(seconds=subscribers.CONFIRM_MAX_AGE + 60)
    cases = {
        made(ana, comment_id, issued_at=old): 410,  # expired
        made(ana, comment_id)[:-3] + "xyz": 400,  # forged
        made(ana, other_id): 400,  # another address's comment
        links.make_token(subscribers.MANAGE, [ana.id, subscribers.digest(ana)]): 400,
        "not-a-token": 400,
    }
    for token, status in cases.items():
        for method in (client.get, client.post):
            response = method(f"/mail/comment/{token}", headers=ORIGIN)
            assert response.status_code == status, (token, method)
            assert 'class="error-page"' in response.get_data(as_text=True)
    assert fresh(comment_id).confirmed_at is None and fresh(other_id).confirmed_at is None
    assert follows(ANA) == [] and follows(BOB) == []
    assert client.get(f"/mail/comment/{made(ana, comment_id)}").status_code == 200
    assert client.get(f"/mail/comment/{made(bob, other_id)}").status_code == 200


def test_a_deleted_comments_link_has_nothing_to_confirm(
    mail_app, smtp_server, app, article, editor
):
    reader = app.test_client()
    comment_id = comment_id_from(post_comment(reader, article, email=ANA, wants_replies="y"))
    link = confirm_link(delivered(smtp_server, "Confirm")[0])
    moderate(app, editor, comment_id, "delete")
    response = reader.get(path_of(link))
    assert response.status_code == 410 and "no longer on the site" in response.get_data(
        as_text=True
    )
    assert follows(ANA) == []


# ---------- A trusted device publishes, but only the mailbox opts in ----------


def test_a_trusted_device_publishes_but_replies_need_the_mailed_link(app, client, article, editor):
    """Anyone can type an address and, once a comment under it is approved, carry the
    trusted cookie for it: that must never make the site mail replies to that address."""
    first = comment_id_from(post_comment(client, article, email=ANA, body="First."))
    moderate(app, editor, first, "approve")
    response = post_comment(client, article, email=ANA, body="Again.", wants_replies="y")
    comment = fresh(comment_id_from(response))
    assert comment.status == CommentStatus.APPROVED  # the cookie publishes it
    assert follows(ANA) == [] and comment.confirmed_at is None
    assert len(outbox("comment_confirm")) == 1  # the mailbox is asked
    post_comment(app.test_client(), article, email=BOB, parent_id=str(comment.id))
    assert outbox("reply_notice") == []  # nobody said yes yet


# ---------- A returning commenter proves the address ----------


def test_a_returning_commenter_is_published_by_the_link_mailed_for_this_comment(
    mail_app, smtp_server, client, article, make_comment
):
    make_comment(article, "Years ago.", author_email=ANA)  # approved, from another device
    comment_id = comment_id_from(post_comment(client, article, email=ANA, body="I am back."))
    comment = fresh(comment_id)
    assert comment.status == CommentStatus.PENDING and comment.held_reason == "first_time"
    assert "I am back." not in page(mail_app.test_client(), article)  # typing it proved nothing

    [message] = delivered(smtp_server, "Confirm")
    text, _ = parts(message)
    assert "publishes the comment now" in text and "replies" not in text
    shown = client.get(path_of(confirm_link(message))).get_data(as_text=True)
    assert "publishes the comment now" in shown and "appear at once from now on" in shown
    done = press_confirm(client, confirm_link(message))
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/articles/{article.slug}#comment-{comment_id}")
    assert trust_cookie(done)
    comment = fresh(comment_id)
    assert comment.status == CommentStatus.APPROVED and comment.held_reason == ""
    assert follows(ANA) == []  # it did not ask for replies
    assert db.session.get(Article, article.id).comment_count == 2
    assert "I am back." in page(mail_app.test_client(), article)
    # The device is trusted now: its next comment under the address appears at once.
    later = fresh(comment_id_from(post_comment(client, article, email=ANA, body="More.")))
    assert later.status == CommentStatus.APPROVED


def test_an_address_without_an_approved_comment_stays_held(
    mail_app, smtp_server, client, article, make_comment
):
    make_comment(article, "Held too.", author_email=ANA, status=CommentStatus.PENDING)
    unticked = comment_id_from(post_comment(client, article, email=ANA, body="Unticked."))
    assert outbox("comment_confirm") == []  # nothing to prove it for
    ticked = comment_id_from(post_comment(client, article, email=ANA, wants_replies="y"))
    [message] = delivered(smtp_server, "Confirm")
    assert "publishes" not in parts(message)[0]
    assert press_confirm(client, confirm_link(message)).status_code == 200
    assert fresh(ticked).status == CommentStatus.PENDING
    assert fresh(unticked).status == CommentStatus.PENDING
    assert follows(ANA) == [ticked]


def test_a_comment_held_for_its_links_is_not_published_by_its_link(
    mail_app, smtp_server, client, article, make_comment
):
    make_comment(article, "Years ago.", author_email=ANA)
    links_body = "See [a](https://a.example), [b](https://b.example) and [c](https://c.example)."
    comment_id = comment_id_from(
        post_comment(client, article, email=ANA, body=links_body, wants_replies="y")
    )
    assert fresh(comment_id).held_reason == "links"
    [message] = delivered(smtp_server, "Confirm")
    assert "publishes" not in parts(message)[0]
    done = press_confirm(client, confirm_link(message))
    assert done.status_code == 200 and "waits for an editor" in done.get_data(as_text=True)
    assert fresh(comment_id).status == CommentStatus.PENDING
    assert follows(ANA) == [comment_id]
    assert trust_cookie(done)  # the address is proven, and has an approved comment


def test_an_address_that_became_the_newsrooms_is_not_published_by_its_link(
    mail_app, smtp_server, client, article, make_user, make_comment
):
    make_comment(article, "Years ago.", author_email="sam@example.org")
    comment_id = comment_id_from(post_comment(client, article, email="sam@example.org"))
    [message] = delivered(smtp_server, "Confirm")
    make_user(Role.AUTHOR, name="Sam Staff", email="sam@example.org")  # hired meanwhile
    done = press_confirm(client, confirm_link(message))
    assert done.status_code == 200 and trust_cookie(done) is None
    assert fresh(comment_id).status == CommentStatus.PENDING


def test_two_presses_of_one_button_at_once_confirm_once(app, client, article):
    comment_id = comment_id_from(post_comment(client, article, email=ANA, wants_replies="y"))
    [queued] = outbox("comment_confirm")
    token = LINK.search(queued.body_text).group(0).rsplit("/", 1)[1]
    db.session.remove()

    def press(_, wait) -> str:
        reply_notices.confirmation(token)
        wait()  # both have read the link before either confirms
        reply_notices.confirm(token)
        return "confirmed"

    results = at_once(app, press, [1, 2], refused=reply_notices.NothingToConfirm)
    assert sorted(results.values()) == ["confirmed", "refused"], results
    assert follows(ANA) == [comment_id]


def test_a_newsroom_address_is_never_published_by_its_link(
    mail_app, smtp_server, client, article, make_user, make_comment
):
    make_user(Role.EDITOR, name="Dana Desk", email="desk@byline.example")
    make_comment(article, "Approved by mistake.", author_email="desk@byline.example")
    comment_id = comment_id_from(
        post_comment(client, article, email="desk@byline.example", wants_replies="y")
    )
    assert fresh(comment_id).held_reason == "staff_email"
    [message] = delivered(smtp_server, "Confirm")
    assert "publishes" not in parts(message)[0]
    done = press_confirm(client, confirm_link(message))
    assert done.status_code == 200 and trust_cookie(done) is None
    assert fresh(comment_id).status == CommentStatus.PENDING


def test_the_posters_note_reads_the_same_whatever_the_site_knows_of_the_address(
    mail_app, article, make_comment
):
    """Whether a mail went out (an approved comment under the address, or not) must not
    show on the poster's page: anyone can type anyone's address."""
    make_comment(article, "Years ago.", author_email=ANA)
    notes = set()
    for email in (ANA, BOB):
        poster = mail_app.test_client()
        comment_id_from(post_comment(poster, article, email=email))
        [note] = AWAITING.findall(page(poster, article))
        notes.add(note)
    assert [m.recipient for m in outbox("comment_confirm")] == [ANA]
    assert len(notes) == 1 and "a link that publishes this one is mailed" in notes.pop()


# ---------- Caps ----------


def test_the_fourth_confirmation_in_a_day_is_not_sent(mail_app, smtp_server, client, article):
    posted = [
        comment_id_from(post_comment(client, article, email=ANA, body=f"Try {n}.",
                                     wants_replies="y"))
        for n in range(subscribers.MAX_CONFIRMATIONS_PER_DAY + 1)
    ]  # fmt: skip
    assert len(outbox("comment_confirm")) == subscribers.MAX_CONFIRMATIONS_PER_DAY
    assert fresh(posted[-1]).confirm_sent_at is None
    assert all(fresh(i).confirm_sent_at for i in posted[:-1])
    assert len(delivered(smtp_server, "Confirm")) == subscribers.MAX_CONFIRMATIONS_PER_DAY
    notes = AWAITING.findall(page(client, article))
    assert len(notes) == len(posted) and len(set(notes)) == 1  # the page does not tell


def test_one_network_asking_for_many_addresses_is_capped(app, article):
    for n in range(11):
        data = CommentData(name="Many Names", body="Hello.", email=f"r{n}@example.org",
                           wants_replies=True)  # fmt: skip
        comments.submit(article, data, client_key=f"c{n}", client_network="one-network")
    assert len(outbox("comment_confirm")) == 10  # subscribers.CONFIRMATIONS_PER_CLIENT
    data = CommentData(name="Other Net", body="Hi.", email="r99@example.org", wants_replies=True)
    comments.submit(article, data, client_key="c99", client_network="another-network")
    assert len(outbox("comment_confirm")) == 11


def test_spam_the_honeypot_caught_gets_no_mail(client, article):
    post_comment(client, article, email=ANA, wants_replies="y", website="http://spam.example")
    assert outbox("comment_confirm") == [] and follows(ANA) == []


# ---------- Notices ----------


def test_a_reply_is_mailed_to_the_thread_follower_with_its_links(mail_app, smtp_server, article):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    replier = mail_app.test_client()
    reply_id = comment_id_from(
        post_comment(replier, article, name="Bob Boatman", email=BOB, parent_id=str(root_id),
                     body="At **nine**, from <pier 2>.\n\nSee you there.")
    )  # fmt: skip
    [queued] = outbox("reply_notice")
    [message] = delivered(smtp_server, "Bob Boatman replied")
    assert queued.recipient == ANA and message["To"] == ANA
    assert message["Subject"] == "Bob Boatman replied on “A story worth discussing”"
    assert message["Message-ID"] == queued.message_id and message["List-Id"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave_thread = message["List-Unsubscribe"].strip("<>")
    assert "/mail/unsubscribe/" in leave_thread
    text, markup = parts(message)
    assert "At **nine**, from <pier 2>." in text and "See you there." in text
    assert "At **nine**, from &lt;pier 2&gt;." in markup and "<pier 2>" not in markup
    for part in (text, markup):
        assert "Bob Boatman" in part and "A story worth discussing" in part
        assert BOB not in part
    reply_link = next(url for url in links_in(message) if f"#comment-{reply_id}" in url)
    opened = mail_app.test_client().get(path_of(reply_link))
    assert opened.status_code == 200 and f'id="comment-{reply_id}"' in opened.get_data(as_text=True)
    assert leave_thread in links_in(message)
    assert len([url for url in links_in(message) if "/mail/unsubscribe/" in url]) == 2
    assert any("/mail/manage/" in url for url in links_in(message))
    assert_every_link_answers(mail_app.test_client(), message)
    assert follows(ANA) == []  # the thread's link (and all replies' link) ended it


def test_the_mail_clients_one_click_unsubscribe_ends_the_thread(mail_app, smtp_server, article):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    post_comment(mail_app.test_client(), article, email=BOB, parent_id=str(root_id))
    [message] = delivered(smtp_server, "Rosa Reader replied")
    leave_thread = message["List-Unsubscribe"].strip("<>")
    # RFC 8058: a POST from the mail provider's servers, no cookie, origin or form token.
    response = mail_app.test_client().post(
        path_of(leave_thread), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert follows(ANA) == []
    post_comment(mail_app.test_client(), article, email=CLEO, parent_id=str(root_id))
    assert len(outbox("reply_notice")) == 1  # nobody hears of the second reply


def test_ones_own_reply_tells_nobody(mail_app, smtp_server, article):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    own = mail_app.test_client()
    post_comment(own, article, email="Ana@Example.ORG", parent_id=str(root_id), body="Thanks!")
    assert outbox("reply_notice") == []


def test_a_moderators_approval_tells_the_follower_once(mail_app, smtp_server, article, editor):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    set_policy("first_time")
    reply_id = comment_id_from(
        post_comment(mail_app.test_client(), article, email=BOB, parent_id=str(root_id))
    )
    assert fresh(reply_id).status == CommentStatus.PENDING
    assert outbox("reply_notice") == []  # held: nobody hears of it yet
    moderate(mail_app, editor, reply_id, "approve")
    assert [m.recipient for m in outbox("reply_notice")] == [ANA]
    assert fresh(reply_id).notified_at is not None
    moderate(mail_app, editor, reply_id, "restore")
    moderate(mail_app, editor, reply_id, "approve")
    assert fresh(reply_id).status == CommentStatus.APPROVED
    assert len(outbox("reply_notice")) == 1  # an approval after a restore tells nobody


def test_two_moderators_approving_at_once_tell_the_follower_once(
    mail_app, smtp_server, article, editor
):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    set_policy("first_time")
    reply_id = comment_id_from(
        post_comment(mail_app.test_client(), article, email=BOB, parent_id=str(root_id))
    )
    db.session.remove()

    def approve(_, wait) -> str:
        assert db.session.get(Comment, reply_id).status == CommentStatus.PENDING
        wait()  # both saw it waiting before either approves
        moderation.moderate([reply_id], ModerationAction.APPROVE)
        return "approved"

    results = at_once(mail_app, approve, [1, 2], refused=reply_notices.NothingToConfirm)
    assert sorted(results.values()) == ["approved", "approved"], results
    assert [m.recipient for m in outbox("reply_notice")] == [ANA]


def test_a_moderators_mail_link_approval_tells_the_follower(mail_app, smtp_server, article, editor):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    set_policy("first_time")
    reply_id = comment_id_from(
        post_comment(mail_app.test_client(), article, email=BOB, parent_id=str(root_id))
    )
    url = notifications.moderation_url(fresh(reply_id), ModerationAction.APPROVE, editor)
    assert mail_app.test_client().post(path_of(url)).status_code == 200
    assert fresh(reply_id).status == CommentStatus.APPROVED
    assert [m.recipient for m in outbox("reply_notice")] == [ANA]


def test_a_reply_published_by_its_posters_link_tells_the_follower(
    mail_app, smtp_server, article, make_comment
):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    make_comment(article, "Long ago.", author_email=CLEO)
    set_policy("first_time")
    cleo = mail_app.test_client()
    reply_id = comment_id_from(
        post_comment(cleo, article, name="Cleo Crew", email=CLEO, parent_id=str(root_id))
    )
    assert outbox("reply_notice") == []
    [message] = [m for m in delivered(smtp_server, "Confirm") if m["To"] == CLEO]
    assert_every_link_answers(cleo, message, leave=False)  # opening it changes nothing
    assert outbox("reply_notice") == []
    assert press_confirm(cleo, confirm_link(message)).status_code == 303
    [notice] = outbox("reply_notice")
    assert notice.recipient == ANA and "Cleo Crew" in notice.subject
    assert fresh(reply_id).status == CommentStatus.APPROVED
    # The confirmation's own leave link (its page's button) forgets the address.
    leave = path_of(message["List-Unsubscribe"].strip("<>"))
    assert cleo.get(leave).status_code == 200
    assert cleo.post(leave, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscribers.find(CLEO) is None


def test_without_a_site_address_an_approval_goes_ahead_and_tells_nobody(
    app, article, make_comment, caplog
):
    root = make_comment(article, "Where is the ferry?", author_email=ANA)
    reply_notices.follow(subscribers.address(ANA), root)
    db.session.commit()
    reply = make_comment(
        article, "At nine.", author_email=BOB, parent=root, status=CommentStatus.PENDING
    )
    app.config["SERVER_NAME"] = None  # a command on a site without SITE_URL
    with caplog.at_level("WARNING", logger="blog.mail"):
        moderation.moderate([reply.id], ModerationAction.APPROVE)
    reply = fresh(reply.id)
    assert reply.status == CommentStatus.APPROVED and reply.notified_at is not None
    assert outbox("reply_notice") == []
    assert "reply_notice: no mail queued, SITE_URL is not set" in caplog.text


def test_leaving_drops_what_waits_and_forgetting_leaves_no_mail_to_the_address(
    mail_app, smtp_server, article
):
    root_id = confirmed_follower(mail_app, smtp_server, article)
    post_comment(mail_app.test_client(), article, email=BOB, parent_id=str(root_id))
    [waiting] = outbox("reply_notice")
    assert waiting.recipient == ANA and waiting.sent_at is None
    follower = subscribers.find(ANA)
    leave_replies = path_of(subscribers.unsubscribe_url(follower, "replies"))
    assert mail_app.test_client().get(leave_replies).status_code == 200
    assert outbox("reply_notice") == []  # left at once: the waiting notice goes unsent
    assert mail.send_due() == 0

    forget = path_of(subscribers.unsubscribe_url(follower, "all"))
    one_click = {"List-Unsubscribe": "One-Click"}
    assert mail_app.test_client().post(forget, data=one_click).status_code == 200
    kept = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert ANA not in kept  # its sent confirmation is gone with the address
