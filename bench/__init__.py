"""Byline's benchmark: a large seeded site served by gunicorn and measured with wrk."""


class BenchError(RuntimeError):
    """The benchmark cannot run as configured; the message says why."""
