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
from sqlalchemy.exc import SQLAlchemyError

from blog.comments.discussion import build_discussion
from blog.errors import rollback
from blog.models import SlugKind
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.services import articles, slugs, uploads

bp = Blueprint("public", __name__)


# The query keys each page reads, carried over by a redirect from an old slug. Only these:
# url_for() reads keys such as _external, _scheme and _method as its own options.
LISTING_KEYS = ("page",)
ARTICLE_KEYS = ("comments", "reply")


def redirect_old_slug(kind: SlugKind, slug: str, endpoint: str, keys: tuple[str, ...]):
    """301 to the current slug when this one was renamed, else 404."""
    target = slugs.renamed_target(kind, slug)
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
        rollback()
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
    if item is None:  # drafts, scheduled and unpublished articles are not public
        return redirect_old_slug(SlugKind.ARTICLE, slug, "public.article", ARTICLE_KEYS)
    discussion = build_discussion(item)  # NotFound (404) for a page of comments past the end
    return discussion.respond(
        render_template(
            "public/article.html",
            article=item,
            related=articles.related_articles(item),
            discussion=discussion,
        )
    )


# A listing page's endpoint, template and owner variable are named after its kind.
@bp.get("/section/<slug:slug>", endpoint="section", defaults={"kind": SlugKind.SECTION})
@bp.get("/topic/<slug:slug>", endpoint="topic", defaults={"kind": SlugKind.TOPIC})
@bp.get("/author/<slug:slug>", endpoint="author", defaults={"kind": SlugKind.AUTHOR})
@cached_page
def listing(slug: str, kind: SlugKind):
    """A section's, topic's or author's page of articles (a topic without a public
    article is public nowhere)."""
    owner = articles.listing_owner(kind, slug)
    if owner is None:
        return redirect_old_slug(kind, slug, f"public.{kind.value}", LISTING_KEYS)
    page = articles.listing_page(owner, page_number(), current_app.config["PAGE_SIZE"])
    return render_template(f"public/{kind.value}.html", page=page, **{kind.value: owner})


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
