"""Editor pages for sections (ordered, deletable by moving their articles) and topics."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import editor_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.extensions import db
from blog.forms import BaseForm
from blog.models import Section, Topic
from blog.pagination import page_number
from blog.services import taxonomy
from blog.services.taxonomy import TaxonomyError

TOPICS_PER_PAGE = 50


class TaxonomyForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=taxonomy.MAX_NAME_LENGTH)])
    slug = StringField(
        "Address (slug)",
        validators=[Length(max=taxonomy.MAX_SLUG_LENGTH)],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    description = TextAreaField("Description", validators=[Length(max=2000)])


class TopicSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Find a topic", validators=[Length(max=80)])


class SectionDeleteForm(BaseForm):
    move_to = SelectField("Move its articles to")


def attach_error(form: BaseForm, error: TaxonomyError) -> None:
    """Show a service refusal beside its field, or above the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def get_or_404(model, item_id: int):
    item = db.session.get(model, item_id)
    if item is None:
        abort(404)
    return item


# Sections


@bp.get("/sections/")
@editor_required
def section_list():
    return render_template(
        "editor/section_list.html",
        sections=taxonomy.ordered_sections(),
        counts=taxonomy.section_article_counts(),
    )


@bp.route("/sections/new", methods=["GET", "POST"])
@editor_required
def section_create():
    form = TaxonomyForm()
    if form.validate_on_submit():
        try:
            section = taxonomy.create_section(form.name.data, form.slug.data, form.description.data)
        except TaxonomyError as error:
            attach_error(form, error)
        else:
            flash(f"Section “{section.name}” created.", "success")
            return redirect(url_for("editor.section_list"))
    return render_template("editor/section_form.html", form=form, section=None)


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@editor_required
def section_edit(section_id: int):
    section = get_or_404(Section, section_id)
    form = TaxonomyForm(obj=section)
    if form.validate_on_submit():
        old_slug = section.slug
        try:
            taxonomy.update_section(section, form.name.data, form.slug.data, form.description.data)
        except TaxonomyError as error:
            attach_error(form, error)
        else:
            message = f"Section “{section.name}” saved."
            if section.slug != old_slug:
                message += f" Links to /section/{old_slug} now lead here."
            flash(message, "success")
            return redirect(url_for("editor.section_list"))
    return render_template("editor/section_form.html", form=form, section=section)


@bp.post("/sections/<int:section_id>/move/<any(up, down):direction>")
@editor_required
def section_move(section_id: int, direction: str):
    section = get_or_404(Section, section_id)
    if ActionForm().validate_on_submit():
        taxonomy.move_section(section, direction)
    return redirect(url_for("editor.section_list", _anchor=f"section-{section_id}"))


@bp.route("/sections/<int:section_id>/delete", methods=["GET", "POST"])
@editor_required
def section_delete(section_id: int):
    section = get_or_404(Section, section_id)
    count = taxonomy.section_article_counts().get(section.id, 0)
    form = SectionDeleteForm()
    form.move_to.choices = [SelectChoice("", "— Choose a section —")] + [
        SelectChoice(str(other.id), other.name)
        for other in taxonomy.ordered_sections()
        if other.id != section.id
    ]
    if form.validate_on_submit():
        move_to = db.session.get(Section, int(form.move_to.data)) if form.move_to.data else None
        name = section.name
        try:
            moved = taxonomy.delete_section(section, move_to)
        except TaxonomyError as error:
            attach_error(form, error)
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
    statement = select(Topic).order_by(Topic.name, Topic.id)
    if query:
        statement = statement.where(Topic.name.icontains(query, autoescape=True))
    page = db.paginate(statement, page=page_number(), per_page=TOPICS_PER_PAGE)
    return render_template(
        "editor/topic_list.html",
        page=page,
        query=query,
        search_form=search_form,
        counts=taxonomy.topic_article_counts([t.id for t in page.items]),
    )


@bp.route("/topics/new", methods=["GET", "POST"])
@editor_required
def topic_create():
    form = TaxonomyForm()
    if form.validate_on_submit():
        try:
            topic = taxonomy.create_topic(form.name.data, form.slug.data, form.description.data)
        except TaxonomyError as error:
            attach_error(form, error)
        else:
            flash(f"Topic “{topic.name}” created.", "success")
            return redirect(url_for("editor.topic_list"))
    return render_template("editor/topic_form.html", form=form, topic=None)


@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
@editor_required
def topic_edit(topic_id: int):
    topic = get_or_404(Topic, topic_id)
    form = TaxonomyForm(obj=topic)
    if form.validate_on_submit():
        old_slug = topic.slug
        try:
            taxonomy.update_topic(topic, form.name.data, form.slug.data, form.description.data)
        except TaxonomyError as error:
            attach_error(form, error)
        else:
            message = f"Topic “{topic.name}” saved."
            if topic.slug != old_slug:
                message += f" Links to /topic/{old_slug} now lead here."
            flash(message, "success")
            return redirect(url_for("editor.topic_list"))
    return render_template("editor/topic_form.html", form=form, topic=topic)


@bp.post("/topics/<int:topic_id>/delete")
@editor_required
def topic_delete(topic_id: int):
    topic = get_or_404(Topic, topic_id)
    if ActionForm().validate_on_submit():
        name = topic.name
        unlinked = taxonomy.delete_topic(topic)
        note = f" It was removed from {unlinked} article{'s' if unlinked != 1 else ''}."
        flash(f"Topic “{name}” deleted.{note if unlinked else ''}", "success")
    return redirect(url_for("editor.topic_list"))
