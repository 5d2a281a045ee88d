"""What counts as a change to public pages: the page cache's generations (blog/pagecache.py)
that a commit makes old, as each table's model declares (blog/models/reach.py)."""

import functools
import hashlib

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import InstanceState, ORMExecuteState, Session
from sqlalchemy.orm.util import identity_key

from blog.extensions import db
from blog.models import Article
from blog.models.base import Base
from blog.models.reach import Reach, TableReach, read_declarations

SITE_GENERATION = "generation:site"


def article_generation(slug: str) -> str:
    return "generation:article:" + hashlib.blake2b(slug.encode(), digest_size=12).hexdigest()


@functools.cache
def declarations() -> dict[str, TableReach]:
    """Byline's tables and how their changes reach public pages."""
    return read_declarations(Base)


def article_slug(session: Session, article_id: int) -> str:
    article = session.identity_map.get(identity_key(Article, article_id))
    if article is not None and "slug" in article.__dict__:
        return article.slug
    return session.connection().scalar(select(Article.slug).where(Article.id == article_id))


def ever_holds(state: InstanceState, key: str, value: object) -> bool:
    """The attribute holds value before or after the pending change, or may have: one
    set without its old value loaded, or never loaded, counts as holding it."""
    history = state.attrs[key].history
    if not (history.added or history.unchanged or history.deleted):
        return True  # never loaded: unknown
    if history.added and not history.deleted and state.persistent:
        return True  # set without its old value loaded: the old one is unknown
    return value in (*history.added, *history.unchanged, *history.deleted)


def changed_generations(session: Session) -> set[str]:
    """The generations that the pending changes of session make old, as each table's
    declared reach says (blog/models/reach.py)."""
    declared = declarations()
    names: set[str] = set()

    def concerns(instance, change: str) -> None:
        state = inspect(instance)
        table = declared[state.mapper.local_table.name]
        if table.reach is Reach.NONE:
            return
        if change == "new" and not table.shows_new(instance):
            return  # a held comment, an image no article shows yet
        if change == "changed":
            changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
            if not changed - table.quiet:
                return
        if table.public_while is not None and not ever_holds(state, *table.public_while):
            return  # public neither before nor after: a draft, an article in review
        if table.reach is Reach.SITE:
            names.add(SITE_GENERATION)
        else:
            names.add(article_generation(article_slug(session, getattr(instance, table.article))))

    for instance in session.new:
        concerns(instance, "new")
    for instance in session.deleted:
        concerns(instance, "deleted")
    for instance in session.dirty:
        concerns(instance, "changed")
    return names


def _note_flush(session: Session, flush_context) -> None:
    # After the flush, foreign keys are set; new/dirty/deleted and the attribute history
    # still describe what the flush wrote.
    pending = session.info.setdefault("page_cache", set())
    if SITE_GENERATION not in pending:
        pending |= changed_generations(session)


def _note_statement(state: ORMExecuteState):
    """An INSERT, UPDATE or DELETE statement retires the whole site's pages (which rows
    it wrote is not known), unless its table reaches no page or it says it is quiet."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    if state.execution_options.get("page_cache_quiet"):
        return None
    table = declarations().get(getattr(getattr(state.statement, "table", None), "name", None))
    if table is not None and table.reach is Reach.NONE:
        return None
    # Run it here to see whether it changed anything: a delete or update that matched no
    # row (a draft's slug clearing old redirects that were never there) changes no page.
    result = state.invoke_statement()
    # A statement with RETURNING (a bulk insert) has no row count: it wrote rows.
    if getattr(result, "rowcount", -1) != 0:
        state.session.info.setdefault("page_cache", set()).add(SITE_GENERATION)
    return result


def _after_commit(session: Session) -> None:
    names = session.info.pop("page_cache", None)
    if names and has_app_context():
        cache = current_app.extensions.get("byline_page_cache")
        if cache is not None:
            cache.bump([SITE_GENERATION] if SITE_GENERATION in names else sorted(names))


def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop("page_cache", None)


def listen_for_changes() -> None:
    """Watch the sessions of db.session, the one the app and its services use."""
    if event.contains(db.session, "after_commit", _after_commit):
        return
    event.listen(db.session, "after_flush", _note_flush)
    event.listen(db.session, "do_orm_execute", _note_statement)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)
