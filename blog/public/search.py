"""The reader's search page: /search?q=...&section=...&topic=...&page=N."""

from flask import current_app, render_template, request

from blog import fragments
from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.public.views import bp
from blog.services import search


@bp.get("/search", endpoint="search")
@cached_page
def search_page():
    raw = request.args.get("q", "")
    section, topic = request.args.get("section"), request.args.get("topic")
    page = page_number()
    # The page's form and results as kept (blog/fragments.py): then nothing is searched.
    part = fragments.key("search", raw, section, topic, page)
    if fragments.prefetch(part):
        return render_template("public/search.html", query=search.parse(raw), search_part=part)
    found = search.search_page(
        raw, section=section, topic=topic, page=page, per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "public/search.html",
        search_part=part,
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
