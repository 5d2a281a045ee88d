"""The background jobs: scheduled articles go public at their time, failing tasks are
retried with growing delays and then kept, and `flask check` reports the worker."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog import jobs as jobs_module
from blog.extensions import db
from blog.jobs import jobs, publish_due
from blog.models import Article, JobFailure, JobMark
from blog.models.base import utcnow
from blog.services.publishing import Action, ArticleChanges, create_article


@pytest.fixture
def queue(app):
    found = jobs(app)
    found.huey.flush()
    return found


def scheduled_story(editor, when) -> Article:
    changes = ArticleChanges(
        title="Harbour trams return", brief="The line is back.", body="The first tram ran."
    )
    return create_article(changes, actor=editor, action=Action.SCHEDULE, publish_at=when)


def test_saving_a_scheduled_article_queues_its_publication_at_its_time(queue, editor):
    when = utcnow() + timedelta(hours=3)
    scheduled_story(editor, when)
    (task,) = queue.huey.pending()  # the worker keeps it until its time
    assert task.name == "publish_due"
    assert abs(task.eta.replace(tzinfo=when.tzinfo) - when) < timedelta(seconds=1)


def test_a_scheduled_article_reaches_cached_pages_when_its_job_runs(queue, client, editor):
    article = scheduled_story(editor, utcnow() + timedelta(hours=3))
    assert "Harbour trams return" not in client.get("/").get_data(as_text=True)
    assert client.get("/").headers["X-Cache"] == "hit"
    # Its time comes: nothing is written then, so the cached page alone does not change.
    db.session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(published_at=utcnow() - timedelta(seconds=1))
        .execution_options(page_cache_quiet=True)
    )
    db.session.commit()
    assert "Harbour trams return" not in client.get("/").get_data(as_text=True)

    assert publish_due() == 1
    page = client.get("/")
    assert page.headers["X-Cache"] == "miss" and "Harbour trams return" in page.get_data(
        as_text=True
    )
    assert publish_due() == 0  # run again, late or twice: nothing more to do
    assert client.get("/").headers["X-Cache"] == "hit"


def test_publish_due_counts_only_what_became_public_since_its_last_run(app, make_article):
    now = utcnow()
    make_article(published_at=now - timedelta(minutes=5))
    db.session.add(JobMark(name=jobs_module.PUBLISHED, at=now - timedelta(minutes=10)))
    db.session.commit()
    assert publish_due(now - timedelta(minutes=6)) == 0  # earlier than the last run
    assert publish_due(now) == 1
    assert db.session.get(JobMark, jobs_module.PUBLISHED).at == now
    assert publish_due(now) == 0


def test_a_failing_task_is_retried_later_each_time_then_kept(queue):
    huey = queue.huey
    calls = []

    @huey.task(
        name="always_fails",
        retries=jobs_module.RETRIES,
        retry_delay=jobs_module.RETRY_DELAY,
        retry_backoff=jobs_module.RETRY_BACKOFF,
    )
    def always_fails():
        calls.append(1)
        raise RuntimeError("the SMTP server is on fire")

    always_fails()
    task = huey.dequeue()
    delays = []
    while task is not None and len(calls) <= jobs_module.RETRIES:
        started = huey._get_timestamp()
        huey.execute(task, timestamp=max(started, task.eta or started))  # its time has come
        waiting = huey.read_schedule(started + timedelta(days=1))  # taken off the schedule
        task = waiting[0] if waiting else None
        if task is not None:
            delays.append(round((task.eta - started).total_seconds()))
            assert db.session.scalars(select(JobFailure)).all() == []  # not yet
    assert len(calls) == jobs_module.RETRIES + 1
    assert delays == [10, 40, 160]
    (failure,) = db.session.scalars(select(JobFailure)).all()
    assert failure.job == "always_fails" and "on fire" in failure.error
    assert failure.dismissed_at is None

    first_time = failure.failed_at
    final = always_fails.s()
    final.retries = 0
    huey.execute(final)  # the same failure again: the same row, a later time
    db.session.expire_all()
    (again,) = db.session.scalars(select(JobFailure)).all()
    assert again.id == failure.id and again.failed_at >= first_time


def test_a_starting_worker_catches_up_at_once(queue):
    queue.start()
    assert sorted(task.name for task in queue.huey.pending()) == [
        "heartbeat",
        "publish_due",
        "send_mailings",
        "send_outbox",
    ]


def worker_line(runner) -> str:
    result = runner.invoke(args=["check"])
    (line,) = [line for line in result.output.splitlines() if "Worker:" in line]
    return line


def test_flask_check_says_whether_a_worker_is_beating(queue, runner):
    assert worker_line(runner).startswith("OK") and "none has run yet" in worker_line(runner)
    queue.heartbeat.call_local()
    assert worker_line(runner).startswith("OK") and "running" in worker_line(runner)
    db.session.get(JobMark, jobs_module.WORKER).at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    line = worker_line(runner)
    assert line.startswith("WARNING") and "last seen 10 minute(s) ago" in line
