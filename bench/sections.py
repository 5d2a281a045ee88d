"""The generated sections of docs/performance.md: what ran, on what, and its figures."""

from __future__ import annotations

from pathlib import Path

from bench import report
from bench.proxied import NGINX_SHARE, ProxyRun
from bench.report import Run

ROOT = Path(__file__).resolve().parent.parent
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BUSY_LOAD = 0.5  # a load average above this at the start means the machine was not quiet


def _machine(machine: dict) -> str:
    load = ", ".join(f"{x:.2f}" for x in machine["load_average_at_start"])
    return (
        f"{machine['cpu_model']} ({machine['cpu_count']} CPUs), {machine['ram_gb']} GB RAM, "
        f"{machine['os']}, Python {machine['python']}, {machine['database']}, gunicorn "
        f"{machine['gunicorn']}, {machine['wrk']}; load average {load} at the start"
    )


def _run_line(result: dict, command: str) -> str:
    site = result.get("site") or result["legs"][-1]["site"]
    load = result["load"]
    return (
        f"Run of {result['started_at']} (`{command}`), commit {result['machine']['commit']}, "
        f"on {ENGINES.get(site['engine'], site['engine'])}. wrk: {load['threads']} threads, "
        f"{load['connections']} connections, "
        f"{load['duration_s']} s per run after a {load['warmup_s']} s warm-up; gunicorn "
        f"with {load['workers']} workers."
    )


def _noise(machine: dict) -> str:
    if machine["load_average_at_start"][0] < BUSY_LOAD:
        return ""
    return " Other work was running (see the load average): the figures are noisy."


def _cache_note(machine: dict) -> str:
    if machine["page_cache_module"] and machine["page_cache_setting"]:
        return "The page cache (`blog/pagecache.py`, setting `PAGE_CACHE`) was present."
    return (
        "`blog/pagecache.py` and its `PAGE_CACHE` setting were not yet in the code measured: "
        "both article rows ran the same uncached code, so read them as two samples of it."
    )


def _sizes_command(site: dict, load: dict, flag: str = "") -> str:
    parts = []
    defaults = {"articles": 10_000, "comments": 200_000, "topics": 40}
    for name, default in defaults.items():
        if site[name] != default:
            parts.append(f"BENCH_{name.upper()}={site[name]}")
    if load["duration_s"] != 10:
        parts.append(f"BENCH_DURATION={load['duration_s']}")
    if site["engine"] == "postgresql":
        parts.append("BENCH_DB=postgresql+psycopg://…/byline_bench")
    return " ".join([*parts, f"make bench{flag}"])


def results_section(result: dict, runs: list[Run], path: Path) -> str:
    site, machine = result["site"], result["machine"]
    rows, checks = site["rows"], site["checks"]
    mixed = next(run for run in runs if run.name == "mixed")
    counters = result["counters_after_mixed_load"]
    exact = not (counters["comment_count_wrong"] or counters["share_count_wrong"])
    seeded_exact = not (checks["comment_count_wrong"] or checks["share_count_wrong"])
    writes = counters["writes"]
    comments = ", ".join(f"{n:,} {status}" for status, n in writes["comments"].items())
    lines = [
        f"_{_run_line(result, _sizes_command(site, result['load']))}_",
        "",
        f"Machine: {_machine(machine)}.{_noise(machine)}",
        "",
        f"Site: {site['articles']:,} articles ({rows['published_articles']:,} published), "
        f"{rows['comments']:,} comments, {rows['topics']} topics, {rows['sections']} sections, "
        f"{rows['users']} staff, {rows['share_tallies']:,} share tallies and "
        f"{rows['share_receipts']:,} receipts; seeded in {site['seed_seconds']} s. Counters "
        f"exact after seeding: {_yes(seeded_exact)}; search index: {checks['search_index']}.",
        "",
        _cache_note(machine),
        "",
        report.runs_table(runs),
        "",
        f"Mixed load status codes: {_codes(mixed.figures.status)}. Comments it stored: "
        f"{comments or 'none'}; shares counted: {writes['shares_counted']:,}. Counters exact "
        f"after it: {_yes(exact)}" + ("." if exact else f" ({counters}).") + _mixed_share(mixed),
        "",
        *_renders(result.get("renders_in_process")),
        f"**{result['summary']}**",
        "",
        f"Full figures: [`{path.relative_to(ROOT)}`](../{path.relative_to(ROOT)}).",
    ]
    return "\n".join(lines)


def _mixed_share(mixed: Run) -> str:
    if mixed.article_ratio is None:
        return ""
    return f" Its requests/s are {mixed.article_ratio:.0%} of the cached article page's."


def _renders(costs: list[dict] | None) -> list[str]:
    """The CPU per render in-process, under its own heading line."""
    if not costs:
        return []
    return [
        "CPU per render in-process (Flask's test client in the bench's process, page cache "
        "off, fragment caches warm; the mean of the counted renders after three uncounted):",
        "",
        report.render_costs_table(costs),
        "",
    ]


def _yes(value: bool) -> str:
    return "yes" if value else "**no**"


def _codes(status: dict[str, int]) -> str:
    return ", ".join(f"{code}: {n:,}" for code, n in status.items())


def scaling_section(result: dict, legs: list[dict], path: Path) -> str:
    head = (
        "| Articles | Comments | Article req/s, cache on | p99 ms "
        "| Article req/s, cache off | p99 ms |"
    )
    lines = [
        f"_{_run_line(result, _sizes_command(legs[-1]['site'], result['load'], '-scaling'))}_",
        "",
        f"Machine: {_machine(result['machine'])}.{_noise(result['machine'])}",
        "",
        _cache_note(result["machine"]),
        "",
        head,
        "|---|---|---|---|---|---|",
    ]
    for leg in legs:
        cached, uncached = leg["cached"].figures, leg["uncached"].figures
        lines.append(
            f"| {leg['site']['articles']:,} | {leg['site']['comments']:,} | "
            f"{cached.requests_per_s:,.1f} | {cached.p99_ms:,.1f} | "
            f"{uncached.requests_per_s:,.1f} | {uncached.p99_ms:,.1f} |"
        )
    ratios, targets = result["ratios"], result["targets"]
    lines.append(
        f"| ratio | | {ratios['cached']:.0%} ({_verdict(targets['cached'])}) | | "
        f"{ratios['uncached']:.0%} ({_verdict(targets['uncached'])}) | |"
    )
    lines += ["", f"Full figures: [`{path.relative_to(ROOT)}`](../{path.relative_to(ROOT)})."]
    return "\n".join(lines)


def _busy(load: float) -> str:
    if load < BUSY_LOAD:
        return ""
    return (
        " Other work was running: these figures, and so the verdict below, are noisy; the "
        "halves below show by how much."
    )


def _verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def nginx_section(result: dict, runs: list[Run], proxied: list[ProxyRun], path: Path) -> str:
    """The runs through nginx beside the direct ones, with what they ran on."""
    through, machine = result["through_nginx"], result["machine"]
    direct = {run.name: run for run in runs}
    before = ", ".join(f"{x:.2f}" for x in through["load_average_before"])
    after = ", ".join(f"{x:.2f}" for x in through["load_average_after"])
    lines = [
        f"_{_run_line(result, _sizes_command(result['site'], result['load']))}_",
        "",
        f"Machine: {_machine(machine)}. {through['nginx']}. Load average {before} before "
        f"the runs through nginx and {after} after them ({through['seconds']} s)."
        + _busy(through["load_average_before"][0]),
        "",
        "| Run | Path | direct req/s | through nginx req/s | vs static | p50 ms | p99 ms "
        "| errors | reached gunicorn | bytes per answer |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in proxied:
        f = run.figures
        same = direct.get(run.name)
        rps = f"{f.requests_per_s:,.1f}"
        if not run.from_file:
            rps = f"**not from a file** (gunicorn's figure: {rps})"
        lines.append(
            f"| {run.label} | `{run.path}` | "
            f"{'–' if same is None else f'{same.figures.requests_per_s:,.1f}'} | {rps} | "
            f"{'–' if run.ratio is None else f'{run.ratio:.0%}'} | {f.p50_ms:,.1f} | "
            f"{f.p99_ms:,.1f} | {f.errors} | "
            f"{'–' if run.reached_app is None else f'{run.reached_app:,}'} | "
            f"{f.bytes_per_request:,} |"
        )
    lines.append("")
    halved = [run for run in proxied if run.halves]
    if halved:
        parts = "; ".join(
            f"{run.label.lower()} {', '.join(f'{x:,.1f}' for x in run.halves)}" for run in halved
        )
        lines += [f"Each half of the pair (page, file, file, page), in req/s: {parts}.", ""]
    article = next(run for run in proxied if run.name == "article")
    if article.ratio is not None:
        verdict = "met" if article.target else "**missed**"
        lines.append(
            f"Target, the article page through nginx ≥ {NGINX_SHARE:.0%} of nginx serving "
            f"the same bytes as a static file: {verdict} ({article.ratio:.0%})."
        )
    for run in proxied:
        if not run.from_file:
            missed = "; the target is missed" if run.target is False else ""
            lines += [
                "",
                f"**{run.label} was not served from a page file: {run.problem}.** Its figure "
                f"is gunicorn's, not a page file's{missed}.",
            ]
    lines += ["", f"Full figures: [`{path.relative_to(ROOT)}`](../{path.relative_to(ROOT)})."]
    return "\n".join(lines)
