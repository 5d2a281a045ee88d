"""Reader comments: post one, and edit or delete your own in the edit window.

The comment form sits in the article page, which a cache may serve to any anonymous
reader, so it cannot carry a session-bound CSRF token. It carries a signed time token
(blog.formguard) instead, and the POST must come from this site; a signed-in staff
member's POST must also carry their session's CSRF token (cached pages are never served
to them). A refused form comes back as the article page with the reader's text kept.
"""

from dataclasses import dataclass
from functools import cached_property

from flask import (
    Blueprint,
    abort,
    after_this_request,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from blog import formguard
from blog.comments import ownership, trust
from blog.comments.forms import CommentDeleteForm, CommentEditForm, CommentForm, ReaderForm
from blog.errors import render_error
from blog.extensions import csrf, db, limiter
from blog.models import Article, Comment, CommentStatus
from blog.pagination import page_number
from blog.ratelimit import client_key
from blog.services import articles, comment_threads, comments, settings
from blog.services.comment_threads import ThreadPage
from blog.services.comments import CommentData, CommentRejected

bp = Blueprint("comments", __name__)
csrf.exempt(bp)  # every POST here is checked by check_post() instead

COMMENT_RATE_LIMIT = "5 per minute; 50 per day"
CLOSED_MESSAGE = "Comments are closed for this article, so your comment was not posted."
RATE_LIMITED_MESSAGE = (
    "You have sent several comments in a short time. Please wait a minute, then send this "
    "one again: your text is kept below."
)
PARENT_NOT_FOUND_MESSAGE = (
    "The comment you replied to could not be found. Send yours again as a new comment."
)
NOT_YOURS_MESSAGE = (
    "Only the person who wrote a comment can change it, from the browser they sent it "
    "with, in the first 15 minutes."
)


@bp.after_request
def no_store(response):
    # Answers here are personal (a reader's own text, their cookie): never cached.
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------- The comments section of the article page ----------


@dataclass
class Discussion:
    """What the article page's comments section shows to this reader."""

    article: Article
    thread: ThreadPage
    is_open: bool
    form: CommentForm | None
    message: str | None
    reply_to: Comment | None
    own: dict[int, int]
    is_staff_viewer: bool  # signed in: comments under their profile, with a staff badge
    policy: str  # the site's moderation policy, for the note under the form

    def can_change(self, comment: Comment) -> bool:
        return (
            comment.id in self.own
            and comment.status != CommentStatus.DELETED
            and comments.within_edit_window(comment)
        )

    def page_url(self, page: int, **values) -> str:
        return url_for(
            "public.article", slug=self.article.slug, comments=page if page > 1 else None, **values
        )

    @cached_property
    def _reply_base(self) -> str:
        return self.page_url(self.thread.page, reply=0, _anchor="comment-form")

    def reply_url(self, comment_id: int) -> str:
        """The reply link of a comment: built once per page, not once per comment."""
        return self._reply_base.replace("reply=0#", f"reply={int(comment_id)}#", 1)


def thread_page_number() -> int:
    """?comments=N on the article page (a 404 unless a positive integer); 1 after a POST."""
    return page_number("comments") if request.method == "GET" else 1


def new_comment_form(article: Article) -> CommentForm:
    form = CommentForm(formdata=None)
    if current_user.is_authenticated:
        form.for_staff()
    form.form_token.data = formguard.issue_token("comment", article.id)
    reply = request.args.get("reply", "")
    if reply.isascii() and reply.isdigit() and len(reply) <= 9:
        form.parent_id.data = reply
    return form


def reply_target(article: Article, form: CommentForm, thread: ThreadPage) -> Comment | None:
    """The approved comment of this article that the form replies to, if any."""
    raw = form.parent_id.data or ""
    if not (raw.isascii() and raw.isdigit()) or form.parent_id.errors:
        return None
    target = thread.find(int(raw))
    if target is None:
        target = db.session.scalar(
            select(Comment).where(
                Comment.id == int(raw),
                Comment.article_id == article.id,
                Comment.status == CommentStatus.APPROVED,
            )
        )
    if target is None:
        form.parent_id.data = ""
    return target


def personal(response):
    """This page shows the reader's own held comments or a staff form: no shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Cookie")
    return response


@bp.app_template_global("comment_section")
def comment_section(
    article: Article, form: CommentForm | None = None, message: str | None = None
) -> Discussion:
    """Build the article page's comments section (a page of the thread, the form)."""
    own = ownership.owned()
    if own or current_user.is_authenticated:
        after_this_request(personal)
    if own and not current_user.is_authenticated:
        after_this_request(trust.learn_approvals)
    thread = comment_threads.thread_page(article, thread_page_number(), own)
    if thread is None:
        abort(404)
    is_open = comments.comments_open(article)
    if is_open and form is None:
        form = new_comment_form(article)
    reply_to = reply_target(article, form, thread) if is_open and form else None
    return Discussion(
        article=article,
        thread=thread,
        is_open=is_open,
        form=form,
        message=message,
        reply_to=reply_to,
        own=own,
        is_staff_viewer=current_user.is_authenticated,
        policy=settings.load().moderation_policy,
    )


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
    body = render_template(
        "public/article.html",
        article=article,
        related=articles.related_articles(article),
        comment_form=form,
        comment_message=message,
    )
    return body, status


def posted_form() -> CommentForm:
    form = CommentForm()
    if current_user.is_authenticated:
        form.for_staff()
    return form


def landing_url(comment: Comment, own_ids) -> str:
    page = comment_threads.page_of(comment, own_ids)
    return url_for(
        "public.article",
        slug=comment.article.slug,
        comments=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )


# ---------- Posting ----------


@bp.post("/articles/<slug:slug>/comments")
@limiter.limit(COMMENT_RATE_LIMIT, scope="comment-post")
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
            form[exc.field].errors = [*form[exc.field].errors, str(exc)]
            return article_page(article, form, None, 400)
        return article_page(article, form, str(exc), 400)

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
    """Over the limit: the article page again with the reader's text, never lost."""
    if request.endpoint == "comments.create" and request.view_args:
        article = articles.get_public_article(request.view_args.get("slug", ""))
        if article is not None:
            form = posted_form()
            try:
                formguard.token_age(request.form.get("form_token", ""), "comment", article.id)
            except formguard.FormRejected:
                refresh_token(form, "comment", article.id)
            response = article_page(article, form, RATE_LIMITED_MESSAGE, 429)
            return (*response, {"Retry-After": "60"})
    return render_error(429)


# ---------- The poster's own comment ----------


def own_comment(comment_id: int) -> Comment:
    """The poster's comment on a public article, still in its edit window; else 404/403."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == CommentStatus.DELETED:
        abort(404)
    if (
        db.session.scalar(
            select(Article.id).where(Article.id == comment.article_id, articles.is_public())
        )
        is None
    ):
        abort(404)
    if not ownership.owns(comment.id) or not comments.within_edit_window(comment):
        refuse(403, NOT_YOURS_MESSAGE)
    return comment


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
        closes_at=comment.created_at + comments.EDIT_WINDOW,
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
            form.body.errors = [*form.body.errors, str(exc)]
            return edit_page(comment, form, None, 400)
        refuse(403, NOT_YOURS_MESSAGE)
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
        refuse(403, NOT_YOURS_MESSAGE)
    response = redirect(
        url_for("public.article", slug=comment.article.slug, _anchor="comments"), code=303
    )
    ownership.forget(response, comment.id)
    return response
