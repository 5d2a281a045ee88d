"""Comments posted at once to a real multi-worker server by several client processes.

Each client reads the article page for its form token, then posts; all clients start
together. Half the posts use the page's token as it is (sent within 3 seconds: stored
as spam, silently), half a token from a minute ago (published: the policy is "none";
a test must not wait 3 seconds),
and every third post is a reply. Every acknowledged comment must be stored, once, the
article's count must equal its approved comments, and no request may fail.
"""

import re
from pathlib import Path
from types import SimpleNamespace

from live_server import make_app, published_stories, running_server
from sqlalchemy import func, select

from blog import formguard
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus
from blog.services import settings
from tests.harness import REQUEST_TIMEOUT, clients_at_once, inside, send

CLIENTS = 4
POSTS_PER_CLIENT = 25
TOKEN_FIELD = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
LANDING = re.compile(r"#comment-(\d+)$")


def prepare(database_url: str, tmp_path: Path) -> SimpleNamespace:
    """Migrate, publish one article with one comment, and mint a minute-old form token."""
    with inside(make_app(database_url, tmp_path), migrate=True):
        (article,) = published_stories(("A busy story", "busy-story", "Words."))
        seed = Comment(article=article, author_name="First", status=CommentStatus.APPROVED)
        seed.set_body("The first comment.")
        db.session.add_all([article, seed])
        db.session.commit()
        settings.save(moderation_policy="none")
        real_clock = formguard.time
        formguard.time = SimpleNamespace(time=lambda: real_clock.time() - 60)
        try:
            aged_token = formguard.issue_token("comment", article.id)
        finally:
            formguard.time = real_clock
        return SimpleNamespace(
            slug=article.slug, article_id=article.id, seed_id=seed.id, aged_token=aged_token
        )


def hammer(client: int, barrier, port: int, prepared: SimpleNamespace) -> list[tuple]:
    """One client process: read the page for a token, post, again and again."""
    results = []
    barrier.wait(timeout=REQUEST_TIMEOUT)
    for n in range(POSTS_PER_CLIENT):
        status, _, page = send(port, "GET", f"/articles/{prepared.slug}")
        assert status == 200, page
        page_token = TOKEN_FIELD.search(page).group(1)
        is_quick = n % 2 == 0
        fields = {
            "name": f"Client {client}",
            "email": f"client{client}@example.org",
            "body": f"Comment {n} from client {client}.",
            "form_token": page_token if is_quick else prepared.aged_token,
            "parent_id": str(prepared.seed_id) if n % 3 == 0 else "",
        }
        status, location, _ = send(port, "POST", f"/articles/{prepared.slug}/comments", fields)
        landed = LANDING.search(location)
        results.append((status, int(landed.group(1)) if landed else None, is_quick))
    return results


def stored_rows(database_url: str, tmp_path: Path, article_id: int) -> SimpleNamespace:
    with inside(make_app(database_url, tmp_path)):
        return SimpleNamespace(
            rows=db.session.execute(
                select(Comment.id, Comment.status, Comment.depth).where(
                    Comment.article_id == article_id
                )
            ).all(),
            comment_count=db.session.scalar(
                select(Article.comment_count).where(Article.id == article_id)
            ),
            total=db.session.scalar(select(func.count(Comment.id))),
        )


def test_concurrent_comments_on_a_multi_worker_server(live_database, tmp_path):
    prepared = prepare(live_database, tmp_path)
    with running_server(live_database, tmp_path) as server:
        results = clients_at_once(hammer, CLIENTS, server.port, prepared)

    server_log = server.log.read_text()
    assert len(results) == CLIENTS * POSTS_PER_CLIENT
    assert {status for status, _, _ in results} == {303}, server_log
    assert "Traceback" not in server_log and "database is locked" not in server_log

    acknowledged = {comment_id for _, comment_id, _ in results}
    assert len(acknowledged) == len(results)  # one new comment per acknowledged post
    stored = stored_rows(live_database, tmp_path, prepared.article_id)
    new_rows = {row.id: row for row in stored.rows if row.id != prepared.seed_id}
    assert set(new_rows) == acknowledged
    assert stored.total == len(results) + 1

    # A minute-old token is never held; the page's own token is held for a moderator,
    # unless the server took more than 3 seconds to answer (so only the inclusion is
    # certain). Nothing is filed as spam: only the honeypot does that.
    quick = {comment_id for _, comment_id, is_quick in results if is_quick}
    held = {i for i, row in new_rows.items() if row.status == CommentStatus.PENDING}
    assert held <= quick
    assert not any(row.status == CommentStatus.SPAM for row in new_rows.values())
    approved = [row for row in stored.rows if row.status == CommentStatus.APPROVED]
    assert len(approved) + len(held) == len(results) + 1
    assert stored.comment_count == len(approved) >= len(results) - len(quick) + 1
    replies = [row for row in new_rows.values() if row.depth == 2]
    assert len(replies) == CLIENTS * len(range(0, POSTS_PER_CLIENT, 3))
