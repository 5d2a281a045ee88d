"""Reader comments: post one, and edit or delete your own in the edit window.

The forms carry a signed token and must come from this site (blog.comments.guard). A
refused form comes back as the article page with the reader's text kept; the address it
leaves in the address bar, opened again, leads to the article's form.

Two limits per client: every attempt counts against COMMENT_ATTEMPT_LIMIT, and only a
stored comment (the 303 that follows it) against COMMENT_RATE_LIMIT, so a reader whose
form was refused a few times can still post. The second is tested before the view runs
and counted after it, in the limiter's shared store (all workers, all servers with
Redis): parallel posts may pass it by a few, which the attempt limit bounds. A POST from
another site's page counts against neither (guard.from_another_site): it is refused
anyway, and would otherwise let any page a reader visits use up their limits.
"""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from blog import formguard
from blog.comments import ownership, trust
from blog.comments.discussion import NEWEST, build_discussion
from blog.comments.forms import CommentDeleteForm, CommentEditForm, CommentForm
from blog.comments.guard import (
    check_post,
    from_another_site,
    reader_blueprint,
    refresh_token,
    refuse,
)
from blog.domain import NotFound
from blog.errors import render_error
from blog.extensions import limiter
from blog.forms import show_error
from blog.models import Article, Comment, CommentStatus
from blog.ratelimit import client_key, network_key, seconds_to_wait
from blog.services import articles, comment_threads, comments
from blog.services.comments import CommentData, CommentRejected

bp = reader_blueprint("comments", __name__)

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


# ---------- Helpers of the views ----------


def public_article(slug: str) -> Article:
    """The article alone: a comment that is stored needs no more of it (article_page
    loads the rest when the page is shown again)."""
    article = articles.get_public_article_only(slug)
    if article is None:
        refuse(404)
    return article


def article_page(article: Article, form: CommentForm, message: str | None, status: int):
    """The article page again, its comment form filled in as sent, with the errors."""
    articles.load_page_relations(article)
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


def sent_data(form: CommentForm, seconds_to_submit: float) -> CommentData:
    """What the form says, for comments.submit (a staff member's name and address come
    from their profile instead)."""
    is_staff = current_user.is_authenticated
    return CommentData(
        name="" if is_staff else form.name.data,
        email="" if is_staff else form.email.data or "",
        body=form.body.data,
        parent_id=int(form.parent_id.data) if form.parent_id.data else None,
        honeypot=form.website.data or "",
        seconds_to_submit=seconds_to_submit,
        wants_replies=not is_staff and bool(form.wants_replies.data),
    )


def sort_value() -> str | None:
    """?sort=newest, which the form's address carries from a newest-first page."""
    return NEWEST if request.args.get("sort") == NEWEST else None


def landing_url(comment: Comment, own_ids) -> str:
    """The comment in its thread, in the order the reader was reading it."""
    sort = sort_value()
    page = comment_threads.page_of(comment, own_ids, newest_first=sort == NEWEST)
    return url_for(
        "public.article",
        slug=comment.article.slug,
        comments=page if page > 1 else None,
        sort=sort,
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
    the address bar, a bookmark, a new tab), it leads to the article's comment form, in
    the order the reader was reading the thread."""
    return redirect(url_for("public.article", slug=slug, sort=sort_value(), _anchor="comment-form"))


@bp.post("/articles/<slug:slug>/comments")
@limiter.limit(
    COMMENT_ATTEMPT_LIMIT,
    scope="comment-attempt",
    exempt_when=from_another_site,
    error_message=ATTEMPTS_LIMITED_MESSAGE,
)
@limiter.limit(
    COMMENT_RATE_LIMIT,
    scope="comment-post",
    exempt_when=from_another_site,
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
    try:
        comment = comments.submit(
            article,
            sent_data(form, age),
            client_key=client_key(),
            user=current_user._get_current_object() if is_staff else None,
            proofs=trust.proofs(),
            client_network=network_key(),
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
        article = articles.get_public_article_only(request.view_args.get("slug", ""))
        if article is not None:
            form = posted_form()
            try:
                formguard.token_age(request.form.get("form_token", ""), "comment", article.id)
            except formguard.FormRejected:
                refresh_token(form, "comment", article.id)
            wait = seconds_to_wait()
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
        refuse(404)
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
