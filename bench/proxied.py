"""Pages measured through nginx: the shipped deploy/nginx.conf in front of a Byline that
writes its cached pages as files (PAGE_FILES_DIR), and nginx serving the article page's
bytes as a plain static file in the same run, to compare with.

A figure is a page file's only if nginx answered every request itself: the page's file
exists before the load, nginx's answer to it lacks Byline's X-Cache header and has the
file's bytes, and gunicorn's access log gains no line for the page during the load.
Otherwise the run says so, loudly, and its figure is not reported as a page file's.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import BenchError
from bench.load import Figures, merged, run_wrk
from bench.nginx import HOST, STATIC_PREFIX, Nginx
from bench.pages import Page
from blog.pagefiles import CURRENT, copy_name

# pages.measured_pages names; the first is compared with the static file.
MEASURED = ("article", "front", "section-1")
STATIC_FILE = "article.html"
FILE_WITHIN = 5.0  # seconds for Byline's copy to appear after the first request
NGINX_SHARE = 0.80  # of the static file's requests/s, for the article page


@dataclass
class ProxyRun:
    """One page measured through nginx, or the static file (reached_app None)."""

    name: str
    label: str
    path: str
    figures: Figures
    reached_app: int | None  # the page's lines in gunicorn's access log during the load
    problem: str | None = None  # why the page was not served from its file
    ratio: float | None = None  # requests/s as a share of the static file's
    target: bool | None = None  # the article's: a page file, at NGINX_SHARE of the static's
    halves: list[float] = field(default_factory=list)  # requests/s of each half, if halved

    @property
    def is_static(self) -> bool:
        return self.reached_app is None

    @property
    def from_file(self) -> bool:
        return self.problem is None

    def judge(self, static_rps: float) -> None:
        """The share of the static file's requests/s, and the article's target."""
        if self.is_static:
            return
        if self.from_file and static_rps:
            self.ratio = round(self.figures.requests_per_s / static_rps, 3)
        if self.name == "article":
            self.target = self.ratio is not None and self.ratio >= NGINX_SHARE

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "path": self.path,
            **self.figures.as_dict(),
            "served_from_file": self.from_file,
            "requests_reaching_gunicorn": self.reached_app,
            "problem": self.problem,
            "ratio_to_static_file": self.ratio,
            "target": self.target,
            "halves_requests_per_s": self.halves,
        }


def page_file(page_files: Path, path: str) -> Path:
    """Where Byline writes the copy nginx serves for path (blog/pagefiles.py's layout)."""
    name = copy_name("https", HOST, path, "text/html")
    if name is None:
        raise BenchError(f"{path} is not an address Byline writes as a file")
    return page_files / CURRENT / name


def app_lines(log: Path, path: str) -> int:
    """Requests for path (any query string aside) in gunicorn's access log."""
    line = f'"GET {path} HTTP/'.encode()
    try:
        return log.read_bytes().count(line)
    except FileNotFoundError:
        return 0


def warm(front: Nginx, page_files: Path, app_log: Path, path: str) -> str | None:
    """Ask for the page through nginx until its file exists and nginx answers with it;
    None, or what went wrong."""
    logged = app_lines(app_log, path)
    first = front.get(path)
    if first.status != 200:
        return f"the first request answered {first.status}, not 200"
    file = page_file(page_files, path)
    deadline = time.monotonic() + FILE_WITHIN
    # Polled with a deadline: gunicorn logs a request once its answer is sent.
    while not file.is_file() or app_lines(app_log, path) == logged:
        if time.monotonic() > deadline:
            if not file.is_file():
                return f"Byline wrote no file for it ({file} never appeared)"
            return "gunicorn never logged the first request for it"
        time.sleep(0.05)
    logged = app_lines(app_log, path)
    answer = front.get(path)
    if answer.status != 200:
        return f"nginx answered {answer.status} although its file exists"
    if "x-cache" in answer.headers:
        cache = answer.headers["x-cache"]
        return f"nginx passed it to Byline (X-Cache: {cache}) although its file exists"
    if app_lines(app_log, path) != logged:
        return "gunicorn logged it although its file exists"
    if answer.body != file.read_bytes():
        return "nginx answered other bytes than its file's"
    return None


def measure_page(bench, front: Nginx, page_files: Path, app_log: Path, page: Page) -> ProxyRun:
    problem = warm(front, page_files, app_log, page.path)
    before = app_lines(app_log, page.path)
    _load(bench, front, page, bench.load.warmup_s)
    figures = _load(bench, front, page, bench.load.duration_s)
    run = _page_run(page, figures, problem, app_lines(app_log, page.path) - before)
    _report(run)
    return run


def measure_pair(bench, front: Nginx, page_files: Path, app_log: Path, page: Page):
    """The article page and nginx serving its bytes as a static file, measured in halves
    in the order page, file, file, page, so that other work on the machine weighs on both
    alike; each half is half the duration of a run."""
    problem = warm(front, page_files, app_log, page.path)
    file = page_file(page_files, page.path)
    body = file.read_bytes() if problem is None else front.get(page.path).body
    (front.static / STATIC_FILE).write_bytes(body)
    static = Page("static", "Same bytes, nginx static file", STATIC_PREFIX + STATIC_FILE)
    answer = front.get(static.path)
    if answer.status != 200 or answer.body != body:
        raise BenchError(f"nginx answered {answer.status} for the static copy {static.path}")
    before = app_lines(app_log, page.path)
    for each in (page, static):
        _load(bench, front, each, bench.load.warmup_s)
    half = max(1, round(bench.load.duration_s / 2))
    halves = {page.name: [], static.name: []}
    for each in (page, static, static, page):
        halves[each.name].append(_load(bench, front, each, half))
    reached = app_lines(app_log, page.path) - before
    run = _page_run(page, merged(halves[page.name]), problem, reached)
    static_run = ProxyRun(static.name, static.label, static.path, merged(halves[static.name]), None)
    for each in (run, static_run):
        each.halves = [part.requests_per_s for part in halves[each.name]]
        _report(each)
    return run, static_run


def measure(bench, front: Nginx, page_files: Path, app_log: Path, pages: list[Page]):
    """The proxied runs: the article page with the static file, then the other pages."""
    by_name = {page.name: page for page in pages}
    runs = [*measure_pair(bench, front, page_files, app_log, by_name[MEASURED[0]])]
    for name in MEASURED[1:]:
        runs.append(measure_page(bench, front, page_files, app_log, by_name[name]))
    static = next(run for run in runs if run.is_static)
    for run in runs:
        run.judge(static.figures.requests_per_s)
    return runs


def _page_run(page: Page, figures: Figures, problem: str | None, reached: int) -> ProxyRun:
    if problem is None and reached:
        problem = f"{reached:,} of its requests reached gunicorn during the load"
    return ProxyRun(page.name, page.label, page.path, figures, reached, problem)


def _load(bench, front: Nginx, page: Page, seconds: int) -> Figures:
    log(f"  {page.label:<28} {page.path} through nginx, {seconds} s")
    url = front.origin + page.path
    return run_wrk(bench.wrk, url, bench.load, seconds, headers=(f"Host: {HOST}",))


def _report(run: ProxyRun) -> None:
    f = run.figures
    log(
        f"  {run.label:<28} {f.requests_per_s:>9,.1f} req/s  p50 {f.p50_ms} ms  p99 {f.p99_ms} ms  "
        f"errors {f.errors}"
    )
    if run.problem:
        log("")
        log(f"  !!! {run.label} was NOT served from a page file: {run.problem}.")
        log("  !!! Its figure through nginx is reported as not a page file's.")
        log("")


def log(message: str) -> None:
    print(message, flush=True)


def nginx_version() -> str:
    result = subprocess.run(["nginx", "-v"], capture_output=True, text=True, check=False)
    return (result.stderr or result.stdout).strip().removeprefix("nginx version: ")
