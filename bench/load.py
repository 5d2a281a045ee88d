"""Driving load with wrk over 127.0.0.1, and the figures its Lua scripts print."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import BenchError

WRK_DIR = Path(__file__).resolve().parent / "wrk"
MARKER = "BENCH_JSON "


def _env_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BenchError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class LoadSettings:
    connections: int = 32
    threads: int = 2
    duration_s: int = 10
    warmup_s: int = 2
    timeout_s: int = 10  # a request slower than this counts as a socket error

    @classmethod
    def from_env(cls) -> LoadSettings:
        return cls(
            connections=_env_number("BENCH_CONNECTIONS", 32),
            threads=_env_number("BENCH_THREADS", 2),
            duration_s=_env_number("BENCH_DURATION", 10),
            warmup_s=_env_number("BENCH_WARMUP", 2),
        )


def ensure_wrk(log=print) -> str:
    """The wrk binary; installed with apt-get when missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        log("  wrk is missing: apt-get install -y wrk")
        install = ["apt-get", "install", "-y", "wrk"]
        if subprocess.run(install, capture_output=True, check=False).returncode != 0:
            subprocess.run(["apt-get", "update"], capture_output=True, check=False)
            subprocess.run(install, capture_output=True, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError(
        "the benchmark needs wrk: install it (Debian or Ubuntu: sudo apt-get install wrk)"
    )


def wrk_version(wrk: str) -> str:
    result = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first = (result.stdout or result.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "unknown"


@dataclass
class Figures:
    """One wrk run: throughput, latency in milliseconds, status codes and errors."""

    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    bytes_per_request: int
    status: dict[str, int]
    http_errors: int  # responses >= 400 other than 429
    rate_limited: int  # 429 responses, counted apart
    socket_errors: dict[str, int]

    @property
    def errors(self) -> int:
        return self.http_errors + sum(self.socket_errors.values())

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.status.items() if int(code) >= 500)

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": self.errors, "server_errors": self.server_errors}


def figures(raw: dict) -> Figures:
    seconds = raw["duration_us"] / 1e6
    requests = raw["requests"]
    latency = raw["latency_us"]
    status = {str(code): n for code, n in sorted(raw["status"].items())}
    return Figures(
        requests=requests,
        seconds=round(seconds, 2),
        requests_per_s=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=round(latency["p50"] / 1000, 1),
        p90_ms=round(latency["p90"] / 1000, 1),
        p99_ms=round(latency["p99"] / 1000, 1),
        mean_ms=round(latency["mean"] / 1000, 1),
        max_ms=round(latency["max"] / 1000, 1),
        bytes_per_request=round(raw["bytes"] / requests) if requests else 0,
        status=status,
        http_errors=sum(n for code, n in status.items() if int(code) >= 400 and code != "429"),
        rate_limited=status.get("429", 0),
        socket_errors=raw["socket_errors"],
    )


def merged(parts: list[Figures]) -> Figures:
    """One run's figures from several runs of one URL: counts and time summed; latency
    percentiles and mean weighted by each part's requests (close when the parts are
    alike, not exact); the slowest answer of all."""
    requests = sum(part.requests for part in parts)
    seconds = sum(part.seconds for part in parts)

    def weighted(name: str) -> float:
        total = sum(getattr(part, name) * part.requests for part in parts)
        return round(total / requests, 1) if requests else 0.0

    status: dict[str, int] = {}
    sockets: dict[str, int] = {}
    for part in parts:
        for code, n in part.status.items():
            status[code] = status.get(code, 0) + n
        for kind, n in part.socket_errors.items():
            sockets[kind] = sockets.get(kind, 0) + n
    return Figures(
        requests=requests,
        seconds=round(seconds, 2),
        requests_per_s=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=weighted("p50_ms"),
        p90_ms=weighted("p90_ms"),
        p99_ms=weighted("p99_ms"),
        mean_ms=weighted("mean_ms"),
        max_ms=max(part.max_ms for part in parts),
        bytes_per_request=round(weighted("bytes_per_request")),
        status=dict(sorted(status.items())),
        http_errors=sum(part.http_errors for part in parts),
        rate_limited=sum(part.rate_limited for part in parts),
        socket_errors=sockets,
    )


def run_wrk(
    wrk: str,
    url: str,
    settings: LoadSettings,
    seconds: int,
    *,
    script: str = "page.lua",
    script_args: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
) -> Figures:
    """wrk -t -c -d --timeout [-H HEADER] -s SCRIPT URL [-- ARGS]; the figures its done()
    printed."""
    command = [
        wrk,
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{seconds}s",
        f"--timeout={settings.timeout_s}s",
        *(arg for header in headers for arg in ("-H", header)),
        "-s",
        str(WRK_DIR / script),
        url,
    ]
    if script_args:
        command += ["--", *script_args]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            return figures(json.loads(line[len(MARKER) :]))
    raise BenchError(
        f"wrk printed no figures for {url} (exit {result.returncode}):\n"
        f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
    )
