"""The audit log of staff actions: who did what, when, and from where (hashed).

Services record into it in the same transaction as the change, so an entry exists
exactly when its change was committed.
"""

from __future__ import annotations

from flask import has_request_context

from blog.extensions import db
from blog.models import AuditEntry, User
from blog.ratelimit import client_key

TARGET_LENGTH = 300


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

    action: a dotted verb, e.g. "article.publish"; target: what it acted on, see
    describe(); details: a few JSON-safe facts, never a secret.
    """
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
