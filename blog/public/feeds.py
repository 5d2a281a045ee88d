"""Machine-read endpoints: Atom feeds, sitemap, robots.txt and the health check."""

import redis
from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy.exc import SQLAlchemyError

from blog import fragments
from blog.errors import RETRY_AFTER_SECONDS, rollback
from blog.models import Article, SlugKind
from blog.models.base import utcnow
from blog.pagecache import cached_page
from blog.reachability import ping_database, ping_redis, short_reason
from blog.services import articles, comment_threads

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml; charset=utf-8"


def atom_response(
    title: str | None, owner: articles.Listed | None, self_endpoint: str, **values
) -> Response:
    """The feed of the owner's newest stories (the site's for None), as kept
    (blog/fragments.py) or rendered and kept: every reader gets the same document."""
    part = fragments.key("feed", self_endpoint, *sorted(values.items()))
    xml = fragments.get(part)
    if xml is None:
        items = latest(owner)
        xml = render_template(
            "feeds/atom.xml",
            feed_title=title,
            items=items,
            updated=max((a.modified_at for a in items), default=utcnow()),
            self_endpoint=self_endpoint,
            self_values=values,
        )
        fragments.put(part, xml)
    return Response(xml, mimetype="application/atom+xml", content_type=ATOM)


def latest(owner: articles.Listed | None = None) -> list[Article]:
    return articles.newest(owner, current_app.config["FEED_SIZE"])


@bp.get("/feed.xml")
@cached_page
def site_feed():
    return atom_response(None, None, "feeds.site_feed")


# A listing feed's endpoint is named after its kind.
@bp.get(
    "/section/<slug:slug>/feed.xml", endpoint="section_feed", defaults={"kind": SlugKind.SECTION}
)
@bp.get("/topic/<slug:slug>/feed.xml", endpoint="topic_feed", defaults={"kind": SlugKind.TOPIC})
@cached_page
def listing_feed(slug: str, kind: SlugKind):
    """A section's or (public) topic's newest stories."""
    owner = articles.listing_owner(kind, slug) or abort(404)
    return atom_response(owner.name, owner, f"feeds.{kind.value}_feed", slug=owner.slug)


COMMENT_FEED_SIZE = 50


@bp.get("/articles/<slug:slug>/comments/feed.xml")
@cached_page(article_arg="slug")
def comment_feed(slug: str):
    """A public article's newest approved comments: a new one shows at once, since the
    page lives under the article's own cache generation."""
    article = articles.get_public_article_only(slug) or abort(404)
    entries = comment_threads.comment_feed(article, COMMENT_FEED_SIZE)
    updated = max(
        (e.comment.edited_at or e.comment.created_at for e in entries), default=article.published_at
    )
    xml = render_template("feeds/comments.xml", article=article, entries=entries, updated=updated)
    return Response(xml, mimetype="application/atom+xml", content_type=ATOM)


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    pages = articles.sitemap()
    xml = render_template(
        "feeds/sitemap.xml",
        published=pages.published,
        sections=pages.sections,
        topics=pages.topics,
        authors=pages.authors,
        pages=pages.pages,
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
        ping_database()
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
