"""The pages the links in followers' mail open, under /mail/ (whose tokens
blog/accesslog.py keeps out of the logs): confirming a subscription, managing an
address's subscriptions, and leaving with one click (and taking that back).

The signed link is the permission: no account, no sign-in, no JavaScript. Opening a
confirmation link changes nothing (mail scanners open links): its button does. An
unsubscribe link acts as soon as it is opened, as a list's unsubscribe link must, and
a mail program's one-click POST (RFC 8058: `List-Unsubscribe=One-Click`, sent from the
program's own servers, with no cookie, Origin or form token) acts the same: the link's
signature is the authority there, so that POST alone skips the reader-form checks.
"""

from flask import redirect, render_template, request, url_for
from wtforms import HiddenField, RadioField, SelectChoice

from blog import formguard
from blog.comments.forms import ReaderForm
from blog.comments.guard import check_post, refresh_token
from blog.links import LinkExpired, LinkRejected
from blog.public.follow import bp
from blog.services import subscription_changes, subscriptions
from blog.services.subscriptions import (
    AlreadyConfirmed,
    SubscriptionGone,
    SubscriptionRejected,
)

ONE_CLICK = "One-Click"  # RFC 8058: the body of a mail program's unsubscribe POST


def is_id(value: str) -> bool:
    """Up to nine ASCII digits (str.isdigit() alone takes "²", which int() refuses)."""
    return value.isascii() and value.isdigit() and len(value) < 10


class ConfirmForm(ReaderForm):
    pass


class ManageForm(ReaderForm):
    action = HiddenField()
    subscription = HiddenField()
    cadence = RadioField(
        "How often",
        choices=[
            SelectChoice(key, words.capitalize())
            for key, words in subscriptions.CADENCE_WORDS.items()
        ],
        validate_choice=False,  # the service names the cadences it takes
    )


class UndoForm(ReaderForm):
    undo = HiddenField()


# What an expired link's page says, and what it offers instead: to follow again, or to
# have a link to the manage page mailed.
EXPIRED = {
    "confirm": (
        "This link has expired: a subscription waits a few days for it, then is dropped. "
        "Ask to follow again and a new link will be mailed.",
        "follow",
    ),
    "manage": ("This link has expired. Ask for a new one and it will be mailed to you.", "manage"),
    "unsubscribe": (
        "This link has expired. Ask for a link to manage your subscriptions: from there, "
        "any of them ends with one click.",
        "manage",
    ),
    "undo": (
        "It is too late to take this back here, but you can follow again at any time.",
        "follow",
    ),
}


def refused(error: Exception, page: str, offer: str | None = None):
    """A link that cannot act: 410 when it was genuine but has expired or been used, 400
    when it was never ours; with the way on (EXPIRED)."""
    status = 400 if type(error) is LinkRejected else 410
    message, default_offer = EXPIRED[page]
    if not isinstance(error, LinkExpired):
        message = getattr(error, "message", None) or str(error)
    body = render_template("follow/refused.html", message=message, offer=offer or default_offer)
    return body, status


# ---------- Confirming ----------


def confirm_page(confirmation, form, message=None, status=200):
    body = render_template(
        "follow/confirm.html", confirmation=confirmation, form=form, message=message
    )
    return body, status


@bp.route("/mail/confirm/<token>", methods=["GET", "POST"], endpoint="confirm")
def confirm(token: str):
    try:
        confirmation = subscriptions.confirmation(token)
        purpose = ("follow-confirm", confirmation.subscription_id)
        form = ConfirmForm(formdata=None)
        if request.method == "POST":
            try:
                check_post(*purpose)
            except formguard.FormRejected as exc:
                refresh_token(form, *purpose)
                return confirm_page(confirmation, form, str(exc), 400)
            return confirm_page(subscriptions.confirm(token), None)
    except (LinkRejected, SubscriptionGone, AlreadyConfirmed) as error:
        return refused(error, "confirm", "manage" if isinstance(error, AlreadyConfirmed) else None)
    refresh_token(form, *purpose)
    return confirm_page(confirmation, form)


# ---------- Managing ----------


def manage_page(overview, message=None, status=200):
    form = ManageForm(formdata=None)  # its token goes in each of the page's forms
    refresh_token(form, "follow-manage", overview.subscriber_id)
    done = subscription_changes.DONE.get(request.args.get("done", ""))
    body = render_template(
        "follow/manage.html",
        overview=overview,
        form=form,
        message=message,
        done=done if request.method == "GET" else None,
    )
    return body, status


@bp.route("/mail/manage/<token>", methods=["GET", "POST"], endpoint="manage")
def manage(token: str):
    try:
        overview = subscription_changes.overview(token)
        if request.method == "GET":
            return manage_page(overview)
        form = ManageForm()
        try:
            check_post("follow-manage", overview.subscriber_id)
        except formguard.FormRejected as exc:
            return manage_page(overview, str(exc), 400)
        subscription = form.subscription.data or ""
        done = subscription_changes.manage(
            token,
            form.action.data or "",
            int(subscription) if is_id(subscription) else None,
            form.cadence.data,
        )
    except LinkRejected as error:
        return refused(error, "manage")
    except SubscriptionRejected as exc:
        return manage_page(overview, exc.message, 400)
    if done == "all":
        return render_template(
            "follow/left.html", leaving=subscription_changes.Leaving("all", ["all"])
        )
    return redirect(url_for(".manage", token=token, done=done), code=303)


# ---------- Leaving, and taking it back ----------


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
def unsubscribe(token: str):
    """GET leaves at once, but for "everything", which it asks about first; a mail
    program's one-click POST (no form token) leaves at once, as the question's button
    does. HEAD, which link checkers send, does nothing."""
    if request.method == "HEAD":
        return "", 200
    if request.method == "GET":
        # Ending everything forgets the address and cannot be undone: opened, the link
        # asks first (link scanners open links too); the mail client's one-click POST,
        # and the button, do it.
        try:
            if subscription_changes.leaving_what(token) == "all":
                return render_template("follow/leave_all.html")
        except LinkRejected as error:
            return refused(error, "unsubscribe")
    if request.method == "POST" and request.form.get("List-Unsubscribe") != ONE_CLICK:
        message = (
            "This address leaves a list when it is opened, or when a mail program sends "
            "it the one-click request. Open it in your browser to leave."
        )
        return render_template("follow/refused.html", message=message, offer="manage"), 400
    try:
        leaving = subscription_changes.leave(token)
    except LinkRejected as error:
        return refused(error, "unsubscribe")
    form = None
    if leaving.undo:
        form = UndoForm(formdata=None)
        form.undo.data = leaving.undo
        refresh_token(form, "follow-undo", leaving.subscriber_id)
    return render_template("follow/left.html", leaving=leaving, form=form)


@bp.post("/mail/undo", endpoint="undo")
def undo():
    """Follow again what a one-click link just ended (its page's button)."""
    form = UndoForm()
    token = form.undo.data or ""
    try:
        check_post("follow-undo", subscription_changes.undo_subject(token))
        taken_back = subscription_changes.undo(token)
    except formguard.FormRejected as exc:
        return render_template("follow/refused.html", message=exc.message, offer="manage"), 400
    except LinkRejected as error:
        return refused(error, "undo")
    return render_template("follow/left.html", leaving=taken_back, is_undone=True)
