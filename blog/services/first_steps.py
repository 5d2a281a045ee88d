"""First sign-in: the steps a staff account takes before it acts as staff. A password
someone else saw (printed by a command, made by an admin) is replaced, two-factor sign-in
is set up where the site requires it, and a name nobody chose (the first admin made by
`init`) is chosen. The editor sends such an account to each step's page in turn
(blog/editor/welcome.py); until none is left, it cannot comment as staff either
(blog/services/comments.py)."""

from __future__ import annotations

from blog.models import User
from blog.services import profiles, two_factor, users

# In order: the step's name, and whether a signed-in account still has it to take.
STEPS = (
    ("password", users.needs_new_password),
    ("two_factor", two_factor.needs_setup),
    ("name", profiles.needs_name),
)


def next_step(user: User) -> str | None:
    """The first step this signed-in account has left ("password", "two_factor" or
    "name"), or None when it has none (or is not signed in)."""
    return next((step for step, needed in STEPS if needed(user)), None)


def all_done(user: User) -> bool:
    return next_step(user) is None
