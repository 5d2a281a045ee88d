"""Machine-read endpoints: Atom feeds, sitemap, robots.txt and the health check."""

from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select, text

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
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug)) or abort(404)
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
        topics=db.session.scalars(select(Topic.slug)).all(),
        authors=authors,
    )
    return Response(xml, content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots():
    body = render_template("feeds/robots.txt")
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
