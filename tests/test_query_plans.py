"""Query plans: the pages' queries are served by indexes, on SQLite and on PostgreSQL.

Each case makes a request as a reader (or an editor) does, records every statement it
runs with a `before_cursor_execute` listener, and asks the database how it would run
each one: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (FORMAT JSON)` on PostgreSQL.

The rule for every statement: no content table is read whole. Content tables are all
tables but the small reference ones below, which a site keeps to a few dozen rows
(sections, topics, newsroom accounts, settings, static pages) and which the navigation,
the search form, the settings and the sitemap read whole anyway.

- SQLite: no `SCAN <table>` without `USING INDEX` / `USING COVERING INDEX`.
- PostgreSQL: no `Seq Scan` on a content table. The test tables are tiny, and on a tiny
  table PostgreSQL rightly prefers a sequential scan, so the plans are made with
  `SET LOCAL enable_seqscan = off`: a sequential scan is then only chosen when no
  usable index exists, which is what this test looks for.

SQLite has no statistics here, so its plans are predictable, and some cases check more
on SQLite: the index that serves a key query, an ordering the index gives (no temp
B-tree sort), and lookups by primary key where the query picks a bounded set of ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, select

from blog import formguard
from blog.extensions import db
from blog.models import Comment, CommentStatus, OldUrl
from tests.test_queries import (  # noqa: F401  (app: a fixture)
    OLD_PAGE_SLUG,
    OLD_SLUG,
    Newsroom,
    Site,
    app,
)

# A site has a handful of static pages (About, Contact, ...): the sitemap lists them all.
REFERENCE_TABLES = frozenset({"sections", "topics", "users", "site_settings", "pages"})
CONTENT_TABLES = frozenset(t.name for t in db.metadata.sorted_tables) - REFERENCE_TABLES
EXPLAINABLE = re.compile(r"\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ALIAS = re.compile(r"\b(\w+) AS (\w+)\b")
SORT = "USE TEMP B-TREE FOR ORDER BY"
# The lead story's addresses on the site it was imported from.
OLD_URL, OLD_QUERY_URL = "/2024/05/06/an-older-headline", "/?p=12"


def flat(sql: str) -> str:
    return " ".join(sql.split())


# ------------------------------------------------------------------- recording


@dataclass
class Statement:
    sql: str
    parameters: object


@contextmanager
def recording() -> Iterator[list[Statement]]:
    """Every explainable statement run inside the block, as sent to the driver."""
    statements: list[Statement] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not executemany and EXPLAINABLE.match(statement):
            statements.append(Statement(statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# --------------------------------------------------------------------- plans


@dataclass
class Plan:
    sql: str
    lines: list[str]  # SQLite: every line; PostgreSQL: one line per plan node
    outer: list[str]  # SQLite: the lines of the outermost query
    full_scans: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return flat(self.sql)[:600] + "\n    " + "\n    ".join(self.lines)


def explain(statement: Statement) -> Plan:
    if db.engine.dialect.name == "sqlite":
        return explain_sqlite(statement)
    return explain_postgres(statement)


def explain_sqlite(statement: Statement) -> Plan:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement.sql, statement.parameters
        ).all()
    # The plan names a table by its alias ("comments_1"): map aliases to tables.
    tables = {alias: name for name, alias in ALIAS.findall(statement.sql)}
    plan = Plan(
        statement.sql,
        lines=[row.detail for row in rows],
        outer=[row.detail for row in rows if row.parent == 0],
    )
    for line in plan.lines:
        scan = re.match(r"SCAN (\w+)(.*)", line)
        if (
            scan
            and tables.get(scan[1], scan[1]) in CONTENT_TABLES
            and not re.search(r"USING (COVERING )?INDEX", scan[2])
        ):
            plan.full_scans.append(line)
    return plan


def plan_nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explain_postgres(statement: Statement) -> Plan:
    with db.engine.connect() as conn:
        # A sequential scan stays possible, at a prohibitive cost: it is chosen only
        # when no index can serve the query.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        document = conn.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement.sql, statement.parameters
        ).scalar_one()
        conn.rollback()
    nodes = list(plan_nodes(document[0]["Plan"]))
    lines = [
        " ".join(
            str(node[key]) for key in ("Node Type", "Relation Name", "Index Name") if key in node
        )
        for node in nodes
    ]
    plan = Plan(statement.sql, lines=lines, outer=lines)
    plan.full_scans = [
        line
        for node, line in zip(nodes, lines, strict=True)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in CONTENT_TABLES
    ]
    return plan


# ---------------------------------------------------------------------- site


@dataclass
class PlanSite(Site):
    pending_id: int = 0  # a comment held for review, for the moderation cases


@pytest.fixture
def site(make_article, make_section, make_topic, make_user, make_comment) -> PlanSite:
    """The query-count test's newsroom: stories with covers, topics, a thread with
    replies, editor's comments, shares, an old slug; a comment held for review, and the
    lead's old addresses from an imported site."""
    built = Newsroom(make_article, make_section, make_topic, make_user).build()
    pending = make_comment(built.lead, "Held for review", status=CommentStatus.PENDING)
    for path in (OLD_URL, OLD_QUERY_URL):
        db.session.add(OldUrl(path=path, article_id=built.lead.id))
    db.session.commit()
    return PlanSite(**vars(built), pending_id=pending.id)


# --------------------------------------------------------------------- cases


def having(*parts: str, without: tuple[str, ...] = ()) -> Callable[[str], bool]:
    """Picks a key statement by fragments of its SQL."""
    return lambda sql: all(p in sql for p in parts) and not any(p in sql for p in without)


@dataclass
class Case:
    run: Callable  # (client, login, site) -> None: the requests, their statuses checked
    keys: dict[str, Callable[[str], bool]]  # the key statements the case must run
    # SQLite only, per key statement:
    ordered: tuple[str, ...] = ()  # its index gives the order: no sort of its outer query
    by_id: tuple[str, ...] = ()  # its outer query reads articles by primary key
    # Its outer query reads its table's newest rows backwards along the primary key and
    # stops at its LIMIT: SQLite calls that a SCAN, yet it reads only LIMIT rows.
    newest: tuple[str, ...] = ()
    uses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # plan lines it must have


def get(*paths: Callable[[Site], str], status: int = 200) -> Callable:
    def run(client, login, site):
        for path in paths:
            response = client.get(path(site))
            assert response.status_code == status, path(site)

    return run


def as_editor(path: Callable[[Site], str]) -> Callable:
    def run(client, login, site):
        login(site.editor)
        assert client.get(path(site)).status_code == 200

    return run


def share(client, login, site):
    token = formguard.issue_token("share", site.lead.id)
    response = client.post(
        f"/articles/{site.lead.slug}/share/reddit",
        data={"token": token},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert response.status_code == 303


def approve(client, login, site):
    login(site.editor)
    response = client.post(
        f"/editor/comments/{site.pending_id}/moderate", data={"action": "approve"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Comment.status).where(Comment.id == site.pending_id)) == (
        CommentStatus.APPROVED
    )


LISTING = "ORDER BY articles.published_at DESC, articles.id DESC LIMIT"
PRIMARY_KEY = "SEARCH articles USING INTEGER PRIMARY KEY"
TOPIC_INDEX = "ix_article_topics_topic_id_article_id (topic_id=?)"
THREAD_INDEX = "ix_comments_article_id_parent_id_created_at_id (article_id=? AND parent_id=?)"
AUTHOR_INDEX = "ix_articles_author_id_status_published_at (author_id=?"
COAUTHOR_INDEX = "ix_article_coauthors_user_id_article_id (user_id=?)"


def listing_by(path: Callable[[Site], str], column: str) -> Case:
    """A page listing the articles whose `column` names one thing (a section, an author),
    and counting them: the listing comes in the order of that column's index."""
    return Case(
        get(path),
        keys={"listing": having(LISTING), "count": having("count(*)", f"articles.{column} =")},
        ordered=("listing",),
        uses={"listing": (f"ix_articles_{column}_status_published_at ({column}=?",)},
    )


CASES = {
    "front page": Case(
        get(lambda s: "/"),
        keys={
            "latest": having(LISTING, without=("UNION",)),
            "section blocks": having("FROM articles LEFT OUTER JOIN", " UNION "),
            "most shared": having("share_tallies"),
            "most discussed": having("articles.comment_count >"),
        },
        ordered=("latest",),
        by_id=("section blocks", "most shared"),
        uses={"most shared": ("SEARCH share_tallies USING INDEX ix_share_tallies_day_article_id",)},
    ),
    "article page": Case(
        get(lambda s: f"/articles/{s.lead.slug}"),
        keys={
            "article by slug": having("WHERE articles.slug ="),
            "topics": having("FROM article_topics JOIN topics"),
            "editor's comments": having("FROM editor_comments"),
            "corrections": having("FROM corrections", "corrections.article_id IN"),
            "related stories": having(" UNION ", "article_topics.topic_id IN"),
            "thread page": having("count(*) OVER ()"),
            "replies": having("FROM comments WHERE comments.article_id", without=("OVER",)),
        },
        by_id=("related stories",),
        uses={
            "article by slug": ("USING INDEX sqlite_autoindex_articles_1 (slug=?)",),
            "thread page": (THREAD_INDEX,),
            "replies": (THREAD_INDEX,),
        },
    ),
    "article page, newest first": Case(
        get(lambda s: f"/articles/{s.lead.slug}?sort=newest"),
        keys={
            "thread page": having("count(*) OVER ()", "DESC"),
            "replies": having("FROM comments WHERE comments.article_id", without=("OVER",)),
        },
        # As oldest first: the index finds the article's top-level comments; the count
        # over them all (the window) is then sorted, one article's worth.
        uses={"thread page": (THREAD_INDEX,), "replies": (THREAD_INDEX,)},
    ),
    "comment feed": Case(
        get(lambda s: f"/articles/{s.lead.slug}/comments/feed.xml"),
        keys={
            "newest comments": having("FROM comments LEFT OUTER JOIN comments AS parent"),
            "thread pages": having("row_number() OVER"),
        },
        uses={
            "newest comments": (
                "ix_comments_article_id_status_created_at (article_id=? AND status=?)",
            ),
            "thread pages": (THREAD_INDEX,),
        },
    ),
    "corrections page": Case(
        get(lambda s: "/corrections", lambda s: "/corrections?page=2"),
        keys={
            "notes": having("FROM corrections", "ORDER BY corrections.created_at DESC"),
            "count": having("count(*)", "FROM corrections"),
        },
        ordered=("notes",),
        uses={
            "notes": ("ix_corrections_created_at", "SEARCH candidate USING INTEGER PRIMARY KEY"),
            "count": ("SEARCH candidate USING INTEGER PRIMARY KEY",),
        },
    ),
    "old slug": Case(
        get(lambda s: f"/articles/{OLD_SLUG}", status=301),
        keys={"old slug": having("FROM old_slugs")},
    ),
    "old address of an imported site": Case(
        get(lambda s: f"{OLD_URL}/", lambda s: OLD_QUERY_URL, status=301),
        keys={"old address": having("FROM old_urls", "WHERE old_urls.path =")},
        uses={"old address": ("USING INDEX sqlite_autoindex_old_urls_1 (path=?)",)},
    ),
    "section page": listing_by(lambda s: f"/section/{s.section.slug}", "section_id"),
    "topic page": Case(
        get(lambda s: f"/topic/{s.topic.slug}"),
        keys={"listing": having(LISTING, "article_topics"), "count": having("count(*)")},
        by_id=("listing", "count"),
        uses={
            "listing": (TOPIC_INDEX,),
            "count": (TOPIC_INDEX,),
        },
    ),
    # The stories someone leads (author index) and co-wrote (co-author index), read by
    # primary key: the sort is over one person's stories, not the archive.
    "author page": Case(
        get(lambda s: f"/author/{s.author.slug}"),
        keys={
            "listing": having(LISTING, "article_coauthors"),
            "count": having("count(*)", "article_coauthors"),
            "co-authors": having("FROM article_coauthors", "article_coauthors.article_id IN"),
        },
        by_id=("listing", "count"),
        uses={
            "listing": (AUTHOR_INDEX, COAUTHOR_INDEX),
            "count": (AUTHOR_INDEX, COAUTHOR_INDEX),
            "co-authors": ("sqlite_autoindex_article_coauthors_1 (article_id=?)",),
        },
    ),
    "topics index and the menus": Case(
        get(lambda s: "/topics"),
        keys={
            "topics": having("count(article_topics.article_id)"),
            "menus": having("FROM menu_links LEFT OUTER JOIN", "UNION ALL"),
        },
        uses={
            "topics": (TOPIC_INDEX, "SEARCH candidate USING INTEGER PRIMARY KEY"),
            "menus": ("ix_menu_links_menu_position (menu=?)",),
        },
    ),
    "authors index": Case(
        get(lambda s: "/authors"),
        # Each person's count (and whether they have a public story) from the author and
        # the co-author indexes.
        keys={"newsroom": having("FROM users", "count(*)", "EXISTS")},
        uses={"newsroom": (AUTHOR_INDEX, COAUTHOR_INDEX)},
    ),
    "static page": Case(
        get(lambda s: "/about"),
        keys={"page by slug": having("FROM pages", "WHERE pages.slug =")},
        uses={"page by slug": ("USING INDEX sqlite_autoindex_pages_1 (slug=?)",)},
    ),
    "static page, old slug": Case(
        get(lambda s: f"/{OLD_PAGE_SLUG}", status=301),
        keys={"old slug": having("FROM old_slugs")},
    ),
    "search": Case(
        get(lambda s: "/search?q=harbour"),
        keys={"matches": having("public_matches"), "cards": having("WHERE articles.id IN")},
        by_id=("cards",),
        uses={
            "matches": ("SCAN articles_fts VIRTUAL TABLE INDEX", PRIMARY_KEY),
        },
    ),
    "search without results": Case(
        get(lambda s: "/search?q=zeppelin"),
        keys={"matches": having("public_matches"), "latest": having(LISTING)},
        ordered=("latest",),
    ),
    "feeds": Case(
        get(
            lambda s: "/feed.xml",
            lambda s: f"/section/{s.section.slug}/feed.xml",
            lambda s: f"/topic/{s.topic.slug}/feed.xml",
        ),
        keys={
            "site feed": having(LISTING, without=("section_id =", "article_topics")),
            "section feed": having(LISTING, "articles.section_id ="),
            "topic feed": having(LISTING, "article_topics"),
        },
        ordered=("site feed", "section feed"),
        by_id=("topic feed",),
        uses={"topic feed": (TOPIC_INDEX,)},
    ),
    "sitemap": Case(
        get(lambda s: "/sitemap.xml"),
        keys={
            "articles": having("SELECT articles.slug, articles.updated_at"),
            "authors": having("SELECT users.slug"),
        },
        ordered=("articles",),
        uses={"authors": (AUTHOR_INDEX, COAUTHOR_INDEX)},
    ),
    "share": Case(
        share,
        keys={
            "receipt": having("INSERT INTO share_receipts"),
            "tally upsert": having("INSERT INTO share_tallies"),
            "counter": having("UPDATE articles SET share_count"),
        },
        by_id=("counter",),
    ),
    "moderation queue": Case(
        as_editor(lambda s: "/editor/comments/"),
        keys={"queue": having("FROM comments LEFT OUTER JOIN articles", "comments.status =")},
        ordered=("queue",),
        uses={"queue": ("ix_comments_status_created_at (status=?)",)},
    ),
    "moderation queue, any status": Case(
        as_editor(lambda s: "/editor/comments/?status=all"),
        keys={"queue": having("FROM comments LEFT OUTER JOIN articles")},
        ordered=("queue",),
        uses={"queue": ("SCAN comments USING INDEX ix_comments_created_at_id",)},
    ),
    "moderation queue of an article": Case(
        as_editor(lambda s: f"/editor/comments/?status=all&article={s.lead.id}"),
        keys={"queue": having("FROM comments LEFT OUTER JOIN articles", "comments.article_id =")},
        uses={"queue": ("SEARCH comments USING INDEX ix_comments_article_id_",)},
    ),
    "revisions of an article": Case(
        as_editor(lambda s: f"/editor/articles/{s.lead.id}/revisions"),
        keys={"list": having("FROM revisions", "ORDER BY revisions.id DESC")},
        ordered=("list",),
        uses={"list": ("ix_revisions_article_id_id (article_id=?)",)},
    ),
    "editors' subscriber counts": Case(
        as_editor(lambda s: "/editor/subscribers"),
        keys={
            "lists": having("FROM subscriptions GROUP BY subscriptions.list_key"),
            "threads": having("FROM thread_follows"),
            "mailings": having("FROM mailings LEFT OUTER JOIN articles"),
        },
        newest=("mailings",),
        uses={
            "lists": ("SCAN subscriptions USING INDEX ix_subscriptions_list_key_cadence",),
            "threads": ("SCAN thread_follows USING COVERING INDEX",),
        },
    ),
    "comment count recount": Case(
        approve,
        keys={"recount": having("UPDATE articles SET comment_count")},
        by_id=("recount",),
        uses={"recount": ("ix_comments_article_id_status_created_at (article_id=? AND status=?)",)},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_no_content_table_is_read_whole(name, client, login, site):
    case = CASES[name]
    with recording() as statements:
        case.run(client, login, site)
    plans = [explain(s) for s in statements]
    is_sqlite = db.engine.dialect.name == "sqlite"

    def reads_newest(plan: Plan) -> bool:
        sql = flat(plan.sql)
        ordered = re.search(r"ORDER BY (\w+)\.id DESC LIMIT", sql)
        return (
            ordered is not None
            and any(case.keys[key](sql) for key in case.newest)
            and SORT not in plan.outer
            and plan.full_scans == [f"SCAN {ordered[1]}"]
        )

    scans = [str(plan) for plan in plans if plan.full_scans and not reads_newest(plan)]
    assert not scans, "full scans of a content table:\n" + "\n".join(scans)

    for key, matches in case.keys.items():
        found = [plan for plan in plans if matches(flat(plan.sql))]
        assert found, f"{name}: no statement for {key!r} among\n" + "\n".join(
            flat(s.sql)[:300] for s in statements
        )
        if not is_sqlite:
            continue
        for plan in found:
            if key in case.ordered:
                assert SORT not in plan.outer, f"{key} sorts instead of using its index:\n{plan}"
            if key in case.by_id:
                assert any(line.startswith(PRIMARY_KEY) for line in plan.outer), (
                    f"{key} does not read articles by primary key:\n{plan}"
                )
                assert not any("ix_articles_status" in line for line in plan.outer), (
                    f"{key} walks the published articles:\n{plan}"
                )
            for wanted in case.uses.get(key, ()):
                assert any(wanted in line for line in plan.lines), (
                    f"{key} does not use {wanted!r}:\n{plan}"
                )


@pytest.mark.usefixtures("app")
def test_a_full_scan_is_seen():
    """The check is not vacuous: a filter on a column no index covers is a full scan."""
    with recording() as statements:
        db.session.scalars(select(Comment).where(Comment.body_md == "A comment.")).all()
    (plan,) = [explain(statement) for statement in statements]
    assert plan.full_scans, str(plan)
