"""`make bench` (after the pages) or `make bench-mailing`: how fast the worker sends a new
article to its followers.

Makes a fresh site (SQLite in bench/.data/mailing/, or the PostgreSQL database BENCH_DB)
with BENCH_MAIL_FOLLOWERS confirmed followers (default 10,000) of the whole site, starts
an SMTP server that accepts and discards everything (aiosmtpd's Sink, a process of its
own) and the real worker (`flask --app blog worker`) with the rate cap lifted, then
publishes an article through the publishing service, as the editor's Publish button
does. The figure is the worker's own: its mailing's sent count over the time between its
first message and its last (Mailing.started_at and finished_at). Writes
bench/results/<date>-mailing.json and the table in docs/performance.md. A benchmark, not
a test: nothing fails on a slow run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import insert, select

from bench import BenchError, report
from bench.run import database_version
from bench.seed import fresh_database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data" / "mailing"
FLASK = [sys.executable, "-m", "flask", "--app", "blog"]
SECRET = "bench-mailing"
SITE_URL = "https://news.bench.example"
WITHIN = 30 * 60  # seconds before the run is given up


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_app(database_url: str):
    from blog import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET,
            "SITE_URL": SITE_URL,
            "JOBS_FILE": str(DATA / "jobs.db"),
            "PAGE_CACHE_GENERATION_FILE": str(DATA / "page_cache_generation"),
            "RATELIMIT_STORAGE_URI": f"byline-sqlite://{DATA / 'ratelimits.db'}",
        }
    )


def make_site(app, followers: int):
    """The schema, an editor, a section and `followers` confirmed followers of the site."""
    from flask_migrate import upgrade

    from blog.extensions import db
    from blog.models import Role, Section, Subscriber, Subscription, User
    from blog.models.base import utcnow

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        editor = User(
            email="desk@bench.example",
            display_name="Desk Editor",
            slug="desk-editor",
            role=Role.EDITOR,
            password_hash="!",
        )
        section = Section(name="Harbour", slug="harbour")
        db.session.add_all([editor, section])
        now = utcnow()
        db.session.execute(
            insert(Subscriber),
            [
                {
                    "email": f"reader{n}@example.org",
                    "email_key": f"reader{n}@example.org",
                    "created_at": now,
                }
                for n in range(followers)
            ],
        )
        ids = db.session.scalars(select(Subscriber.id)).all()
        db.session.execute(
            insert(Subscription),
            [
                {
                    "subscriber_id": subscriber_id,
                    "scope": "site",
                    "list_key": "site",
                    "cadence": "each",
                    "created_at": now,
                    "confirmed_at": now,
                }
                for subscriber_id in ids
            ],
        )
        db.session.commit()
        return editor.id, section.id


def publish(app, editor_id: int, section_id: int) -> None:
    from blog.extensions import db
    from blog.models import User
    from blog.services import publishing

    with app.app_context():
        changes = publishing.ArticleChanges(
            title="Ferries run all night",
            brief="The night timetable starts on Monday.",
            body="From Monday the harbour ferries run all night, every half hour.",
            section_id=section_id,
        )
        editor = db.session.get(User, editor_id)
        publishing.create_article(changes, actor=editor, action=publishing.Action.PUBLISH)
        db.session.remove()


def mailing_state(app):
    from blog.extensions import db
    from blog.models import Mailing

    with app.app_context():
        query = select(Mailing).where(Mailing.kind == "article")  # not the day's digest
        mailing = db.session.scalars(query).first()
        state = None
        if mailing is not None:
            state = (mailing.sent_count, mailing.started_at, mailing.finished_at)
        db.session.remove()
        return state


def start(args: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "ab") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(database_url: str, followers: int) -> dict:
    app = site_app(database_url)
    log(f"Mailing: {followers:,} followers of the site")
    editor_id, section_id = make_site(app, followers)
    machine = report.describe_machine(database_version(app), "not used")
    port = free_port()
    sink = start(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        {},
        DATA / "smtp.log",
    )
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "FLASK_SITE_URL": SITE_URL,
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(port),
        "FLASK_FOLLOW_MAIL_PER_MINUTE": "1000000000",  # the cap lifted: the sender's own pace
        "FLASK_JOBS_FILE": str(DATA / "jobs.db"),
        "FLASK_PAGE_CACHE_GENERATION_FILE": str(DATA / "page_cache_generation"),
    }
    worker = start([*FLASK, "worker"], env, DATA / "worker.log")
    try:
        publish(app, editor_id, section_id)
        deadline = time.monotonic() + WITHIN
        while True:
            state = mailing_state(app)
            if state is not None and state[2] is not None:
                break
            if worker.poll() is not None or sink.poll() is not None:
                raise BenchError(f"the worker or the SMTP server stopped; see {DATA}")
            if time.monotonic() > deadline:
                raise BenchError(f"the mailing did not finish in {WITHIN} s; see {DATA}")
            time.sleep(0.5)
    finally:
        stop(worker)
        stop(sink)
    sent, started_at, finished_at = state
    seconds = (finished_at - started_at).total_seconds()
    per_second = sent / seconds if seconds else 0.0
    log(f"  {sent:,} messages in {seconds:.1f} s: {per_second:,.0f}/s, {per_second * 60:,.0f}/min")
    return {
        "followers": followers,
        "sent": sent,
        "seconds": round(seconds, 1),
        "per_second": round(per_second, 1),
        "per_minute": round(per_second * 60),
        "machine": machine,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def section(result: dict, path: Path) -> str:
    machine = result["machine"]
    return "\n".join(
        [
            f"Run of {result['started_at']} on {machine['cpu_count']} cores "
            f"({machine['cpu_model']}), {machine['database']}, commit {machine['commit']}; "
            f"load average {machine['load_average_at_start'][0]} at the start, "
            f"{result['load_average_at_end'][0]} at the end. "
            f"Figures: `{path.relative_to(ROOT)}`.",
            "",
            "| Followers | Sent | Time | Messages/s | Messages/min |",
            "|---|---|---|---|---|",
            f"| {result['followers']:,} | {result['sent']:,} | {result['seconds']} s "
            f"| {result['per_second']:,} | {result['per_minute']:,} |",
        ]
    )


def main() -> int:
    followers = int(os.environ.get("BENCH_MAIL_FOLLOWERS", "10000"))
    bench_db = os.environ.get("BENCH_DB", "").strip()
    DATA.mkdir(parents=True, exist_ok=True)
    for name in ("jobs.db", "jobs.db-wal", "jobs.db-shm", "worker.log", "smtp.log"):
        (DATA / name).unlink(missing_ok=True)
    date, started = report.stamp()
    try:
        with fresh_database(bench_db, DATA, keep=False) as url:
            result = {"date": date, "started_at": started, **measure(url, followers)}
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    engine = "-postgresql" if bench_db else ""
    path = report.write_results(result, f"-mailing{engine}")
    report.update_doc("mailing", section(result, path))
    log(f"Results: {path.relative_to(ROOT)}; table written into docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
