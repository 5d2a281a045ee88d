"""Byline in the bench's own process, without the page cache: the CPU time one render of
each page costs (Flask's test client, fragment caches warm, as on a live site), and the
password the signed-in editor's run signs in with.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Flask

from bench import BenchError
from bench.pages import Page
from blog import create_app
from blog.extensions import db
from blog.services import users

RENDER_LIMIT_MS = 5.0  # CPU per render, for the pages the target names
WARM_RENDERS = 3  # first renders, not counted: they fill the fragment caches
MIN_RENDERS, MAX_RENDERS = 10, 200
CPU_BUDGET_NS = 500_000_000  # stop counting a page once its renders took this much CPU


def byline_app(database_url: str, secret: str, data_dir: Path) -> Flask:
    """Byline on the bench database with the page cache off. Its changes (the editor's
    password) start a new generation in the servers' own generation file."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secret,
            "RATELIMIT_STORAGE_URI": f"byline-sqlite://{data_dir / 'ratelimits-inprocess.db'}",
            "UPLOADS_DIR": str(data_dir / "uploads"),
            "PAGE_CACHE": False,
            "PAGE_CACHE_GENERATION_FILE": str(data_dir / "page_cache_generation"),
        }
    )


def give_password(app: Flask, email: str) -> str:
    """A new password for the account (the seed sets none), set with Byline's own users
    service, for the bench to sign in with as a browser does."""
    with app.app_context():
        user = users.find_by_email(email)
        if user is None:
            raise BenchError(f"the seeded account {email} is missing")
        password = users.generate_password()
        users.set_password(user, password)
        db.session.commit()
        db.session.remove()
    return password


@dataclass
class RenderCost:
    """The CPU time of one page's renders, in milliseconds."""

    name: str
    label: str
    path: str
    renders: int
    cpu_ms_mean: float
    cpu_ms_median: float
    cpu_ms_max: float
    target: bool | None  # mean at most RENDER_LIMIT_MS; None for a page with no target

    def as_dict(self) -> dict:
        return asdict(self)


def _render(client, path: str) -> int:
    """One GET through the whole app; the CPU nanoseconds it took."""
    started = time.process_time_ns()
    response = client.get(path)
    body = response.get_data()
    spent = time.process_time_ns() - started
    if response.status_code != 200 or "X-Cache" in response.headers or not body:
        raise BenchError(
            f"in-process GET {path} answered {response.status_code} "
            f"(X-Cache {response.headers.get('X-Cache')!r}), not a fresh 200 render"
        )
    return spent


def render_costs(app: Flask, pages: list[Page], targeted: set[str]) -> list[RenderCost]:
    """Each page rendered WARM_RENDERS times uncounted, then counted until its renders
    took CPU_BUDGET_NS (at least MIN_RENDERS, at most MAX_RENDERS)."""
    client = app.test_client()
    costs = []
    for page in pages:
        for _ in range(WARM_RENDERS):
            _render(client, page.path)
        gc.collect()
        spent: list[int] = []
        while len(spent) < MIN_RENDERS or (sum(spent) < CPU_BUDGET_NS and len(spent) < MAX_RENDERS):
            spent.append(_render(client, page.path))
        mean = statistics.fmean(spent) / 1e6
        costs.append(
            RenderCost(
                name=page.name,
                label=page.label,
                path=page.path,
                renders=len(spent),
                cpu_ms_mean=round(mean, 2),
                cpu_ms_median=round(statistics.median(spent) / 1e6, 2),
                cpu_ms_max=round(max(spent) / 1e6, 2),
                target=(mean <= RENDER_LIMIT_MS) if page.name in targeted else None,
            )
        )
    return costs


def measure(app: Flask, measured: list[Page], editor: str, log=print) -> tuple[list[dict], str]:
    """Each page's CPU per render in-process (the target applies to all but the article
    page), then the password the editor's run signs in with; before any server starts."""
    targeted = {page.name for page in measured if page.name != "article"}
    costs = [cost.as_dict() for cost in render_costs(app, measured, targeted)]
    for cost in costs:
        log(f"  {cost['label']:<28} {cost['cpu_ms_mean']:>6.2f} ms CPU ({cost['renders']})")
    password = give_password(app, editor)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return costs, password
