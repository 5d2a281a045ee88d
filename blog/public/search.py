"""The reader's search page: /search?q=...&section=...&topic=...&page=N."""

from flask import abort, current_app, render_template, request

from blog.extensions import db
from blog.models import Topic
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.public.views import bp
from blog.services import articles, search

LATEST_ON_EMPTY = 6


@bp.get("/search", endpoint="search")
@cached_page
def search_page():
    query = search.parse(request.args.get("q", ""))
    page = page_number()
    sections = articles.nav_sections()
    # Only topics with a public article: the others are public nowhere.
    topics = list(db.session.scalars(articles.public_topics().order_by(Topic.name, Topic.id)))
    # Unknown slugs (a renamed topic in an old link) are ignored rather than failing.
    section = next((s for s in sections if s.slug == request.args.get("section")), None)
    topic = next((t for t in topics if t.slug == request.args.get("topic")), None)

    results = search.search(
        query,
        page=page,
        per_page=current_app.config["PAGE_SIZE"],
        section_id=section.id if section else None,
        topic_id=topic.id if topic else None,
    )
    if page > 1 and not results.items:
        abort(404)
    return render_template(
        "public/search.html",
        query=query,
        results=results,
        sections=sections,
        nav_sections=sections,
        topics=topics,
        section=section,
        topic=topic,
        max_length=search.MAX_QUERY_LENGTH,
        latest=[] if results.items else search.latest(LATEST_ON_EMPTY),
    )
