"""Helpers for the follow-by-e-mail tests: sending the forms as a reader does, reading the
outbox and the links in a message, and followers made directly in the database."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from blog.extensions import db
from blog.models import OutboxMessage, Subscriber, Subscription
from blog.models.base import utcnow

SITE = "http://byline.test"
TOKEN_FIELD = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+")


def reader(n: int) -> dict:
    """The environ of a reader on network n (each /24 is a network of its own)."""
    return {"REMOTE_ADDR": f"10.{n // 250}.{n % 250}.7"}


def form_token(html: str) -> str:
    match = TOKEN_FIELD.search(html)
    assert match, "no form token in the page"
    return match.group(1)


def subscribe(client, path: str, email: str, cadence: str = "each", n: int = 1):
    """Open the follow page at `path` and send its form, as a reader on network n does."""
    page = client.get(path, environ_base=reader(n))
    assert page.status_code == 200, page.status_code
    data = {"email": email, "cadence": cadence, "form_token": form_token(page.text)}
    return client.post(path, data=data, environ_base=reader(n), headers={"Origin": SITE})


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def links_in(text: str) -> list[str]:
    """Every absolute link in a message's text (or HTML, its &amp; undone), in order."""
    return [link.rstrip(".,)") for link in LINK.findall(text.replace("&amp;", "&"))]


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def only_link(text: str, under: str) -> str:
    """The path of the one link under `under` (e.g. "/mail/confirm/") in a message."""
    (link,) = {path_of(link) for link in links_in(text) if under in link}
    return link


def follower(email: str, *lists: tuple[str, int | None], cadence: str = "each", confirmed=True):
    """An address following each (scope, target id) list, confirmed unless told not."""
    subscriber = Subscriber(email=email, email_key=email.lower())
    db.session.add(subscriber)
    db.session.flush()
    for scope, target_id in lists:
        db.session.add(
            Subscription(
                subscriber_id=subscriber.id,
                scope=scope,
                list_key=Subscription.key_of(scope, target_id),
                section_id=target_id if scope == "section" else None,
                topic_id=target_id if scope == "topic" else None,
                cadence=cadence,
                confirmed_at=utcnow() if confirmed else None,
            )
        )
    db.session.commit()
    return subscriber


def subscriptions_of(email: str) -> list[Subscription]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Subscription)
            .join(Subscriber, Subscriber.id == Subscription.subscriber_id)
            .where(Subscriber.email_key == email.lower())
            .order_by(Subscription.id)
        )
    )
