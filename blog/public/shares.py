"""The share buttons: POST /articles/<slug>/share/<network> counts, then 303 to the network.

Without JavaScript each button is a small form; the reader lands on the network's share
page (or their mail program). With JavaScript (static/js/share.js) the same endpoint
answers JSON, so the page can thank the reader and show the new count in place.

The forms sit in article pages that a cache may serve to any reader, so they carry a
signed token from blog.formguard rather than a session-bound CSRF token, and the POST
must come from this site. A signed-in staff member's share must also carry their
session's CSRF token (cached pages are never served to them), as their comments do.
Counting never fails the reader: over the rate limit, or on a repeat share the same day,
they still reach the network; the share just is not counted.
"""

from flask import Response, abort, current_app, jsonify, redirect, request
from limits import parse_many

from blog import formguard
from blog.errors import render_error
from blog.extensions import csrf, limiter
from blog.models import Article
from blog.models.base import utcnow
from blog.public.views import bp
from blog.ratelimit import client_key
from blog.services import shares
from blog.templating import external_url

# Per client (hashed address): plenty for a person, little for a script inflating counts.
DEFAULT_RATE_LIMIT = "30 per minute; 300 per day"
TOKEN_FIELD = "token"


@bp.app_template_global("share_token")
def share_token(article: Article) -> str:
    """The signed token the share forms of this article carry (same for every reader)."""
    return formguard.issue_token("share", article.id)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def within_rate_limit() -> bool:
    """Count this request against the client's share limit; False once it is spent."""
    if not (limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)):
        return True
    limit = current_app.config.get("SHARE_RATE_LIMIT") or DEFAULT_RATE_LIMIT
    key = client_key()
    try:
        return all(limiter.limiter.hit(item, "share", key) for item in parse_many(limit))
    except Exception:  # the limit store is down: dedupe still holds, so keep counting
        current_app.logger.exception("share rate limit unavailable")
        return True


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def rejected(message: str):
    if wants_json():
        return no_store(jsonify(error=message)), 400
    body, code = render_error(400, message)
    return no_store(Response(body, status=code)), code


@bp.post("/articles/<slug:slug>/share/<network>", endpoint="share")
@csrf.exempt
def share(slug: str, network: str):
    if network not in shares.COUNTED_NETWORKS:
        abort(404)
    article = shares.find_article(slug)
    if article is None:
        abort(404)
    if not formguard.is_same_origin():
        return rejected("This share button is not on a page of this site.")
    try:
        formguard.token_age(request.form.get(TOKEN_FIELD, ""), "share", article.id)
    except formguard.FormRejected:
        return rejected(
            "This share button has expired. Go back to the article, reload it and share again."
        )
    if not formguard.has_session_token():
        return rejected(
            "Your session's security token has expired. Reload the article and share again."
        )

    article_id, title, slug = article.id, article.title, article.slug
    article_url = external_url("public.article", slug=slug)
    target = shares.share_url(network, article_url, title)
    counted = within_rate_limit() and shares.record_share(
        article, network, client_key=client_key(), day=utcnow().date()
    )

    if wants_json():
        return no_store(
            jsonify(
                counted=counted,
                count=shares.share_count(article_id),
                network=network,
                url=target,
            )
        )
    if network in shares.IN_PAGE_NETWORKS:  # nothing to send the reader to but the article
        target = article_url + "#share"
    return no_store(redirect(target, code=303))
