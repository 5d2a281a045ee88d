"""The moderation queue: reader comments by status, article or e-mail, and those readers
reported; approve, mark as spam, delete, restore and edit them, one at a time or in bulk."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from blog.domain import NotFound
from blog.editor.access import editor_required
from blog.editor.auth import safe_next
from blog.editor.blueprint import bp
from blog.forms import BaseForm, show_error
from blog.models import Comment, CommentStatus
from blog.pagination import forgiving_page_number
from blog.services import comment_threads, comments, moderation
from blog.services.comment_holds import HELD_REASONS
from blog.services.comments import MAX_BODY_LENGTH, CommentRejected
from blog.services.moderation import ModerationAction
from blog.services.newsroom import EDITOR_PAGE_SIZE
from blog.validators import Digits

STATUS_LABELS = {
    "pending": "Pending",
    "reported": "Reported",  # not a status: comments with readers' reports, in any status
    "approved": "Approved",
    "spam": "Spam",
    "deleted": "Deleted",
    "all": "Any status",
}
ACTION_LABELS = {
    ModerationAction.APPROVE: "Approve",
    ModerationAction.SPAM: "Spam",
    ModerationAction.DELETE: "Delete",
    ModerationAction.RESTORE: "Back to pending",
}
DONE = {
    ModerationAction.APPROVE: "Approved",
    ModerationAction.SPAM: "Marked as spam:",
    ModerationAction.DELETE: "Deleted",
    ModerationAction.RESTORE: "Back in the queue:",
}


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class QueueFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField("Status", choices=choices(STATUS_LABELS), default="pending")
    email = StringField(
        "E-mail",
        validators=[Optional(), Length(max=254)],
        filters=[comments.clean_email],
    )
    article = HiddenField(validators=[Optional(), Digits(9)])


class ModerateForm(BaseForm):
    action = SelectField(choices=choices(ACTION_LABELS), validators=[DataRequired()])
    next = HiddenField()


def comment_id(value) -> int:
    """A comment id from the form; a number no row can have is refused, not sent to the
    database (where it would overflow the column's type)."""
    number = int(value)
    if not 0 < number < 2**31:
        raise ValueError("not a comment id")
    return number


class BulkForm(BaseForm):
    bulk_action = SelectField(
        "With the selected comments", choices=choices(ACTION_LABELS), default="approve"
    )
    ids = SelectMultipleField(coerce=comment_id, validate_choice=False)
    next = HiddenField()


class ModeratorEditForm(BaseForm):
    body = TextAreaField(
        "Comment text (Markdown)",
        validators=[DataRequired("The comment needs some text."), Length(max=MAX_BODY_LENGTH)],
        filters=[comments.clean_body],
        render_kw={"rows": 12},
    )
    next = HiddenField()


def back_to(form) -> str:
    return safe_next(form.next.data) or url_for("editor.comment_list")


def done_message(action: ModerationAction, count: int) -> str:
    return f"{DONE[action]} {count} comment{'' if count == 1 else 's'}."


def comment_or_404(comment_id: int) -> Comment:
    try:
        return comment_threads.get_comment(comment_id)
    except NotFound:
        abort(404)


@bp.get("/comments/")
@editor_required
def comment_list():
    form = QueueFilterForm(request.args)
    form.validate()
    status = form.status.data if not form.status.errors else "pending"
    email = form.email.data if not form.email.errors else ""
    article_id = int(form.article.data) if form.article.data and not form.article.errors else None
    filters = {
        key: value
        for key, value in (("status", status), ("email", email), ("article", article_id))
        if value
    }
    listed = comment_threads.moderation_list(
        None if status in ("all", "reported") else CommentStatus(status),
        article_id,
        email,
        # The queue forgives a bad ?page= (it shows page 1), within the usual bounds.
        page=forgiving_page_number(),
        per_page=EDITOR_PAGE_SIZE,
        reported=status == "reported",
    )
    return render_template(
        "editor/comment_list.html",
        form=form,
        page=listed.page,
        article=listed.article,
        counts=listed.counts,
        reports=listed.reports,
        reviewed=listed.reviewed,
        held_reasons=HELD_REASONS,
        bulk=BulkForm(formdata=None, next=request.full_path),
        status=status,
        email=email,
        filters=filters,
        status_labels=STATUS_LABELS,
        action_labels=ACTION_LABELS,
    )


@bp.post("/comments/<int:comment_id>/moderate")
@editor_required
def comment_moderate(comment_id: int):
    comment = comment_or_404(comment_id)
    form = ModerateForm()
    if form.validate_on_submit():
        action = ModerationAction(form.action.data)
        moderation.moderate([comment.id], action, actor=current_user._get_current_object())
        flash(done_message(action, 1), "success")
    else:
        flash("Choose what to do with the comment.", "error")
    return redirect(back_to(form), code=303)


@bp.post("/comments/bulk")
@editor_required
def comment_bulk():
    form = BulkForm()
    if not form.validate_on_submit():
        flash("Choose an action and the comments to apply it to.", "error")
    elif not form.ids.data:
        flash("Select the comments first, with the boxes in the first column.", "error")
    else:
        action = ModerationAction(form.bulk_action.data)
        changed = moderation.moderate(
            form.ids.data, action, actor=current_user._get_current_object()
        )
        flash(done_message(action, len(changed)), "success")
    return redirect(back_to(form), code=303)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@editor_required
def comment_edit(comment_id: int):
    comment = comment_or_404(comment_id)
    form = ModeratorEditForm(
        data={"body": comment.body_md, "next": safe_next(request.args.get("next"))}
    )
    if form.validate_on_submit():
        try:
            moderation.edit_by_moderator(
                comment, form.body.data, actor=current_user._get_current_object()
            )
        except CommentRejected as exc:
            show_error(form, exc)
        else:
            flash("Comment updated.", "success")
            return redirect(back_to(form), code=303)
    status = 400 if form.errors else 200
    return render_template(
        "editor/comment_edit.html",
        comment=comment,
        form=form,
        moderate_form=ModerateForm(formdata=None, next=back_to(form)),
        action_labels=ACTION_LABELS,
    ), status
