"""A forgotten password: asking for a link by e-mail, and choosing a new password there.

Asking answers the same whether or not an account uses the address, and is limited per
address and per client, so the form can neither tell who has an account nor flood an
inbox. The new password ends every session of the account; the person then signs in
with it, which also lets a browser's password manager keep it.
"""

from flask import flash, redirect, render_template, request, url_for

from blog.editor.auth import LoginForm
from blog.editor.blueprint import bp
from blog.editor.people import confirm_field, password_field
from blog.extensions import limiter
from blog.forms import BaseForm, show_error
from blog.ratelimit import keyed_hash
from blog.services import passwords
from blog.services.users import UserRejected
from blog.text import email_identity

ADDRESS_LIMIT = "3 per hour"
CLIENT_LIMIT = "10 per hour"
TOO_MANY = (
    "Too many reset links were asked for. For the safety of the accounts, please wait "
    "an hour before asking again, and check your inbox (and spam folder) for the ones "
    "already sent."
)
SENT = (
    "If an account uses that address, a link to choose a new password is on its way. "
    "It works once, within {valid_for}."
)


class ForgotForm(BaseForm):
    email = LoginForm.email  # the same field, checked the same way, as on the sign-in page


class ResetForm(BaseForm):
    password = password_field("New password")
    confirm = confirm_field("password")


def address_key() -> str:
    """The account the typed address would reach, spelled as the lookup spells it."""
    email = email_identity(request.form.get("email") or "")
    return "reset-address:" + keyed_hash(email, "reset-address")


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(CLIENT_LIMIT, methods=["POST"], error_message=TOO_MANY, scope="reset-client")
@limiter.limit(
    ADDRESS_LIMIT,
    key_func=address_key,
    methods=["POST"],
    error_message=TOO_MANY,
    scope="reset-address",
)
def password_forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data)
        return render_template(
            "editor/forgot.html", form=None, sent=SENT.format(valid_for=passwords.valid_for())
        )
    return render_template("editor/forgot.html", form=form, sent=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def password_reset(token: str):
    try:
        user = passwords.account_for(token)
    except passwords.ResetLinkInvalid as error:
        return render_template("editor/reset.html", error=error.message, form=None), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = passwords.reset(token, form.password.data)
        except passwords.ResetLinkInvalid as error:  # used a moment ago, e.g. by a second click
            return render_template("editor/reset.html", error=error.message, form=None), 400
        except UserRejected as error:
            show_error(form, error)
        else:
            flash(
                "Your new password is set, and your account is signed out on every device. "
                "Sign in with the new password.",
                "success",
            )
            return redirect(url_for("editor.login"))
    return render_template("editor/reset.html", form=form, user=user, error=None)
