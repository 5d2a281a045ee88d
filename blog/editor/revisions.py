"""The revisions of an article or a static page: the list with a compare form, the
comparison of two, and restoring one. Links and forms name revisions by id (?a=, ?b=,
/revisions/<id>/restore); the numbers are only shown."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import HiddenField
from wtforms.validators import Optional

from blog.domain import DomainError
from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.editor.pages import page_manager_required
from blog.pagination import page_number
from blog.services import revision_history
from blog.services.publishing import ArticleRejected
from blog.services.revision_history import RestoreConflict
from blog.validators import Digits

CHOOSE_TWO = "Choose two revisions to compare."


class RestoreForm(ActionForm):
    """A restore button; `version` is the version of the text the editor saw."""

    version = HiddenField(validators=[Optional(), Digits(12)])


def revision_id(raw: str | None) -> int | None:
    """A revision id as sent in ?a= or ?b=, or None when it is not one."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    return int(raw)


def seen_version(raw: str | None) -> int:
    """The version the editor saw; anything else is 0, which no saved text has."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0


def endpoints(kind: str) -> dict[str, str]:
    prefix = "editor.article" if kind == "article" else "editor.page"
    return {
        "edit": f"{prefix}_edit",
        "list": f"{prefix}_revisions",
        "compare": f"{prefix}_revision_compare",
        "restore": f"{prefix}_revision_restore",
    }


def id_argument(kind: str, target_id: int) -> dict[str, int]:
    return {"article_id": target_id} if kind == "article" else {"page_id": target_id}


def show_list(kind: str, target_id: int, *, status: int = 200, message: str = ""):
    actor = current_user._get_current_object()
    found = revision_history.listing(kind, target_id, actor, page_number())
    item = found.item
    return render_template(
        "editor/revision_list.html",
        kind=kind,
        item=item,
        listed=found.listed,
        newest_id=found.newest_id,
        ids=id_argument(kind, target_id),
        endpoints=endpoints(kind),
        restore_form=RestoreForm(formdata=None, data={"version": str(item.version)}),
        message=message,
    ), status


def show_comparison(kind: str, target_id: int):
    a, b = revision_id(request.args.get("a")), revision_id(request.args.get("b"))
    if a is None or b is None:
        return show_list(kind, target_id, status=400, message=CHOOSE_TWO)
    actor = current_user._get_current_object()
    item, compared = revision_history.compare(kind, target_id, actor, a, b)
    return render_template(
        "editor/revision_compare.html",
        kind=kind,
        item=item,
        compared=compared,
        ids=id_argument(kind, target_id),
        endpoints=endpoints(kind),
        restore_form=RestoreForm(formdata=None, data={"version": str(item.version)}),
    )


def restore(kind: str, target_id: int, revision_id: int):
    form = RestoreForm()
    if not form.validate_on_submit():
        return show_list(kind, target_id, status=400, message="This request was not understood.")
    actor = current_user._get_current_object()
    try:
        _, left_out, number = revision_history.restore(
            kind,
            target_id,
            revision_id,
            actor=actor,
            expected_version=seen_version(form.version.data),
        )
    except RestoreConflict as conflict:
        return show_list(kind, target_id, status=409, message=conflict.message)
    except ArticleRejected as rejected:
        message = f"That revision cannot be restored as it is: {rejected.message}"
        return show_list(kind, target_id, status=400, message=message)
    except DomainError as refused:
        if type(refused) is not DomainError:  # NotFound and NotAllowed: the error pages
            raise
        flash(refused.message, "info")
        return redirect(url_for(endpoints(kind)["list"], **id_argument(kind, target_id)))
    note = f"Revision {number} restored."
    if left_out:
        note += " Left out: " + " and ".join(left_out) + "."
    flash(note, "success")
    return redirect(url_for(endpoints(kind)["edit"], **id_argument(kind, target_id)))


@bp.get("/articles/<int:article_id>/revisions")
@staff_required
def article_revisions(article_id: int):
    return show_list("article", article_id)


@bp.get("/articles/<int:article_id>/revisions/compare")
@staff_required
def article_revision_compare(article_id: int):
    return show_comparison("article", article_id)


@bp.post("/articles/<int:article_id>/revisions/<int:revision_id>/restore")
@staff_required
def article_revision_restore(article_id: int, revision_id: int):
    return restore("article", article_id, revision_id)


@bp.get("/pages/<int:page_id>/revisions")
@page_manager_required
def page_revisions(page_id: int):
    return show_list("page", page_id)


@bp.get("/pages/<int:page_id>/revisions/compare")
@page_manager_required
def page_revision_compare(page_id: int):
    return show_comparison("page", page_id)


@bp.post("/pages/<int:page_id>/revisions/<int:revision_id>/restore")
@page_manager_required
def page_revision_restore(page_id: int, revision_id: int):
    return restore("page", page_id, revision_id)
