"""The SQLite rate-limit storage on its own: counting, windows that end, and the rows of
clients who never came back removed as other clients are counted.

Time is the storage's clock, moved by the test; nothing here waits."""

import sqlite3

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from blog.ratelimit import PRUNE_BATCH, SCHEME, SQLiteStorage, count_by_hand

WINDOW = 60  # seconds


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "ratelimits.db"


@pytest.fixture
def storage(path, clock):
    store = SQLiteStorage(f"{SCHEME}://{path}", clock=clock)
    yield store
    store.close()


def stored_keys(path) -> set[str]:
    """The rows in the file itself, expired or not."""
    with sqlite3.connect(path) as conn:
        keys = {key for (key,) in conn.execute("SELECT key FROM counters")}
    conn.close()
    return keys


def test_hits_are_counted_per_key(storage, clock):
    assert storage.get("a") == 0
    assert storage.incr("a", WINDOW) == 1
    assert storage.incr("a", WINDOW) == 2
    assert storage.incr("a", WINDOW, amount=3) == 5
    assert storage.incr("b", WINDOW) == 1
    assert (storage.get("a"), storage.get("b"), storage.get("c")) == (5, 1, 0)
    assert storage.get_expiry("a") == clock.now + WINDOW
    assert storage.get_expiry("unknown") == clock.now


def test_a_counter_ends_with_its_window(storage, clock):
    storage.incr("a", WINDOW)
    storage.incr("a", WINDOW)
    clock.advance(WINDOW - 1)
    assert storage.get("a") == 2  # the window it started is still open
    assert storage.incr("a", WINDOW) == 3
    clock.advance(1)
    assert storage.get("a") == 0
    assert storage.get_expiry("a") == clock.now
    assert storage.incr("a", WINDOW) == 1  # a new window, counted from one
    assert storage.get_expiry("a") == clock.now + WINDOW


def test_a_client_over_the_limit_is_let_in_again_when_the_window_ends(storage, clock):
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("3 per minute")
    assert all(limiter.hit(limit, "client") for _ in range(3))
    assert not limiter.hit(limit, "client")
    assert not limiter.test(limit, "client")
    for _ in range(5):  # knocking again while refused does not lengthen the wait
        clock.advance(10)
        limiter.hit(limit, "client")
    clock.advance(11)
    assert limiter.test(limit, "client")
    assert limiter.hit(limit, "client")
    assert storage.get(limit.key_for("client")) == 1


def test_two_storages_on_one_file_share_the_counters(storage, path, clock):
    """Each gunicorn worker opens the file itself; the limit holds across them."""
    other = SQLiteStorage(f"{SCHEME}://{path}", clock=clock)
    try:
        storage.incr("a", WINDOW)
        assert other.incr("a", WINDOW) == 2
        assert storage.get("a") == 2
    finally:
        other.close()


def test_clear_and_reset(storage):
    for key in ("a", "b", "c"):
        storage.incr(key, WINDOW)
    storage.clear("b")
    assert (storage.get("a"), storage.get("b"), storage.get("c")) == (1, 0, 1)
    assert storage.reset() == 2
    assert storage.get("a") == storage.get("c") == 0
    assert storage.check()


def test_expired_counters_of_other_clients_are_removed(storage, path, clock):
    for n in range(5):
        storage.incr(f"gone-{n}", WINDOW)
    storage.incr("long", 10 * WINDOW)
    clock.advance(WINDOW)
    assert stored_keys(path) == {*(f"gone-{n}" for n in range(5)), "long"}
    storage.incr("new", WINDOW)
    assert stored_keys(path) == {"long", "new"}  # the live window of another key stays
    assert storage.get("long") == 1


def test_pruning_does_bounded_work_per_hit_and_catches_up(storage, path, clock):
    backlog = 2 * PRUNE_BATCH + 10
    for n in range(backlog):
        storage.incr(f"gone-{n}", WINDOW)
    clock.advance(WINDOW)
    storage.incr("new-0", WINDOW)
    assert len(stored_keys(path)) == backlog - PRUNE_BATCH + 1
    storage.incr("new-1", WINDOW)
    storage.incr("new-2", WINDOW)
    assert stored_keys(path) == {"new-0", "new-1", "new-2"}


def test_rows_written_with_an_old_expiry_are_pruned(storage, path, clock):
    """Rows left by an earlier server (or a clock set back) go as soon as anyone is counted."""
    storage.check()  # creates the table
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO counters (key, count, expires_at) VALUES (?, ?, ?)",
            [(f"old-{n}", 99, clock.now - 3600 * n) for n in range(1, 6)],
        )
    conn.close()
    assert storage.get("old-1") == 0
    assert storage.incr("old-2", WINDOW) == 1  # an expired count is not carried on
    assert stored_keys(path) == {"old-2"}


def test_counting_by_hand_holds_every_limit_of_a_list(app):
    """ "10 per hour; 30 per day": the day's limit refuses once it is spent, though the
    hour's would let the request in (blog.services.subscribers counts confirmation mails
    per network so)."""
    with app.app_context():
        waits = [count_by_hand("5 per hour; 2 per day", "two-limits", "one-network") for _ in "abc"]
        assert waits[:2] == [0, 0]
        assert waits[2] > 3600  # the day's window, not the hour's
        assert count_by_hand("5 per hour; 2 per day", "two-limits", "another-network") == 0
