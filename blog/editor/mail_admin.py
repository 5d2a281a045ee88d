"""The administrator's page of what the worker could not do: mail it gave up sending and
jobs that failed after their last retry, each to be tried again or dismissed."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blog.editor.access import admin_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.permissions import is_admin
from blog.services import mail_admin


@bp.context_processor
def inject_delivery_trouble():
    """On an admin's dashboard: how many messages and jobs failed, for its notice."""
    if request.endpoint != "editor.dashboard" or not is_admin(current_user):
        return {}
    return {"delivery_trouble": mail_admin.counts()}


@bp.get("/mail/failures")
@admin_required
def mail_failures():
    return render_template("editor/mail_failures.html", failures=mail_admin.failures())


def _act(action, item_id: int, done: str, gone: str):
    """Run one button's action once its CSRF token holds, say how it went, and show the
    page again."""
    if ActionForm().validate_on_submit():
        try:
            changed = action(item_id)
        except mail_admin.JobsUnavailable as error:
            flash(error.message, "error")
        else:
            flash(done if changed else gone, "success" if changed else "info")
    return redirect(url_for("editor.mail_failures"))


@bp.post("/mail/failures/messages/<int:message_id>/retry")
@admin_required
def mail_failure_retry(message_id: int):
    return _act(
        mail_admin.retry_message,
        message_id,
        "The message is queued again; the worker sends it shortly.",
        "That message is no longer waiting for a decision.",
    )


@bp.post("/mail/failures/messages/<int:message_id>/dismiss")
@admin_required
def mail_failure_dismiss(message_id: int):
    return _act(
        mail_admin.dismiss_message,
        message_id,
        "The message is dismissed: it will not be sent.",
        "That message is no longer waiting for a decision.",
    )


@bp.post("/mail/failures/jobs/<int:failure_id>/retry")
@admin_required
def job_failure_retry(failure_id: int):
    return _act(
        mail_admin.retry_job,
        failure_id,
        "The job is queued again; the worker runs it shortly.",
        "That failure was already dealt with.",
    )


@bp.post("/mail/failures/jobs/<int:failure_id>/dismiss")
@admin_required
def job_failure_dismiss(failure_id: int):
    return _act(
        mail_admin.dismiss_job,
        failure_id,
        "The failure is dismissed.",
        "That failure was already dealt with.",
    )
