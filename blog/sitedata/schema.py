"""What a site's data is made of: the tables to move, their column kinds, and the schema
revisions of the code and of a database."""

import base64
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    LargeBinary,
    String,
    Table,
    column,
    func,
    inspect,
    select,
    table,
    text,
)

import blog.models  # noqa: F401  (registers every table on the metadata)
from blog.extensions import db
from blog.models.base import UTCDateTime
from blog.rendering import render_article, render_comment
from blog.services.search import is_index_object
from blog.services.subscribers import email_key
from blog.sitedata import SiteDataError
from blog.text import email_identity

# Tables of the models that are deliberately not moved, with the reason. Every other
# table in db.metadata is exported (tests/test_export.py checks both lists against the
# models and the database).
EXCLUDED_TABLES: dict[str, str] = {
    # The worker's own state: mail waiting or given up (it names private addresses, and a
    # moved site must not send the old site's mail again), its marks and its failures.
    "outbox_messages": "mail of this site's worker, with private addresses",
    "job_marks": "the worker's own bookkeeping",
    "job_failures": "the worker's own bookkeeping",
    # Where each sending to the followers got to: a moved site must not take up the old
    # site's mailings (its readers would get them twice); their addresses move with the
    # site (subscribers, subscriptions, thread_follows), so a newsroom keeps its followers.
    "mailings": "the worker's progress through this site's mail to followers",
}
# Exported on purpose: audit_entries, so a moved or restored site keeps its trail. Its
# `source` hashes are keyed with SECRET_KEY: new entries match old ones only if the key
# moves with the site. And imported_items and old_urls, like old_slugs: a moved site still
# answers the addresses it had before an import, and the same import run again there adds
# nothing twice.
# Kept by Alembic itself; a database's revision travels in the manifest instead.
ALEMBIC_TABLE = "alembic_version"
# Columns of HTML that blog.rendering makes from another column, by table: an import makes
# them again from their Markdown and never stores an export's HTML (tests/test_export.py
# checks that every *_html column of the models is here, with the renderer its model uses).
RENDERED: dict[str, dict[str, tuple[str, Callable[[str], str]]]] = {
    "articles": {"body_html": ("body_md", render_article)},
    "editor_comments": {"body_html": ("body_md", render_article)},
    "comments": {"body_html": ("body_md", render_comment)},
    "pages": {"body_html": ("body_md", render_article)},
    "corrections": {"body_html": ("body_md", render_article)},
}
# Columns stored only in one normal form, by table: an import stores that form, so an
# edited export cannot bring in a second spelling of an account's or a follower's address.
NORMALISED: dict[str, dict[str, Callable[[str], str]]] = {
    "users": {"email": email_identity},
    "subscribers": {"email_key": email_key},
}


# ------------------------------------------------------------------------ revisions


def script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config)


def known_revisions() -> list[str]:
    """This code's revisions, oldest first (Byline's history is a single line)."""
    return [script.revision for script in reversed(list(script_directory().walk_revisions()))]


def head_revision() -> str:
    return known_revisions()[-1]


def database_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(revision: object, what: str) -> None:
    """Refuse data made by a newer Byline, whose schema this code does not know."""
    known = known_revisions()
    if revision not in known:
        raise SiteDataError(
            f"The {what} was made at schema revision {revision!r}, which this Byline does "
            f"not know (it knows up to {known[-1]}): upgrade Byline first."
        )


def is_older(revision: str, than: str) -> bool:
    known = known_revisions()
    return known.index(revision) < known.index(than)


# --------------------------------------------------------------------------- tables

# How a column's values are written in an export, by the kind of column.
TAGS = {"value", "utc_datetime", "datetime", "date", "json", "bytes"}


def column_tag(col) -> str:
    kind = col.type
    if isinstance(kind, UTCDateTime):
        return "utc_datetime"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, LargeBinary):
        return "bytes"
    if isinstance(kind, Integer | String | Boolean | Enum):
        return "value"
    raise SiteDataError(f"Byline cannot export column {col} of type {kind!r} yet.")


def column_type(tag: str):
    return {
        "utc_datetime": UTCDateTime(),
        "datetime": DateTime(),
        "date": Date(),
        "json": JSON(),
        "bytes": LargeBinary(),
    }.get(tag)


def encode(tag: str, value):
    """A column value as JSON."""
    if value is None or tag in ("value", "json"):
        return value
    if tag == "bytes":
        return base64.b64encode(value).decode("ascii")
    return value.isoformat()


def decode(tag: str, value):
    if value is None or tag in ("value", "json"):
        return value
    if tag == "bytes":
        return base64.b64decode(value)
    if tag == "date":
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


@dataclass
class TablePlan:
    """One table as an export describes it (and an import reads it back)."""

    name: str
    columns: dict[str, str]  # name -> tag, in table order
    primary_key: list[str]
    # Foreign keys to rows loaded later (a cycle, or the table itself): inserted empty
    # and filled in once every table is loaded.
    deferred: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def file(self) -> str:
        return f"tables/{self.name}.jsonl"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TablePlan":
        try:
            plan = cls(
                name=str(data["name"]),
                columns={str(k): str(v) for k, v in data["columns"].items()},
                primary_key=[str(c) for c in data["primary_key"]],
                deferred=[str(c) for c in data["deferred"]],
                rows=int(data["rows"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SiteDataError("The export's manifest describes a table it cannot.") from exc
        known = set(plan.columns)
        if (
            not set(plan.columns.values()) <= TAGS
            or not plan.primary_key
            or not set(plan.primary_key) <= known
            or not set(plan.deferred) <= known
            or (plan.deferred and len(plan.primary_key) != 1)
            or not plan.name.replace("_", "").isalnum()
            or any(
                html in known and source not in known
                for html, (source, _) in RENDERED.get(plan.name, {}).items()
            )
        ):
            raise SiteDataError(f"The export's manifest describes table {plan.name!r} badly.")
        return plan

    def render_again(self, row: dict) -> dict:
        """The row with its HTML columns made again from their Markdown, and its normalised
        columns in their normal form."""
        for html, (source, render) in RENDERED.get(self.name, {}).items():
            if html in row:
                row[html] = render(row[source] or "")
        for name, normalise in NORMALISED.get(self.name, {}).items():
            if row.get(name) is not None:
                row[name] = normalise(row[name])
        return row

    def lightweight_table(self):
        """The table for inserts, typed from the export (not from today's models)."""
        return table(self.name, *(column(n, column_type(t)) for n, t in self.columns.items()))


def exported_tables() -> list[Table]:
    """Every model table except the excluded ones, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in EXCLUDED_TABLES]


def plan_for(tables: list[Table]) -> list[TablePlan]:
    plans, loaded = [], set()
    for tbl in tables:
        deferred = [
            col.name
            for col in tbl.columns
            if any(fk.column.table.name not in loaded for fk in col.foreign_keys)
        ]
        plans.append(
            TablePlan(
                name=tbl.name,
                columns={col.name: column_tag(col) for col in tbl.columns},
                primary_key=[col.name for col in tbl.primary_key.columns],
                deferred=deferred,
            )
        )
        loaded.add(tbl.name)
    return plans


# ------------------------------------------------------------------- a live database


def site_tables(connection: Connection) -> dict[str, set[str]]:
    """The database's own tables and their columns, without Alembic's table and the
    engine-specific search index (migration 0002), which are not site data."""
    inspector = inspect(connection)
    found = {}
    for name in inspector.get_table_names():
        if name == ALEMBIC_TABLE or is_index_object(name, "table", {}):
            continue
        found[name] = {
            col["name"]
            for col in inspector.get_columns(name)
            if not is_index_object(col["name"], "column", {"table_name": name})
        }
    return found


def count_rows(connection: Connection, names) -> int:
    return sum(
        connection.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in names
    )


def fix_sequences(connection: Connection, plans: list[TablePlan]) -> None:
    """After rows were inserted with their ids, move PostgreSQL's id sequences past them."""
    if connection.dialect.name != "postgresql":
        return  # SQLite gives max(rowid) + 1 by itself
    for plan in plans:
        if len(plan.primary_key) != 1:
            continue
        key = plan.primary_key[0]
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": plan.name, "column": key},
        ).scalar_one()
        if sequence:
            connection.execute(
                text(
                    f'SELECT setval(:sequence, coalesce(max("{key}"), 1), max("{key}") IS NOT NULL)'
                    f' FROM "{plan.name}"'
                ),
                {"sequence": sequence},
            )
