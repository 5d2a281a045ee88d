"""Machine-read endpoints: Atom feeds, sitemap, robots.txt and the health check."""

import redis
from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from blog.checks import ping_redis, short_reason
from blog.errors import RETRY_AFTER_SECONDS, rollback
from blog.extensions import db
from blog.models import Article, Section, Topic, User
from blog.models.base import utcnow
from blog.pagecache import cached_page
from blog.services import articles

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml; charset=utf-8"


def atom_response(title: str, items: list[Article], self_endpoint: str, **values) -> Response:
    updated = max((a.updated_at for a in items), default=utcnow())
    xml = render_template(
        "feeds/atom.xml",
        feed_title=title,
        items=items,
        updated=updated,
        self_endpoint=self_endpoint,
        self_values=values,
    )
    return Response(xml, mimetype="application/atom+xml", content_type=ATOM)


def latest(query) -> list[Article]:
    return list(db.session.scalars(query.limit(current_app.config["FEED_SIZE"])))


@bp.get("/feed.xml")
@cached_page
def site_feed():
    return atom_response(None, latest(articles.public_articles()), "feeds.site_feed")


@bp.get("/section/<slug:slug>/feed.xml")
@cached_page
def section_feed(slug: str):
    section = db.session.scalar(select(Section).where(Section.slug == slug)) or abort(404)
    items = latest(articles.section_articles(section))
    return atom_response(section.name, items, "feeds.section_feed", slug=section.slug)


@bp.get("/topic/<slug:slug>/feed.xml")
@cached_page
def topic_feed(slug: str):
    topic = articles.get_public_topic(slug) or abort(404)
    items = latest(articles.topic_articles(topic.id))
    return atom_response(topic.name, items, "feeds.topic_feed", slug=topic.slug)


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    published = db.session.execute(
        select(Article.slug, Article.updated_at)
        .where(articles.is_public())
        .order_by(Article.published_at.desc())
    ).all()
    authors = db.session.scalars(
        select(User.slug).where(User.id.in_(select(Article.author_id).where(articles.is_public())))
    ).all()
    xml = render_template(
        "feeds/sitemap.xml",
        published=published,
        sections=db.session.scalars(select(Section.slug)).all(),
        topics=db.session.scalars(
            select(Topic.slug).where(articles.has_public_article(Topic.id))
        ).all(),
        authors=authors,
    )
    return Response(xml, content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots():
    body = render_template("feeds/robots.txt")
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/healthz")
def healthz():
    """For monitors and load balancers: 200 when the database (and Redis, when configured)
    answer, else 503 with what is down; never cached."""
    status = {"status": "ok", "database": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        rollback()
        current_app.logger.warning("health check: database unreachable: %s", short_reason(exc))
        status.update(status="error", database="unreachable")
    if current_app.config.get("REDIS_URL"):
        try:
            ping_redis(current_app.config["REDIS_URL"], timeout=2)
            status["redis"] = "ok"
        except redis.RedisError as exc:
            current_app.logger.warning("health check: Redis unreachable: %s", short_reason(exc))
            status.update(status="error", redis="unreachable")
    headers = {"Cache-Control": "no-store"}
    if status["status"] != "ok":
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return status, 503, headers
    return status, 200, headers
