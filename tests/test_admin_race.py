"""Two admins demoting each other at the same moment still leave one admin."""

import threading

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Role, User
from blog.services import users


def test_simultaneous_demotions_keep_one_admin(app, make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    ids = [first.id, second.id]
    db.session.remove()
    barrier = threading.Barrier(2, timeout=20)
    results: dict[int, str] = {}

    def demote(user_id: int) -> None:
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()  # both have read their target before either writes
            try:
                users.change_role(user, Role.EDITOR)
                results[user_id] = "demoted"
            except users.UserRejected:
                results[user_id] = "refused"
            except Exception as exc:  # reported below rather than lost in the thread
                results[user_id] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=demote, args=(user_id,)) for user_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["demoted", "refused"], results
    admins = db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.active)
    )
    assert admins == 1
