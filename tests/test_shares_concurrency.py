"""Shares counted by a real multi-worker server, hammered by several processes at once.

Each client process sends from its own loopback address (127.0.0.N), so it is its own
reader: the same article, network and day bucket is counted by several server workers at
the same moment, which is the race the upserts must survive. Every client shares each
time twice; the second must not count. Nothing may be lost, nothing counted
twice, and no request may fail.
"""

import http.client
import json
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode

from live_server import make_app, published_stories, running_server
from sqlalchemy import func, select

from blog import formguard
from blog.extensions import db
from blog.models import Article, ShareReceipt, ShareTally
from blog.services.shares import NETWORK_LABELS

CLIENTS = 6
ARTICLES = 2
NETWORKS = [*NETWORK_LABELS, "copy", "native"]
REQUEST_TIMEOUT = 60.0


def prepare(database_url: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    """Migrate the database and publish the articles: (id, slug, share token) each."""
    app = make_app(database_url, tmp_path)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        stories = published_stories(
            *((f"Story {n} & friends", f"story-{n}", "") for n in range(ARTICLES))
        )
        db.session.commit()
        prepared = [(a.id, a.slug, formguard.issue_token("share", a.id)) for a in stories]
        db.session.remove()
        db.engine.dispose()
    return prepared


def count_rows(database_url: str, tmp_path: Path) -> dict:
    app = make_app(database_url, tmp_path)
    with app.app_context():
        tallies = {
            (article_id, network): count
            for article_id, network, count in db.session.execute(
                select(ShareTally.article_id, ShareTally.network, ShareTally.count)
            )
        }
        result = {
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
        db.session.remove()
        db.engine.dispose()
    return result


def post_share(port: int, source: str, slug: str, network: str, token: str):
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=REQUEST_TIMEOUT, source_address=(source, 0)
    )
    try:
        conn.request(
            "POST",
            f"/articles/{slug}/share/{network}",
            body=urlencode({"token": token}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Origin": f"http://127.0.0.1:{port}",
            },
        )
        response = conn.getresponse()
        body = response.read()
        counted = json.loads(body)["counted"] if response.status == 200 else None
        return response.status, counted
    finally:
        conn.close()


def hammer(port: int, client: int, articles: list, barrier) -> list[tuple]:
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
        context = get_context("spawn")
        with (
            context.Manager() as manager,
            ProcessPoolExecutor(max_workers=CLIENTS, mp_context=context) as pool,
        ):
            barrier = manager.Barrier(CLIENTS)
            futures = [
                pool.submit(hammer, server.port, n, articles, barrier) for n in range(CLIENTS)
            ]
            results = [row for future in futures for row in future.result()]

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
