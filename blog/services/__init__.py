"""Services: plain functions that own Byline's rules."""

from blog.domain import NotFound
from blog.extensions import db


def get_by_id(model, item_id: int):
    """The row of `model` with this id; NotFound (a 404 for views) if there is none."""
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound()
    return item
