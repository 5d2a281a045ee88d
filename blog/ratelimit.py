"""Rate-limit storage shared by every worker of a server, and the client keys limits use.

Without Redis, counters live in a small SQLite file in instance/ so that a limit holds
across all gunicorn workers (in-memory counters would give each worker its own quota).
With REDIS_URL set, Flask-Limiter uses Redis and the limits hold across servers too.
"""

import hashlib
import hmac
import ipaddress
import sqlite3
import threading
import time
from collections.abc import Callable
from urllib.parse import urlparse

from flask import current_app, request
from limits import parse_many
from limits.storage import Storage

SCHEME = "byline-sqlite"
# The network a client address stands for (network_key): one household, office or phone
# usually holds a whole IPv4 /24 or IPv6 /64 and can move within it at will.
NETWORK_PREFIX = {4: 24, 6: 64}
PRUNE_BATCH = 100  # expired counters of other keys removed by one hit, at most


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file: `byline-sqlite:////abs/path/ratelimits.db`."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        **options,
    ):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlparse(uri).path if uri else ":memory:"
        self.clock = clock
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"
            )
            conn.execute("CREATE INDEX IF NOT EXISTS counters_expiry ON counters (expires_at)")
            self._local.conn = conn
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count a hit; a counter whose window has passed starts again from `amount`.

        Each hit also removes up to PRUNE_BATCH expired counters of other keys (clients
        that did not come back), so the file holds about as many rows as live windows."""
        now = self.clock()
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM counters WHERE key = ? AND expires_at <= ?", (key, now))
            row = conn.execute(
                "INSERT INTO counters (key, count, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET count = count + excluded.count "
                "RETURNING count",
                (key, amount, now + expiry),
            ).fetchone()
            conn.execute(
                "DELETE FROM counters WHERE key IN "
                "(SELECT key FROM counters WHERE expires_at <= ? LIMIT ?)",
                (now, PRUNE_BATCH),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return row[0]

    def get(self, key: str) -> int:
        row = (
            self._connection()
            .execute(
                "SELECT count FROM counters WHERE key = ? AND expires_at > ?", (key, self.clock())
            )
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = (
            self._connection()
            .execute("SELECT expires_at FROM counters WHERE key = ?", (key,))
            .fetchone()
        )
        now = self.clock()
        return row[0] if row and row[0] > now else now

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        conn = self._connection()
        removed = conn.execute("SELECT count(*) FROM counters").fetchone()[0]
        conn.execute("DELETE FROM counters")
        return removed

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))

    def close(self) -> None:
        """Close this thread's connection (a later call opens a new one)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()


def keyed_hash(value: str, purpose: str) -> str:
    """A stable, secret-keyed hash: lets us count a client without storing its address."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    """The hashed client address (the proxy's view of it when ProxyFix is configured)."""
    return keyed_hash(request.remote_addr or "unknown", "client")


def seconds_to_wait(default: int = 60) -> int:
    """After a 429: whole seconds until the breached limit's window ends (at least 1), for
    Retry-After and the reader's message; `default` when no limit was checked."""
    from blog.extensions import limiter  # it is built with client_key above

    breached = limiter.current_limit
    return max(1, int(breached.reset_at - time.time())) if breached else default


def count_by_hand(limit: str, scope: str, key: str) -> int:
    """Count one request against `limit` ("20 per minute", or several: "10 per hour; 30
    per day") for `key` in `scope`, for a view or service that words its own refusal (JSON,
    a message beside a field, or nothing said at all) instead of a decorator's 429 page:
    0 while within every limit, else the whole seconds until the breached one allows
    another. Each limit is counted in turn, up to the first that refuses."""
    from blog.extensions import limiter  # it is built with client_key above

    if not (limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)):
        return 0
    for item in parse_many(limit):
        if not limiter.limiter.hit(item, scope, key):
            reset_at = limiter.limiter.get_window_stats(item, scope, key).reset_time
            return max(1, round(reset_at - time.time()))
    return 0


def network_of(address: str) -> str:
    """The network of a client address: its IPv4 /24 or IPv6 /64 (an IPv4 address mapped
    into IPv6 counts as IPv4); what is not an address is returned as it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ipaddress.ip_network((ip, NETWORK_PREFIX[ip.version]), strict=False))


def network_key() -> str:
    """The hashed network of the client (network_of; the proxy's view of the address as
    for client_key), never the network itself: for what one person must not be able to
    repeat by changing address, such as reporting a comment."""
    return keyed_hash(network_of(request.remote_addr or "unknown"), "network")
