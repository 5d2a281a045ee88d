"""First sign-in: an account whose name nobody chose (the first admin made by `init`)
picks the name readers will see before it opens any other editor page."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import staff_required
from blog.editor.auth import safe_next
from blog.editor.blueprint import bp
from blog.forms import BaseForm, show_error
from blog.services import profiles, users

# Pages an account without a chosen name may still open: this one, and signing out.
OPEN_WITHOUT_A_NAME = frozenset({"editor.welcome", "editor.logout"})


class WelcomeForm(BaseForm):
    display_name = StringField(
        "Name shown to readers", validators=[DataRequired(), Length(max=users.MAX_NAME_LENGTH)]
    )
    bio = TextAreaField("Bio (optional)", validators=[Length(max=2000)])


@bp.before_request
def ask_for_a_name():
    """Send an account without a chosen name to the welcome page first; a page it was
    opening (a GET) is where it goes once the name is saved."""
    if request.endpoint in OPEN_WITHOUT_A_NAME or not profiles.needs_name(current_user):
        return None
    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("editor.welcome", next=safe_next(next_url)))


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
