"""The audit log of staff actions: who did what, when, and from where (hashed).

Services record into it in the same transaction as the change, so an entry exists
exactly when its change was committed. Admins read it at /editor/audit; entries older
than the `audit_retention_days` site setting are purged by the worker (purge()).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import has_request_context
from sqlalchemy import delete, select

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import AuditEntry, User
from blog.pagination import Page, paginate
from blog.permissions import can_read_audit
from blog.ratelimit import client_key
from blog.services import settings

TARGET_LENGTH = 300
ACTION_LENGTH = 40
PER_PAGE = 50
# The purge deletes this many entries per statement (and transaction), and stops after
# PURGE_BATCHES of them: one hourly run never holds the write lock for long.
PURGE_BATCH = 1000
PURGE_BATCHES = 50
# Entries whose actor is nobody: the worker, a command, an anonymous request.
SYSTEM = "system"
SOURCE_SHOWN = 8  # characters of the hashed address the viewer shows
DETAIL_SHOWN = 200  # characters of one detail's value the viewer shows

# Every action Byline records, with the label the viewer shows. Other actions (recorded by
# parts that have not named theirs here yet) are shown as they are written.
ACTIONS: dict[str, str] = {
    "auth.sign_in": "Signed in",
    "auth.sign_in_failed": "Failed sign-in",
    "auth.sign_out": "Signed out everywhere",
    "auth.password_change": "Changed own password",
    "auth.password_reset": "Reset password by e-mail link",
    "auth.invitation_accept": "Accepted invitation",
    "two_factor.setup_begin": "Began setting up two-factor sign-in",
    "two_factor.enable": "Turned on two-factor sign-in",
    "two_factor.codes_renew": "Made new recovery codes",
    "two_factor.recovery_used": "Signed in with a recovery code",
    "two_factor.disable": "Turned off two-factor sign-in",
    "two_factor.reset": "Reset someone's two-factor sign-in",
    "passkey.add": "Added a passkey",
    "passkey.rename": "Renamed a passkey",
    "passkey.remove": "Removed a passkey",
    "article.submit": "Submitted article for review",
    "article.publish": "Published article",
    "article.schedule": "Scheduled article",
    "article.unpublish": "Unpublished article",
    "article.comments_close": "Closed an article's comments",
    "article.comments_open": "Opened an article's comments",
    "comment.approve": "Approved a reader comment",
    "comment.spam": "Marked a reader comment as spam",
    "comment.delete": "Deleted a reader comment",
    "comment.restore": "Put a reader comment back in the queue",
    "comment.edit": "Edited a reader comment",
    "comment.reports_dismiss": "Dealt with readers' reports of a comment",
    "note.add": "Added an editor's comment",
    "note.edit": "Edited an editor's comment",
    "note.delete": "Deleted an editor's comment",
    "correction.add": "Added a correction or update",
    "correction.retract": "Retracted a correction or update",
    "settings.save": "Changed site settings",
    "site.import": "Imported from another platform",
    "user.create": "Created account with a temporary password",
    "user.invite": "Invited someone",
    "user.invite_renew": "Sent a new invitation link",
    "user.role": "Changed role",
    "user.deactivate": "Deactivated account",
    "user.reactivate": "Reactivated account",
    "user.password_set": "Set a temporary password",
    "section.create": "Created section",
    "section.edit": "Renamed or edited section",
    "section.delete": "Deleted section",
    "topic.create": "Created topic",
    "topic.edit": "Renamed or edited topic",
    "topic.delete": "Deleted topic",
    "user.name": "Chose their public name",
    "page.create": "Created page",
    "page.slug": "Changed a page's address",
    "page.publish": "Published page",
    "page.unpublish": "Unpublished page",
    "page.delete": "Deleted page",
    "page.restore": "Restored a page's earlier revision",
    "article.restore": "Restored an article's earlier revision",
    "front.lead": "Made the lead story",
    "front.pin": "Pinned a top story",
    "front.unpin": "Took a story off the front page",
    "front.move": "Moved a top story",
    "breaking.set": "Set the breaking-news banner",
    "breaking.clear": "Cleared the breaking-news banner",
    "menu.add": "Added a menu link",
    "menu.remove": "Removed a menu link",
    "menu.move": "Moved a menu link",
}


def describe(kind: str, thing: object) -> str:
    """ "article 12: Title" for a row with an id and a title, name or display name."""
    label = next(
        (
            getattr(thing, attribute)
            for attribute in ("title", "name", "display_name", "email")
            if getattr(thing, attribute, None)
        ),
        "",
    )
    ident = getattr(thing, "id", None)
    text = f"{kind} {ident}" if ident is not None else kind
    return f"{text}: {label}"[:TARGET_LENGTH] if label else text[:TARGET_LENGTH]


def record(actor: User | None, action: str, target: str = "", **details: object) -> AuditEntry:
    """Add an entry to the session (committed with the change it tells of).

    action: a dotted verb, e.g. "article.publish" (at most 40 characters; name it in
    ACTIONS); target: what it acted on, see describe(); details: a few JSON-safe facts,
    never a secret.
    """
    if len(action) > ACTION_LENGTH:
        raise ValueError(f"audit action longer than {ACTION_LENGTH} characters: {action!r}")
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else "",
        action=action,
        target=target[:TARGET_LENGTH],
        details=details,
        source=client_key() if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def change(before: object, after: object) -> dict:
    """A detail that changed: {"from": before, "to": after}."""
    return {"from": before, "to": after}


# ----------------------------------------------------------------------- reading


def label(action: str) -> str:
    return ACTIONS.get(action, action)


@dataclass(frozen=True)
class Row:
    """One entry as the viewer shows it."""

    at: datetime
    who: str
    is_system: bool
    action: str
    label: str
    target: str
    details: list[str]
    source: str


def detail_lines(details: dict) -> list[str]:
    """ "role: author → editor", "changed: tagline, timezone": each detail on one line."""
    lines = []
    for key, value in (details or {}).items():
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            text = f"{_shown(value['from'])} → {_shown(value['to'])}"
        elif isinstance(value, list):
            text = ", ".join(_shown(item) for item in value)
        else:
            text = _shown(value)
        lines.append(f"{key}: {text}"[:DETAIL_SHOWN])
    return lines


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    return " ".join(str(value).split())[:DETAIL_SHOWN]


def as_row(entry: AuditEntry) -> Row:
    return Row(
        at=entry.at,
        who=entry.actor_name or SYSTEM,
        is_system=entry.actor_id is None and not entry.actor_name,
        action=entry.action,
        label=label(entry.action),
        target=entry.target,
        details=detail_lines(entry.details),
        source=entry.source[:SOURCE_SHOWN],
    )


@dataclass(frozen=True)
class Choices:
    """What the viewer's filters offer: actions (value, label) and people (id, name)."""

    actions: list[tuple[str, str]]
    people: list[tuple[str, str]]


def filter_choices(viewer: User) -> Choices:
    """The known actions and any other recorded ones; everyone who has an account."""
    _check(viewer)
    stored = db.session.scalars(select(AuditEntry.action).distinct().limit(500)).all()
    others = sorted(set(stored) - set(ACTIONS))
    people = db.session.execute(select(User.id, User.display_name).order_by(User.display_name))
    return Choices(
        actions=[*ACTIONS.items(), *((action, action) for action in others)],
        people=[(SYSTEM, "System"), *((str(user_id), name) for user_id, name in people)],
    )


def log_page(viewer: User, *, action: str = "", who: str = "", page: int = 1) -> Page[Row]:
    """Newest first, one page; `action` and `who` (a user id, or "system") filter it.

    NotFound past the last page; NotAllowed unless the viewer may read the log.
    """
    _check(viewer)
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        statement = statement.where(AuditEntry.action == action[:ACTION_LENGTH])
    if who == SYSTEM:
        statement = statement.where(AuditEntry.actor_id.is_(None), AuditEntry.actor_name == "")
    elif who.isascii() and who.isdigit() and len(who) < 10:
        statement = statement.where(AuditEntry.actor_id == int(who))
    found = paginate(statement, page, PER_PAGE)
    return Page(
        items=[as_row(entry) for entry in found.items],
        page=found.page,
        per_page=found.per_page,
        total=found.total,
    )


def _check(viewer: User) -> None:
    if not can_read_audit(viewer):
        raise NotAllowed()


# ----------------------------------------------------------------------- retention


def purge(now: datetime, *, batch: int = PURGE_BATCH, batches: int = PURGE_BATCHES) -> int:
    """Delete the entries older than the retention setting, `batch` at a time (each its
    own transaction), at most `batches` times; the number deleted. Safe to run again:
    what one run leaves, the next takes."""
    cutoff = now - timedelta(days=settings.load().audit_retention_days)
    deleted = 0
    for _ in range(batches):
        oldest = (
            select(AuditEntry.id)
            .where(AuditEntry.at < cutoff)
            .order_by(AuditEntry.at)
            .limit(batch)
            .scalar_subquery()
        )
        count = db.session.execute(
            delete(AuditEntry)
            .where(AuditEntry.id.in_(oldest))
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        deleted += count
        if count < batch:
            break
    return deleted
