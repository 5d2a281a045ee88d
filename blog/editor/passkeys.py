"""Passkeys in the editor: adding, renaming and removing them on one's profile, and
signing in with one (without a password, or as the second step after it).

The ceremonies are small JSON endpoints called by static/js/passkeys.js: one gives the
options for the browser's WebAuthn call (and keeps its challenge in the session), the
next takes the authenticator's answer. Their bodies are JSON of at most 64 KB; anything
else is a 400 with a JSON error. CSRF comes in the X-CSRFToken header.
"""

from flask import Response, flash, g, jsonify, redirect, request, session, url_for
from flask_login import current_user

from blog.domain import DomainError
from blog.editor.access import staff_required
from blog.editor.auth import (
    PASSKEY_CEREMONY,
    PENDING,
    SECOND_STEP_ATTEMPTS,
    attempts_limited,
    json_body,
    safe_next,
    sign_in,
    sign_in_limited,
)
from blog.editor.blueprint import bp
from blog.editor.forms import PasskeyNameForm, PasswordConfirmForm
from blog.editor.people import render_profile, sign_in_again
from blog.editor.rechecks import password_rechecked
from blog.forms import show_error
from blog.services import passkeys, two_factor


def here() -> passkeys.Site:
    return passkeys.Site.at(request.host_url)


def refusal(error: DomainError, **extra) -> tuple[Response, int]:
    return jsonify(error=error.message, field=error.field, **extra), 400


def options_response(options: str, state: dict) -> Response:
    session[PASSKEY_CEREMONY] = state
    return Response(options, mimetype="application/json")


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


# ----------------------------------------------------------------------- the profile


@bp.post("/passkeys/new/options")
@staff_required
@password_rechecked
def passkey_register_options():
    user = current_user._get_current_object()
    try:
        data = json_body()
        name, password = text(data.get("name")), text(data.get("password"))
        return options_response(*passkeys.registration_options(user, here(), name, password))
    except passkeys.PasskeyRejected as error:
        g.wrong_password = error.field == "password"
        return refusal(error)


@bp.post("/passkeys/new")
@staff_required
def passkey_register():
    user = current_user._get_current_object()
    state = session.pop(PASSKEY_CEREMONY, None)
    try:
        data = json_body()
        passkey = passkeys.register(
            user, state, data.get("credential"), text(data.get("name")), here()
        )
    except passkeys.PasskeyRejected as error:
        return refusal(error)
    sign_in_again(user)  # this browser stays signed in; every other session ends
    flash(
        f"The passkey “{passkey.name}” is added: it signs you in from now on. You were "
        "signed out on your other devices.",
        "success",
    )
    return jsonify(redirect=url_for("editor.profile", _anchor="passkeys"))


@bp.post("/passkeys/<int:passkey_id>/rename")
@staff_required
def passkey_rename(passkey_id: int):
    user = current_user._get_current_object()
    passkeys.own(user, passkey_id)  # NotFound (404) unless one of the account's own
    form = PasskeyNameForm(prefix=f"passkey-{passkey_id}")
    if form.validate_on_submit():
        try:
            passkeys.rename(user, passkey_id, form.name.data)
        except passkeys.PasskeyRejected as error:
            show_error(form, error)
        else:
            flash("The passkey is renamed.", "success")
            return redirect(url_for("editor.profile", _anchor="passkeys"))
    return render_profile(user, passkey_form=form, passkey_id=passkey_id)


@bp.post("/passkeys/<int:passkey_id>/remove")
@staff_required
@password_rechecked
def passkey_remove(passkey_id: int):
    user = current_user._get_current_object()
    passkeys.own(user, passkey_id)  # NotFound (404) unless one of the account's own
    form = PasswordConfirmForm(prefix=f"remove-{passkey_id}")
    if form.validate_on_submit():
        try:
            passkeys.remove(user, passkey_id, form.password.data)
        except passkeys.PasskeyRejected as error:
            if error.field != "password":  # the site's requirement: said above the list
                flash(error.message, "error")
                return redirect(url_for("editor.profile", _anchor="passkeys"))
            g.wrong_password = True
            show_error(form, error)
        else:
            flash("The passkey is removed: it no longer signs you in.", "success")
            return redirect(url_for("editor.profile", _anchor="passkeys"))
    return render_profile(user, passkey_remove_form=form, passkey_id=passkey_id)


# ----------------------------------------------------------------------- signing in


def pending_account():
    """The account whose password was just given (SignInExpired when none is)."""
    pending = session.get(PENDING)
    pending = pending if isinstance(pending, dict) else {}
    user = two_factor.pending_account(
        pending.get("user"), pending.get("version"), pending.get("at")
    )
    return user, pending


@bp.post("/login/passkey/options")
def passkey_sign_in_options():
    if current_user.is_authenticated:
        return jsonify(redirect=url_for("editor.dashboard"))
    try:
        second_step = json_body().get("second_step") is True
        user = pending_account()[0] if second_step else None
    except passkeys.PasskeyRejected as error:
        return refusal(error)
    except two_factor.SignInExpired as error:
        session.pop(PENDING, None)
        return refusal(error, redirect=url_for("editor.login"))
    return options_response(*passkeys.sign_in_options(here(), user))


@bp.post("/login/passkey")
@sign_in_limited
@attempts_limited(SECOND_STEP_ATTEMPTS, "login-passkey-attempts")
def passkey_sign_in():
    if current_user.is_authenticated:
        return jsonify(redirect=url_for("editor.dashboard"))
    state = session.pop(PASSKEY_CEREMONY, None)
    pending_user, pending = None, {}
    try:
        data = json_body()
        if isinstance(state, dict) and state.get("purpose") == "second_step":
            pending_user, pending = pending_account()
        user = passkeys.sign_in(state, data.get("credential"), here(), pending=pending_user)
    except two_factor.SignInExpired as error:
        session.pop(PENDING, None)
        return refusal(error, redirect=url_for("editor.login"))
    except passkeys.PasskeyRejected as error:
        g.login_failed = True
        return refusal(error)
    if pending_user is not None:
        remember, next_url = bool(pending.get("remember")), safe_next(pending.get("next"))
    else:
        remember, next_url = data.get("remember") is True, safe_next(text(data.get("next")))
    session.clear()  # no pre-login state survives into the signed-in session
    sign_in(user, remember=remember)
    return jsonify(redirect=next_url or url_for("editor.dashboard"))
