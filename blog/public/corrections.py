"""The site-wide /corrections page: every correction and update, newest first.

A fixed first segment, so it is matched before the static pages' /<slug> rule, and a page
cannot be saved at /corrections (blog.services.pages.route_holding refuses it).
"""

from flask import current_app, render_template

from blog.pagecache import cached_page
from blog.pagination import page_number
from blog.public.views import bp
from blog.services import corrections


@bp.get("/corrections", endpoint="corrections")
@cached_page
def corrections_index():
    page = corrections.listing_page(page_number(), current_app.config["PAGE_SIZE"])
    return render_template("public/corrections.html", page=page)
