"""Readers' addresses for mail they asked for: one row per address, the caps on the
confirmation mail one mailbox may be sent, and the signed links every such mail carries.

A confirmation mail (a subscription, a comment's "e-mail me replies" or the proof of a
returning commenter, a link to manage one's subscriptions) is the only mail an address
gets before its owner acts on one. So that nobody can make the site pester an address,
each mailbox (however its address is spelt: mailbox_key) gets at most
MAX_CONFIRMATIONS_PER_DAY of them a day, and each client network may ask for at most
CONFIRMATIONS_PER_CLIENT. What a form answers does not
say whether a mail went out or whether the address is known: it reads the same either way.

Links (blog.links tokens, under /mail/, which blog/accesslog.py redacts):
- confirming a subscription or a comment: for CONFIRM_MAX_AGE, and once (the confirmed
  row says so);
- managing an address's subscriptions: for MANAGE_MAX_AGE;
- leaving a list, a thread, all reply notices or everything: for UNSUBSCRIBE_MAX_AGE, so
  that a mail client's unsubscribe button still works on an old message. Leaving twice
  is leaving once.
Each carries a keyed digest of the address it was made for: a link for a row whose
address is no longer the one it names (a deleted and reused id) is refused.
"""

from __future__ import annotations

import contextlib
import logging
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blog import links
from blog.extensions import db
from blog.models import Subscriber
from blog.ratelimit import count_by_hand, keyed_hash
from blog.templating import external_url

logger = logging.getLogger("blog.mail")

MAX_CONFIRMATIONS_PER_DAY = 3  # confirmation mails to one mailbox in a day
MAILBOX_CAP = f"{MAX_CONFIRMATIONS_PER_DAY} per day"
MAX_DOMAIN = 255
CONFIRMATIONS_PER_CLIENT = "10 per hour; 30 per day"  # asked for from one client network
# The outbox kinds that count as confirmation mails.
CONFIRMATION_KINDS = ("follow_confirm", "comment_confirm", "manage_link")

CONFIRM_MAX_AGE = 3 * 24 * 3600  # an unconfirmed subscription is dropped after as long
MANAGE_MAX_AGE = 30 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600
MAX_TOKEN_LENGTH = 4096

# Link purposes (blog.links), one each.
CONFIRM_SUBSCRIPTION = "follow-confirm"
CONFIRM_COMMENT = "comment-confirm"
MANAGE = "follow-manage"
UNSUBSCRIBE = "unsubscribe"
# What an unsubscribe link ends: one subscription, one followed thread, every followed
# thread, or everything the address gets (its row is deleted).
UNSUBSCRIBE_WHAT = ("list", "thread", "replies", "all")


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def find(email: str) -> Subscriber | None:
    key = email_key(email)
    if not key:
        return None
    return db.session.scalars(select(Subscriber).where(Subscriber.email_key == key)).first()


def address(email: str) -> Subscriber:
    """The address's row, made (and flushed, uncommitted) when it is new; of two requests
    making it at once, the second finds the first's."""
    found = find(email)
    if found is not None:
        return found
    subscriber = Subscriber(email=email.strip(), email_key=email_key(email))
    try:
        with db.session.begin_nested():
            db.session.add(subscriber)
    except IntegrityError:
        found = find(email)
        if found is None:
            raise
        return found
    return subscriber


# Full stops a domain may be typed with that IDNA reads as ".".
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def mailbox_key(email: str) -> str:
    """The mailbox an address reaches, however it is spelt: lower-cased, without a +tag
    (which most providers deliver to the address without it), its domain in one form
    (NFKC: full-width letters and stops as plain ones; then IDNA)."""
    local, _, domain = email_key(email).rpartition("@")
    domain = unicodedata.normalize("NFKC", domain[:MAX_DOMAIN]).translate(_DOTS).rstrip(".")
    with contextlib.suppress(UnicodeError):  # not a name IDNA takes: kept as it is
        domain = domain.encode("idna").decode("ascii")
    return f"{local.split('+', 1)[0]}@{domain}"


def may_send_confirmation(subscriber: Subscriber, client: str) -> bool:
    """Whether one more confirmation mail may go to this address's mailbox, asked for by
    this client (a keyed hash of its network: blog.ratelimit.network_key); counts the ask.
    The counters are the rate limits' own (blog.ratelimit: atomic, shared by every worker,
    and by every server with Redis), so forms sent at the same moment cannot pass a cap
    together; the mailbox is counted by a keyed hash, never by its address. Where they
    cannot be reached, nothing is sent."""
    mailbox = keyed_hash(mailbox_key(subscriber.email), "confirmation-mailbox")
    try:
        if count_by_hand(MAILBOX_CAP, "confirmation-mailbox", mailbox):
            return False
        return count_by_hand(CONFIRMATIONS_PER_CLIENT, "confirmation-mail", client) == 0
    except Exception:  # the limits' store is down: no confirmation mail rather than many
        logger.exception("confirmation mail not sent: the rate limits cannot be counted")
        return False


# ---------- Links ----------


def digest(subscriber: Subscriber) -> str:
    return keyed_hash(subscriber.email_key, "subscriber-link")[:16]


def _token(purpose: str, subscriber: Subscriber, *rest) -> str:
    return links.make_token(purpose, [subscriber.id, digest(subscriber), *rest])


def confirm_subscription_url(subscriber: Subscriber, subscription_id: int) -> str:
    token = _token(CONFIRM_SUBSCRIPTION, subscriber, subscription_id)
    return external_url("follow.confirm", token=token)


def confirm_comment_url(subscriber: Subscriber, comment_id: int) -> str:
    token = _token(CONFIRM_COMMENT, subscriber, comment_id)
    return external_url("comments.confirm", token=token)


def manage_url(subscriber: Subscriber) -> str:
    return external_url("follow.manage", token=_token(MANAGE, subscriber))


def unsubscribe_url(subscriber: Subscriber, what: str, target: int | list[int] = 0) -> str:
    """A link that ends `what` (UNSUBSCRIBE_WHAT) at once, for the mail's body and its
    List-Unsubscribe header (RFC 8058's one-click POST goes to the same address). The
    target: a thread follow's id, or the ids of the subscriptions a mail came through
    (an article can reach one address through the site, its section and a topic)."""
    if what not in UNSUBSCRIBE_WHAT:
        raise ValueError(what)
    target = sorted({int(i) for i in target}) if isinstance(target, list) else int(target)
    token = _token(UNSUBSCRIBE, subscriber, what, target)
    return external_url("follow.unsubscribe", token=token)


def forget_links(subscriber: Subscriber) -> dict[str, str]:
    """For mail.queue(): what a confirmation or manage-link mail carries so that it too
    can be left with one click, in its footer and as List-Unsubscribe: ending everything
    the address gets here, which forgets the address."""
    leave = unsubscribe_url(subscriber, "all")
    return {"leave_url": leave, "unsubscribe_url": leave}


def read(purpose: str, token: str, max_age: int) -> tuple[Subscriber, list]:
    """The address a link was made for and the rest of its payload; LinkExpired, or
    LinkRejected for a link that is not ours, for another purpose, or whose address row
    is gone or no longer the one it was made for (a reader who left everything)."""
    if len(token or "") > MAX_TOKEN_LENGTH:  # never decoded: ours are a few hundred long
        raise links.LinkRejected()
    payload = links.read_token(purpose, token, max_age)
    if len(payload) < 2 or not isinstance(payload[0], int) or not isinstance(payload[1], str):
        raise links.LinkRejected()
    subscriber = db.session.get(Subscriber, payload[0])
    if subscriber is None or digest(subscriber) != payload[1]:
        raise links.LinkRejected(
            "This link is no longer valid: the address it was sent to follows nothing here."
        )
    return subscriber, payload[2:]
