"""The reader's search page: /search?q=...&section=...&topic=...&page=N."""

from flask import current_app, render_template, request

from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.public.views import bp
from blog.services import search


@bp.get("/search", endpoint="search")
@cached_page
def search_page():
    found = search.search_page(
        request.args.get("q", ""),
        section=request.args.get("section"),
        topic=request.args.get("topic"),
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "public/search.html",
        query=found.query,
        results=found.hits,
        sections=found.sections,
        nav_sections=found.sections,
        topics=found.topics,
        section=found.section,
        topic=found.topic,
        max_length=search.MAX_QUERY_LENGTH,
        latest=found.latest,
    )
