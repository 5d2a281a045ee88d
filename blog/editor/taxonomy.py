"""Editor pages for sections (ordered, deletable by moving their articles) and topics."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import editor_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm, KeptOrLength
from blog.forms import BaseForm, show_error
from blog.models import Section, Topic
from blog.pagination import page_number
from blog.services import taxonomy
from blog.services.slugs import MAX_SLUG_LENGTH
from blog.services.taxonomy import TaxonomyError

TOPICS_PER_PAGE = 50


class TaxonomyForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=taxonomy.MAX_NAME_LENGTH)])
    slug = StringField(
        "Address (slug)",
        validators=[KeptOrLength(max=MAX_SLUG_LENGTH)],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    description = TextAreaField("Description", validators=[Length(max=2000)])


class TopicSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Find a topic", validators=[Length(max=80)])


class SectionDeleteForm(BaseForm):
    move_to = SelectField("Move its articles to")


@dataclass(frozen=True)
class Kind:
    """Sections and topics are created and edited alike; this is what tells them apart."""

    noun: str  # as in the flash message and the public address (/section/<slug>)
    create: Callable
    update: Callable


SECTION = Kind("section", taxonomy.create_section, taxonomy.update_section)
TOPIC = Kind("topic", taxonomy.create_topic, taxonomy.update_topic)


def edit_page(kind: Kind, item: Section | Topic | None):
    """The form that creates (item None) or edits a section or topic."""
    form = TaxonomyForm(obj=item)
    if form.validate_on_submit():
        old_slug = item.slug if item else None
        values = (form.name.data, form.slug.data, form.description.data)
        try:
            actor = current_user._get_current_object()
            saved = (
                kind.update(item, *values, actor=actor)
                if item
                else kind.create(*values, actor=actor)
            )
        except TaxonomyError as error:
            show_error(form, error)
        else:
            message = f"{kind.noun.capitalize()} “{saved.name}” {'saved' if item else 'created'}."
            if item and saved.slug != old_slug:
                message += f" Links to /{kind.noun}/{old_slug} now lead here."
            flash(message, "success")
            return redirect(url_for(f"editor.{kind.noun}_list"))
    return render_template(f"editor/{kind.noun}_form.html", form=form, **{kind.noun: item})


# Sections


@bp.get("/sections/")
@editor_required
def section_list():
    return render_template(
        "editor/section_list.html",
        sections=taxonomy.ordered_sections(),
        counts=taxonomy.section_article_counts(),
    )


@bp.route("/sections/new", methods=["GET", "POST"], endpoint="section_create")
@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@editor_required
def section_edit(section_id: int | None = None):
    return edit_page(SECTION, None if section_id is None else taxonomy.get_section(section_id))


@bp.post("/sections/<int:section_id>/move/<any(up, down):direction>")
@editor_required
def section_move(section_id: int, direction: str):
    section = taxonomy.get_section(section_id)
    if ActionForm().validate_on_submit():
        taxonomy.move_section(section, direction)
    return redirect(url_for("editor.section_list", _anchor=f"section-{section_id}"))


@bp.route("/sections/<int:section_id>/delete", methods=["GET", "POST"])
@editor_required
def section_delete(section_id: int):
    section = taxonomy.get_section(section_id)
    count = taxonomy.section_article_counts().get(section.id, 0)
    form = SectionDeleteForm()
    form.move_to.choices = [SelectChoice("", "— Choose a section —")] + [
        SelectChoice(str(other.id), other.name)
        for other in taxonomy.ordered_sections()
        if other.id != section.id
    ]
    if form.validate_on_submit():
        move_to = taxonomy.get_section(int(form.move_to.data)) if form.move_to.data else None
        name = section.name
        try:
            moved = taxonomy.delete_section(
                section, move_to, actor=current_user._get_current_object()
            )
        except TaxonomyError as error:
            show_error(form, error)
        else:
            message = f"Section “{name}” deleted."
            if moved and move_to is not None:
                message += f" {moved} article{'s' if moved != 1 else ''} moved to “{move_to.name}”."
            flash(message, "success")
            return redirect(url_for("editor.section_list"))
    return render_template(
        "editor/section_delete.html", form=form, section=section, article_count=count
    )


# Topics


@bp.get("/topics/")
@editor_required
def topic_list():
    search_form = TopicSearchForm(request.args)
    query = (search_form.q.data or "").strip()[:80]
    page = taxonomy.topic_page(query, page=page_number(), per_page=TOPICS_PER_PAGE)
    return render_template(
        "editor/topic_list.html",
        page=page,
        query=query,
        search_form=search_form,
        counts=taxonomy.topic_article_counts([t.id for t in page.items]),
    )


@bp.route("/topics/new", methods=["GET", "POST"], endpoint="topic_create")
@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
@editor_required
def topic_edit(topic_id: int | None = None):
    return edit_page(TOPIC, None if topic_id is None else taxonomy.get_topic(topic_id))


@bp.post("/topics/<int:topic_id>/delete")
@editor_required
def topic_delete(topic_id: int):
    topic = taxonomy.get_topic(topic_id)
    if ActionForm().validate_on_submit():
        name = topic.name
        unlinked = taxonomy.delete_topic(topic, actor=current_user._get_current_object())
        note = f" It was removed from {unlinked} article{'s' if unlinked != 1 else ''}."
        flash(f"Topic “{name}” deleted.{note if unlinked else ''}", "success")
    return redirect(url_for("editor.topic_list"))
