"""Editor's comments: signed editorial notes shown in order on an article's page."""

from blog.extensions import db
from blog.models import Article, EditorComment, User
from blog.models.base import utcnow
from blog.services import get_by_id, notifications

MAX_NOTE_LENGTH = 5000


def get_note(note_id: int) -> EditorComment:
    return get_by_id(EditorComment, note_id)


def add_note(article: Article, editor: User, markdown: str) -> EditorComment:
    """A new note, and word of it to the article's author (unless the author wrote it)."""
    note = EditorComment(article_id=article.id, editor_id=editor.id)
    note.set_body(markdown)
    db.session.add(note)
    try:
        notifications.note_added(note, article, editor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return note


def edit_note(note: EditorComment, markdown: str, editor: User | None = None) -> EditorComment:
    """New text for a note. A note is signed: when another editor rewrites it, it carries
    their name from then on, never words put under a colleague's name."""
    note.set_body(markdown)
    if editor is not None and editor.id != note.editor_id:
        note.editor_id = editor.id
    note.updated_at = utcnow()
    db.session.commit()
    return note


def delete_note(note: EditorComment) -> None:
    db.session.delete(note)
    db.session.commit()
