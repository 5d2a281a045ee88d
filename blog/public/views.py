"""Public pages: front page, article page, section/topic/author listings, uploads."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import Select, select
from sqlalchemy.exc import SQLAlchemyError

from blog.extensions import db
from blog.models import Article, Section, SlugKind, User
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.services import articles, uploads

bp = Blueprint("public", __name__)


def paginate(query: Select):
    return db.paginate(
        query, page=page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=True
    )


# The query keys each page reads, carried over by a redirect from an old slug. Only these:
# url_for() reads keys such as _external, _scheme and _method as its own options.
LISTING_KEYS = ("page",)
ARTICLE_KEYS = ("comments", "reply")


def redirect_old_slug(kind: SlugKind, slug: str, endpoint: str, keys: tuple[str, ...]):
    """301 to the current slug when this one was renamed, else 404."""
    target = articles.renamed_target(kind, slug)
    if target is None:
        abort(404)
    kept = {key: request.args[key] for key in keys if key in request.args}
    return redirect(url_for(endpoint, slug=target.slug, **kept), code=301)


@bp.app_context_processor
def inject_navigation():
    """Section navigation for public pages and error pages (never breaking the latter)."""
    if request.blueprint not in (None, "public", "feeds", "comments"):
        return {}
    try:
        return {"nav_sections": articles.nav_sections()}
    except SQLAlchemyError:  # an error page must render even when the database is down
        db.session.rollback()
        return {"nav_sections": []}


@bp.get("/")
@cached_page
def front():
    sections = articles.nav_sections()
    return render_template(
        "public/front.html", front=articles.front_page(sections), nav_sections=sections
    )


@bp.get("/articles/<slug:slug>")
@cached_page(article_arg="slug")
def article(slug: str):
    item = articles.get_public_article(slug)
    if item is None:
        exists = db.session.scalar(select(Article.id).where(Article.slug == slug))
        if exists:  # drafts, scheduled and unpublished articles are not public
            abort(404)
        return redirect_old_slug(SlugKind.ARTICLE, slug, "public.article", ARTICLE_KEYS)
    return render_template(
        "public/article.html",
        article=item,
        related=articles.related_articles(item),
    )


@bp.get("/section/<slug:slug>")
@cached_page
def section(slug: str):
    item = db.session.scalar(select(Section).where(Section.slug == slug))
    if item is None:
        return redirect_old_slug(SlugKind.SECTION, slug, "public.section", LISTING_KEYS)
    return render_template(
        "public/section.html", section=item, page=paginate(articles.section_articles(item))
    )


@bp.get("/topic/<slug:slug>")
@cached_page
def topic(slug: str):
    item = articles.get_public_topic(slug)
    if item is None:  # also a topic without a public article: it is public nowhere
        return redirect_old_slug(SlugKind.TOPIC, slug, "public.topic", LISTING_KEYS)
    return render_template(
        "public/topic.html", topic=item, page=paginate(articles.topic_articles(item.id))
    )


@bp.get("/author/<slug:slug>")
@cached_page
def author(slug: str):
    item = db.session.scalar(select(User).where(User.slug == slug))
    if item is None:
        return redirect_old_slug(SlugKind.AUTHOR, slug, "public.author", LISTING_KEYS)
    return render_template(
        "public/author.html", author=item, page=paginate(articles.author_articles(item))
    )


@bp.get("/uploads/<path:path>")
def upload(path: str):
    # Only files Byline named, served as the type it stored them as: never a type guessed
    # from a name, never anything else that may sit in the folder.
    content_type = uploads.served_type(path)
    if content_type is None:
        abort(404)
    # send_from_directory refuses paths that leave the folder (404).
    response = send_from_directory(
        current_app.config["UPLOADS_DIR"], path, mimetype=content_type, max_age=31536000
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
