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
# Restart workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
# Long paths get our own 404 page rather than the server's bare 414.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BYLINE_LOG_LEVEL", "info")
# No client addresses in the log: Byline never stores raw IP addresses.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
