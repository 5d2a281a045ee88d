"""Two-factor sign-in in the editor: setting it up, recovery codes, turning it off (on
one's profile), and an admin's reset of someone else's."""

from flask import flash, g, redirect, render_template, session, url_for
from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blog.editor.access import admin_required, staff_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm, PasswordConfirmForm, new_passkey_form
from blog.editor.people import acting_admin, render_profile, sign_in_again, user_action
from blog.editor.rechecks import password_rechecked
from blog.forms import BaseForm, show_error
from blog.models import User
from blog.services import two_factor, two_factor_enrolment

ENROLMENT = "two_factor_enrolment"  # the session's sealed secret of a set-up under way


class ConfirmCodeForm(BaseForm):
    code = StringField(
        "Code from the app",
        validators=[DataRequired(), Length(max=64, message="At most 64 characters.")],
    )
    password = PasswordField(
        "Your password",
        validators=[DataRequired(), Length(max=1024, message="At most 1,024 characters.")],
    )


def show_codes(codes: list[str], *, first_time: bool):
    """The one time recovery codes are shown (only their hashes are kept)."""
    return render_template("editor/two_factor_codes.html", codes=codes, first_time=first_time)


@bp.route("/two-factor", methods=["GET", "POST"])
@staff_required
@password_rechecked
def two_factor_setup():
    """The set-up page: a button starts an enrolment (two_factor_start), then the app's
    code and the password confirm it. A GET makes nothing."""
    form = ConfirmCodeForm()
    answer = (form.code.data, form.password.data) if form.validate_on_submit() else None
    page = two_factor_enrolment.setup_page(
        current_user._get_current_object(), session.get(ENROLMENT), answer
    )
    if page.error is not None:
        g.wrong_password = page.error.field == "password"
        show_error(form, page.error)
    if page.codes is not None:
        session.pop(ENROLMENT, None)
        sign_in_again(current_user._get_current_object())  # every other session ends
        flash("Two-factor sign-in is on. You were signed out on your other devices.", "success")
        return show_codes(page.codes, first_time=True)
    if page.enabled:
        session.pop(ENROLMENT, None)
        return redirect(url_for("editor.profile", _anchor="two-factor"))
    expired = page.enrolment is None and session.pop(ENROLMENT, None) is not None
    return render_template(
        "editor/two_factor_setup.html",
        form=form,
        page=page,
        expired=expired,
        new_passkey_form=new_passkey_form(),
    )


@bp.post("/two-factor/start")
@staff_required
def two_factor_start():
    """Start setting up an app: a fresh secret, kept sealed in this session only."""
    if ActionForm().validate_on_submit():
        try:
            enrolment = two_factor_enrolment.start(current_user._get_current_object())
        except two_factor.TwoFactorRejected as error:
            flash(error.message, "error")
        else:
            session[ENROLMENT] = enrolment.sealed
    return redirect(url_for("editor.two_factor_setup", _anchor="scan-heading"))


@bp.post("/two-factor/recovery-codes")
@staff_required
@password_rechecked
def two_factor_codes():
    user = current_user._get_current_object()
    form = PasswordConfirmForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_codes(user, form.password.data)
        except two_factor.TwoFactorRejected as error:
            g.wrong_password = error.field == "password"
            show_error(form, error)
        else:
            flash("New recovery codes are made; the old ones no longer work.", "success")
            return show_codes(codes, first_time=False)
    return render_profile(user, codes_form=form)


@bp.post("/two-factor/off")
@staff_required
@password_rechecked
def two_factor_disable():
    user = current_user._get_current_object()
    form = PasswordConfirmForm(prefix="off")
    if form.validate_on_submit():
        try:
            two_factor.disable(user, form.password.data)
        except two_factor.TwoFactorRejected as error:
            g.wrong_password = error.field == "password"
            show_error(form, error)
        else:
            flash("Two-factor sign-in is off: your password alone signs you in.", "success")
            return redirect(url_for("editor.profile", _anchor="two-factor"))
    return render_profile(user, off_form=form)


@bp.post("/users/<int:user_id>/two-factor/reset")
@admin_required
@user_action
def user_two_factor_reset(user: User):
    try:
        two_factor.reset(user, actor=acting_admin())
    except two_factor.TwoFactorRejected as error:
        flash(error.message, "error")
        return None
    flash(
        f"{user.display_name}'s two-factor sign-in is reset and they are signed out "
        "everywhere. They sign in with their password and set it up again.",
        "success",
    )
    return None
