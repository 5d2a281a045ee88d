"""The benchmark's targets, its results file and the tables written into docs/performance.md."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench import BenchError
from bench.inprocess import RENDER_LIMIT_MS
from bench.load import Figures
from bench.proxied import NGINX_SHARE, ProxyRun

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"

P99_LIMIT_MS = 100.0
CACHED_SHARE = 0.70  # of the ceiling's requests/s, for the article page with the page cache
UNCACHED_SHARE = 0.25  # without it
MIXED_SHARE = 0.60  # the mixed load, of the cached article page's requests/s
RSS_LIMIT_MB = 150.0
SCALING_SHARE = 0.90  # article page at the large size, as a share of 1,000 articles
CEILING_TARGETS = {"article": CACHED_SHARE, "article-uncached": UNCACHED_SHARE}
TARGET_COLUMNS = (
    ("p99", f"p99 < {P99_LIMIT_MS:.0f} ms"),
    ("ceiling", "share of ceiling"),
    ("mixed", f"≥ {MIXED_SHARE:.0%} of cached article"),
    ("nginx", f"through nginx ≥ {NGINX_SHARE:.0%} of static"),
    ("errors", "zero errors"),
    ("rss", f"RSS < {RSS_LIMIT_MB:.0f} MB"),
)


@dataclass
class Run:
    """One measured page on one server."""

    name: str
    label: str
    path: str
    server: str
    figures: Figures
    rss_peak_mb: float
    rss_after_mb: list[float]
    worker_restarts: int
    ratio: float | None = None  # requests/s as a share of the ceiling's
    article_ratio: float | None = None  # the mixed load's, of the cached article page's
    # The page's body in bytes: plain (as wrk asks), gzip, br (None: sent uncompressed).
    bytes: dict[str, int | None] | None = None
    targets: dict[str, bool] = field(default_factory=dict)
    # The same page through nginx; for the ceiling, nginx serving its bytes as a file.
    nginx: ProxyRun | None = None

    @property
    def is_ceiling(self) -> bool:
        return self.server == "ceiling"

    def judge(self, ceiling_rps: float | None, article_rps: float | None = None) -> None:
        """Ratio to the ceiling and the pass/fail of each target that applies; the mixed
        load's against article_rps, the cached article page's."""
        if self.is_ceiling:
            return
        if ceiling_rps and self.name != "mixed":
            self.ratio = round(self.figures.requests_per_s / ceiling_rps, 3)
        self.targets["p99"] = self.figures.p99_ms < P99_LIMIT_MS
        if self.name in CEILING_TARGETS and self.ratio is not None:
            self.targets["ceiling"] = self.ratio >= CEILING_TARGETS[self.name]
        if self.name == "mixed" and article_rps:
            self.article_ratio = round(self.figures.requests_per_s / article_rps, 3)
            self.targets["mixed"] = self.article_ratio >= MIXED_SHARE
        if self.nginx is not None and self.nginx.target is not None:
            self.targets["nginx"] = self.nginx.target
        self.targets["errors"] = self.figures.errors == 0
        self.targets["rss"] = self.rss_peak_mb < RSS_LIMIT_MB

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "path": self.path,
            "server": self.server,
            **self.figures.as_dict(),
            "ratio_to_ceiling": self.ratio,
            "ratio_to_cached_article": self.article_ratio,
            "bytes": self.bytes,
            "worker_rss_peak_mb": self.rss_peak_mb,
            "worker_rss_after_mb": self.rss_after_mb,
            "worker_restarts": self.worker_restarts,
            "targets": self.targets,
        }


def attach_proxied(runs: list[Run], proxied: list[ProxyRun]) -> None:
    """Each run through nginx beside the direct run of its page; the static file beside
    the ceiling."""
    by_name = {run.name: run for run in runs}
    for each in proxied:
        by_name["ceiling" if each.is_static else each.name].nginx = each


def proxied_checks(proxied: list[ProxyRun]) -> dict[str, bool]:
    """The verdicts on the runs through nginx that no table column shows."""
    pages = [run for run in proxied if not run.is_static]
    return {
        "every page through nginx served from its file": all(run.from_file for run in pages),
        "zero errors through nginx": all(run.figures.errors == 0 for run in proxied),
    }


# ---------- The machine ----------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _commit() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with uncommitted changes)" if git("status", "--porcelain") else head


def describe_machine(database_version: str, wrk: str) -> dict:
    from blog.config import Defaults

    return {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": database_version,
        "gunicorn": importlib.metadata.version("gunicorn"),
        "flask": importlib.metadata.version("flask"),
        "sqlalchemy": importlib.metadata.version("sqlalchemy"),
        "wrk": wrk,
        "commit": _commit(),
        "page_cache_module": importlib.util.find_spec("blog.pagecache") is not None,
        "page_cache_setting": hasattr(Defaults, "PAGE_CACHE"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# ---------- Results file ----------


def write_results(result: dict, suffix: str = "") -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{result['date']}{suffix}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


# ---------- Tables ----------


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("pass" if value else "**FAIL**")


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def runs_table(runs: list[Run]) -> str:
    head = [
        "Run",
        "Path",
        "req/s",
        "bytes plain / gzip / br",
        "vs ceiling",
        "through nginx",
        "vs static",
        "p50 ms",
        "p99 ms",
        "errors",
        "429",
        "worker RSS MB",
        "restarts",
        *(title for _, title in TARGET_COLUMNS),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in runs:
        f = run.figures
        ratio = "–" if run.ratio is None else f"{run.ratio:.0%}"
        cells = [
            run.label,
            f"`{run.path}`" if run.path.startswith("/") else run.path,
            _number(f.requests_per_s),
            _bytes_cell(run.bytes),
            ratio,
            *_nginx_cells(run.nginx),
            _number(f.p50_ms),
            _number(f.p99_ms),
            str(f.errors),
            str(f.rate_limited),
            _number(run.rss_peak_mb, 0),
            str(run.worker_restarts),
            *(_mark(run.targets.get(key)) for key, _ in TARGET_COLUMNS),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _bytes_cell(sizes: dict[str, int | None] | None) -> str:
    if not sizes:
        return "–"
    return " / ".join(_number(sizes.get(coding), 0) for coding in ("plain", "gzip", "br"))


def render_costs_table(costs: list[dict]) -> str:
    """The CPU per render in-process (bench/inprocess.py), one row per page."""
    lines = [
        "| Page | Path | renders | CPU ms per render | median | slowest "
        f"| ≤ {RENDER_LIMIT_MS:.0f} ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for cost in costs:
        lines.append(
            f"| {cost['label']} | `{cost['path']}` | {cost['renders']} | "
            f"{cost['cpu_ms_mean']:.2f} | {cost['cpu_ms_median']:.2f} | "
            f"{cost['cpu_ms_max']:.2f} | {_mark(cost['target'])} |"
        )
    return "\n".join(lines)


def render_checks(costs: list[dict]) -> dict[str, bool]:
    """The in-process render targets, for the summary."""
    return {
        f"{cost['label']}: ≤ {RENDER_LIMIT_MS:.0f} ms of CPU per render in-process": cost["target"]
        for cost in costs
        if cost["target"] is not None
    }


def _nginx_cells(run: ProxyRun | None) -> list[str]:
    """req/s through nginx and its share of the static file's: never a figure that
    gunicorn rather than a page file answered."""
    if run is None:
        return ["–", "–"]
    if not run.from_file:
        return ["**not from a file**", "–"]
    ratio = "–" if run.ratio is None else f"{run.ratio:.0%}"
    return [_number(run.figures.requests_per_s), ratio]


def targets_summary(runs: list[Run], extra: dict[str, bool] | None = None) -> str:
    verdicts = [v for run in runs for v in run.targets.values()] + list((extra or {}).values())
    failed = [
        f"{run.label}: {title}"
        for run in runs
        for key, title in TARGET_COLUMNS
        if run.targets.get(key) is False
    ] + [name for name, ok in (extra or {}).items() if not ok]
    summary = f"Targets met: {sum(verdicts)} of {len(verdicts)}."
    return summary + (f" Missed: {'; '.join(failed)}." if failed else "")


def replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name} start -->", f"<!-- bench:{name} end -->"
    if start not in text or end not in text:
        raise BenchError(f"docs/performance.md has lost its {start} ... {end} markers")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{body.strip()}\n{end}{after}"


def update_doc(name: str, body: str) -> None:
    DOC.write_text(replace_between(DOC.read_text(), name, body))


def stamp() -> tuple[str, str]:
    now = datetime.now().astimezone()
    return now.date().isoformat(), now.isoformat(timespec="seconds")
