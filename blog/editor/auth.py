"""Signing in and out of the editor area, with throttled failures and remember-me."""

import time
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.extensions import limiter
from blog.forms import BaseForm, show_error
from blog.ratelimit import client_key, keyed_hash
from blog.services import passkeys, two_factor, users
from blog.validators import MAX_EMAIL_LENGTH

LOGIN_LIMIT = "5 per 15 minutes"
# Counted on every attempt when it is checked (not when it fails), so attempts sent at
# once cannot all pass the check before the first answer: one code (or passkey) per
# sign-in is what a person needs; a password step, a few more.
SECOND_STEP_ATTEMPTS = "5 per 15 minutes"
PASSWORD_ATTEMPTS = "20 per 15 minutes"
PENDING = "two_factor_pending"  # the session's note between the password and the code
PASSKEY_CEREMONY = "passkey_ceremony"  # the session's note of a passkey challenge under way
MAX_JSON = 64 * 1024  # bytes of a passkey request's JSON body, at most
LOCKED_MESSAGE = (
    "Too many failed sign-in attempts. For your security, signing in is paused for up to "
    "15 minutes. Please try again later."
)


class LoginForm(BaseForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Length(max=MAX_EMAIL_LENGTH, message=f"At most {MAX_EMAIL_LENGTH} characters."),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(max=1024, message="At most 1,024 characters."),
        ],
    )
    remember = BooleanField("Keep me signed in on this device")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def account_key() -> str:
    """The account a sign-in attempt is for: on the code page the one whose password was
    given (kept in the session), else the one the typed e-mail reaches, spelled as the
    lookup spells it. A passkey's sign-in counts for the account owning the passkey."""
    ceremony = session.get(PASSKEY_CEREMONY)
    second_step = isinstance(ceremony, dict) and ceremony.get("purpose") == "second_step"
    if request.endpoint == "editor.login_code" or (
        request.endpoint == "editor.passkey_sign_in" and second_step
    ):
        pending = session.get(PENDING)
        account = pending.get("account") if isinstance(pending, dict) else None
        return account if isinstance(account, str) else "account:none"
    if request.endpoint == "editor.passkey_sign_in":
        try:
            credential = json_body().get("credential")
        except passkeys.PasskeyRejected:
            return "account:none"
        email = passkeys.owner_email(credential)
        return account_key_for(email) if email is not None else "account:unknown-passkey"
    return account_key_for(request.form.get("email") or "")


def json_body() -> dict:
    """The request's body as a JSON object of at most MAX_JSON bytes (not read at all
    when it says it is larger); PasskeyRejected otherwise."""
    if (request.content_length or 0) > MAX_JSON:
        raise passkeys.PasskeyRejected(passkeys.TOO_LARGE)
    return passkeys.parse_json(request.get_data(cache=True), MAX_JSON)


def account_key_for(email: str) -> str:
    return "account:" + keyed_hash(users.email_identity(email), "login-account")


def login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def sign_in_limited(view):
    """Failed attempts, per client and per account, limited on both sign-in steps with
    one set of counters: a wrong password and a wrong code count alike."""
    for scope, key_func in (("login-account", account_key), ("login-client", None)):
        view = limiter.shared_limit(
            LOGIN_LIMIT,
            scope,
            key_func=key_func,
            methods=["POST"],
            deduct_when=login_failed,
            error_message=LOCKED_MESSAGE,
        )(view)
    return view


def attempts_limited(limit: str, scope: str):
    """Every POST counts for the account it is for (see account_key), failed or not; the
    count is taken atomically when the request is checked. Attempts no account can be
    told for count per client instead."""

    def key() -> str:
        account = account_key()
        if account in ("account:none", "account:unknown-passkey"):
            return f"{account}:{client_key()}"
        return account

    return limiter.shared_limit(
        limit, scope, key_func=key, methods=["POST"], error_message=LOCKED_MESSAGE
    )


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limited
@attempts_limited(PASSWORD_ATTEMPTS, "login-password-attempts")
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("editor.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.attempt_sign_in(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # no pre-login state survives into the signed-in session
            if two_factor.has_second_factor(user):
                await_code(user, remember=form.remember.data, next_url=next_url)
                return redirect(url_for("editor.login_code"))
            sign_in(user, remember=form.remember.data)
            return redirect(next_url or url_for("editor.dashboard"))
        g.login_failed = True
        form.password.errors.append("That e-mail and password do not match an active account.")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("editor/login.html", form=form, next_url=next_url)


# The second step. A correct password for an account with two-factor sign-in only leaves
# a note in the session (which account, its session version, when); the code page signs
# in once a code matches. Failed codes count against the same limits as failed passwords,
# per client and per account, so guessing codes is no faster than guessing passwords.


class CodeForm(BaseForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(), Length(max=64, message="At most 64 characters.")],
    )


def await_code(user, *, remember: bool, next_url: str | None) -> None:
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "at": time.time(),  # to the fraction: a sign-in after it ends it (pending_account)
        "remember": bool(remember),
        "next": next_url,
        "account": account_key_for(user.email),
    }


@bp.route("/login/code", methods=["GET", "POST"])
@sign_in_limited
@attempts_limited(SECOND_STEP_ATTEMPTS, "login-second-step-attempts")
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("editor.dashboard"))
    pending = session.get(PENDING)
    pending = pending if isinstance(pending, dict) else {}
    try:
        user = two_factor.pending_account(
            pending.get("user"), pending.get("version"), pending.get("at")
        )
    except two_factor.SignInExpired as error:
        session.pop(PENDING, None)
        flash(error.message, "error")
        return redirect(url_for("editor.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            by_recovery = two_factor.complete_sign_in(user, form.code.data)
        except two_factor.SecretKeyChanged as error:
            show_error(form, error)  # no code could be right: not a failed attempt
        except two_factor.TwoFactorRejected as error:
            g.login_failed = True
            show_error(form, error)
        else:
            next_url = safe_next(pending.get("next"))
            session.clear()
            sign_in(user, remember=bool(pending.get("remember")))
            if by_recovery:
                flash(
                    "You signed in with a recovery code; it cannot be used again. "
                    "Make new codes on your profile if few are left.",
                    "info",
                )
            return redirect(next_url or url_for("editor.dashboard"))
    elif request.method == "POST":
        g.login_failed = True
    return render_template(
        "editor/login_code.html",
        form=form,
        has_code=two_factor.is_enabled(user),
        has_passkey=two_factor.has_passkey(user),
    )


@bp.post("/logout")
@staff_required
def logout():
    if ActionForm().validate_on_submit():
        # A copied session or remember-me cookie must not outlive signing out.
        users.end_sessions(current_user._get_current_object())
        session.clear()
        logout_user()  # after the clear: it asks Flask-Login to delete the remember cookie
        flash("You are signed out.", "info")
    return redirect(url_for("editor.login"))


# Remember me. Flask-Login's own remember cookie is the account id, signed without a date,
# so a copy works until the account signs out however old it is. Byline's cookie (same name)
# is a dated, signed token for `id:session_version`: it restores a session only within
# REMEMBER_COOKIE_DURATION of being issued, every restore issues a fresh one (so a device
# in use stays signed in and one left unused is signed out), and signing out, a password
# change or deactivation moves the session version on, which ends every copy.

REMEMBER_SALT = "byline-remember-me"


def _remember_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=REMEMBER_SALT)


def sign_in(user, *, remember: bool, fresh: bool = True) -> None:
    """Sign this browser in as user; with remember, also its visits after it closes."""
    login_user(user, fresh=fresh)
    if remember:
        g.remember_user_id = user.get_id()


@bp.before_app_request
def restore_remembered_session() -> None:
    """Sign in from the remember-me cookie when the browser has no session."""
    token = request.cookies.get(current_app.config["REMEMBER_COOKIE_NAME"])
    if token is None:
        return
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    try:
        user_id = _remember_serializer().loads(token, max_age=lifetime)
    except BadSignature:  # forged, expired, or Flask-Login's undated kind
        user_id = None
    if not isinstance(user_id, str):
        session["_remember"] = "clear"  # Flask-Login then ignores the cookie and deletes it
        return
    if "_user_id" in session:
        return
    user = current_app.login_manager.user_callback(user_id)  # active, session version current
    if user is None:
        session["_remember"] = "clear"
        return
    sign_in(user, remember=True, fresh=False)


@bp.after_app_request
def issue_remember_cookie(response: Response) -> Response:
    user_id = g.pop("remember_user_id", None)
    if user_id is not None:
        config = current_app.config
        response.set_cookie(
            config["REMEMBER_COOKIE_NAME"],
            _remember_serializer().dumps(user_id),
            max_age=config["REMEMBER_COOKIE_DURATION"],
            path=config.get("REMEMBER_COOKIE_PATH") or "/",
            domain=config.get("REMEMBER_COOKIE_DOMAIN"),
            secure=config["REMEMBER_COOKIE_SECURE"],
            httponly=config["REMEMBER_COOKIE_HTTPONLY"],
            samesite=config["REMEMBER_COOKIE_SAMESITE"],
        )
    return response
