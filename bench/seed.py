"""The benchmark site: a fresh database, Byline's own migrations, then bulk inserts.

Rows are planned in Python (deterministic for a given size) and written with SQLAlchemy
Core in large batches. A handful of Markdown bodies are rendered with blog.rendering and
their HTML reused. Counters (comment_count, share_count) are computed from the planned
rows, and the search index is filled by the migration's own SQL: on SQLite the published
articles are inserted as drafts and published in one UPDATE once their topics are in, so
the FTS triggers index each article once; on PostgreSQL the row triggers are switched off
during the load and the migration's articles_search_vector() fills the column after it.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from bench import BenchError, corpus
from bench.plan import Plan, make_plan
from blog import create_app
from blog.extensions import db
from blog.models import (
    Article,
    Comment,
    EditorComment,
    Section,
    ShareReceipt,
    ShareTally,
    Topic,
    User,
    article_topics,
)

BATCH = 5_000
EXPLICIT_ID_TABLES = ("users", "sections", "topics", "articles", "comments", "editor_comments")


@dataclass(frozen=True)
class SiteSize:
    articles: int = 10_000
    comments: int = 200_000
    topics: int = 40

    @classmethod
    def from_env(cls, **overrides: int) -> SiteSize:
        values = {}
        for name, default in (("articles", 10_000), ("comments", 200_000), ("topics", 40)):
            raw = os.environ.get(f"BENCH_{name.upper()}", "")
            try:
                values[name] = int(raw) if raw.strip() else default
            except ValueError as exc:
                raise BenchError(
                    f"BENCH_{name.upper()} must be a whole number, not {raw!r}"
                ) from exc
        values.update(overrides)
        if values["articles"] < 100 or values["comments"] < 200 or values["topics"] < 2:
            raise BenchError("the site needs at least 100 articles, 200 comments and 2 topics")
        return cls(**values)


@dataclass
class Seeded:
    """What the driver needs to know about the site it will measure."""

    database_url: str
    engine: str
    size: SiteSize
    plan: Plan
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, object] = field(default_factory=dict)


# ---------- The database ----------


@contextmanager
def fresh_database(bench_db: str, data_dir: Path, *, keep: bool) -> Iterator[str]:
    """A new, empty database: a SQLite file in data_dir, or a PostgreSQL database named
    by BENCH_DB (dropped and re-created, so its name must say "bench"). Removed after
    unless `keep`."""
    if not bench_db:
        path = data_dir / "bench.db"
        _remove_sqlite(path)
        try:
            yield f"sqlite:///{path}"
        finally:
            if not keep:
                _remove_sqlite(path)
        return
    url = make_url(bench_db)
    if url.get_backend_name() != "postgresql":
        raise BenchError("BENCH_DB must be a PostgreSQL URL (postgresql+psycopg://...)")
    name = url.database or ""
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        raise BenchError(
            f"BENCH_DB names database {name!r}: the benchmark drops and re-creates it, so "
            "its name must contain 'bench' (lower-case letters, digits and _ only)"
        )
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def bench_app(database_url: str, secret: str, data_dir: Path) -> Flask:
    """A Byline app on the bench database, for migrating, seeding and checking."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secret,
            "RATELIMIT_STORAGE_URI": f"byline-sqlite://{data_dir / 'ratelimits-seed.db'}",
            "UPLOADS_DIR": str(data_dir / "uploads"),
        }
    )


# ---------- Seeding ----------


def seed(app: Flask, size: SiteSize, *, log=print) -> Seeded:
    """Migrate the empty database and fill it; returns the site's description."""
    started = time.monotonic()
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        engine = db.engine
        dialect = engine.dialect.name
        log(f"  planning {size.articles:,} articles and {size.comments:,} comments")
        plan = make_plan(size, random.Random(20251127), now)
        log("  writing rows")
        with engine.begin() as conn:
            _insert_all(conn, dialect, plan)
        _finish(engine, dialect)
        seeded = Seeded(
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            engine=dialect,
            size=size,
            plan=plan,
        )
        seeded.counts = table_counts()
        seeded.checks = check_site(plan)
        db.session.remove()
        engine.dispose()
    seeded.seconds = round(time.monotonic() - started, 1)
    return seeded


def _insert(conn, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start : start + BATCH])


def _insert_all(conn, dialect: str, plan: Plan) -> None:
    if dialect == "postgresql":  # the search vectors are filled in one UPDATE at the end
        conn.execute(text("ALTER TABLE articles DISABLE TRIGGER articles_search_vector"))
        conn.execute(
            text("ALTER TABLE article_topics DISABLE TRIGGER article_topics_search_vector")
        )
    _insert(conn, User.__table__, plan.users)
    _insert(conn, Section.__table__, plan.sections)
    _insert(conn, Topic.__table__, plan.topics)
    # SQLite: published articles go in as drafts and are published once their topics are
    # in, so the FTS triggers index each of them once, with its topics.
    articles = plan.articles
    if dialect == "sqlite":
        articles = [
            {**row, "status": "draft"} if row["status"] == "published" else row for row in articles
        ]
    _insert(conn, Article.__table__, articles)
    _insert(conn, article_topics, plan.article_topics)
    if dialect == "sqlite":  # planned drafts have no publication date
        conn.execute(
            text("UPDATE articles SET status = 'published' WHERE published_at IS NOT NULL")
        )
    _insert(conn, EditorComment.__table__, plan.editor_comments)
    _insert(conn, Comment.__table__, plan.comments)
    _insert(conn, ShareTally.__table__, plan.share_tallies)
    _insert(conn, ShareReceipt.__table__, plan.share_receipts)
    if dialect == "postgresql":
        conn.execute(text("ALTER TABLE articles ENABLE TRIGGER articles_search_vector"))
        conn.execute(text("ALTER TABLE article_topics ENABLE TRIGGER article_topics_search_vector"))
        conn.execute(
            text(
                "UPDATE articles SET search_vector = "
                "articles_search_vector(id, title, brief, body_md)"
            )
        )
        for table in EXPLICIT_ID_TABLES:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def _finish(engine, dialect: str) -> None:
    """Leave the database as a long-running site's would be: statistics gathered on
    PostgreSQL (autovacuum would, at some moment), the WAL folded in on SQLite."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if dialect == "postgresql":
            conn.execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


# ---------- Checks ----------


def table_counts() -> dict[str, int]:
    names = (
        "users",
        "sections",
        "topics",
        "articles",
        "article_topics",
        "comments",
        "editor_comments",
        "share_tallies",
        "share_receipts",
    )
    counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}")) for name in names}
    counts["published_articles"] = db.session.scalar(
        text("SELECT count(*) FROM articles WHERE status = 'published'")
    )
    return counts


def check_counters() -> dict[str, int]:
    """Articles whose comment_count or share_count disagree with their rows (0 and 0 when
    the counters are exact)."""
    comments = db.session.scalar(
        text(
            "SELECT count(*) FROM articles AS a WHERE a.comment_count != (SELECT count(*) "
            "FROM comments AS c WHERE c.article_id = a.id AND c.status = 'approved')"
        )
    )
    shares = db.session.scalar(
        text(
            "SELECT count(*) FROM articles AS a WHERE a.share_count != (SELECT "
            "coalesce(sum(t.count), 0) FROM share_tallies AS t WHERE t.article_id = a.id)"
        )
    )
    return {"comment_count_wrong": comments, "share_count_wrong": shares}


def bench_writes(plan: Plan) -> dict[str, object]:
    """What the benchmark's own POSTs stored: its comments by status, its counted shares."""
    rows = db.session.execute(
        text(
            "SELECT status, count(*) FROM comments WHERE author_name LIKE 'Bench Reader %' "
            "GROUP BY status ORDER BY status"
        )
    ).all()
    shares = db.session.scalar(text("SELECT coalesce(sum(share_count), 0) FROM articles"))
    db.session.rollback()
    return {
        "comments": {status: n for status, n in rows},
        "shares_counted": shares - sum(row["share_count"] for row in plan.articles),
    }


def check_site(plan: Plan) -> dict[str, object]:
    """Counters exact, the page article's 100 comments, and a filled search index."""
    checks: dict[str, object] = dict(check_counters())
    checks["page_article_approved_comments"] = db.session.scalar(
        text("SELECT count(*) FROM comments WHERE article_id = :id AND status = 'approved'"),
        {"id": plan.page_article["id"]},
    )
    word = corpus.SEARCH_WORD
    if db.engine.dialect.name == "sqlite":
        db.session.execute(
            text("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        )
        checks["search_index"] = "integrity-check passed"
        checks["search_hits"] = db.session.scalar(
            text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"), {"q": word}
        )
    else:
        missing = db.session.scalar(
            text("SELECT count(*) FROM articles WHERE search_vector IS NULL")
        )
        checks["search_index"] = f"{missing} articles without a search vector"
        checks["search_hits"] = db.session.scalar(
            text(
                "SELECT count(*) FROM articles WHERE status = 'published' AND "
                "search_vector @@ plainto_tsquery('english', :q)"
            ),
            {"q": word},
        )
    db.session.rollback()
    return checks
