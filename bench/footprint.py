"""Footprint: how long gunicorn takes from its start to the first article page (the cold
start, start-up check included), and the memory its master and workers hold once the demo
site's main pages were served: PSS (proportional set size, each shared page counted once
across the processes) and RSS, from /proc/<pid>/smaps_rollup.

`python -m bench.footprint` prints both for 2 workers and for gunicorn.conf.py's default
count; `make bench` records them in its results (the "footprint" section).
`python -m bench.footprint --throughput 2,3,5` compares worker counts instead: the cached
article page's requests/s under wrk.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import BenchError
from bench.load import LoadSettings, ensure_wrk, run_wrk
from bench.server import (
    GUNICORN,
    READY_WITHIN,
    ROOT,
    Server,
    _private_control_socket,
    configured_workers,
    free_port,
    server_env,
    stop,
)

FLASK = Path(sys.executable).parent / "flask"
PSS_LIMIT_MIB = 150.0  # master + 2 workers
COLD_START_LIMIT_S = 1.0
POLL_S = 0.005  # between attempts at the first article page
# Pages every visitor's path touches; each is asked for twice (a miss, then a hit).
MAIN_PAGES = ("/", "/topics", "/authors", "/search?q=council", "/feed.xml", "/sitemap.xml")
LISTING_LINK = re.compile(r'href="(/(?:section|topic|author)/[^"/?#]+)"')


def demo_settings(folder: Path) -> dict[str, str]:
    """A Byline whose every file lives in folder, as `make run` would make it."""
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'byline.db'}",
        "SECRET_KEY": "footprint-" + "0" * 40,
        "FLASK_UPLOADS_DIR": str(folder / "uploads"),
        "FLASK_MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "FLASK_JOBS_FILE": str(folder / "jobs.db"),
        "FLASK_RATELIMIT_STORAGE_URI": f"byline-sqlite://{folder / 'ratelimits.db'}",
        "FLASK_PAGE_CACHE_GENERATION_FILE": str(folder / "page_cache_generation"),
    }


def make_demo_site(settings: dict[str, str]) -> None:
    """`flask --app blog init` then `flask --app blog demo`, the commands `make run` runs."""
    for command in ("init", "demo"):
        result = subprocess.run(
            [str(FLASK), "--app", "blog", command],
            cwd=ROOT,
            env=server_env(settings),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"flask {command} failed:\n{result.stdout}{result.stderr}")


def newest_article_path(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT slug FROM articles WHERE status = 'published' "
            "ORDER BY published_at DESC LIMIT 1"
        ).fetchone()
    if row is None:
        raise BenchError(f"{database} holds no published article")
    return f"/articles/{row[0]}"


def _status(port: int, path: str) -> int:
    """The answer's status, or 0 while nothing answers on the port."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=READY_WITHIN)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def _get(port: int, path: str) -> bytes:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=READY_WITHIN)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise BenchError(f"GET {path} answered {response.status}, not 200")
    return body


def workers_of(server: Server) -> list[int]:
    """The master's children but the start-up check's process."""
    pids = []
    for pid in server.worker_pids():
        try:
            if b"startup_report" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
        except OSError:  # ended meanwhile
            continue
    return pids


class ForkWatch:
    """Notes when the master forks its first worker: its own start and the start-up check
    are behind it then. Watched from a thread, as the first request waits in the listen
    queue until a worker takes it."""

    def __init__(self, server: Server, started: float):
        self.server, self.started = server, started
        self.forked_s: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            if workers_of(self.server):
                self.forked_s = time.monotonic() - self.started
                return
            self._stop.wait(POLL_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def first_200(server: Server, path: str, started: float) -> float:
    """Seconds from `started` until path first answers 200."""
    deadline = started + READY_WITHIN
    while True:
        status = _status(server.port, path)
        if status == 200:
            return time.monotonic() - started
        if server.process.poll() is not None:
            raise BenchError(
                f"gunicorn exited with {server.process.returncode}\n{server.log_tail()}"
            )
        if status not in (0, 503) or time.monotonic() > deadline:
            raise BenchError(f"GET {path} answered {status} (or nothing)\n{server.log_tail()}")
        time.sleep(POLL_S)


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time of a process itself, and of its children it has waited for (user+system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def start_cpu_s(server: Server) -> dict[str, float]:
    """CPU time spent on the way to the first page, whatever the machine's load: the
    master's own, its start-up check's, and the busiest worker's (the workers start side
    by side, one per core); their sum is the start's critical path."""
    own, waited = cpu_seconds(server.process.pid)
    workers = [sum(cpu_seconds(pid)) for pid in workers_of(server)]
    split = {"master": own, "check": waited, "worker": max(workers, default=0.0)}
    return {
        name: round(value, 2) for name, value in {**split, "total": sum(split.values())}.items()
    }


def smaps_rollup(pid: int) -> dict[str, float]:
    """Pss and Rss of one process, in MiB."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            sizes[name.lower() + "_mib"] = round(int(rest.split()[0]) / 1024, 1)
    return sizes


def serve_main_pages(server: Server, article: str) -> None:
    """The front page, the article, a section, a topic and an author, the lists, search
    and the feeds, each twice."""
    front = _get(server.port, "/").decode()
    listings = list(dict.fromkeys(LISTING_LINK.findall(front)))
    kinds = {path.split("/")[1]: path for path in reversed(listings)}  # first of each kind
    for path in (article, *MAIN_PAGES, *sorted(kinds.values())):
        _get(server.port, path)
        _get(server.port, path)


def wait_for_workers(server: Server, workers: int) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while len(workers_of(server)) < workers:
        if time.monotonic() > deadline:
            raise BenchError(f"fewer than {workers} workers after {READY_WITHIN:.0f} s")
        time.sleep(0.05)


@contextmanager
def demo_site() -> Iterator[tuple[dict[str, str], str]]:
    """A fresh demo site in a temporary folder: its settings and its newest article."""
    with tempfile.TemporaryDirectory(prefix="byline-footprint-") as tmp:
        folder = Path(tmp)
        settings = demo_settings(folder)
        make_demo_site(settings)
        yield settings, newest_article_path(folder / "byline.db")


@contextmanager
def gunicorn(settings: dict[str, str], workers: int) -> Iterator[tuple[Server, float]]:
    """`gunicorn -c gunicorn.conf.py 'blog:create_app()'` with this many workers, as in
    production; the server and the moment it was started. Not waited for."""
    port = free_port()
    env = server_env(
        {**settings, "BYLINE_BIND": f"127.0.0.1:{port}", "BYLINE_WORKERS": str(workers)}
    )
    log_path = Path(settings["FLASK_UPLOADS_DIR"]).parent / f"gunicorn-{workers}.log"
    with open(log_path, "wb") as out:
        started = time.monotonic()
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", *_private_control_socket()]
            + ["blog:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(f"footprint-{workers}", process, port, log_path), started
    finally:
        stop(process)


def measure(workers: int, *, log: Callable[[str], None] = print) -> dict:
    """Start gunicorn with this many workers on a fresh demo site: the cold start, then
    the memory of master and workers after the main pages were served."""
    with demo_site() as (settings, article), gunicorn(settings, workers) as (server, started):
        watch = ForkWatch(server, started)
        try:
            cold_start = first_200(server, article, started)
            cold_start_cpu = start_cpu_s(server)
        finally:
            watch.stop()
        wait_for_workers(server, workers)
        serve_main_pages(server, article)
        processes = [("master", server.process.pid)]
        processes += [("worker", pid) for pid in workers_of(server)]
        per_process = [{"role": role, "pid": pid, **smaps_rollup(pid)} for role, pid in processes]
    result = {
        "workers": workers,
        "cold_start_s": round(cold_start, 3),
        # gunicorn's own start and its start-up check, before any worker exists
        "first_worker_forked_s": None if watch.forked_s is None else round(watch.forked_s, 3),
        "cold_start_cpu_s": cold_start_cpu,
        "pss_mib_total": round(sum(p["pss_mib"] for p in per_process), 1),
        "rss_mib_total": round(sum(p["rss_mib"] for p in per_process), 1),
        "per_process": per_process,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    log(
        f"  {workers} workers: cold start {result['cold_start_s']:.2f} s "
        f"(first worker forked at {result['first_worker_forked_s']} s; "
        f"CPU s {result['cold_start_cpu_s']}), "
        f"PSS {result['pss_mib_total']:.1f} MiB, RSS {result['rss_mib_total']:.1f} MiB"
    )
    return result


def throughput(
    counts: list[int], rounds: int = 2, *, log: Callable[[str], None] = print
) -> list[dict]:
    """The cached article page's requests/s under wrk for each worker count, the counts
    taken in turn `rounds` times over (a busy machine drifts: each count meets the same
    drift); one demo site for all."""
    wrk = ensure_wrk(log)
    load = LoadSettings.from_env()
    runs = []
    with demo_site() as (settings, article):
        for turn in range(rounds):
            for workers in counts:
                with gunicorn(settings, workers) as (server, _):
                    first_200(server, article, time.monotonic())
                    wait_for_workers(server, workers)
                    url = server.origin + article
                    run_wrk(wrk, url, load, load.warmup_s)
                    figures = run_wrk(wrk, url, load, load.duration_s)
                runs.append(
                    {
                        "workers": workers,
                        "round": turn + 1,
                        "requests_per_s": figures.requests_per_s,
                        "p99_ms": figures.p99_ms,
                        "errors": figures.errors,
                        "load_average": [round(x, 2) for x in os.getloadavg()],
                    }
                )
                log(
                    f"  {workers} workers, round {turn + 1}: {figures.requests_per_s:,.0f} "
                    f"req/s, p99 {figures.p99_ms} ms, errors {figures.errors}"
                )
    return runs


def worker_counts() -> list[int]:
    """2 workers (the target's count) and gunicorn.conf.py's default, once each."""
    return sorted({2, configured_workers()})


def table(results: list[dict]) -> str:
    head = (
        "| Workers | Cold start to the article (s) | first worker forked (s) | CPU on the way "
        "(s: master, check, worker) | PSS total (MiB) | RSS total (MiB) |"
    )
    lines = [head, "|---|---|---|---|---|---|"]
    for each in results:
        cpu = each["cold_start_cpu_s"]
        lines.append(
            f"| {each['workers']} | {each['cold_start_s']:.2f} | "
            f"{each['first_worker_forked_s']} | {cpu['total']:.2f} ({cpu['master']:.2f}, "
            f"{cpu['check']:.2f}, {cpu['worker']:.2f}) | "
            f"{each['pss_mib_total']:.1f} | {each['rss_mib_total']:.1f} |"
        )
    return "\n".join(lines)


def checks(results: list[dict]) -> dict[str, bool]:
    """The footprint targets, judged on the run with 2 workers."""
    two = next(each for each in results if each["workers"] == 2)
    return {
        f"footprint: master + 2 workers < {PSS_LIMIT_MIB:.0f} MiB PSS": two["pss_mib_total"]
        < PSS_LIMIT_MIB,
        f"footprint: cold start < {COLD_START_LIMIT_S:.0f} s": two["cold_start_s"]
        < COLD_START_LIMIT_S,
    }


def section(results: list[dict], path: Path) -> str:
    """docs/performance.md's footprint table, between its bench:footprint markers."""
    loads = ", ".join(
        f"{each['workers']} workers: {' / '.join(f'{x:.2f}' for x in each['load_average'])}"
        for each in results
    )
    verdicts = "; ".join(
        f"{name.removeprefix('footprint: ')}: {'pass' if ok else '**FAIL**'}"
        for name, ok in checks(results).items()
    )
    return (
        f"{table(results)}\n\n"
        f"Demo site (`flask init` and `flask demo`), gunicorn started as in production; "
        f"memory after the main pages were each served twice. Load average after each run: "
        f"{loads}. Targets: {verdicts}. Results: `{path.relative_to(ROOT)}`."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.footprint", description=__doc__)
    parser.add_argument(
        "--throughput",
        metavar="N,N,...",
        help="instead: the cached article's req/s with wrk for these worker counts",
    )
    args = parser.parse_args(argv)
    try:
        if args.throughput:
            counts = [int(n) for n in args.throughput.split(",")]
            runs = throughput(counts)
            for workers in counts:
                rates = [run["requests_per_s"] for run in runs if run["workers"] == workers]
                print(f"{workers} workers: {', '.join(f'{r:,.0f}' for r in rates)} req/s")
        else:
            print(table([measure(workers) for workers in worker_counts()]))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print(f"Load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
