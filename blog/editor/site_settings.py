"""The admin's site settings page: titles, share texts, comment policy and readers' reports,
moderators' mail, time zone, how long the audit log and revisions are kept, where
corrections show, and whether staff must use two-factor sign-in."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blog.editor.access import admin_required
from blog.editor.blueprint import bp
from blog.forms import BaseForm, show_error
from blog.services import settings
from blog.services.settings import SettingsRejected

LIMITS = settings.TEXT_LIMITS


def keep_days_field(label: str, name: str) -> IntegerField:
    """A number of days something is kept, within the setting's range (blog.services
    .settings.KEEP_DAYS); left empty, the setting's default."""
    low, high = settings.KEEP_DAYS[name]
    default = getattr(settings.SiteSettings, name)
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=low, max=high, message=f"From {low} to {high} days."),
        ],
        filters=[lambda days: default if days is None else days],
    )


class SettingsForm(BaseForm):
    site_title = StringField(
        "Site title", validators=[DataRequired(), Length(max=LIMITS["site_title"])]
    )
    tagline = StringField("Tagline", validators=[Length(max=LIMITS["tagline"])])
    about = TextAreaField("About the site", validators=[Length(max=LIMITS["about"])])
    share_prompt = StringField("Share prompt", validators=[Length(max=LIMITS["share_prompt"])])
    share_thanks = StringField(
        "Thank-you after a share", validators=[Length(max=LIMITS["share_thanks"])]
    )
    moderation_policy = SelectField(
        "Comment moderation",
        choices=[
            SelectChoice(value, label) for value, label in settings.MODERATION_POLICIES.items()
        ],
    )
    block_list = TextAreaField("Block list", validators=[Length(max=LIMITS["block_list"])])
    comments_close_after_days = IntegerField(
        "Close comments after (days)",
        validators=[
            InputRequired(message="Give a number of days; 0 keeps comments open."),
            NumberRange(
                min=0,
                max=settings.MAX_CLOSE_AFTER_DAYS,
                message=f"From 0 (never close) to {settings.MAX_CLOSE_AFTER_DAYS} days.",
            ),
        ],
    )
    report_hide_threshold = IntegerField(
        "Hide a comment after this many readers' reports",
        validators=[
            Optional(),  # left empty: the default
            NumberRange(
                min=0,
                max=settings.MAX_REPORT_HIDE_THRESHOLD,
                message=f"From 0 (never hide) to {settings.MAX_REPORT_HIDE_THRESHOLD} reports.",
            ),
        ],
        filters=[
            lambda reports: (
                settings.SiteSettings.report_hide_threshold if reports is None else reports
            )
        ],
    )
    moderation_digest_minutes = IntegerField(
        "E-mail moderators about held comments",
        validators=[
            Optional(),  # left empty: 0, each held comment at once
            NumberRange(
                min=0,
                max=settings.MAX_DIGEST_MINUTES,
                message=f"From 0 (each at once) to {settings.MAX_DIGEST_MINUTES} minutes.",
            ),
        ],
        filters=[lambda minutes: 0 if minutes is None else minutes],
    )
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    audit_retention_days = keep_days_field("Keep the audit log for (days)", "audit_retention_days")

    corrections_position = SelectField(
        "Show corrections and updates",
        choices=[
            SelectChoice(value, label) for value, label in settings.CORRECTIONS_POSITIONS.items()
        ],
    )
    revision_keep_days = keep_days_field("Keep every revision for (days)", "revision_keep_days")
    require_two_factor = BooleanField("Require two-factor sign-in for every staff account")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in settings.SETTING_NAMES}


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings_edit():
    form = SettingsForm(data=settings.as_dict())
    if form.validate_on_submit():
        try:
            settings.update(actor=current_user._get_current_object(), **form.values())
        except SettingsRejected as error:
            show_error(form, error)
        else:
            flash("Site settings saved.", "success")
            return redirect(url_for("editor.settings_edit"))
    return render_template(
        "editor/settings_edit.html",
        form=form,
        timezones=settings.timezone_names(),
        defaults=settings.SiteSettings(),  # what a number left empty becomes, for the hints
        keep_days=settings.KEEP_DAYS,
        max_reports=settings.MAX_REPORT_HIDE_THRESHOLD,
    )
