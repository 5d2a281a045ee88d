"""Editor's comments: add, edit and delete the signed notes shown on an article page."""

from flask import flash, redirect, url_for
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import editor_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.forms import BaseForm
from blog.services.notes import MAX_NOTE_LENGTH, add_note, delete_note, edit_note, get_note


def tidied(value):
    return value.strip().replace("\r\n", "\n") if isinstance(value, str) else value


class NoteForm(BaseForm):
    note_body = TextAreaField(
        "Editor's comment",
        validators=[DataRequired("Write the comment first."), Length(max=MAX_NOTE_LENGTH)],
        filters=[tidied],
    )


def article_views():
    """The articles view module: it imports this one for NoteForm, so it is fetched late."""
    from blog.editor import articles

    return articles


def notes_anchor(article_id: int):
    return redirect(url_for("editor.article_edit", article_id=article_id, _anchor="editor-notes"))


@bp.post("/articles/<int:article_id>/notes")
@editor_required
def note_create(article_id: int):
    views = article_views()
    article = views.load_article(article_id)
    form = NoteForm()
    if form.validate_on_submit():
        add_note(article, current_user, form.note_body.data)
        flash("Editor's comment added.", "success")
        return notes_anchor(article.id)
    return views.render_editor(article, note_form=form)


@bp.route("/notes/<int:note_id>", methods=["GET", "POST"])
@editor_required
def note_edit(note_id: int):
    note = get_note(note_id)
    form = NoteForm(data={"note_body": note.body_md})
    if form.validate_on_submit():
        edit_note(note, form.note_body.data, current_user._get_current_object())
        flash("Editor's comment updated.", "success")
        return notes_anchor(note.article_id)
    views = article_views()
    article = views.load_article(note.article_id)
    return views.render_editor(article, edit_note_form=form, editing_note_id=note.id)


@bp.post("/notes/<int:note_id>/delete")
@editor_required
def note_delete(note_id: int):
    note = get_note(note_id)
    if ActionForm().validate_on_submit():
        delete_note(note, actor=current_user._get_current_object())
        flash("Editor's comment deleted.", "success")
    return notes_anchor(note.article_id)
