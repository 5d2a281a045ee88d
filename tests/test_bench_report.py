"""What `make bench` reports (bench/report.py, bench/sections.py): the mixed load judged
against the cached article page, the bytes of each page, and the CPU-per-render targets
counted in the summary. Figures here are made up; no load is run."""

from bench import report, sections
from bench.load import Figures
from bench.report import Run

ARTICLE_BYTES = {"plain": 145_879, "gzip": 14_617, "br": 11_742}


def figures(requests_per_s: float, p99_ms: float = 20.0) -> Figures:
    return Figures(
        requests=int(requests_per_s * 10),
        seconds=10.0,
        requests_per_s=requests_per_s,
        p50_ms=5.0,
        p90_ms=10.0,
        p99_ms=p99_ms,
        mean_ms=6.0,
        max_ms=50.0,
        bytes_per_request=1_000,
        status={"200": int(requests_per_s * 10)},
        http_errors=0,
        rate_limited=0,
        socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0},
    )


def run(name: str, requests_per_s: float, *, server: str = "byline", sizes=None) -> Run:
    return Run(
        name=name,
        label=name.capitalize(),
        path="/" if name != "mixed" else "94% GETs",
        server=server,
        figures=figures(requests_per_s),
        rss_peak_mb=100.0,
        rss_after_mb=[100.0],
        worker_restarts=0,
        bytes=sizes,
    )


def judged(mixed_rps: float) -> list[Run]:
    runs = [
        run("article", 1_000.0, sizes=ARTICLE_BYTES),
        run("mixed", mixed_rps),
        run("ceiling", 2_000.0, server="ceiling", sizes={"plain": 145_879, "gzip": None}),
    ]
    for each in runs:
        each.judge(2_000.0, 1_000.0)
    return runs


def test_the_mixed_load_is_judged_against_the_cached_article_page():
    met = judged(600.0)[1]
    assert met.article_ratio == 0.6
    assert met.targets["mixed"] is True
    assert met.as_dict()["ratio_to_cached_article"] == 0.6

    runs = judged(599.0)
    assert runs[1].targets["mixed"] is False
    assert runs[0].targets.get("mixed") is None  # the article itself has no such target
    summary = report.targets_summary(runs)
    assert "Mixed: ≥ 60% of cached article" in summary
    assert summary.startswith(f"Targets met: {sum(v for r in runs for v in r.targets.values())}")


def test_each_page_row_shows_its_bytes_plain_gzip_and_brotli():
    runs = judged(700.0)
    table = report.runs_table(runs).splitlines()
    assert "bytes plain / gzip / br" in table[0]
    article, mixed, ceiling = table[2:]
    assert "| 1,000.0 | 145,879 / 14,617 / 11,742 |" in article
    assert "| 700.0 | – |" in mixed
    assert "| 2,000.0 | 145,879 / – / – |" in ceiling
    assert runs[0].as_dict()["bytes"] == ARTICLE_BYTES


def costs() -> list[dict]:
    def cost(name: str, mean: float, target: bool | None) -> dict:
        return {
            "name": name,
            "label": name.capitalize(),
            "path": f"/{name}",
            "renders": 20,
            "cpu_ms_mean": mean,
            "cpu_ms_median": mean,
            "cpu_ms_max": mean * 2,
            "target": target,
        }

    return [cost("front", 7.5, False), cost("article", 9.0, None), cost("feed", 3.25, True)]


def test_render_targets_are_counted_and_missed_ones_named():
    checks = report.render_checks(costs())
    assert checks == {
        "Front: ≤ 5 ms of CPU per render in-process": False,
        "Feed: ≤ 5 ms of CPU per render in-process": True,
    }
    runs = judged(600.0)
    summary = report.targets_summary(runs, checks)
    verdicts = [v for r in runs for v in r.targets.values()]
    assert summary.startswith(f"Targets met: {sum(verdicts) + 1} of {len(verdicts) + 2}.")
    assert "Front: ≤ 5 ms of CPU per render in-process" in summary
    assert "Feed: ≤ 5 ms" not in summary

    table = report.render_costs_table(costs()).splitlines()
    assert table[2] == "| Front | `/front` | 20 | 7.50 | 7.50 | 15.00 | **FAIL** |"
    assert table[3].endswith("| 9.00 | 9.00 | 18.00 | – |")
    assert table[4].endswith("| 3.25 | 3.25 | 6.50 | pass |")


def test_the_results_section_shows_the_renders_and_the_mixed_share():
    runs = judged(650.0)
    clean = {"comment_count_wrong": 0, "share_count_wrong": 0}
    result = {
        "started_at": "2026-12-06T03:00:00+00:00",
        "site": {
            "engine": "sqlite",
            "articles": 1_000,
            "comments": 20_000,
            "topics": 40,
            "seed_seconds": 1.3,
            "rows": {
                "published_articles": 960,
                "comments": 20_000,
                "topics": 40,
                "sections": 8,
                "users": 6,
                "share_tallies": 4_652,
                "share_receipts": 1_890,
            },
            "checks": {**clean, "search_index": "integrity-check passed"},
        },
        "machine": {
            "commit": "abc1234",
            "cpu_model": "A CPU",
            "cpu_count": 2,
            "ram_gb": 8.0,
            "os": "Linux",
            "python": "3.11",
            "database": "SQLite 3.40",
            "gunicorn": "23",
            "wrk": "wrk 4.1.0",
            "load_average_at_start": [0.1, 0.1, 0.1],
            "page_cache_module": True,
            "page_cache_setting": True,
        },
        "load": {"threads": 2, "connections": 32, "duration_s": 3, "warmup_s": 1, "workers": 5},
        "counters_after_mixed_load": {
            **clean,
            "writes": {"comments": {"approved": 2}, "shares_counted": 6},
        },
        "renders_in_process": costs(),
        "summary": "Targets met: 1 of 1.",
    }
    text = sections.results_section(result, runs, report.RESULTS_DIR / "x.json")
    assert "Its requests/s are 65% of the cached article page's." in text
    assert "CPU per render in-process" in text
    assert report.render_costs_table(costs()) in text
