"""Production serving settings for `gunicorn 'blog:create_app()'` (see docs/deploy.md).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BYLINE_BIND", "127.0.0.1:8000")
# One worker per core this process may run on, plus one. Byline spends its requests on
# the CPU (cached pages are read from disk or Redis in a millisecond or two), so more
# workers than cores only take turns on them, each with its own memory (85-100 MiB); the
# extra one answers while another waits on PostgreSQL, Redis or a slow upload. Measured on
# 2 cores (docs/performance.md): 2 workers served the cached article faster than 5.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("BYLINE_WORKERS", CORES + 1))
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
# The proxy on this address may say the scheme (X-Forwarded-Proto); ProxyFix reads the
# client address and host (PROXY_FIX_X_FOR).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No request header may set the WSGI environment: by default gunicorn lets that proxy's
# SCRIPT_NAME header choose the prefix every link of a page is built on, and the proxy
# passes on whatever the client sent. A prefix is the operator's (gunicorn's SCRIPT_NAME
# environment variable and APPLICATION_ROOT), never a request's. Other headers with an
# underscore are dropped, as gunicorn does by default.
forwarder_headers = ""
header_map = "drop"
# The scheme from X-Forwarded-Proto alone, which nginx and Caddy set on every request;
# X-Forwarded-Ssl and X-Forwarded-Protocol, which gunicorn would also read, they pass on
# from the client untouched.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BYLINE_LOG_LEVEL", "info")
# No client addresses in the log: Byline never stores raw IP addresses.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


def redacting_logger():
    """blog/accesslog.py's logger, which keeps invitation tokens and other secrets in
    links out of the access and error logs. Loaded by its path: importing the blog package
    here would keep its first version in this master, and a HUP would no longer give new
    workers new code."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent / "blog" / "accesslog.py"
    spec = importlib.util.spec_from_file_location("byline_accesslog", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RedactingLogger


logger_class = redacting_logger()


def post_fork(server, worker):
    """A new worker builds the app with the cyclic garbage collector paused: the imports
    make a quarter of a million objects and almost no garbage, and collecting over that
    growing heap again and again would add about a sixth to the worker's start."""
    import gc

    gc.disable()


def post_worker_init(worker):
    """Each worker sweeps the copies of pages it writes for the proxy (PAGE_FILES_DIR,
    blog/pagefiles.py) while it runs; `flask` commands run by hand do not.

    The objects the app was built of (modules, classes, templates' code) live as long as
    the worker: frozen, later collections skip them."""
    import gc

    from blog.pagecache import start_sweeping

    start_sweeping(worker.wsgi)
    gc.freeze()
    gc.enable()


def on_starting(server):
    """Before binding or forking: refuse to start, in one line naming the setting, when the
    configuration is unusable, the database or Redis cannot be reached, or the schema is
    not this code's (run `flask --app blog db upgrade`). Otherwise each worker would fail
    on its own, over and over.

    The checks run in a child process, so this master never imports Byline and a HUP still
    gives new workers the new code."""
    import subprocess
    import sys

    check = (
        "import gc; gc.disable(); "  # a short-lived process: see post_fork
        "from blog.startcheck import startup_report; raise SystemExit(startup_report())"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    for problem in result.stdout.splitlines():
        server.log.error("Byline cannot start: %s", problem)
    if result.returncode != 0:
        if result.stderr.strip():
            server.log.error("Byline cannot start:\n%s", result.stderr.strip())
        sys.exit(1)
