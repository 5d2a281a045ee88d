"""The link mailed to confirm a reader's comment (blog.services.reply_notices): its page
shows the comment and says what confirming does; only its button does it.

Opening the link changes nothing, since mail scanners open links. The button carries the
reader-form token (blog.comments.guard.check_post), like the other reader forms. The page
shows the comment's article, name and text, never its address: a link can be forwarded.
After confirming, a published comment is shown in its thread; one that still waits for a
moderator gets a page that says so. Either way this browser is trusted for the address
when a comment under it has been approved (blog.comments.trust).
"""

from flask import make_response, redirect, render_template, request, url_for

from blog import formguard
from blog.comments import trust
from blog.comments.forms import ReaderForm
from blog.comments.guard import check_post, refresh_token
from blog.comments.views import bp
from blog.links import LinkExpired, LinkRejected
from blog.services import comment_threads, reply_notices
from blog.services.reply_notices import Confirmation, NothingToConfirm

PURPOSE = "comment-confirm"
EXPIRED = (
    "Links to confirm a comment work for a few days, and this one is older. Nothing was "
    "changed; an editor still reads the comment before it appears."
)
TITLES = {
    "expired": "This link has expired",
    "used": "Already confirmed",
    "gone": "Nothing to confirm",
    "bad": "Link not valid",
}


class CommentConfirmForm(ReaderForm):
    """Only the token: a button."""


def refused(error: LinkRejected | NothingToConfirm):
    """The page for a link that cannot act: 410 when it was genuine (expired, used, or its
    comment gone), 400 when it was never ours."""
    if isinstance(error, LinkExpired):
        title, message, status = TITLES["expired"], EXPIRED, 410
    elif isinstance(error, NothingToConfirm):
        title, message, status = TITLES[error.reason], error.message, 410
    else:
        title, message, status = TITLES["bad"], error.message, 400
    body = render_template("errors/error.html", code=status, title=title, message=message)
    return body, status


def confirm_page(found: Confirmation, form: CommentConfirmForm | None, **context):
    comment = found.comment
    return render_template(
        "comments/confirm.html",
        comment=comment,
        article=comment.article,
        form=form,
        publishes=found.publishes,
        follows=found.follows,
        trusts=found.trusts,
        **context,
    )


def thread_url(comment) -> str:
    """The comment in its thread, as every reader sees the thread."""
    page = comment_threads.page_of(comment)
    return url_for(
        "public.article",
        slug=comment.article.slug,
        comments=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )


@bp.route("/mail/comment/<token>", methods=["GET", "POST"], endpoint="confirm")
def confirm(token: str):
    try:
        found = reply_notices.confirmation(token)
    except (LinkRejected, NothingToConfirm) as error:
        return refused(error)
    form = CommentConfirmForm()
    if request.method == "GET":
        refresh_token(form, PURPOSE, found.comment.id)
        return confirm_page(found, form)
    try:
        check_post(PURPOSE, found.comment.id)
    except formguard.FormRejected as exc:
        refresh_token(form, PURPOSE, found.comment.id)
        return confirm_page(found, form, message=str(exc)), 400
    try:
        done = reply_notices.confirm(token)
    except (LinkRejected, NothingToConfirm) as error:
        return refused(error)
    if done.is_published:
        response = redirect(thread_url(done.comment), code=303)
    else:
        response = make_response(confirm_page(found, None, confirmed=True))
    trust.remember_digest(response, done.device_digest)
    return response
