"""Production serving settings for `gunicorn 'blog:create_app()'` (see docs/deploy.md).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("BYLINE_BIND", "127.0.0.1:8000")
# Two workers per core plus one: the classic choice for an I/O-bound WSGI app.
workers = int(os.environ.get("BYLINE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Restart workers now and then so a slow leak can never grow without bound. Rarely, and
# spread widely: workers started together would otherwise restart together (a stall, and
# each restart empties that worker's page cache).
max_requests = 200_000
max_requests_jitter = 100_000
# Long paths get our own 404 page rather than the server's bare 414.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BYLINE_LOG_LEVEL", "info")
# No client addresses in the log: Byline never stores raw IP addresses.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


def on_starting(server):
    """Before binding or forking: refuse to start, in one line naming the setting, when the
    configuration is unusable, the database or Redis cannot be reached, or the schema is
    not this code's (run `flask --app blog db upgrade`). Otherwise each worker would fail
    on its own, over and over.

    The checks run in a child process, so this master never imports Byline and a HUP still
    gives new workers the new code."""
    import subprocess
    import sys

    check = "from blog.checks import startup_report; raise SystemExit(startup_report())"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    for problem in result.stdout.splitlines():
        server.log.error("Byline cannot start: %s", problem)
    if result.returncode != 0:
        if result.stderr.strip():
            server.log.error("Byline cannot start:\n%s", result.stderr.strip())
        sys.exit(1)
