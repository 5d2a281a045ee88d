"""Shares counted by a real multi-worker server, hammered by several processes at once.

Each client process sends from its own loopback address (127.0.0.N), so it is its own
reader: the same article, network and day bucket is counted by several server workers at
the same moment, which is the race the upserts must survive. Every client shares each
time twice; the second must not count. Nothing may be lost, nothing counted
twice, and no request may fail.
"""

import json
from pathlib import Path

from live_server import make_app, published_stories, running_server
from sqlalchemy import func, select

from blog import formguard
from blog.extensions import db
from blog.models import Article, ShareReceipt, ShareTally
from blog.services.shares import NETWORK_LABELS
from tests.harness import REQUEST_TIMEOUT, clients_at_once, inside, send

CLIENTS = 6
ARTICLES = 2
NETWORKS = [*NETWORK_LABELS, "copy", "native"]


def prepare(database_url: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    """Migrate the database and publish the articles: (id, slug, share token) each."""
    with inside(make_app(database_url, tmp_path), migrate=True):
        stories = published_stories(
            *((f"Story {n} & friends", f"story-{n}", "") for n in range(ARTICLES))
        )
        db.session.commit()
        return [(a.id, a.slug, formguard.issue_token("share", a.id)) for a in stories]


def count_rows(database_url: str, tmp_path: Path) -> dict:
    with inside(make_app(database_url, tmp_path)):
        tallies = {
            (article_id, network): count
            for article_id, network, count in db.session.execute(
                select(ShareTally.article_id, ShareTally.network, ShareTally.count)
            )
        }
        return {
            "tallies": tallies,
            "share_counts": {
                article_id: count
                for article_id, count in db.session.execute(select(Article.id, Article.share_count))
            },
            "receipts": db.session.scalar(select(func.count(ShareReceipt.id))),
            "readers": db.session.scalar(
                select(func.count(func.distinct(ShareReceipt.client_key)))
            ),
        }


def post_share(port: int, source: str, slug: str, network: str, token: str):
    """The status, and whether the share counted (None without a 200)."""
    status, _, body = send(
        port,
        "POST",
        f"/articles/{slug}/share/{network}",
        {"token": token},
        headers={"Accept": "application/json"},
        source=source,
    )
    return status, json.loads(body)["counted"] if status == 200 else None


def hammer(client: int, barrier, port: int, articles: list) -> list[tuple]:
    """One client process: each (article, network) twice, in step with the other clients.

    The barrier before each pair makes every client post the same pair at the same
    moment, so the server's workers race on one tally row and one article row.
    """
    source = f"127.0.0.{10 + client}"
    results = []
    for (article_id, slug, token), network in [(a, n) for a in articles for n in NETWORKS]:
        barrier.wait(timeout=REQUEST_TIMEOUT)
        for _ in range(2):
            status, counted = post_share(port, source, slug, network, token)
            results.append((client, article_id, network, status, counted))
    return results


def test_concurrent_shares_on_a_multi_worker_server(live_database, tmp_path):
    articles = prepare(live_database, tmp_path)
    with running_server(live_database, tmp_path) as server:
        results = clients_at_once(hammer, CLIENTS, server.port, articles)

    server_log = server.log.read_text()
    assert len(results) == CLIENTS * ARTICLES * len(NETWORKS) * 2
    statuses = {status for *_, status, _ in results}
    assert statuses == {200}, server_log
    assert "Traceback" not in server_log and "database is locked" not in server_log

    # Each reader counted exactly once per article and network, whatever the order.
    acknowledged: dict[tuple, list[bool]] = {}
    for client, article_id, network, _, counted in results:
        acknowledged.setdefault((client, article_id, network), []).append(counted)
    assert all(sorted(flags) == [False, True] for flags in acknowledged.values())
    counted_total = sum(1 for *_, counted in results if counted)
    assert counted_total == CLIENTS * ARTICLES * len(NETWORKS)

    rows = count_rows(live_database, tmp_path)
    # No lost update: every bucket holds one count per reader.
    assert rows["tallies"] == {
        (article_id, network): CLIENTS for article_id, _, _ in articles for network in NETWORKS
    }
    assert sum(rows["tallies"].values()) == counted_total
    assert rows["share_counts"] == {
        article_id: CLIENTS * len(NETWORKS) for article_id, _, _ in articles
    }
    assert rows["receipts"] == counted_total
    assert rows["readers"] == CLIENTS  # one hashed key per client address, none shared
