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
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as NoRoute

from blog import pagecache
from blog.comments.discussion import build_discussion
from blog.errors import rollback
from blog.models import SlugKind
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.services import articles, frontpage, menus, slugs, uploads

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


def menus_or_defaults() -> menus.Menus:
    """The menus, read when a page's layout asks for them (feeds never do); their
    defaults when the database cannot answer, so that an error page still renders."""
    try:
        return menus.public_menus()
    except SQLAlchemyError:
        rollback()
        return menus.Menus()


@bp.app_context_processor
def inject_navigation():
    """The section bar and the menus for public pages and error pages (never breaking the
    latter); `here` is the address a menu link has when it leads to this page."""
    navigation = {"public_menus": menus_or_defaults, "here": request.script_root + request.path}
    if request.blueprint == "editor":  # its own menu above, the site's footer below
        return navigation
    try:
        return {"nav_sections": articles.nav_sections(), **navigation}
    except SQLAlchemyError:  # an error page must render even when the database is down
        rollback()
        return {"nav_sections": [], **navigation}


@bp.before_app_request
def drop_trailing_slash():
    """A public page asked for with a trailing slash answers 301 to its address without
    it, query kept (/section/city/ to /section/city); never in the editor area, whose
    addresses stay as they are, and never to another site."""
    path = request.path
    if request.method not in ("GET", "HEAD") or not isinstance(request.routing_exception, NoRoute):
        return None
    stripped = path.rstrip("/")
    if path == stripped or not stripped or stripped.startswith(("//", "/\\", "/editor/")):
        return None
    try:
        endpoint, values = current_app.create_url_adapter(request).match(stripped, method="GET")
    except HTTPException:  # no such page, another method only, or a redirect of its own
        return None
    if endpoint.startswith("editor."):
        return None
    # Built from the matched route, so the address is one of this site's own.
    target = url_for(endpoint, **values)
    query = request.query_string.decode("utf-8", "replace")
    return redirect(f"{target}?{query}" if query else target, code=301)


@bp.get("/")
@cached_page
def front():
    sections = articles.nav_sections()
    front_page = frontpage.front_page(sections)
    pagecache.changes_at(front_page.ends_at)  # a pick's end changes the page by itself
    return render_template("public/front.html", front=front_page, nav_sections=sections)


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


@bp.get("/authors")
@cached_page
def authors():
    """The newsroom: everyone with a public article."""
    return render_template("public/authors.html", people=articles.newsroom())


@bp.get("/topics")
@cached_page
def topics():
    """Every topic with a public article, with its number of stories."""
    return render_template("public/topics.html", topics=articles.topic_index())


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
