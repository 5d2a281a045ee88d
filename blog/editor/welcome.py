"""First sign-in: the steps an account takes before it opens any other editor page. A
password someone else saw (printed by a command, made by an admin) is replaced, two-factor
sign-in is set up where the site requires it, and an account whose name nobody chose (the
first admin made by `init`) picks the name readers will see."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import staff_required
from blog.editor.auth import safe_next
from blog.editor.blueprint import bp
from blog.editor.people import PasswordChangeForm, sign_in_again
from blog.editor.rechecks import password_rechecked
from blog.forms import BaseForm, show_error
from blog.services import first_steps, profiles, users

# Each first step's page (the steps and their order: blog/services/first_steps.py).
STEP_PAGES = {
    "password": "editor.password_renew",
    "two_factor": "editor.two_factor_setup",
    "name": "editor.welcome",
}
# Pages open whatever step is left: signing out.
ALWAYS_OPEN = frozenset({"editor.logout"})
# What a step's page calls besides itself: a passkey also meets the two-factor requirement.
STEP_ALSO_OPENS = {
    "editor.two_factor_setup": frozenset(
        {"editor.two_factor_start", "editor.passkey_register_options", "editor.passkey_register"}
    ),
}


class WelcomeForm(BaseForm):
    display_name = StringField(
        "Name shown to readers", validators=[DataRequired(), Length(max=users.MAX_NAME_LENGTH)]
    )
    bio = TextAreaField("Bio (optional)", validators=[Length(max=2000)])


@bp.before_request
def take_first_steps():
    """Send an account with a first step left to that step's page; a page it was opening
    (a GET) is where it goes once the steps are done."""
    if request.endpoint in ALWAYS_OPEN:
        return None
    step = STEP_PAGES.get(first_steps.next_step(current_user))
    if step is None or request.endpoint == step:
        return None
    if request.endpoint in STEP_ALSO_OPENS.get(step, ()):
        return None
    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for(step, next=safe_next(next_url)))


@bp.route("/password/new", methods=["GET", "POST"])
@staff_required
@password_rechecked
def password_renew():
    """Choose one's own password in place of one someone else saw."""
    next_url = safe_next(request.args.get("next"))
    user = current_user._get_current_object()
    if not users.needs_new_password(user):
        return redirect(next_url or url_for("editor.dashboard"))
    form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        try:
            users.change_password(user, form.current_password.data, form.new_password.data)
        except users.UserRejected as error:
            g.wrong_password = error.field == "current_password"
            show_error(form, error)
        else:
            sign_in_again(user)  # this browser stays signed in; every other session ends
            flash("Your new password is set.", "success")
            return redirect(next_url or url_for("editor.dashboard"))
    return render_template("editor/password_renew.html", form=form, next_url=next_url)


@bp.route("/welcome", methods=["GET", "POST"])
@staff_required
def welcome():
    next_url = safe_next(request.args.get("next"))
    user = current_user._get_current_object()
    if not profiles.needs_name(user):
        return redirect(next_url or url_for("editor.dashboard"))
    # The name field starts empty: the placeholder is not a name to keep by accident.
    form = WelcomeForm(data={"bio": user.bio})
    if form.validate_on_submit():
        try:
            profiles.choose_name(user, display_name=form.display_name.data, bio=form.bio.data)
        except users.UserRejected as error:
            show_error(form, error)
        else:
            flash(f"Welcome, {user.display_name}. Readers will see this name.", "success")
            return redirect(next_url or url_for("editor.dashboard"))
    return render_template("editor/welcome.html", form=form, user=user, next_url=next_url)
