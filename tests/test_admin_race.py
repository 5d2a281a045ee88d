"""Two admins demoting each other at the same moment still leave one admin."""

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Role, User
from blog.services import users
from tests.harness import at_once


def test_simultaneous_demotions_keep_one_admin(app, make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    ids = [first.id, second.id]
    db.session.remove()

    def demote(user_id: int, wait) -> str:
        user = db.session.get(User, user_id)
        wait()  # both have read their target before either writes
        users.change_role(user, Role.EDITOR)
        return "demoted"

    results = at_once(app, demote, ids, refused=users.UserRejected)
    assert sorted(results.values()) == ["demoted", "refused"], results
    admins = db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.active)
    )
    assert admins == 1
