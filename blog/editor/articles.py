"""Writing articles: the list, the editor page with preview and uploads, and its actions."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from blog.editor import corrections, notes
from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.editor.bylines import (
    BylineFields,
    byline_data,
    chosen_author_ids,
    fill_byline,
    people_choices,
)
from blog.editor.forms import MediaFields, one_line, slug_field, stripped, unix_newlines
from blog.editor.images import count_image, keep_sent_image
from blog.editor.preview import MAX_PREVIEW_CHARACTERS, note_saved, take_saved_note
from blog.editor.preview_button import preview_banner, refused_preview
from blog.forms import BaseForm, show_error
from blog.models import Article, Upload
from blog.pagination import page_number
from blog.permissions import (
    can_correct,
    can_manage_taxonomy,
    can_publish,
    can_write_editor_comments,
    is_editor,
)
from blog.services import newsroom, previews, publishing, revision_history, taxonomy, uploads
from blog.services.publishing import Action, ArticleChanges, ArticleRejected, EditConflict
from blog.templating import local_clock, local_time, long_date

FORM_ACTIONS = {*Action, "preview", "upload"}


def optional_id(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def topic_names(text: str | None) -> list[str]:
    """ "Energy, climate ,energy" -> ["Energy", "climate"]."""
    names: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(MediaFields, BylineFields):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the article a title."), Length(max=300)],
        filters=[stripped],
    )
    slug = slug_field()
    brief = TextAreaField(
        "Brief",
        validators=[Length(max=300, message="The brief can be at most 300 characters long.")],
        filters=[one_line],
    )
    body = TextAreaField("Body", validators=[Length(max=200_000)], filters=[unix_newlines])
    section_id = SelectField("Section", coerce=optional_id)
    topic_ids = MultiCheckboxField("Topics", coerce=int)
    new_topics = StringField("New topics", validators=[Length(max=500)], filters=[stripped])
    comments_open = BooleanField("Reader comments are open")
    publish_date = DateField("Publication date", validators=[Optional()])
    publish_time = TimeField("Publication time", validators=[Optional()])

    def validate_new_topics(self, field):
        if any(len(name) > 80 for name in topic_names(field.data)):
            raise ValidationError("A topic name can be at most 80 characters long.")


class ArticleFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            SelectChoice("draft", "Draft"),
            SelectChoice("review", "In review"),
            SelectChoice("scheduled", "Scheduled"),
            SelectChoice("published", "Published"),
        ],
        default="",
    )
    section = SelectField("Section", default="")
    author = SelectField("Author", default="")


def section_choices(empty_label: str) -> list[SelectChoice]:
    sections = taxonomy.ordered_sections()
    return [SelectChoice("", empty_label)] + [SelectChoice(s.id, s.name) for s in sections]


def article_form(article: Article | None) -> ArticleForm:
    """The editor form, filled from the article (or blank), with the fields this user gets."""
    if article is None:
        data = {"comments_open": True}
    else:
        data = {
            "title": article.title,
            "slug": article.slug,
            "brief": article.brief,
            "body": article.body_md,
            "section_id": article.section_id,
            "topic_ids": [topic.id for topic in article.topics],
            "comments_open": article.comments_open,
            "cover_alt": article.cover_alt,
            "cover_caption": article.cover_caption,
            "version": str(article.version),
        }
        if publishing.state(article) == "scheduled":
            local = local_time(article.published_at)
            data.update(publish_date=local.date(), publish_time=local.time().replace(second=0))
    form = ArticleForm(data=data | byline_data(article))
    form.section_id.choices = section_choices("No section")
    topics = taxonomy.topics_by_name()
    form.topic_ids.choices = [SelectChoice(topic.id, topic.name) for topic in topics]
    fill_byline(form, article)
    if not can_manage_taxonomy(current_user):
        del form.new_topics
    if not can_publish(current_user):
        del form.publish_date, form.publish_time
    return form


def load_article(article_id: int) -> Article:
    """The article with all the editor page shows; 404 if missing, 403 if not this user's."""
    return publishing.editable_article(article_id, current_user)


def render_editor(
    article: Article | None, form: ArticleForm | None = None, *, status: int = 200, **extra
):
    """The editor page; `extra` carries an added image, a conflict or notes."""
    if can_write_editor_comments(current_user) and article is not None:
        extra.setdefault("note_form", notes.NoteForm())
    if can_correct(current_user) and article is not None:
        extra.setdefault("correction_form", corrections.CorrectionForm())
        extra.setdefault("retract_form", corrections.RetractForm())
    extra.setdefault("saved_draft", take_saved_note(article.id if article else None))
    extra.setdefault("revision_count", revision_history.revision_count(article) if article else 0)
    return render_template(
        "editor/article_edit.html",
        article=article,
        form=form or article_form(article),
        state=publishing.state(article) if article else "draft",
        **extra,
    ), status


def render_preview(form: ArticleForm, article: Article | None, cover: Upload | None):
    """The article as typed, saved or not, drawn by the public article page; the Preview
    button opens it in a new tab. Never cached: editor responses are no-store."""
    changes, clipped_at = previews.clip_body(
        article_changes(form, article, cover), MAX_PREVIEW_CHARACTERS
    )
    shown = previews.article_preview(article, changes, actor=current_user._get_current_object())
    banner = preview_banner(
        form,
        noun="article",
        is_live=previews.is_article_live(article),
        clipped_at=clipped_at,
        also=shown.problems,
    )
    page = render_template(
        "public/article.html",
        article=shown.article,
        discussion=shown.discussion,
        related=shown.related,
        nav_sections=shown.nav_sections,
        preview=banner,
    )
    return page, 200, {"X-Robots-Tag": "noindex"}


def keep_file(form: ArticleForm, field: FileField) -> Upload | None:
    """Store the image sent in `field` (counted against the writer's image limit), or
    show beside it why it was refused."""
    file = field.data
    try:
        return uploads.keep_image(
            file.read(),
            file.filename or "",
            uploaded_by_id=current_user.id,
            field=field.name,
            before_decoding=count_image,
        )
    except uploads.UploadRejected as error:
        show_error(form, error)
        return None


def stage_cover(form: ArticleForm) -> Upload | None:
    """Store a newly chosen cover at once, so that an error elsewhere on the form does not
    make the writer choose the file again; else the one staged on an earlier round (only
    ever one of this writer's own uploads)."""
    if form.remove_cover.data:
        return None
    if form.cover.data:
        upload = keep_file(form, form.cover)
        if upload is not None:
            form.pending_cover_id.data = str(upload.id)
            return upload
    if form.pending_cover_id.data and not form.pending_cover_id.errors:
        return uploads.own_upload(int(form.pending_cover_id.data), current_user.id)
    return None


def stage_body_image(form: ArticleForm) -> bool:
    """Store the image sent for the body and add its Markdown at the end of the body, or
    show beside the fields why not: the page without JavaScript (with it, the image goes
    alone to blog/editor/images.py and its line lands at the body's cursor)."""
    if form.body_image_alt.errors:  # too long: already shown beside the field
        return False
    try:
        markdown = keep_sent_image(form)
    except uploads.UploadRejected as error:
        show_error(form, error)
        return False
    body = (form.body.data or "").rstrip("\n")
    form.body.data = f"{body}\n\n{markdown}\n" if body else f"{markdown}\n"
    form.body_image_alt.data = ""  # the image is in: pressing the button again needs a new one
    return True


def article_changes(
    form: ArticleForm, article: Article | None, cover: Upload | None
) -> ArticleChanges:
    if form.remove_cover.data:
        cover_id = None
    else:
        cover_id = cover.id if cover else (article.cover_id if article else None)
    return ArticleChanges(
        title=form.title.data or "",
        body=form.body.data or "",
        brief=form.brief.data or "",
        slug=form.slug.data or "",
        section_id=form.section_id.data,
        topic_ids=form.topic_ids.data or [],
        new_topic_names=topic_names(form.new_topics.data) if "new_topics" in form else [],
        cover_id=cover_id,
        cover_alt=form.cover_alt.data or "",
        cover_caption=form.cover_caption.data or "",
        comments_open=form.comments_open.data,
        author_ids=chosen_author_ids(form, article),
    )


def save(form: ArticleForm, article: Article | None, action: Action, cover: Upload | None):
    """Save as the form asks; the service refuses what the rules do not allow (a time too
    far ahead included), and a role that may not do this gets a 403."""
    publish_at = None
    if action == Action.SCHEDULE and form.publish_date.data and form.publish_time.data:
        # Read on the site's clock by the service.
        publish_at = datetime.combine(form.publish_date.data, form.publish_time.data)
    return publishing.save_article(
        article,
        article_changes(form, article, cover),
        actor=current_user._get_current_object(),
        expected_version=int(form.version.data or 0),
        action=action,
        publish_at=publish_at,
    )


def saved_message(article: Article, action: Action, is_new: bool) -> str:
    when = f"{long_date(article.published_at)} at {local_clock(article.published_at)}"
    return {
        Action.SAVE: "Draft created." if is_new else "Saved.",
        Action.SUBMIT: "Submitted for review: an editor will take it from here.",
        Action.PUBLISH: "Published: the article is live.",
        Action.SCHEDULE: f"Scheduled: the article goes live on {when}.",
        Action.UNPUBLISH: "Unpublished: the article is a draft again and no longer public.",
    }[action]


def handle_post(article: Article | None):
    """One form, many buttons: each action saves what was typed, except preview and upload."""
    form = article_form(article)
    action = request.form.get("action", Action.SAVE)
    if action not in FORM_ACTIONS:
        abort(400)
    if action in publishing.EDITOR_ACTIONS and not can_publish(current_user):
        abort(403)
    if action == "preview" and (refused := refused_preview()):
        return refused
    is_valid = form.validate_on_submit()
    cover = stage_cover(form)
    extra: dict = {"pending_cover": cover}
    if action == "preview":
        return render_preview(form, article, cover)
    if action == "upload":
        extra["image_added"] = stage_body_image(form)
    elif is_valid and not form.cover.errors:
        try:
            saved = save(form, article, Action(action), cover)
        except EditConflict as conflict:
            form.version.data = str(conflict.current.version)
            return render_editor(article, form, status=409, conflict=conflict.current, **extra)
        except ArticleRejected as rejected:
            show_error(form, rejected)
        else:
            flash(saved_message(saved, Action(action), article is None), "success")
            note_saved(saved.id, created=article is None)
            return redirect(url_for("editor.article_edit", article_id=saved.id))
    return render_editor(article, form, **extra)


@bp.get("/articles/")
@staff_required
def article_list():
    form = ArticleFilterForm(request.args)
    form.section.choices = section_choices("Any section")
    if is_editor(current_user):
        form.author.choices = [SelectChoice("", "Anyone"), *people_choices(everyone=True)]
    else:
        del form.author
    form.validate()
    chosen = {name: value for name, value in form.data.items() if value and name not in form.errors}
    page = newsroom.article_page(
        current_user,
        status=chosen.get("status", ""),
        section_id=optional_id(chosen.get("section")),
        author_id=optional_id(chosen.get("author")),
        page=page_number(),
    )
    return render_template(
        "editor/article_list.html", form=form, page=page, filters=chosen, state=publishing.state
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@staff_required
def article_new():
    if request.method == "POST":
        return handle_post(None)
    return render_editor(None)


@bp.route("/articles/<int:article_id>", methods=["GET", "POST"])
@staff_required
def article_edit(article_id: int):
    article = load_article(article_id)
    if request.method == "POST":
        return handle_post(article)
    return render_editor(article)
