"""Public pages: front page, article page, section/topic/author listings, uploads."""

import functools

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

from blog import fragments, pagecache
from blog.comments.discussion import build_discussion
from blog.errors import rollback
from blog.models import Article, OldUrl, SlugKind
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.services import articles, comments, frontpage, menus, old_urls, pages, slugs, uploads

bp = Blueprint("public", __name__)


# The query keys each page reads, carried over by a redirect from an old slug. Only these:
# url_for() reads keys such as _external, _scheme and _method as its own options.
LISTING_KEYS = ("page",)
ARTICLE_KEYS = ("comments", "reply", "sort")


def redirect_old_slug(kind: SlugKind, slug: str, endpoint: str, keys: tuple[str, ...]):
    """301 to the current slug when this one was renamed, or to what this address of an
    imported site became; else 404."""
    target = slugs.renamed_target(kind, slug)
    if target is None:
        row = old_urls.find(request.path, request.args)
        if row is None:
            abort(404)
        return redirect_old_url(row)
    kept = {key: request.args[key] for key in keys if key in request.args}
    return redirect(url_for(endpoint, slug=target.slug, **kept), code=301)


def redirect_old_url(row: OldUrl):
    """301 straight to the target's address now (renamed since the import or not), with
    no query: the old site's keys mean nothing here."""
    endpoint, slug = old_urls.destination(row)
    return redirect(url_for(endpoint, slug=slug), code=301)


def find_old_url():
    """The request's old address of an imported site, or None (also while the database
    cannot answer: the request then goes on as if there were none)."""
    try:
        return old_urls.find(request.path, request.args)
    except SQLAlchemyError:
        rollback()
        return None


def redirect_legacy_query():
    """The front page asked for with a WordPress key (/?p=12, /?cat=3): 301 to what that
    item became; an unknown one shows the front page. Without such a key, no query."""
    if (
        request.endpoint != "public.front"
        or request.method not in ("GET", "HEAD")
        or old_urls.QUERY_KEYS.isdisjoint(request.args)
    ):
        return None
    row = find_old_url()
    return None if row is None else redirect_old_url(row)


@bp.record_once
def answer_legacy_queries_first(state) -> None:
    # Ahead of the page cache's hook (the extensions register theirs first), which would
    # serve the front page kept for such an address.
    state.app.before_request_funcs.setdefault(None, []).insert(0, redirect_legacy_query)


# The routes of one thing by its slug: what answers there is looked up, not known.
SLUG_ROUTES = {
    "public.article": SlugKind.ARTICLE,
    "public.page": SlugKind.PAGE,
    "public.section": SlugKind.SECTION,
    "public.topic": SlugKind.TOPIC,
    "public.author": SlugKind.AUTHOR,
}


def route_answer(endpoint: str, values: dict) -> str | None:
    """The address a route of the site answers with by itself: its own, where a public
    thing lives or a fixed page is; a renamed thing's new one; None for a 404 there."""
    kind = SLUG_ROUTES.get(endpoint)
    if kind is None:
        return url_for(endpoint, **values)
    slug = values["slug"]
    if kind is SlugKind.PAGE:
        live = pages.get_public_page(slug)
    elif kind is SlugKind.ARTICLE:
        live = articles.get_public_article(slug)
    else:
        live = articles.listing_owner(kind, slug)
    if live is not None:
        return url_for(endpoint, **values)
    renamed = slugs.renamed_target(kind, slug)
    return None if renamed is None else url_for(endpoint, **{**values, "slug": renamed.slug})


def menus_or_defaults() -> menus.Menus:
    """The menus, read when a page's layout asks for them (feeds never do); their
    defaults when the database cannot answer, so that an error page still renders."""
    try:
        return menus.public_menus()
    except SQLAlchemyError:
        rollback()
        fragments.stop()  # the defaults stand in for the menus: not to be kept
        return menus.Menus()


@bp.app_context_processor
def inject_navigation():
    """The section bar and the menus for public pages and error pages (never breaking the
    latter); `here` is the address a menu link has when it leads to this page."""
    here = request.script_root + request.path
    navigation = {"public_menus": menus_or_defaults, "here": here}
    if request.blueprint == "editor":  # its own menu above, the site's footer below
        return navigation
    if fragments.in_use():  # both menus as kept, marking this address's link (see base.html)
        parts = {menu: fragments.key("menu:" + menu, here) for menu in ("header", "footer")}
        navigation["menu_parts"] = parts
        if fragments.prefetch(*parts.values()):
            return {"nav_sections": [], **navigation}
    try:
        return {"nav_sections": articles.nav_sections(), **navigation}
    except SQLAlchemyError:  # an error page must render even when the database is down
        rollback()
        fragments.stop()
        navigation.pop("menu_parts", None)
        return {"nav_sections": [], **navigation}


@bp.before_app_request
def answer_unrouted():
    """An address no route answers: an old address of an imported site 301s straight to
    what it became (/2024/05/06/a-slug/, /category/news), unless a route answers it
    without its trailing slash by itself (a page of the site wins); otherwise a public
    page asked for with a trailing slash 301s to its address without it, query kept
    (/section/city/ to /section/city). Never in the editor area, whose addresses stay
    as they are, and never to another site. One query, by the old addresses' key."""
    path = request.path
    if request.method not in ("GET", "HEAD") or not isinstance(request.routing_exception, NoRoute):
        return None
    stripped = path.rstrip("/")
    if stripped == "/editor" or stripped.startswith(("//", "/\\", "/editor/")):
        return None
    route = public_route(stripped) if stripped and stripped != path else None
    row = find_old_url()
    if row is not None:
        answer = route_answer(*route) if route is not None else None
        return redirect_old_url(row) if answer is None else redirect(answer, code=301)
    if route is None:
        return None
    # Built from the matched route, so the address is one of this site's own.
    target = url_for(route[0], **route[1])
    query = request.query_string.decode("utf-8", "replace")
    return redirect(f"{target}?{query}" if query else target, code=301)


def public_route(path: str) -> tuple[str, dict] | None:
    """The endpoint and values of the public route that answers this path to a GET."""
    try:
        endpoint, values = current_app.create_url_adapter(request).match(path, method="GET")
    except HTTPException:  # no such page, another method only, or a redirect of its own
        return None
    return None if endpoint.startswith("editor.") else (endpoint, values)


@bp.get("/")
@cached_page
def front():
    # Its stories as kept (blog/fragments.py, until a pick on it ends): nothing to load.
    part = fragments.key("front")
    if fragments.prefetch(part):
        return render_template("public/front.html", front=None, front_part=part)
    sections = articles.nav_sections()
    front_page = frontpage.front_page(sections)
    pagecache.changes_at(front_page.ends_at)  # a pick's end changes the page by itself
    return render_template(
        "public/front.html", front=front_page, front_part=part, nav_sections=sections
    )


@bp.get("/articles/<slug:slug>")
@cached_page(article_arg="slug")
def article(slug: str):
    # With its parts kept (blog/fragments.py), the article alone: what they show around
    # it is loaded only when one of them has to be rendered again.
    kept = fragments.in_use()
    item = (articles.get_public_article_only if kept else articles.get_public_article)(slug)
    if item is None:  # drafts, scheduled and unpublished articles are not public
        return redirect_old_slug(SlugKind.ARTICLE, slug, "public.article", ARTICLE_KEYS)
    parts = article_parts(item)
    if kept and not fragments.prefetch(*parts.values()):
        articles.load_page_relations(item)
    discussion = build_discussion(item)  # NotFound (404) for a page of comments past the end
    return discussion.respond(
        render_template(
            "public/article.html",
            article=item,
            parts=parts,
            related=functools.partial(articles.related_articles, item),
            discussion=discussion,
        )
    )


def article_parts(item: Article) -> dict[str, str]:
    """The article page's parts every reader sees alike, by the fragment key each is kept
    under: what they show follows the article (its generation), and whether comments are
    open, which changes with time too."""
    is_open = comments.comments_open(item)
    return {
        part: fragments.key("article:" + part, item.id, is_open)
        for part in ("head", "feeds", "story", "related")
    }


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
    number = page_number()
    # The page's list of stories as kept (blog/fragments.py): then it is not loaded.
    part = fragments.key("listing", kind.value, owner.id, number)
    page = None
    if not fragments.prefetch(part):
        page = articles.listing_page(owner, number, current_app.config["PAGE_SIZE"])
    return render_template(
        f"public/{kind.value}.html",
        page=page,
        page_number=number,
        listing_part=part,
        **{kind.value: owner},
    )


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
