"""Services: plain functions that own Byline's rules."""

from sqlalchemy import update

from blog.domain import NotFound
from blog.extensions import db


def get_by_id(model, item_id: int):
    """The row of `model` with this id; NotFound (a 404 for views) if there is none."""
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound()
    return item


def claim_version(model, item_id: int, expected_version: int) -> bool:
    """Move the row from the version an edit started from to the next, in the database:
    of two saves that started from the same version, exactly one gets True. The save's
    own changes decide whether cached pages change (blog/pagecache.py), not this."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == item_id, model.version == expected_version)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False, page_cache_quiet=True)
    ).rowcount
    return claimed == 1
