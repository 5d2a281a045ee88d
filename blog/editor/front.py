"""The front-page desk at /editor/front: the lead story, pinned top stories and the
breaking-news banner (editors and admins). Every action is a plain form POST."""

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from blog.editor.access import editor_required
from blog.editor.articles import optional_id
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm, stripped
from blog.forms import BaseForm, show_error
from blog.models.base import utcnow
from blog.services import breaking, curation
from blog.services.curation import CurationRejected
from blog.templating import local_clock, local_time, long_date

MAX_ID_DIGITS = 9  # ids fit the URL converter's 32-bit range


class UntilForm(BaseForm):
    """An optional expiry on the site's clock: a time, on a date (today if none)."""

    until_date = DateField("Until (date)", validators=[Optional()])
    until_time = TimeField("Until (time)", validators=[Optional()])

    def validate_until_date(self, field):
        if field.data and not any(self.until_time.raw_data or ()):
            raise ValidationError("Give a time as well, such as 18:00.")

    def until(self) -> datetime | None:
        """The expiry as typed (read on the site's clock by the service), or None."""
        if self.until_time.data is None:
            return None
        day = self.until_date.data or local_time(utcnow()).date()
        return datetime.combine(day, self.until_time.data)

    def show_until(self, moment: datetime | None) -> None:
        local = local_time(moment) if moment else None
        self.until_date.data = local.date() if local else None
        self.until_time.data = local.time().replace(second=0, microsecond=0) if local else None


class PickForm(UntilForm):
    article_id = SelectField("Story", coerce=optional_id, validate_choice=False)
    address = StringField(
        "Or its address", validators=[Length(max=curation.ADDRESS_LIMIT)], filters=[stripped]
    )
    pin = SubmitField("Pin as a top story")
    make_lead = SubmitField("Make it the lead")


class PickRowForm(UntilForm):
    position = IntegerField(
        "Place",
        validators=[Optional(), NumberRange(min=1, max=99, message="Give a place from 1 to 99.")],
    )


class BannerForm(UntilForm):
    text = StringField(
        "Banner line",
        validators=[
            Length(
                max=breaking.BREAKING_TEXT_LIMIT,
                message=f"At most {breaking.BREAKING_TEXT_LIMIT} characters, please.",
            )
        ],
        filters=[stripped],
    )
    url = StringField(
        "Link", validators=[Length(max=breaking.BREAKING_URL_LIMIT)], filters=[stripped]
    )


def own_ids(form: BaseForm, prefix: str) -> BaseForm:
    """Give the fields ids of their own (several forms share a page), keeping their names."""
    for item in form:
        item.id = f"{prefix}-{item.name}"
        item.label.field_id = item.id
    return form


def story_choices(board: curation.Board) -> list[SelectChoice]:
    stories = list(board.choices)
    if board.chosen is not None and board.chosen not in stories:
        stories.insert(0, board.chosen)
    return [SelectChoice("", "— Choose a story —")] + [
        SelectChoice(story.id, f"{story.title} ({long_date(story.published_at)})")
        for story in stories
    ]


def row_form(row: curation.PickRow) -> PickRowForm:
    form = PickRowForm(formdata=None, data={"position": row.pick.position})
    form.show_until(row.pick.expires_at)
    return own_ids(form, f"pick-{row.pick.id}")


def chosen_id() -> int | None:
    value = request.args.get("article", "")
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def desk(
    *,
    pick_form: PickForm | None = None,
    row_forms: dict | None = None,
    banner_form: BannerForm | None = None,
    chosen: int | None = None,
):
    """The desk, with the form that was just sent (and its errors) in its place; `chosen`
    (else ?article=<id>) names a story to offer even when it is not among the newest."""
    board = curation.board(current_user._get_current_object(), chosen or chosen_id())
    if pick_form is None:
        pick_form = PickForm(formdata=None, data={"article_id": board.chosen and board.chosen.id})
    pick_form.article_id.choices = story_choices(board)
    forms = {
        row.pick.id: row_form(row) for row in [*([board.lead] if board.lead else []), *board.top]
    }
    forms.update(row_forms or {})
    if banner_form is None:
        banner_form = BannerForm(
            formdata=None,
            data={"text": board.banner.breaking_text, "url": board.banner.breaking_url},
        )
        banner_form.show_until(board.banner_until)
    return render_template(
        "editor/front.html",
        board=board,
        pick_form=own_ids(pick_form, "new-pick"),
        row_forms=forms,
        banner_form=own_ids(banner_form, "banner"),
    )


def back(anchor: str | None = None):
    return redirect(url_for("editor.front", _anchor=anchor))


def until_note(moment: datetime | None) -> str:
    return f" until {long_date(moment)}, {local_clock(moment)}" if moment else ""


@bp.get("/front")
@editor_required
def front():
    return desk()


@bp.post("/front/picks")
@editor_required
def front_pick():
    form = PickForm()
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        try:
            article = curation.find_article(form.article_id.data, form.address.data or "")
            field = "address" if form.address.data else "article_id"
            if form.make_lead.data:
                pick = curation.set_lead(actor, article, form.until(), field)
                message = f"“{article.title}” now leads the front page"
            else:
                pick = curation.pin(actor, article, form.until(), field)
                message = f"“{article.title}” is pinned as top story {pick.position}"
        except CurationRejected as error:
            show_error(form, error)
        else:
            flash(message + until_note(pick.expires_at) + ".", "success")
            return back("lead" if pick.is_lead else f"pick-{pick.id}")
    chosen = form.article_id.data if isinstance(form.article_id.data, int) else None
    return desk(pick_form=form, chosen=chosen)


@bp.post("/front/picks/<int:pick_id>")
@editor_required
def front_pick_update(pick_id: int):
    form = own_ids(PickRowForm(), f"pick-{pick_id}")
    if form.validate_on_submit():
        try:
            pick = curation.update_pick(
                current_user._get_current_object(), pick_id, form.position.data, form.until()
            )
        except CurationRejected as error:
            show_error(form, error)
        else:
            flash(f"Saved “{pick.article.title}”{until_note(pick.expires_at)}.", "success")
            return back(f"pick-{pick_id}")
    return desk(row_forms={pick_id: form})


@bp.post("/front/picks/<int:pick_id>/move/<any(up, down):direction>")
@editor_required
def front_pick_move(pick_id: int, direction: str):
    if ActionForm().validate_on_submit():
        try:
            curation.move(current_user._get_current_object(), pick_id, direction)
        except CurationRejected as error:
            flash(error.message, "error")
    return back(f"pick-{pick_id}")


@bp.post("/front/picks/<int:pick_id>/remove")
@editor_required
def front_pick_remove(pick_id: int):
    if ActionForm().validate_on_submit():
        try:
            article = curation.unpin(current_user._get_current_object(), pick_id)
        except CurationRejected as error:
            flash(error.message, "error")
        else:
            flash(f"“{article.title}” is off the front page.", "success")
    return back("top-stories")


@bp.post("/front/breaking")
@editor_required
def front_breaking():
    form = BannerForm()
    if form.validate_on_submit():
        try:
            breaking.set_breaking(
                current_user._get_current_object(),
                form.text.data or "",
                form.url.data or "",
                form.until(),
            )
        except CurationRejected as error:
            show_error(form, error)
        else:
            flash("The breaking-news banner is up on every public page.", "success")
            return back("breaking")
    return desk(banner_form=form)


@bp.post("/front/breaking/clear")
@editor_required
def front_breaking_clear():
    actor = current_user._get_current_object()
    if ActionForm().validate_on_submit() and breaking.clear_breaking(actor):
        flash("The breaking-news banner is down.", "success")
    return back("breaking")
