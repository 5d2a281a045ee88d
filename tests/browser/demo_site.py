"""The demo site the browser tests and the screenshots run against: a real gunicorn on a
fresh SQLite file with the demo newsroom, plus an admin account with a known password."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from flask import Flask
from playwright.sync_api import BrowserContext, Page, Route
from sqlalchemy import func, select

from blog import demo, formguard
from blog.extensions import db
from blog.models import Article, ArticleStatus, Comment, CommentStatus, EditorComment, Role
from blog.services import users
from tests.live_server import make_app, running_server

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium, driven by Playwright (no download)
ADMIN_EMAIL = "admin@byline.test"
ADMIN_PASSWORD = "browser suite admin password"
WORKERS = 2


@dataclass
class Site:
    origin: str
    admin_email: str
    password: str
    article_slug: str
    article_id: int
    section_slug: str
    section_name: str
    app: Flask
    log: Path

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def aged_token(self, purpose: str, subject: int | str, age: int = 30) -> str:
        """A reader-form token issued `age` seconds ago, as if the reader took that long
        (formguard.issue_token with an earlier time)."""
        with self.app.app_context():
            return formguard.issue_token(purpose, subject, issued_at=time.time() - age)

    def age_reader_forms(self, target: Page | BrowserContext, age: int = 30) -> None:
        """Comment posts from `target` carry their token as if issued `age` seconds ago.

        A comment sent within 3 seconds of its page is held for a moderator; a real
        reader takes longer to type than a test does. The POST goes to the server
        unchanged otherwise (same origin, cookies and fields), with or without JavaScript.
        """

        def older(route: Route) -> None:
            request = route.request
            if request.method != "POST" or not request.post_data:
                route.continue_()
                return
            fields = parse_qsl(request.post_data, keep_blank_values=True)
            with self.app.app_context():
                serializer = formguard._serializer()
                rewritten = []
                for name, value in fields:
                    if name == "form_token":
                        purpose, subject = serializer.loads(value)
                        value = self.aged_token(purpose, subject, age)
                    rewritten.append((name, value))
            route.continue_(post_data=urlencode(rewritten))

        target.route("**/articles/*/comments", older)
        target.route("**/comments/*/edit", older)

    def comments_by(self, author_name: str) -> list[Comment]:
        """The comments posted under this name, oldest first (read in site.app's context)."""
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(Comment).where(Comment.author_name == author_name).order_by(Comment.id)
            )
        )


def _pick_article() -> Article:
    """A published demo story with a cover, topics, an editor's note, approved comments
    and open comments: every piece of the article page is on it."""
    noted = select(EditorComment.article_id)
    approved = (
        select(Comment.article_id)
        .where(Comment.status == CommentStatus.APPROVED)
        .group_by(Comment.article_id)
        .having(func.count(Comment.id) >= 2)
    )
    candidates = db.session.scalars(
        select(Article)
        .where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.cover_id.is_not(None),
            Article.comments_open.is_(True),
            Article.brief != "",
            Article.id.in_(noted),
            Article.id.in_(approved),
        )
        .order_by(Article.published_at.desc())
    ).all()
    for article in candidates:
        if article.topics:
            return article
    raise AssertionError("the demo content has no article with every piece of the page")


@contextmanager
def demo_site(tmp_path: Path, workers: int = WORKERS) -> Iterator[Site]:
    """gunicorn on a fresh SQLite file with the demo newsroom and a known admin."""
    database_url = f"sqlite:///{tmp_path / 'byline.db'}"
    app = make_app(database_url, tmp_path, extra_config={"UPLOADS_DIR": str(tmp_path / "uploads")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        demo.load()
        users.create_user(
            ADMIN_EMAIL, "Avery Admin", Role.ADMIN, ADMIN_PASSWORD, must_change_password=False
        )
        article = _pick_article()
        slug, article_id = article.slug, article.id
        section_slug, section_name = article.section.slug, article.section.name
        db.session.remove()
    try:
        with running_server(database_url, tmp_path, name="browser", workers=workers) as server:
            yield Site(
                origin=server.origin,
                admin_email=ADMIN_EMAIL,
                password=ADMIN_PASSWORD,
                article_slug=slug,
                article_id=article_id,
                section_slug=section_slug,
                section_name=section_name,
                app=app,
                log=server.log,
            )
    finally:
        with app.app_context():
            db.engine.dispose()
