"""What the worker could not do, for an administrator: mail it gave up sending and jobs
that failed after their last retry, each to be tried again or put aside."""

from dataclasses import dataclass

from sqlalchemy import func, select

from blog import jobs, mail
from blog.domain import DomainError
from blog.extensions import db
from blog.models import JobFailure, OutboxMessage
from blog.models.base import utcnow
from blog.services import get_by_id

LIST_SIZE = 200  # of each kind, newest first; the counts say how many there are in all
# A failed job's name (as blog/jobs.py names its tasks) and the task that runs it again.
TASKS = {
    "send_outbox": "send_outbox",
    "drain_outbox": "drain",
    "publish_due": "publish_due",
    "publish_catch_up": "catch_up",
    "heartbeat": "heartbeat",
    "notices": "notices",
}


class JobsUnavailable(DomainError):
    """A job cannot be queued again just now."""


@dataclass
class Failures:
    messages: list[OutboxMessage]
    jobs: list[JobFailure]
    message_count: int
    job_count: int

    def __bool__(self) -> bool:
        return bool(self.message_count or self.job_count)


_FAILED_MESSAGE = (OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None))
_OPEN_FAILURE = (JobFailure.dismissed_at.is_(None),)


def _count(column, conditions) -> int:
    return db.session.scalar(select(func.count(column)).where(*conditions)) or 0


def counts() -> Failures:
    """How many messages and jobs failed (the lists left empty): the dashboard's notice."""
    return Failures(
        messages=[],
        jobs=[],
        message_count=_count(OutboxMessage.id, _FAILED_MESSAGE),
        job_count=_count(JobFailure.id, _OPEN_FAILURE),
    )


def failures() -> Failures:
    """Failed messages and open job failures, newest first."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(*_FAILED_MESSAGE)
        .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
        .limit(LIST_SIZE)
    )
    jobs = db.session.scalars(
        select(JobFailure)
        .where(*_OPEN_FAILURE)
        .order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
        .limit(LIST_SIZE)
    )
    found = counts()
    found.messages, found.jobs = list(messages), list(jobs)
    return found


def retry_message(message_id: int) -> bool:
    """Send a given-up message again, from its first attempt; False when it is no longer
    given up (retried or dismissed a moment ago, e.g. by a second click)."""
    message = get_by_id(OutboxMessage, message_id)
    if message.failed_at is None or message.sent_at is not None:
        return False
    return mail.retry(message.id) is not None


def dismiss_message(message_id: int) -> bool:
    """Give a message up for good (it is deleted); False when it is not a failed one."""
    message = get_by_id(OutboxMessage, message_id)
    if message.failed_at is None or message.sent_at is not None:
        return False
    db.session.delete(message)
    db.session.commit()
    return True


def _open_failure(failure_id: int) -> JobFailure | None:
    failure = get_by_id(JobFailure, failure_id)
    return failure if failure.dismissed_at is None else None


def retry_job(failure_id: int) -> bool:
    """Queue the failed job again now, and put its failure aside (a new failure is kept
    anew); False when the failure was already put aside. JobsUnavailable when the queue
    cannot be reached."""
    failure = _open_failure(failure_id)
    if failure is None:
        return False
    task_name = TASKS.get(failure.job)
    if task_name is None:
        raise JobsUnavailable(f"Byline has no job named “{failure.job}” to run again.")
    try:
        getattr(jobs.jobs(), task_name)()
    except Exception as exc:
        db.session.rollback()
        raise JobsUnavailable(
            "The job queue cannot be reached just now. Please try again in a minute."
        ) from exc
    failure.dismissed_at = utcnow()
    db.session.commit()
    return True


def dismiss_job(failure_id: int) -> bool:
    """Put a job's failure aside; False when it already was."""
    failure = _open_failure(failure_id)
    if failure is None:
        return False
    failure.dismissed_at = utcnow()
    db.session.commit()
    return True
