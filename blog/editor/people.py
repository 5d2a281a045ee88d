"""Editor pages for people: the admin's user management, invitations, and one's own profile."""

from functools import wraps

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from blog.editor.access import admin_required, staff_required
from blog.editor.auth import sign_in
from blog.editor.blueprint import bp
from blog.editor.forms import (
    ActionForm,
    KeptOrLength,
    PasskeyNameForm,
    PasswordConfirmForm,
    new_passkey_form,
)
from blog.editor.rechecks import password_rechecked
from blog.forms import BaseForm, show_error
from blog.models import Role, User
from blog.services import invitations, passkeys, profiles, two_factor, users
from blog.services.slugs import MAX_SLUG_LENGTH
from blog.services.uploads import UploadRejected
from blog.services.users import InvitationInvalid, UserRejected
from blog.templating import external_url

ROLE_CHOICES = [
    SelectChoice(Role.AUTHOR.value, "Author — writes and submits their own articles"),
    SelectChoice(Role.EDITOR.value, "Editor — edits, publishes, moderates, sections and topics"),
    SelectChoice(Role.ADMIN.value, "Administrator — everything, including users and settings"),
]


def password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                max=users.MAX_PASSWORD_LENGTH,
                message=f"At most {users.MAX_PASSWORD_LENGTH:,} characters.",
            ),
            Length(
                min=users.MIN_PASSWORD_LENGTH,
                message=f"Please use at least {users.MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


def confirm_field(other: str) -> PasswordField:
    return PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo(other, message="The two passwords differ.")],
    )


class UserCreateForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    display_name = StringField(
        "Name shown to readers", validators=[DataRequired(), Length(max=users.MAX_NAME_LENGTH)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.AUTHOR.value)
    access = RadioField(
        "How they sign in the first time",
        choices=[
            SelectChoice("invite", "An invitation link, usable once, to choose a password"),
            SelectChoice("password", "A temporary password that you pass on"),
        ],
        default="invite",
    )


class UserRoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class InviteAcceptForm(BaseForm):
    password = password_field("Choose a password")
    confirm = confirm_field("password")


class ProfileForm(BaseForm):
    display_name = StringField(
        "Name shown to readers", validators=[DataRequired(), Length(max=users.MAX_NAME_LENGTH)]
    )
    slug = StringField(
        "Author page address",
        validators=[KeptOrLength(max=MAX_SLUG_LENGTH)],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    bio = TextAreaField("Bio", validators=[Length(max=2000)])
    # Not "avatar": populating from the user would put the Upload row in the field.
    avatar_file = FileField("Avatar")
    remove_avatar = BooleanField("Remove my avatar")


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=users.MAX_PASSWORD_LENGTH)]
    )
    new_password = password_field("New password")
    confirm = confirm_field("new_password")


def invitation_link(token: str) -> str:
    return external_url("editor.invite_accept", token=token)


def render_secret(user: User, kind: str, secret: str):
    """The one time an invitation link or temporary password is shown (never stored)."""
    return render_template(
        "editor/user_secret.html",
        user=user,
        kind=kind,
        secret=secret,
        valid_hours=invitations.invitation_max_age() // 3600,
    )


def sign_in_again(user: User) -> None:
    """Re-issue this browser's session after the account's session version moved on."""
    sign_in(user, remember=current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies)


def acting_admin() -> User:
    """The signed-in admin, named in the audit log for what they change."""
    return current_user._get_current_object()


def user_action(view):
    """An admin's button on a person's page: the view gets the user (404 if there is none)
    once the form's CSRF token holds, and the page is shown again unless it answers."""

    @wraps(view)
    def wrapped(user_id: int):
        user = users.get_user(user_id)
        response = view(user) if ActionForm().validate_on_submit() else None
        if response is None:
            return redirect(url_for("editor.user_edit", user_id=user.id))
        return response

    return wrapped


# Administration


@bp.get("/users/")
@admin_required
def user_list():
    return render_template(
        "editor/user_list.html",
        people=users.list_users(),
        is_pending=invitations.is_invitation_pending,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_create():
    form = UserCreateForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            if form.access.data == "invite":
                user = users.invite_user(
                    form.email.data, form.display_name.data, role, actor=acting_admin()
                )
                secret = invitation_link(invitations.invitation_token(user))
            else:
                secret = users.generate_password()
                user = users.create_user(
                    form.email.data, form.display_name.data, role, secret, actor=acting_admin()
                )
        except UserRejected as error:
            show_error(form, error)
        else:
            kind = "invitation" if form.access.data == "invite" else "password"
            return render_secret(user, kind, secret)
    return render_template("editor/user_create.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = users.get_user(user_id)
    form = UserRoleForm(role=user.role.value)
    if form.validate_on_submit():
        try:
            users.change_role(user, Role(form.role.data), actor=acting_admin())
        except UserRejected as error:
            show_error(form, error)
        else:
            flash(f"{user.display_name}'s role is now {user.role.value}.", "success")
            if user.id == current_user.id and user.role != Role.ADMIN:
                return redirect(url_for("editor.dashboard"))
            return redirect(url_for("editor.user_edit", user_id=user.id))
    return render_template(
        "editor/user_edit.html",
        user=user,
        form=form,
        is_pending=invitations.is_invitation_pending(user),
        has_second_factor=two_factor.has_second_factor(user),
    )


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
@user_action
def user_deactivate(user: User):
    try:
        users.deactivate(user, actor=acting_admin())
    except UserRejected as error:
        flash(error.message, "error")
        return None
    flash(
        f"{user.display_name} is deactivated: they are signed out everywhere and "
        "cannot sign in. Their articles stay.",
        "success",
    )
    return redirect(url_for("editor.login")) if user.id == current_user.id else None


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
@user_action
def user_reactivate(user: User):
    users.reactivate(user, actor=acting_admin())
    flash(f"{user.display_name} can sign in again.", "success")


@bp.post("/users/<int:user_id>/reset-password")
@admin_required
@user_action
def user_password_reset(user: User):
    secret = users.issue_temporary_password(user, actor=acting_admin())
    if user.id == current_user.id:
        sign_in_again(user)
    return render_secret(user, "password", secret)


@bp.post("/users/<int:user_id>/invitation")
@admin_required
@user_action
def user_invite(user: User):
    """A fresh invitation link for someone who has not chosen a password yet."""
    try:
        token = invitations.renew_invitation(user, actor=acting_admin())
    except UserRejected as error:
        flash(error.message, "error")
        return None
    return render_secret(user, "invitation", invitation_link(token))


# Invitations (public inside /editor/: the invited person has no password yet)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite_accept(token: str):
    try:
        user = invitations.invited_user(token)
    except UserRejected as error:
        return render_template("editor/invite_accept.html", error=str(error), form=None), 400
    form = InviteAcceptForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, form.password.data)
        except InvitationInvalid as error:  # used a moment ago, e.g. by a second click
            return render_template("editor/invite_accept.html", error=str(error), form=None), 400
        except UserRejected as error:
            show_error(form, error)
        else:
            session.clear()  # nobody else's signed-in state survives into this session
            sign_in(user, remember=False)
            flash(f"Welcome to the newsroom, {user.display_name}. Your password is set.", "success")
            return redirect(url_for("editor.dashboard"))
    return render_template("editor/invite_accept.html", form=form, user=user, error=None)


# One's own profile


def render_profile(
    user: User,
    form: BaseForm | None = None,
    password_form=None,
    codes_form=None,
    off_form=None,
    passkey_form=None,
    passkey_id: int | None = None,
    passkey_remove_form=None,
):
    """The profile page: details and avatar, the password change, two-factor sign-in
    (new recovery codes, turning it off) and passkeys (each with its rename and remove
    forms), each its own form; `passkey_form` (rename) or `passkey_remove_form` is the
    form of passkey `passkey_id` sent back."""
    passkey_rows = [
        (
            passkey,
            passkey_form
            if passkey_form is not None and passkey.id == passkey_id
            else PasskeyNameForm(formdata=None, prefix=f"passkey-{passkey.id}", name=passkey.name),
            passkey_remove_form
            if passkey_remove_form is not None and passkey.id == passkey_id
            else PasswordConfirmForm(formdata=None, prefix=f"remove-{passkey.id}"),
        )
        for passkey in passkeys.list_for(user)
    ]
    return render_template(
        "editor/profile.html",
        user=user,
        form=form or ProfileForm(formdata=None, obj=user),
        password_form=password_form or PasswordChangeForm(formdata=None, prefix="password"),
        two_factor=two_factor.status(user),
        codes_form=codes_form or PasswordConfirmForm(formdata=None, prefix="codes"),
        off_form=off_form or PasswordConfirmForm(formdata=None, prefix="off"),
        passkey_rows=passkey_rows,
        new_passkey_form=new_passkey_form(),
    )


@bp.route("/profile", methods=["GET", "POST"])
@staff_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        upload = form.avatar_file.data
        avatar = None
        if upload and upload.filename:
            avatar = profiles.AvatarFile(upload.read(), upload.filename)
        try:
            profiles.update_profile(
                user,
                display_name=form.display_name.data,
                bio=form.bio.data,
                slug=form.slug.data,
                avatar=avatar,
                remove_avatar=form.remove_avatar.data,
            )
        except (UserRejected, UploadRejected) as error:
            show_error(form, error)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("editor.profile"))
    return render_profile(user, form=form)


@bp.post("/profile/password")
@staff_required
@password_rechecked
def profile_password():
    user = current_user._get_current_object()
    form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        try:
            users.change_password(user, form.current_password.data, form.new_password.data)
        except UserRejected as error:
            g.wrong_password = True
            show_error(form, error)
        else:
            sign_in_again(user)  # this browser stays signed in; every other session ends
            flash("Your password is changed. You were signed out on your other devices.", "success")
            return redirect(url_for("editor.profile"))
    return render_profile(user, password_form=form)
