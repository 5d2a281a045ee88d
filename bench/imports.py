"""`make bench-import`: how long a large WordPress import takes, and how much memory.

Generates a WXR export (BENCH_IMPORT_POSTS posts, default 10,000, each with a thread of
BENCH_IMPORT_COMMENTS comments, default 10), makes a fresh SQLite site under bench/.data/,
and runs `flask import-wordpress` on it as a separate process, as an editor would; then
the same at a tenth of the size, to show that memory does not grow with the export. Writes
bench/results/<date>-import.json. A benchmark, not a test: nothing fails on a slow run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.import_fixtures import write_big_wordpress

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data" / "imports"
FLASK = [sys.executable, "-m", "flask", "--app", "blog"]


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_import(posts: int, comments: int) -> dict[str, object]:
    folder = DATA / f"{posts}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    export = folder / "export.xml"
    started = time.monotonic()
    write_big_wordpress(export, posts, comments, body_chars=4000)
    generated = time.monotonic() - started
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'site.db'}",
        "SECRET_KEY": "bench-import",
        "FLASK_UPLOADS_DIR": str(folder / "uploads"),
        "FLASK_IMPORT_REPORTS_DIR": str(folder / "reports"),
    }
    subprocess.run([*FLASK, "init"], env=env, check=True, capture_output=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [*FLASK, "import-wordpress", str(export)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0.0
    while process.poll() is None:  # sampled, since the figure is gone once it exits
        peak = max(peak, peak_rss_mb(process.pid))
        time.sleep(0.2)
    seconds = time.monotonic() - started
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"import failed ({process.returncode}):\n{output[-3000:]}")
    return {
        "posts": posts,
        "comments": posts * comments,
        "export_mb": round(export.stat().st_size / 1e6, 1),
        "generate_seconds": round(generated, 1),
        "import_seconds": round(seconds, 1),
        "items_per_second": round((posts * (comments + 1)) / seconds),
        "peak_rss_mb": round(peak, 1),
        "report": [line for line in output.splitlines() if line.startswith("  ")][:12],
    }


def main() -> None:
    posts = int(os.environ.get("BENCH_IMPORT_POSTS", "10000"))
    comments = int(os.environ.get("BENCH_IMPORT_COMMENTS", "10"))
    runs = [run_import(max(1, posts // 10), comments), run_import(posts, comments)]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "engine": "sqlite",
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "runs": runs,
    }
    out = ROOT / "bench" / "results" / f"{result['date'][:10]}-import.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    for run in runs:
        print(
            f"{run['posts']:>6} posts, {run['comments']:>7} comments ({run['export_mb']} MB): "
            f"{run['import_seconds']} s, {run['items_per_second']} items/s, "
            f"peak {run['peak_rss_mb']} MB"
        )
    print(f"Written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
