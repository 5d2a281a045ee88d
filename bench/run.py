"""`make bench`: seed the site, serve it with gunicorn, measure each page with wrk, compare
with the ceiling, measure the cached pages again through the shipped nginx (bench/proxied.py),
write bench/results/<date>.json and the tables in docs/performance.md.

`--scaling` (`make bench-scaling`) measures the article page at 1,000 articles and at
BENCH_ARTICLES (default 10,000) instead, and reports the ratio.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bench import BenchError, footprint, inprocess, nginx, pages, proxied, report
from bench.load import LoadSettings, ensure_wrk, run_wrk, wrk_version
from bench.pages import Page
from bench.report import Run
from bench.sections import nginx_section, results_section, scaling_section
from bench.seed import (
    Seeded,
    SiteSize,
    bench_app,
    bench_writes,
    check_counters,
    fresh_database,
    seed,
)
from bench.server import RssSampler, Server, configured_workers, running
from blog.extensions import db

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
SCALING_BASE = 1_000


def log(message: str) -> None:
    print(message, flush=True)


class Bench:
    """One benchmark run: its settings, its site and the servers it measures."""

    def __init__(self, load: LoadSettings, wrk: str):
        self.load = load
        self.wrk = wrk
        self.secret = secrets.token_hex(32)
        self.bench_db = os.environ.get("BENCH_DB", "").strip()
        self.keep_db = os.environ.get("BENCH_KEEP_DB", "") not in ("", "0")
        self.app = None  # a Byline app on the bench database, once it exists

    def byline_settings(
        self, database_url: str, *, page_cache: bool, fragment_cache: bool = True
    ) -> dict[str, str]:
        """Byline as deployed behind one reverse proxy, its state kept in bench/.data/
        rather than the checkout's instance/."""
        return {
            "FLASK_FRAGMENT_CACHE": "true" if fragment_cache else "false",
            "DATABASE_URL": database_url,
            "SECRET_KEY": self.secret,
            "FLASK_RATELIMIT_STORAGE_URI": f"byline-sqlite://{DATA_DIR / 'ratelimits.db'}",
            "FLASK_UPLOADS_DIR": str(DATA_DIR / "uploads"),
            "FLASK_PROXY_FIX_X_FOR": "1",
            "FLASK_PAGE_CACHE": "true" if page_cache else "false",
            "FLASK_PAGE_CACHE_GENERATION_FILE": str(DATA_DIR / "page_cache_generation"),
        }

    def byline(
        self,
        seeded: Seeded,
        *,
        page_cache: bool,
        page_files: Path | None = None,
        fragment_cache: bool = True,
    ):
        """Byline under gunicorn; with page_files, as the site behind nginx that writes its
        cached pages there as files (emptied first); without fragment_cache, as a site
        where every page is rendered for the first time since a change."""
        name = "byline" if page_cache else "byline-uncached"
        name = name if fragment_cache else "byline-first-render"
        (DATA_DIR / "ratelimits.db").unlink(missing_ok=True)
        # The seed writes with Core, which starts no page-cache generation: start empty.
        shutil.rmtree(DATA_DIR / "page_cache", ignore_errors=True)
        settings = self.byline_settings(
            seeded.database_url, page_cache=page_cache, fragment_cache=fragment_cache
        )
        if page_files is not None:
            name = "byline-page-files"
            shutil.rmtree(page_files, ignore_errors=True)
            settings["FLASK_SITE_URL"] = f"https://{nginx.HOST}"
            settings["FLASK_PAGE_FILES_DIR"] = str(page_files)
        return running(name, "blog:create_app()", settings, DATA_DIR / f"{name}.log")

    def measure(
        self, server: Server, page: Page, *, script: str = "page.lua", args=(), headers=None
    ) -> Run:
        """wrk's warm-up and run; for one page (page.lua), also its size plain and
        compressed. headers go with every request."""
        url = server.origin + (page.path if script == "page.lua" else "/")
        log(f"  {page.label:<28} {page.path}")
        sizes = pages.page_bytes(server.port, page.path, headers) if script == "page.lua" else None
        sent = tuple(f"{name}: {value}" for name, value in (headers or {}).items())
        load = {"script": script, "script_args": args, "headers": sent}
        run_wrk(self.wrk, url, self.load, self.load.warmup_s, **load)
        # The warm-up's last requests are still queued when wrk stops: let them drain.
        pages.request(server.port, "GET", "/healthz")
        sampler = RssSampler(server)
        with sampler.running():
            result = run_wrk(self.wrk, url, self.load, self.load.duration_s, **load)
        log(
            f"  {'':<28} {result.requests_per_s:>9,.1f} req/s  p50 {result.p50_ms} ms  "
            f"p99 {result.p99_ms} ms  errors {result.errors}  429 {result.rate_limited}"
        )
        return Run(
            name=page.name,
            label=page.label,
            path=page.path,
            server=server.name,
            figures=result,
            rss_peak_mb=sampler.peak_mb,
            rss_after_mb=sorted(sampler.after_mb.values()),
            worker_restarts=sampler.restarts,
            bytes=sizes,
        )

    def article_runs(self, seeded: Seeded) -> tuple[Run, Run]:
        """The article page with the page cache, then without it (a second server)."""
        with self.byline(seeded, page_cache=True) as server:
            pages.article_html(server.port, seeded.plan)
            cached = self.measure(server, pages.article_page(seeded.plan))
        with self.byline(seeded, page_cache=False) as server:
            uncached = self.measure(server, pages.uncached_article_page(seeded.plan))
        return cached, uncached


def seed_site(app, size: SiteSize) -> Seeded:
    log(f"Seeding {size.articles:,} articles, {size.comments:,} comments, {size.topics} topics")
    seeded = seed(app, size, log=log)
    log(f"  seeded in {seeded.seconds} s: {seeded.counts}")
    log(f"  checks: {seeded.checks}")
    return seeded


def database_version(app) -> str:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            version = "PostgreSQL " + db.session.scalar(text("SHOW server_version"))
        else:
            version = "SQLite " + db.session.scalar(text("SELECT sqlite_version()"))
        db.session.remove()
        db.engine.dispose()
    return version


def byline_runs(bench: Bench, seeded: Seeded, measured: list[Page], page_size: int, password: str):
    """Each page, the signed-in editor's article page (who signs in with password), then
    the mixed load, on Byline with the page cache; returns the runs, the article page's
    bytes and the counters check after the mixed load."""
    runs: list[Run] = []
    log("Byline, page cache on")
    with bench.byline(seeded, page_cache=True) as server:
        try:
            pages.check_pages(server.port, [p.path for p in measured])
            html = pages.article_html(server.port, seeded.plan)
        except BenchError as exc:
            raise BenchError(f"{exc}\nThe server's log ends with:\n{server.log_tail()}") from exc
        for page in measured:
            runs.append(bench.measure(server, page))
        try:
            cookie = pages.editor_cookie(server.port, seeded.plan, password, server.origin)
            pages.check_editor_view(server.port, seeded.plan, cookie)
        except BenchError as exc:
            raise BenchError(f"{exc}\nThe server's log ends with:\n{server.log_tail()}") from exc
        editor = pages.editor_page(seeded.plan)
        runs.append(bench.measure(server, editor, headers={"Cookie": cookie}))
        try:
            pages.check_posts(server.port, seeded.plan, bench.secret, server.origin)
        except BenchError as exc:
            raise BenchError(f"{exc}\nThe server's log ends with:\n{server.log_tail()}") from exc
        data = DATA_DIR / "mixed-data.lua"
        pages.write_mixed_data(data, seeded.plan, server.origin, bench.secret, page_size)
        mixed = Page("mixed", "Mixed reads, comments, shares", pages.MIXED_DESCRIPTION)
        runs.append(bench.measure(server, mixed, script="mixed.lua", args=(str(data),)))
    with bench.app.app_context():
        counters = {**check_counters(), "writes": bench_writes(seeded.plan)}
    log(f"  after the mixed load: {counters}")
    return runs, html, counters


def uncached_runs(bench: Bench, seeded: Seeded) -> list[Run]:
    """The pages without the page cache, fragment caches warm; then the article page on
    a server with neither, where every request is a first render after a change."""
    runs = []
    log("Byline, page cache off")
    with bench.byline(seeded, page_cache=False) as server:
        uncached = pages.uncached_pages(seeded.plan)
        pages.check_uncached(server.port, [page.path for page in uncached])
        runs += [bench.measure(server, page) for page in uncached]
    log("Byline, page cache and fragment caches off")
    with bench.byline(seeded, page_cache=False, fragment_cache=False) as server:
        first = pages.first_render_page(seeded.plan)
        pages.check_uncached(server.port, [first.path])
        runs.append(bench.measure(server, first))
    return runs


def nginx_runs(bench: Bench, seeded: Seeded, measured: list[Page]) -> dict:
    """The article, front and section pages through the shipped nginx, and nginx serving
    the article's bytes as a static file; the runs and what they ran on."""
    log("Through nginx: deploy/nginx.conf in front of Byline writing page files")
    started, load_before = time.monotonic(), os.getloadavg()
    page_files = DATA_DIR / "page_files"
    with (
        bench.byline(seeded, page_cache=True, page_files=page_files) as server,
        nginx.running(f"127.0.0.1:{server.port}", DATA_DIR, page_files) as front,
    ):
        runs = proxied.measure(bench, front, page_files, server.log, measured)
    return {
        "nginx": proxied.nginx_version(),
        "host": nginx.HOST,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.monotonic() - started),
        "runs": runs,
    }


def full_run(bench: Bench) -> None:
    size = SiteSize.from_env()
    # Before minutes of seeding and runs: nginx takes the bench's copy of the shipped site.
    nginx.configure("127.0.0.1:8000", DATA_DIR, DATA_DIR / "page_files")
    date, started = report.stamp()
    with fresh_database(bench.bench_db, DATA_DIR, keep=bench.keep_db) as url:
        bench.app = bench_app(url, bench.secret, DATA_DIR)
        seeded = seed_site(bench.app, size)
        machine = report.describe_machine(database_version(bench.app), wrk_version(bench.wrk))
        page_size = bench.app.config["PAGE_SIZE"]
        measured = pages.measured_pages(seeded.plan, page_size)
        log("In-process renders, page cache off")
        editor = pages.bench_editor(seeded.plan)["email"]
        app = inprocess.byline_app(seeded.database_url, bench.secret, DATA_DIR)
        renders, password = inprocess.measure(app, measured, editor, log)
        runs, html, counters = byline_runs(bench, seeded, measured, page_size, password)
        runs += uncached_runs(bench, seeded)

        log("Ceiling: bare Flask serving the article's bytes")
        ceiling_page = DATA_DIR / "ceiling-page.html"
        ceiling_page.write_bytes(html)
        # gunicorn.conf.py checks Byline's settings before starting any app: give it them.
        settings = {
            **bench.byline_settings(seeded.database_url, page_cache=True),
            "BENCH_CEILING_PAGE": str(ceiling_page),
        }
        app = "bench.ceiling:create_app()"
        with running("ceiling", app, settings, DATA_DIR / "ceiling.log") as server:
            page = Page("ceiling", "Ceiling (bare Flask)", pages.article_path(seeded.plan))
            ceiling = bench.measure(server, page)
        runs.append(ceiling)
        through = nginx_runs(bench, seeded, measured)

    log("Footprint: gunicorn's cold start and memory on the demo site")
    starts = [footprint.measure(workers, log=log) for workers in footprint.worker_counts()]
    report.attach_proxied(runs, through["runs"])
    article_rps = next(run for run in runs if run.name == "article").figures.requests_per_s
    for run in runs:
        run.judge(ceiling.figures.requests_per_s, article_rps)
    exact = not (counters["comment_count_wrong"] or counters["share_count_wrong"])
    counters_ok = {
        "counters exact after the mixed load": exact,
        **report.proxied_checks(through["runs"]),
        **report.render_checks(renders),
        **footprint.checks(starts),
    }
    result = {
        "date": date,
        "started_at": started,
        "finished_at": report.stamp()[1],
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "site": _site(seeded, page_size),
        "load": _load(bench.load),
        "counters_after_mixed_load": counters,
        "runs": [run.as_dict() for run in runs],
        "renders_in_process": renders,
        "through_nginx": {**through, "runs": [run.as_dict() for run in through["runs"]]},
        "footprint": starts,
        "summary": report.targets_summary(runs, counters_ok),
    }
    path = report.write_results(result, _variant(seeded))
    report.update_doc("results", results_section(result, runs, path))
    report.update_doc("nginx", nginx_section(result, runs, through["runs"], path))
    report.update_doc("footprint", footprint.section(starts, path))
    log("")
    log(report.runs_table(runs))
    log(result["summary"])
    log(f"Results: {path.relative_to(ROOT)}; table written into docs/performance.md")


def scaling_run(bench: Bench) -> None:
    large = SiteSize.from_env()
    if large.articles <= SCALING_BASE:
        raise BenchError(
            f"--scaling compares {SCALING_BASE:,} articles with BENCH_ARTICLES, "
            f"which must be larger (it is {large.articles:,})"
        )
    small = SiteSize(
        articles=SCALING_BASE,
        comments=max(200, large.comments * SCALING_BASE // large.articles),
        topics=large.topics,
    )
    date, started = report.stamp()
    machine = None
    legs = []
    for size in (small, large):
        with fresh_database(bench.bench_db, DATA_DIR, keep=False) as url:
            bench.app = bench_app(url, bench.secret, DATA_DIR)
            if machine is None:
                version = database_version(bench.app)
                machine = report.describe_machine(version, wrk_version(bench.wrk))
            seeded = seed_site(bench.app, size)
            cached, uncached = bench.article_runs(seeded)
        site = _site(seeded, bench.app.config["PAGE_SIZE"])
        legs.append({"site": site, "cached": cached, "uncached": uncached})
    ratios = {
        kind: round(legs[1][kind].figures.requests_per_s / legs[0][kind].figures.requests_per_s, 3)
        for kind in ("cached", "uncached")
    }
    result = {
        "date": date,
        "started_at": started,
        "finished_at": report.stamp()[1],
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "load": _load(bench.load),
        "legs": [
            {"site": leg["site"], **{k: leg[k].as_dict() for k in ("cached", "uncached")}}
            for leg in legs
        ],
        "ratios": ratios,
        "targets": {kind: ratio >= report.SCALING_SHARE for kind, ratio in ratios.items()},
    }
    engine = "-postgresql" if seeded.engine == "postgresql" else ""
    path = report.write_results(result, "-scaling" + engine)
    section = scaling_section(result, legs, path)
    report.update_doc("scaling", section)
    log("")
    log(section)


def _variant(seeded: Seeded) -> str:
    """The results file's suffix: none for the default site on SQLite."""
    suffix = "" if seeded.size == SiteSize() else f"-{seeded.size.articles}-articles"
    return suffix + ("-postgresql" if seeded.engine == "postgresql" else "")


def _site(seeded: Seeded, page_size: int) -> dict:
    return {
        "engine": seeded.engine,
        "articles": seeded.size.articles,
        "comments": seeded.size.comments,
        "topics": seeded.size.topics,
        "rows": seeded.counts,
        "seed_seconds": seeded.seconds,
        "checks": seeded.checks,
        "page_size": page_size,
    }


def _load(load: LoadSettings) -> dict:
    return {
        "connections": load.connections,
        "threads": load.threads,
        "duration_s": load.duration_s,
        "warmup_s": load.warmup_s,
        "timeout_s": load.timeout_s,
        "workers": configured_workers(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scaling", action="store_true", help="1,000 articles vs BENCH_ARTICLES")
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        bench = Bench(LoadSettings.from_env(), ensure_wrk(log))
        (scaling_run if args.scaling else full_run)(bench)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    log(f"Done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
