"""The site the reliability storms run against (tests/storm_clients.py sends the load),
and what its database holds afterwards, to hold the acknowledged writes against."""

import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

from itsdangerous import URLSafeTimedSerializer
from live_server import SECRET, make_app
from sqlalchemy import func, select
from storm_clients import Tally
from werkzeug.security import generate_password_hash

from blog.comments import trust
from blog.extensions import db
from blog.formguard import SALT
from blog.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    Role,
    Section,
    ShareReceipt,
    ShareTally,
    Topic,
)
from blog.services import commenters, settings
from blog.services.shares import COUNTED_NETWORKS, IN_PAGE_NETWORKS
from tests.harness import inside, new_user, published_article

# Each share comes from its own reader address, as nginx would pass it on, so every share
# of the storm is a first share and must be counted.
STORM_ENV = {"FLASK_PROXY_FIX_X_FOR": "1"}
ARTICLES = 3
EDITOR_PASSWORD = "storm-desk-password"
# Has an approved comment, and its device the trusted-commenter cookie: approved at once.
KNOWN_EMAIL = "regular@example.org"


# ---------- The site ----------


def prepare_site(database_url: str, tmp_path: Path) -> SimpleNamespace:
    """On a migrated database: an editor with a password, a section, a topic and published
    articles, each with one approved comment by KNOWN_EMAIL; policy "first_time"."""
    with inside(make_app(database_url, tmp_path)):
        writer = new_user("writer@byline.test", "Wren Writer", Role.AUTHOR)
        editor = new_user(
            "desk@byline.test",
            "Dana Desk",
            Role.EDITOR,
            password_hash=generate_password_hash(EDITOR_PASSWORD),
        )
        section = Section(name="Harbour", slug="harbour")
        topic = Topic(name="Tides", slug="tides")
        stories = []
        for n in range(ARTICLES):
            story = published_article(
                f"Harbour story {n}",
                f"harbour-story-{n}",
                f"The harbour opened its gates for story {n}.",
                brief="Ships, tides and the people of the harbour.",
                author=writer,
                section=section,
                topics=[topic],
                comment_count=1,
            )
            first = Comment(
                article=story,
                author_name="Regular Reader",
                author_email=KNOWN_EMAIL,
                status=CommentStatus.APPROVED,
            )
            first.set_body("First!")
            stories.append((story, first))
        db.session.add_all([editor, *(pair for story in stories for pair in story)])
        db.session.commit()
        settings.save(moderation_policy="first_time")
        return SimpleNamespace(
            # What the clients need to know without importing Byline (they start faster).
            form_secret=SECRET,
            form_salt=SALT,
            networks=sorted(COUNTED_NETWORKS),
            in_page_networks=sorted(IN_PAGE_NETWORKS),
            editor_email=editor.email,
            editor_password=EDITOR_PASSWORD,
            known_email=KNOWN_EMAIL,
            known_cookie=trust.COOKIE_NAME
            + "="
            + URLSafeTimedSerializer(SECRET, salt=trust.SALT).dumps(
                [commenters.email_digest(KNOWN_EMAIL)]
            ),
            articles=[(story.id, story.slug, first.id) for story, first in stories],
            section_id=section.id,
            topic_id=topic.id,
            editor_id=editor.id,
            read_paths=[
                "/",
                *(f"/articles/{story.slug}" for story, _ in stories),
                "/section/harbour",
                "/topic/tides",
                "/author/wren-writer",
                "/search?q=harbour",
                "/feed.xml",
                "/section/harbour/feed.xml",
                "/topic/tides/feed.xml",
                "/sitemap.xml",
                "/robots.txt",
                "/healthz",
            ],
        )


def prepared_copy(sqlite_template: str, tmp_path: Path, name: str):
    """A copy of the migrated SQLite file, prepared as above: its path, URL and site."""
    database = tmp_path / name
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    return database, url, prepare_site(url, tmp_path)


# ---------- What the database holds ----------


def stored(database_url: str, tmp_path: Path) -> SimpleNamespace:
    """Comments, published articles, counters and their recounts, read afresh."""
    with inside(make_app(database_url, tmp_path)):
        session = db.session
        approved = func.count(Comment.id).filter(Comment.status == CommentStatus.APPROVED)
        return SimpleNamespace(
            comments={
                cid: (aid, status.value)
                for cid, aid, status in session.execute(
                    select(Comment.id, Comment.article_id, Comment.status)
                )
            },
            published=dict(
                session.execute(
                    select(Article.slug, Article.id).where(
                        Article.status == ArticleStatus.PUBLISHED
                    )
                ).all()
            ),
            counters={
                aid: (comments, shares)
                for aid, comments, shares in session.execute(
                    select(Article.id, Article.comment_count, Article.share_count)
                )
            },
            approved=dict(
                session.execute(
                    select(Comment.article_id, approved).group_by(Comment.article_id)
                ).all()
            ),
            tallies=dict(
                session.execute(
                    select(ShareTally.article_id, func.sum(ShareTally.count)).group_by(
                        ShareTally.article_id
                    )
                ).all()
            ),
            receipts=dict(
                session.execute(
                    select(ShareReceipt.article_id, func.count(ShareReceipt.id)).group_by(
                        ShareReceipt.article_id
                    )
                ).all()
            ),
        )


def lost_writes(tally: Tally, facts: SimpleNamespace) -> list[str]:
    """Acknowledged writes the database does not hold (or holds otherwise)."""
    lost = [
        f"comment {cid} on article {aid} ({status}): stored as {facts.comments.get(cid)}"
        for cid, (aid, status) in tally.comments.items()
        if facts.comments.get(cid) != (aid, status)
    ]
    lost += [
        f"article {slug} ({aid}): published as {facts.published.get(slug)}"
        for slug, aid in tally.articles.items()
        if facts.published.get(slug) != aid
    ]
    lost += [
        f"article {aid}: {count} shares acknowledged, {facts.tallies.get(aid, 0)} stored"
        for aid, count in tally.shares.items()
        if facts.tallies.get(aid, 0) < count
    ]
    return lost


def counter_mismatches(facts: SimpleNamespace) -> list[str]:
    """Articles whose comment_count or share_count differs from a recount of its rows."""
    wrong = []
    for aid, (comment_count, share_count) in facts.counters.items():
        recount = (facts.approved.get(aid, 0), facts.tallies.get(aid, 0))
        receipts = facts.receipts.get(aid, 0)
        if (comment_count, share_count) != recount or receipts != recount[1]:
            wrong.append(
                f"article {aid}: counters {(comment_count, share_count)}, recount {recount}, "
                f"{receipts} share receipts"
            )
    return wrong


def sqlite_health(path: Path) -> tuple[str, list]:
    """PRAGMA integrity_check and foreign_key_check of a SQLite file."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return integrity, foreign_keys


# ---------- What every storm must leave ----------


def assert_served_cleanly(tally: Tally, log: str, figures: str) -> None:
    """No 5xx, no answer other than expected, no traceback or lock error in the log."""
    assert tally.server_errors == 0, f"{figures}\n{log}"
    assert not tally.unexpected, f"{figures}: {tally.unexpected[:10]}"
    assert "Traceback" not in log and "database is locked" not in log, log


def assert_holds_every_write(tally: Tally, database: Path, tmp_path: Path, figures: str):
    """The SQLite file is sound and holds every acknowledged write, its counters equal to
    recounts of their rows; what it holds (stored) is returned."""
    assert sqlite_health(database) == ("ok", []), figures
    facts = stored(f"sqlite:///{database}", tmp_path)
    assert lost_writes(tally, facts) == [], figures
    assert counter_mismatches(facts) == [], figures
    return facts
