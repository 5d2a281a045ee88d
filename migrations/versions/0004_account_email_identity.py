"""Account e-mail addresses stored as their identity spelling.

Sign-in, the lockout counter and the duplicate check now compare one spelling of an
address: NFKC, case-folded, without control or invisible characters and spaces
(blog.services.users.email_identity). Addresses were stored lower-cased before, which is
the same spelling for every plain ASCII address; this rewrites the others (an address with
a character that case-folds differently, such as "ß", or a stray invisible one) so their
accounts can still sign in. An address whose identity another account already has is
left as it was and named in the log: an administrator decides which account keeps it.

The old spelling is not recorded, so the downgrade leaves the addresses as they are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import logging
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The categories email_identity() drops: controls, format characters (U+200B, the soft
# hyphen, bidi controls), unassigned code points and non-characters, and separators
# (spaces). Kept here as they were at this revision.
DROPPED = {"Cc", "Cf", "Cn", "Zs", "Zl", "Zp"}

users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String))


def identity(email: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).casefold())
    visible = "".join(ch for ch in folded if unicodedata.category(ch) not in DROPPED)
    return unicodedata.normalize("NFKC", visible)


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)).all()
    taken = {email for _, email in rows}
    for user_id, email in rows:
        wanted = identity(email)
        if wanted == email:
            continue
        if wanted in taken:
            logging.getLogger("alembic").warning(
                "account %s: its e-mail address is spelled like another account's; "
                "left as it was",
                user_id,
            )
            continue
        connection.execute(users.update().where(users.c.id == user_id).values(email=wanted))
        taken.add(wanted)


def downgrade():
    pass
