"""Corrections and updates: add one to a published article, or retract one (never delete)."""

from flask import flash, redirect, url_for
from flask_login import current_user
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from blog.editor.access import requires
from blog.editor.blueprint import bp
from blog.editor.forms import stripped, unix_newlines
from blog.forms import BaseForm, show_error
from blog.models import CorrectionKind
from blog.permissions import can_correct
from blog.services import corrections
from blog.services.corrections import KIND_LABELS, MAX_REASON_LENGTH, MAX_TEXT_LENGTH

correction_required = requires(can_correct)


class CorrectionForm(BaseForm):
    correction_kind = RadioField(
        "Kind",
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=CorrectionKind.CORRECTION.value,
        validators=[InputRequired("Choose a correction or an update.")],
    )
    correction_text = TextAreaField(
        "Text",
        validators=[
            DataRequired("Write the correction or update first."),
            Length(max=MAX_TEXT_LENGTH, message=f"At most {MAX_TEXT_LENGTH:,} characters, please."),
        ],
        filters=[stripped, unix_newlines],
    )


class RetractForm(BaseForm):
    retraction_reason = TextAreaField(
        "Why is it retracted?",
        validators=[
            DataRequired("Say why it is retracted."),
            Length(
                max=MAX_REASON_LENGTH, message=f"At most {MAX_REASON_LENGTH:,} characters, please."
            ),
        ],
        filters=[stripped, unix_newlines],
    )


def article_views():
    """The articles view module: it imports this one for its forms, so it is fetched late."""
    from blog.editor import articles

    return articles


def back_to(article_id: int):
    return redirect(url_for("editor.article_edit", article_id=article_id, _anchor="corrections"))


@bp.post("/articles/<int:article_id>/corrections")
@correction_required
def correction_create(article_id: int):
    views = article_views()
    article = views.load_article(article_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            corrections.add_correction(
                article,
                current_user._get_current_object(),
                form.correction_kind.data,
                form.correction_text.data,
            )
        except corrections.CorrectionRejected as rejected:
            show_error(form, rejected)
        else:
            noun = KIND_LABELS[CorrectionKind(form.correction_kind.data)]
            flash(f"{noun} published on the article.", "success")
            return back_to(article.id)
    return views.render_editor(article, correction_form=form)


@bp.post("/corrections/<int:correction_id>/retract")
@correction_required
def correction_retract(correction_id: int):
    correction = corrections.get_correction(correction_id)
    form = RetractForm()
    if form.validate_on_submit():
        try:
            corrections.retract(
                correction, current_user._get_current_object(), form.retraction_reason.data
            )
        except corrections.CorrectionRejected as rejected:
            show_error(form, rejected)
        else:
            flash(f"{KIND_LABELS[correction.kind]} retracted; it stays listed, marked.", "success")
            return back_to(correction.article_id)
    views = article_views()
    article = views.load_article(correction.article_id)
    return views.render_editor(article, retract_form=form, retracting_id=correction.id)
