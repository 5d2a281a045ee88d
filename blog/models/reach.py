"""How a change to each table's rows reaches the public pages.

Every model says it with a class attribute `__public__ = PublicReach(...)`, a plain
table with `info={PUBLIC: PublicReach(...)}`; blog.pagecache reads them to decide which
cached pages a commit retires, and refuses to start while a table says nothing.
"""

from dataclasses import dataclass
from enum import Enum

from sqlalchemy.orm import DeclarativeBase, Mapper, QueryableAttribute

# The key of a plain table's declaration in its `info`.
PUBLIC = "public"


class Reach(Enum):
    NONE = "none"  # on no public page, or only in counters that may lag by the cache's TTL
    SITE = "site"  # any public page may show it: a change retires every cached page
    ARTICLE = "article"  # one article's discussion: a change retires that article's pages


@dataclass(frozen=True)
class PublicReach:
    """What a change to a row retires. Columns are named by the model's own attributes.

    article: with Reach.ARTICLE, the column holding the article's id.
    quiet: columns whose change alone alters no page at once (counters that may lag by
        the cache's TTL, sign-in bookkeeping no page shows).
    public_while: (column, value): the row is public only while the column holds the
        value, so a change that finds it so neither before nor after alters no page.
    new_rows: whether a new row shows at once: True; False, only once another row
        refers to it; or (column, value), only when the column holds the value.
    """

    reach: Reach
    article: object = None
    quiet: tuple = ()
    public_while: tuple | None = None
    new_rows: bool | tuple = True


class UndeclaredReach(RuntimeError):
    """A table says nothing of how a change to its rows reaches the public pages."""


@dataclass(frozen=True)
class TableReach:
    """A table's declared PublicReach, its columns named by the model's attribute keys."""

    reach: Reach
    article: str | None = None
    quiet: frozenset[str] = frozenset()
    public_while: tuple[str, object] | None = None
    new_rows: bool | tuple[str, object] = True

    def shows_new(self, instance: object) -> bool:
        """Whether this new row is on a public page as soon as it is written."""
        if isinstance(self.new_rows, tuple):
            key, value = self.new_rows
            return getattr(instance, key) == value
        return self.new_rows


def resolve(mapper: Mapper, declared: PublicReach) -> TableReach:
    def key(attribute) -> str:
        if isinstance(attribute, QueryableAttribute):
            return attribute.key
        # A mapped_column named in the class body, or a Column.
        return mapper.get_property_by_column(getattr(attribute, "column", attribute)).key

    def condition(pair):
        return (key(pair[0]), pair[1]) if isinstance(pair, tuple) else pair

    if (declared.reach is Reach.ARTICLE) != (declared.article is not None):
        raise ValueError(f"{mapper.class_.__name__}: name the article for Reach.ARTICLE only")
    return TableReach(
        reach=declared.reach,
        article=None if declared.article is None else key(declared.article),
        quiet=frozenset(key(column) for column in declared.quiet),
        public_while=condition(declared.public_while),
        new_rows=condition(declared.new_rows),
    )


def read_declarations(base: type[DeclarativeBase]) -> dict[str, TableReach]:
    """Each table of base's metadata with the reach its model (`__public__`) or, for a
    plain table, its info declares. A table without one is an error: its changes would
    silently leave stale pages."""
    declared: dict[str, TableReach] = {}
    for mapper in base.registry.mappers:
        reach = mapper.class_.__dict__.get("__public__")
        if reach is not None:
            declared[mapper.local_table.name] = resolve(mapper, reach)
    for table in base.metadata.tables.values():
        reach = table.info.get(PUBLIC)
        if reach is not None:
            if reach != PublicReach(reach.reach):
                raise ValueError(f"{table.name}: a plain table declares its reach alone")
            declared[table.name] = TableReach(reach.reach)
    missing = sorted(set(base.metadata.tables) - set(declared))
    if missing:
        raise UndeclaredReach(
            "no public reach declared for "
            + ", ".join(missing)
            + ": give the model `__public__ = PublicReach(...)` (blog/models/reach.py)"
        )
    return declared
