"""Static pages at /<slug> (About, Contact, ...): published ones only; old slugs and an
imported site's old addresses (/a-wordpress-post) 301.

The rule has a converter for its only segment, so every route with a fixed first segment
(/search, /feed.xml, /editor/...) is matched before it; a page cannot take such an address
either (blog.services.pages.route_holding refuses it when the page is saved).
"""

from flask import render_template

from blog.models import SlugKind
from blog.pagecache import cached_page
from blog.public.views import bp, redirect_old_slug
from blog.services import pages


@bp.get("/<slug:slug>", endpoint="page")
@cached_page
def static_page(slug: str):
    item = pages.get_public_page(slug)
    if item is None:  # a draft, or no page: perhaps an old address of a published one
        return redirect_old_slug(SlugKind.PAGE, slug, "public.page", ())
    return render_template("public/page.html", page=item)
