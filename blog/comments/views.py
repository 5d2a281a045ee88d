"""Reader comments: post one, and edit or delete your own in the edit window.

The comment form sits in the article page, which a cache may serve to any anonymous
reader, so it cannot carry a session-bound CSRF token. It carries a signed time token
(blog.formguard) instead, and the POST must come from this site; a signed-in staff
member's POST must also carry their session's CSRF token (cached pages are never served
to them). A refused form comes back as the article page with the reader's text kept; the
address it leaves in the address bar, opened again, leads to the article's form.

Two limits per client: every attempt counts against COMMENT_ATTEMPT_LIMIT, and only a
stored comment (the 303 that follows it) against COMMENT_RATE_LIMIT, so a reader whose
form was refused a few times can still post. The second is tested before the view runs
and counted after it, in the limiter's shared store (all workers, all servers with
Redis): parallel posts may pass it by a few, which the attempt limit bounds.
"""

import time

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blog import formguard
from blog.comments import ownership, trust
from blog.comments.discussion import NEWEST, build_discussion
from blog.comments.forms import CommentDeleteForm, CommentEditForm, CommentForm, ReaderForm
from blog.domain import NotFound
from blog.errors import render_error
from blog.extensions import csrf, limiter
from blog.forms import show_error
from blog.models import Article, Comment, CommentStatus
from blog.ratelimit import client_key
from blog.services import articles, comment_threads, comments
from blog.services.comments import CommentData, CommentRejected

bp = Blueprint("comments", __name__)
csrf.exempt(bp)  # every POST here is checked by check_post() instead

COMMENT_RATE_LIMIT = "5 per minute; 50 per day"  # stored comments
COMMENT_ATTEMPT_LIMIT = "20 per minute; 200 per day"  # every POST, refused ones included
CLOSED_MESSAGE = "Comments are closed for this article, so your comment was not posted."
RATE_LIMITED_MESSAGE = (
    "You have posted several comments in a short time. Please wait {wait}, then send this "
    "one again: your text is kept below."
)
ATTEMPTS_LIMITED_MESSAGE = (
    "This form has been sent many times in a short time. Please wait {wait}, then send it "
    "again: your text is kept below."
)
PARENT_NOT_FOUND_MESSAGE = (
    "The comment you replied to could not be found. Send yours again as a new comment."
)


@bp.after_request
def no_store(response):
    # Answers here are personal (a reader's own text, their cookie): never cached.
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------- Checks shared by the POSTs ----------


def check_post(purpose: str, subject: int) -> float:
    """Origin, signed token and (for signed-in staff) session CSRF; returns the token's
    age in seconds, or raises FormRejected with a message for the reader."""
    if not formguard.is_same_origin():
        raise formguard.FormRejected(
            "This form was not sent from a page of this site. Please send it again from here."
        )
    age = formguard.token_age(request.form.get("form_token", ""), purpose, subject)
    if not formguard.has_session_token():
        raise formguard.FormRejected(
            "Your session's security token has expired. Please send the form again."
        )
    return age


def refresh_token(form: ReaderForm, purpose: str, subject: int) -> None:
    """A new token in place of one that was missing, forged or for another form."""
    form.form_token.data = formguard.issue_token(purpose, subject)


def refuse(code: int, message: str):
    """Stop here with the error page and a message for the reader."""
    abort(make_response(render_error(code, message)))


def public_article(slug: str) -> Article:
    article = articles.get_public_article(slug)
    if article is None:
        abort(404)
    return article


def article_page(article: Article, form: CommentForm, message: str | None, status: int):
    """The article page again, its comment form filled in as sent, with the errors."""
    discussion = build_discussion(article, form, message)
    body = render_template(
        "public/article.html",
        article=article,
        related=articles.related_articles(article),
        discussion=discussion,
    )
    return discussion.respond(body, status)


def posted_form() -> CommentForm:
    form = CommentForm()
    if current_user.is_authenticated:
        form.for_staff()
    return form


def landing_url(comment: Comment, own_ids) -> str:
    """The comment in its thread, in the order the reader was reading it (the form's
    address carries ?sort=newest from a newest-first page)."""
    newest_first = request.args.get("sort") == NEWEST
    page = comment_threads.page_of(comment, own_ids, newest_first=newest_first)
    return url_for(
        "public.article",
        slug=comment.article.slug,
        comments=page if page > 1 else None,
        sort=NEWEST if newest_first else None,
        _anchor=f"comment-{comment.id}",
    )


def wait_text(seconds: int) -> str:
    """ "a minute", "about 3 hours": how long until a limit's window ends, in words."""
    if seconds <= 60:
        return "a minute"
    if seconds < 3600:
        return f"{-(-seconds // 60)} minutes"
    hours = round(seconds / 3600)
    return f"about {hours} hour{'' if hours == 1 else 's'}"


def is_stored(response) -> bool:
    """The POST stored a comment (its poster is sent to it): it counts against the limit."""
    return response.status_code == 303


# ---------- Posting ----------


@bp.get("/articles/<slug:slug>/comments", endpoint="form")
def back_to_form(slug: str):
    """The address a refused comment leaves in the address bar: opened again (Enter in
    the address bar, a bookmark, a new tab), it leads to the article's comment form."""
    return redirect(url_for("public.article", slug=slug, _anchor="comment-form"))


@bp.post("/articles/<slug:slug>/comments")
@limiter.limit(
    COMMENT_ATTEMPT_LIMIT, scope="comment-attempt", error_message=ATTEMPTS_LIMITED_MESSAGE
)
@limiter.limit(
    COMMENT_RATE_LIMIT,
    scope="comment-post",
    deduct_when=is_stored,
    error_message=RATE_LIMITED_MESSAGE,
)
def create(slug: str):
    article = public_article(slug)
    if not comments.comments_open(article):
        return render_error(403, CLOSED_MESSAGE)
    form = posted_form()
    try:
        age = check_post("comment", article.id)
    except formguard.FormRejected as exc:
        refresh_token(form, "comment", article.id)
        return article_page(article, form, str(exc), 400)
    if not form.validate():
        message = None
        if form.parent_id.errors:  # a hidden field: say so, and offer a new comment instead
            form.parent_id.data = ""
            message = PARENT_NOT_FOUND_MESSAGE
        return article_page(article, form, message, 400)

    is_staff = current_user.is_authenticated
    data = CommentData(
        name="" if is_staff else form.name.data,
        email="" if is_staff else form.email.data or "",
        body=form.body.data,
        parent_id=int(form.parent_id.data) if form.parent_id.data else None,
        honeypot=form.website.data or "",
        seconds_to_submit=age,
    )
    try:
        comment = comments.submit(
            article,
            data,
            client_key=client_key(),
            user=current_user._get_current_object() if is_staff else None,
            proofs=trust.proofs(),
        )
    except CommentRejected as exc:
        if exc.reason == "closed":
            return render_error(403, CLOSED_MESSAGE)
        if exc.reason == "parent":
            form.parent_id.data = ""
        if exc.field and exc.field in form:
            show_error(form, exc)
            return article_page(article, form, None, 400)
        return article_page(article, form, exc.message, 400)

    response = redirect(landing_url(comment, {*ownership.owned(), comment.id}), code=303)
    ownership.remember(response, comment.id)
    if not is_staff:
        trust.remember(
            response,
            {*ownership.owned(), comment.id},
            renew=comment.status == CommentStatus.APPROVED,
        )
    return response


@bp.errorhandler(429)
def rate_limited(error):
    """Over a limit: the article page again with the reader's text, never lost, and how
    long to wait (until the breached limit's window ends)."""
    if request.endpoint == "comments.create" and request.view_args:
        article = articles.get_public_article(request.view_args.get("slug", ""))
        if article is not None:
            form = posted_form()
            try:
                formguard.token_age(request.form.get("form_token", ""), "comment", article.id)
            except formguard.FormRejected:
                refresh_token(form, "comment", article.id)
            breached = limiter.current_limit
            wait = max(1, int(breached.reset_at - time.time())) if breached else 60
            template = getattr(getattr(error, "limit", None), "error_message", None)
            message = (template or RATE_LIMITED_MESSAGE).format(wait=wait_text(wait))
            response = article_page(article, form, message, 429)
            response.headers["Retry-After"] = str(wait)
            return response
    return render_error(429)


# ---------- The poster's own comment ----------


def own_comment(comment_id: int) -> Comment:
    """The poster's comment on a public article, still in its edit window; else 404/403."""
    try:
        return comment_threads.own_comment(comment_id, ownership.owned())
    except NotFound:
        abort(404)
    except CommentRejected as exc:
        refuse(403, exc.message)


def edit_page(comment: Comment, form: CommentEditForm, message: str | None, status: int = 200):
    delete_form = CommentDeleteForm(formdata=None)
    delete_form.form_token.data = formguard.issue_token("comment-delete", comment.id)
    body = render_template(
        "comments/edit.html",
        comment=comment,
        article=comment.article,
        form=form,
        delete_form=delete_form,
        message=message,
        closes_at=comments.edit_closes_at(comment),
    )
    return body, status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int):
    comment = own_comment(comment_id)
    if request.method == "GET":
        form = CommentEditForm(formdata=None, data={"body": comment.body_md})
        refresh_token(form, "comment-edit", comment.id)
        return edit_page(comment, form, None)

    form = CommentEditForm()
    try:
        check_post("comment-edit", comment.id)
    except formguard.FormRejected as exc:
        refresh_token(form, "comment-edit", comment.id)
        return edit_page(comment, form, str(exc), 400)
    if not form.validate():
        return edit_page(comment, form, None, 400)
    try:
        comments.edit_own(comment, form.body.data, trust.proofs())
    except CommentRejected as exc:
        if exc.field:
            show_error(form, exc)
            return edit_page(comment, form, None, 400)
        refuse(403, comments.not_yours_message())
    return redirect(landing_url(comment, ownership.owned()), code=303)


@bp.post("/comments/<int:comment_id>/delete")
def delete(comment_id: int):
    comment = own_comment(comment_id)
    try:
        check_post("comment-delete", comment.id)
    except formguard.FormRejected as exc:
        return render_error(400, str(exc))
    try:
        comments.delete_own(comment)
    except CommentRejected:
        refuse(403, comments.not_yours_message())
    response = redirect(
        url_for("public.article", slug=comment.article.slug, _anchor="comments"), code=303
    )
    ownership.forget(response, comment.id)
    return response
