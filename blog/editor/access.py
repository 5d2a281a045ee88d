"""Decorators that guard the editor area's views with the predicates of
`blog.permissions`."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from blog.models import User
from blog.permissions import STAFF_ROLES, is_admin, is_editor


def requires(predicate: Callable[[User], bool]):
    """Login required, then 403 unless predicate(current_user) holds."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = requires(lambda user: user.role in STAFF_ROLES)
editor_required = requires(is_editor)
admin_required = requires(is_admin)
