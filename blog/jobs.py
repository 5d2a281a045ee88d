"""Background jobs: the queue the worker (`flask --app blog worker`) takes its work from.

Huey keeps the queue in a SQLite file in instance/ (JOBS_FILE), or in Redis when
REDIS_URL is set (under JOBS_NAME). The queue only says "there is work": what must
happen lives in Byline's own database (the outbox, the articles' publication times), and
the minute tasks catch up with anything a lost or never-queued task left, so every task
is safe to run twice. A task that fails is retried with a growing delay; one that still
fails after its last retry is written to job_failures for the admins.

Minute tasks: a heartbeat (`flask check` reports a worker not seen for a while), draining
the outbox, publishing what became due, the newsroom's timed notices (the digest), sending
the mailings to followers (and adding their daily digest), and taking down expired
front-page picks and breaking banners. Hourly: deleting the audit
log's entries older than its retention setting, thinning old revisions, and dropping the
subscriptions never confirmed in time.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, ArticleStatus, JobFailure, JobMark
from blog.models.base import utcnow

logger = logging.getLogger("blog.jobs")

WORKER = "worker"
PUBLISHED = "publish_due"
# A worker that has not beaten its heart for this long is reported by `flask check`.
WORKER_SEEN_WITHIN = timedelta(minutes=3)
# A task that raises is tried again after 10 s, 40 s and 160 s, then recorded.
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 3, 10, 4


def make_queue(app: Flask):
    # Huey (and the Redis client it brings) is loaded with the queue, on first use: a
    # process serving readers mostly never needs it.
    from huey import RedisHuey, SqliteHuey

    config = app.config
    name = config["JOBS_NAME"]
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], utc=True)
    path = config.get("JOBS_FILE") or Path(app.instance_path) / "jobs.db"
    return SqliteHuey(name, filename=str(path), utc=True, timeout=15)


class Jobs:
    """The app's queue and its tasks; each task runs inside an app context."""

    def __init__(self, app: Flask):
        from huey import crontab
        from huey.signals import SIGNAL_ERROR

        self.app = app
        self.huey = huey = make_queue(app)
        options = {"retries": RETRIES, "retry_delay": RETRY_DELAY, "retry_backoff": RETRY_BACKOFF}

        def in_app(function):
            def run(*args, **kwargs):
                with app.app_context():
                    try:
                        return function(*args, **kwargs)
                    finally:
                        db.session.remove()

            run.__name__ = function.__name__
            return run

        self.send_outbox = huey.task(name="send_outbox", **options)(in_app(send_outbox))
        self.publish_due = huey.task(name="publish_due", **options)(in_app(publish_due))
        self.send_mailings = huey.task(name="send_mailings", **options)(in_app(send_mailings))
        every_minute, every_hour = crontab(minute="*"), crontab(minute="17")
        periodic = huey.periodic_task
        self.heartbeat = periodic(every_minute, name="heartbeat")(in_app(heartbeat))
        self.drain = periodic(every_minute, name="drain_outbox")(in_app(send_outbox))
        self.catch_up = periodic(every_minute, name="publish_catch_up")(in_app(publish_due))
        self.notices = periodic(every_minute, name="notices")(in_app(timed_notices))
        self.mailings = periodic(every_minute, name="mailings")(in_app(send_mailings))
        self.audit_purge = periodic(every_hour, name="audit_purge")(in_app(purge_audit_log))
        self.revision_thinning = periodic(every_hour, name="revision_thinning")(
            in_app(thin_revisions)
        )
        self.drop_unconfirmed = periodic(every_hour, name="drop_unconfirmed")(
            in_app(drop_unconfirmed)
        )
        self.front_expiry = periodic(every_minute, name="front_page_expiry")(
            in_app(expire_front_page)
        )

        @huey.signal(SIGNAL_ERROR)
        def failed(signal, task, exc=None):
            if not task.retries:  # the last try
                with app.app_context():
                    try:
                        record_failure(task.name, exc)
                    finally:
                        db.session.remove()

    def publish_at(self, when: datetime) -> None:
        """Publish what is due at this moment (a scheduled article's time)."""
        self.publish_due.schedule(eta=when)

    def describe(self) -> str:
        if self.app.config.get("REDIS_URL"):  # make_queue chose Redis
            return f"{self.huey.name} in Redis"
        return f"{self.huey.name} in {self.huey.storage.filename}"

    def start(self) -> None:
        """What a starting worker does at once: catch up with what waited for it."""
        heartbeat_now = self.heartbeat.s()
        self.huey.enqueue(heartbeat_now)
        self.send_outbox()
        self.publish_due()
        self.send_mailings()


def init_app(app: Flask) -> None:
    """The queue itself is opened on first use: building the app touches no storage."""
    from blog import mail
    from blog.services import mailings

    mail.listen_for_mail()
    mailings.listen_for_mailings()


_building = threading.Lock()


def jobs(app: Flask | None = None) -> Jobs:
    """The app's queue and tasks, made on first use."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("byline_jobs")
    if found is None:
        with _building:
            found = app.extensions.get("byline_jobs")
            if found is None:
                found = app.extensions["byline_jobs"] = Jobs(app)
    return found


# ----- the tasks -----


def send_outbox() -> int:
    from blog import mail

    return mail.send_due()


def send_mailings() -> int:
    """Add the day's digest when its hour has come, then send what the mailings to
    followers owe, at most FOLLOW_MAIL_PER_MINUTE messages; a run stopped by that rate
    queues the next one for when it may go on (blog/services/mailing_sender.py)."""
    from blog.services import mailing_sender, mailings

    mailings.plan_digest(utcnow())
    outcome = mailing_sender.run()
    if outcome.resume_at is not None:
        try:
            jobs().send_mailings.schedule(eta=outcome.resume_at)
        except Exception:  # the queue is down: the minute task goes on instead
            logger.exception("jobs: could not queue the next mailing run")
    return outcome.sent


def heartbeat() -> None:
    mark(WORKER, utcnow())
    db.session.commit()


def timed_notices() -> None:
    from blog.services import notifications

    notifications.periodic(utcnow())


def expire_front_page() -> int:
    """Take down expired front-page picks and an expired breaking banner (pages change)."""
    from blog.services import breaking, curation

    now = utcnow()
    return curation.expire(now) + breaking.expire(now)


def purge_audit_log() -> int:
    """Delete audit entries past the site's retention setting (a bounded amount per run)."""
    from blog.services import audit

    return audit.purge(utcnow())


def thin_revisions(now: datetime | None = None) -> int:
    """Thin the revisions older than their keeping setting (a bounded amount per run)."""
    from blog.services import revision_thinning

    return revision_thinning.thin(now or utcnow())


def drop_unconfirmed(now: datetime | None = None) -> int:
    """Delete the subscriptions whose confirmation link expired unused, and the addresses
    then following nothing: the number of subscriptions dropped."""
    from blog.services import subscriptions

    return subscriptions.drop_unconfirmed(now or utcnow())


def publish_due(now: datetime | None = None) -> int:
    """Once articles became public since the last run, mark their newest revisions as
    the text readers see and retire the cached pages: the number of such articles.
    Running it again, or late, changes nothing more."""
    from blog.services import revisions

    now = now or utcnow()
    last = db.session.get(JobMark, PUBLISHED)
    since = last.at if last is not None else now - timedelta(days=1)
    if since >= now:
        return 0
    due = db.session.scalars(
        select(Article.id).where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at > since,
            Article.published_at <= now,
        )
    ).all()
    revisions.mark_published(list(due))
    mark(PUBLISHED, now)
    db.session.commit()
    if due:
        cache = current_app.extensions.get("byline_page_cache")
        if cache is not None:
            cache.bump()
        logger.info("published %d scheduled article(s): cached pages retired", len(due))
    return len(due)


def schedule_publication(article: Article) -> None:
    """After a save: an article scheduled for later is published by a job at its time."""
    when = article.published_at
    if article.status == ArticleStatus.PUBLISHED and when is not None and when > utcnow():
        try:
            jobs().publish_at(when)
        except Exception:  # the queue is down: the minute task publishes it a little late
            logger.exception("jobs: could not schedule publishing at %s", when)


# ----- bookkeeping -----


def mark(name: str, at: datetime) -> None:
    row = db.session.get(JobMark, name)
    if row is None:
        db.session.add(JobMark(name=name, at=at))
    elif row.at < at:
        row.at = at


def last_seen(name: str = WORKER) -> datetime | None:
    row = db.session.get(JobMark, name)
    return row.at if row is not None else None


def record_failure(job: str, exc: BaseException | None) -> None:
    """Keep a job's last failure for the admins; the same error again while the first is
    not dismissed only updates its time (a minute task failing every minute)."""
    error = f"{type(exc).__name__}: {exc}"[:4000] if exc is not None else "unknown error"
    db.session.rollback()
    open_failure = db.session.scalars(
        select(JobFailure).where(
            JobFailure.job == job, JobFailure.error == error, JobFailure.dismissed_at.is_(None)
        )
    ).first()
    if open_failure is not None:
        open_failure.failed_at = utcnow()
    else:
        db.session.add(JobFailure(job=job, error=error, failed_at=utcnow()))
    db.session.commit()
    logger.error("job %s failed after its last retry: %s", job, error)
