"""Signing in and out of the editor area, with throttled failures."""

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.extensions import limiter
from blog.forms import BaseForm
from blog.permissions import staff_required
from blog.ratelimit import keyed_hash
from blog.services import users

LOGIN_LIMIT = "5 per 15 minutes"
LOCKED_MESSAGE = (
    "Too many failed sign-in attempts. For your security, signing in is paused for up to "
    "15 minutes. Please try again later."
)


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
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
    email = (request.form.get("email") or "").strip().lower()
    return "account:" + keyed_hash(email, "login-account")


def login_failed(response) -> bool:
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    LOGIN_LIMIT,
    methods=["POST"],
    deduct_when=login_failed,
    error_message=LOCKED_MESSAGE,
    scope="login-client",
)
@limiter.limit(
    LOGIN_LIMIT,
    key_func=account_key,
    methods=["POST"],
    deduct_when=login_failed,
    error_message=LOCKED_MESSAGE,
    scope="login-account",
)
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("editor.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # no pre-login state survives into the signed-in session
            login_user(user, remember=form.remember.data)
            users.record_login(user)
            return redirect(next_url or url_for("editor.dashboard"))
        g.login_failed = True
        form.password.errors.append("That e-mail and password do not match an active account.")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("editor/login.html", form=form, next_url=next_url)


@bp.post("/logout")
@staff_required
def logout():
    if ActionForm().validate_on_submit():
        # A copied session or remember-me cookie must not outlive signing out.
        users.end_sessions(current_user._get_current_object())
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("editor.login"))
