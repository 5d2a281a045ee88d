"""Crashes in the middle of a storm on SQLite: `kill -9` of one gunicorn worker (the master
starts another), then of the whole server, master and workers at once (its process group).

Requests in flight may fail on the client's side; those were never acknowledged. Every
write acknowledged before the kill must be in the database as the kill left it, the file
must pass SQLite's integrity and foreign-key checks, the counters on articles must equal a
recount of their rows (a row and its counter change in one transaction: comments in
blog/services/comments.py `_changing`, shares in blog/services/shares.py `record_share`), and a
server started again on the same file must serve and take writes. tests/test_storm.py is
the same storm without crashes; tests/test_outage.py is a PostgreSQL outage.
"""

import os
import re
import shutil
import signal
from pathlib import Path

from live_server import SERVER_WORKERS, running_server
from storm_clients import Storm, probe
from storm_site import STORM_ENV, assert_holds_every_write, assert_served_cleanly, prepared_copy

from tests.harness import wait_until

WRITES_BEFORE_EACH_KILL = 100  # acknowledged writes between the start and each kill
WITHIN = 30.0  # seconds for the clients to end once the server is gone
BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def is_gone(pid: int) -> bool:
    """The process has exited (a zombie waiting to be reaped holds nothing open)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def booted_workers(log: Path) -> list[int]:
    return [int(pid) for pid in BOOTED.findall(log.read_text())]


def copy_database(source: Path, target: Path) -> Path:
    """The file and its write-ahead log as they are: the state a crash left behind."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def test_kill_9_mid_storm_loses_no_acknowledged_write(sqlite_template, tmp_path):
    database, url, site = prepared_copy(sqlite_template, tmp_path, "crash.db")

    with running_server(url, tmp_path, extra_env=STORM_ENV, process_group=True) as server:
        storm = Storm(server.port, site, tmp_path, seconds=60)
        try:
            wait_until(lambda: storm.acknowledged >= WRITES_BEFORE_EACH_KILL, "a busy storm")
            victim = booted_workers(server.log)[0]
            os.kill(victim, signal.SIGKILL)
            at_worker_kill = storm.acknowledged
            wait_until(
                lambda: len(booted_workers(server.log)) == SERVER_WORKERS + 1,
                "gunicorn replaces the killed worker",
            )
            wait_until(
                lambda: storm.acknowledged >= at_worker_kill + WRITES_BEFORE_EACH_KILL,
                "writes go on after a worker died",
            )
            server_processes = [server.pid, *booted_workers(server.log)]
            os.killpg(server.pid, signal.SIGKILL)
            at_server_kill = storm.acknowledged
        finally:
            storm.stop.set()
        wait_until(lambda: all(map(is_gone, server_processes)), "the server has died")
        tally = storm.finish(within=WITHIN)
    first_log = server.log.read_text()
    figures = (
        f"{tally.figures()}; worker {victim} killed after {at_worker_kill} writes, "
        f"server after {at_server_kill}"
    )

    assert f"Worker (pid:{victim}) was sent SIGKILL" in first_log, first_log
    assert_served_cleanly(tally, first_log, figures)
    assert tally.writes >= at_server_kill, figures  # each write was acknowledged once
    # Requests cut off by the kills got no answer (and are not counted as writes).
    assert tally.errors, f"{figures}: no request was cut off by the kills"

    # The database exactly as the kill left it, before any server touches it again.
    crashed = copy_database(database, tmp_path / "as-crashed.db")
    assert_holds_every_write(tally, crashed, tmp_path, figures)

    # A new server on the same file serves every page and takes writes again.
    with running_server(url, tmp_path, extra_env=STORM_ENV, name="restarted") as again:
        after = probe(again.port, site)
    restart_log = again.log.read_text()
    assert not after.errors and not after.unexpected, (after.errors, after.unexpected)
    assert after.comments and after.shares and after.articles, after
    assert "Traceback" not in restart_log, restart_log
    tally.add(after.__dict__)

    assert_holds_every_write(tally, database, tmp_path, figures)
    print(f"crash: {figures}; lost writes 0")
