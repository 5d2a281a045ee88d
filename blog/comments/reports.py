"""Readers' reports of comments: the report page under each approved comment's "Report"
link, and the thank-you page after it.

The form carries a signed token (blog.formguard) for the comment it reports, and the POST
must come from this site, as the other reader forms (blog.comments.guard.check_post), and
be at most REPORT_TOKEN_MAX_AGE old. A reader is their hashed network
(blog.ratelimit.network_key), not their address, which one person can change at will: one
report per network and comment, a second one answered kindly and neutrally (it may be
someone else's on the same network). Answers here are never cached.
"""

from flask import redirect, render_template, request, url_for
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from blog import formguard
from blog.comments.forms import ReaderForm
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
from blog.models import Comment, CommentStatus
from blog.ratelimit import network_key, seconds_to_wait
from blog.services import comment_reports
from blog.services.comment_reports import MAX_DETAIL_LENGTH, REPORT_REASONS, ReportRejected

bp = reader_blueprint("comment_reports", __name__)

PURPOSE = "comment-report"
# A report page left open longer than this must be reloaded before it is sent.
REPORT_TOKEN_MAX_AGE = 2 * 3600
# Reports are one per reader and comment already; this bounds one reader's reports of many.
REPORT_RATE_LIMIT = "5 per minute; 30 per day"
RATE_LIMITED_MESSAGE = (
    "You have sent several reports in a short time. Please wait a while, then send this "
    "one again: what you wrote is kept below."
)
REASON_MISSING = "Choose why you are reporting this comment."


class CommentReportForm(ReaderForm):
    reason = RadioField(
        "Why are you reporting this comment?",
        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS.items()],
        validators=[InputRequired(REASON_MISSING)],
        validate_choice=False,  # the service names the one reasons it takes
    )
    detail = TextAreaField(
        "Anything the moderators should know (optional)",
        id="report-detail",
        validators=[
            Length(
                max=MAX_DETAIL_LENGTH, message=f"At most {MAX_DETAIL_LENGTH} characters, please."
            )
        ],
        filters=[comment_reports.clean_detail],
        render_kw={"rows": 4, "maxlength": MAX_DETAIL_LENGTH},
    )


def report_page(
    comment: Comment,
    form: CommentReportForm | None,
    *,
    message: str | None = None,
    status: int = 200,
    outcome: str = "",
):
    """The report form (as sent, with its errors), or with `outcome` "sent" or "already"
    the page that thanks the reader."""
    body = render_template(
        "comments/report.html",
        comment=comment,
        article=comment.article,
        form=form,
        message=message,
        outcome=outcome,
        is_hidden=comment.status != CommentStatus.APPROVED,
        max_detail_length=MAX_DETAIL_LENGTH,
    )
    return body, status


def page_comment(comment_id: int) -> tuple[Comment, bool]:
    try:
        return comment_reports.report_page_comment(comment_id, network_key())
    except NotFound as exc:
        refuse(404, exc.message)


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit(
    REPORT_RATE_LIMIT,
    key_func=network_key,
    scope="comment-report",
    methods=["POST"],
    exempt_when=from_another_site,
)
def create(comment_id: int):
    comment, has_reported = page_comment(comment_id)
    if has_reported:
        # The page after a report (?sent=1), or a second visit: nothing more to send.
        outcome = "sent" if request.method == "GET" and request.args.get("sent") else "already"
        return report_page(comment, None, outcome=outcome)
    if request.method == "GET":
        form = CommentReportForm(formdata=None)
        refresh_token(form, PURPOSE, comment.id)
        return report_page(comment, form)

    form = CommentReportForm()
    try:
        if check_post(PURPOSE, comment.id) > REPORT_TOKEN_MAX_AGE:
            raise formguard.FormRejected(formguard.EXPIRED)
    except formguard.FormRejected as exc:
        refresh_token(form, PURPOSE, comment.id)
        return report_page(comment, form, message=str(exc), status=400)
    if not form.validate():
        return report_page(comment, form, status=400)
    try:
        outcome = comment_reports.report(
            comment, form.reason.data, form.detail.data or "", reporter_key=network_key()
        )
    except ReportRejected as exc:
        show_error(form, exc)
        return report_page(comment, form, status=400)
    except NotFound as exc:
        return render_error(404, exc.message)
    if not outcome.is_new:  # a report sent twice at once: the first one counted
        return redirect(url_for(".create", comment_id=comment_id), code=303)
    return redirect(url_for(".create", comment_id=comment_id, sent=1), code=303)


@bp.errorhandler(429)
def rate_limited(error):
    """Over the limit: the form again with what the reader wrote, never lost."""
    comment_id = (request.view_args or {}).get("comment_id")
    if request.endpoint == "comment_reports.create" and comment_id is not None:
        try:
            comment = comment_reports.reportable_comment(comment_id)
        except NotFound:
            return render_error(429)
        form = CommentReportForm()
        refresh_token(form, PURPOSE, comment.id)
        body, status = report_page(comment, form, message=RATE_LIMITED_MESSAGE, status=429)
        return body, status, {"Retry-After": str(seconds_to_wait())}
    return render_error(429)
