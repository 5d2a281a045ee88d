"""The ceiling: a bare Flask app with one route answering the stored bytes of an article page.

Served with the same gunicorn.conf.py and worker count as Byline, it measures what
gunicorn, Flask and the page's size cost on their own; each Byline figure is reported as
a share of it. BENCH_CEILING_PAGE names the file holding the page.
"""

import os
from pathlib import Path

from flask import Flask, Response


def create_app() -> Flask:
    body = Path(os.environ["BENCH_CEILING_PAGE"]).read_bytes()
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def page(path: str) -> Response:
        return Response(body, mimetype="text/html")

    return app
