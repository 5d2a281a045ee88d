"""Who a reader may claim to be when commenting: the names and addresses they may not use,
and the proof, never a typed address, that earns a comment immediate publication."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from blog import textfold
from blog.extensions import db
from blog.models import Comment, CommentStatus, User
from blog.ratelimit import keyed_hash

STAFF_NAME_MESSAGE = (
    "That is the name of someone in our newsroom. Please comment under a name of your own "
    "(newsroom staff: sign in to comment under yours)."
)


@dataclass(frozen=True)
class Proofs:
    """What a poster has shown, beyond what they typed, that an e-mail address is theirs.

    `device_digests` are the keyed digests (email_digest) of the addresses under which a
    comment sent from this device was approved: its trusted-commenter cookie
    (blog/comments/trust.py). The other proof comes after posting: the confirmation link
    mailed to the address for the comment itself, which publishes a comment held only for
    want of proof (blog.services.reply_notices) and trusts the device that follows it.
    """

    device_digests: frozenset[str] = frozenset()

    def vouches_for(self, email: str) -> bool:
        return bool(email) and email_digest(email) in self.device_digests


NO_PROOF = Proofs()


def email_digest(email: str) -> str:
    """A secret-keyed digest of the folded address: a cookie can name it without holding it."""
    return keyed_hash(textfold.fold(email), "commenter-email")


def _staff() -> list[tuple[str, str]]:
    """(e-mail, display name) of every newsroom account, deactivated ones included."""
    return [tuple(row) for row in db.session.execute(select(User.email, User.display_name))]


def staff_emails() -> set[str]:
    return {textfold.fold(email) for email, _ in _staff()}


def is_staff_email(email: str) -> bool:
    """The address (or a look-alike spelling of it) belongs to a newsroom account."""
    return bool(email) and textfold.fold(email) in staff_emails()


def is_staff_name(name: str) -> bool:
    """The name reads as a newsroom member's display name, whatever its case, spacing,
    punctuation, invisible characters or look-alike letters."""
    key = textfold.name_key(name)
    return bool(key) and any(textfold.name_key(staff) == key for _, staff in _staff())


def name_problem(name: str) -> str | None:
    """Why a reader may not comment under this name, or None."""
    hidden = textfold.hidden_characters_problem(name)
    if hidden:
        return hidden
    if is_staff_name(name):
        return STAFF_NAME_MESSAGE
    return None


def earned_digests(comment_ids: Iterable[int]) -> frozenset[str]:
    """Digests of the addresses under which these comments (one device's own) were
    approved. A staff address earns nothing, whoever typed it."""
    ids = sorted(set(comment_ids))
    if not ids:
        return frozenset()
    emails = set(
        db.session.scalars(
            select(Comment.author_email).where(
                Comment.id.in_(ids),
                Comment.status == CommentStatus.APPROVED,
                Comment.is_staff.is_(False),
                Comment.author_email != "",
            )
        )
    )
    if not emails:
        return frozenset()
    staff = staff_emails()
    return frozenset(email_digest(e) for e in emails if textfold.fold(e) not in staff)
