"""gunicorn for the benchmark, started as in production (`gunicorn -c gunicorn.conf.py`),
and the resident memory of its workers."""

from __future__ import annotations

import http.client
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import gunicorn.config

from bench import BenchError

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
READY_WITHIN = 90.0  # seconds for every worker to be up and /healthz to answer
STOP_WITHIN = 40.0
# Settings the bench passes itself; inherited values would make runs differ by shell.
DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "BYLINE_BIND", "GUNICORN_CMD_ARGS")


def configured_workers() -> int:
    """The worker count gunicorn.conf.py gives (BYLINE_WORKERS or cores + 1)."""
    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(settings: dict[str, str]) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in DROPPED_ENV and not name.startswith("FLASK_")
    }
    env.update(settings)
    return env


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Field 4 (after the parenthesised command, which may hold spaces) is the ppid.
            if int(stat.rpartition(")")[2].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_rss_mb(self) -> dict[int, float]:
        """Each worker's VmRSS in MiB."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # restarted meanwhile (max_requests)
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = round(int(line.split()[1]) / 1024, 1)
        return sizes

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class RssSampler:
    """Samples the workers' memory every quarter second while a load runs, and notes the
    workers that replaced others meanwhile (max_requests restarts)."""

    server: Server
    peak_mb: float = 0.0
    after_mb: dict[int, float] = field(default_factory=dict)
    restarts: int = 0
    _seen: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            sizes = self.server.worker_rss_mb()
            self._seen.update(sizes)
            self.peak_mb = max([self.peak_mb, *sizes.values()])

    @contextmanager
    def running(self) -> Iterator[RssSampler]:
        first = set(self.server.worker_pids())
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            self.after_mb = self.server.worker_rss_mb()
            self._seen.update(self.after_mb)
            self.peak_mb = max([self.peak_mb, *self.after_mb.values()])
            self.restarts = len(self._seen - first)


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


@contextmanager
def running(name: str, app: str, settings: dict[str, str], log: Path) -> Iterator[Server]:
    """gunicorn -c gunicorn.conf.py APP on a free port of 127.0.0.1, stopped on the way out."""
    port = free_port()
    env = server_env({**settings, "BYLINE_BIND": f"127.0.0.1:{port}"})
    with open(log, "wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", *_private_control_socket(), app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, process, port, log)
    try:
        _wait_until_ready(server, configured_workers())
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen, within: float = STOP_WITHIN) -> None:
    """Ask a server to stop, and make it stop if it has not within `within` seconds."""
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _private_control_socket() -> list[str]:
    """gunicorn 25+ opens a control socket at one path per user; the bench's servers
    must not take it over from a gunicorn someone else is running."""
    return ["--no-control-socket"] if hasattr(gunicorn.config, "ControlSocketDisable") else []


def _wait_until_ready(server: Server, workers: int) -> None:
    """/healthz answers 200 and every worker is up; polled, with a deadline."""
    deadline = time.monotonic() + READY_WITHIN
    while len(server.worker_pids()) < workers or _get(server.port, "/healthz") != 200:
        if time.monotonic() > deadline:
            raise BenchError(
                f"{server.name}: gunicorn not ready in {READY_WITHIN:.0f} s\n{server.log_tail()}"
            )
        try:
            server.process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise BenchError(
            f"{server.name}: gunicorn exited with {server.process.returncode}\n{server.log_tail()}"
        )
