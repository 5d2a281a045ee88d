"""Editing the static pages (About, Contact, ...): the list, the editor with its preview
and uploads, publishing, and deleting with a confirmation step. Editors and admins only."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blog.editor.access import requires
from blog.editor.articles import stage_body_image, stage_cover
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm, MediaFields, one_line, slug_field, stripped, unix_newlines
from blog.editor.preview import MAX_PREVIEW_CHARACTERS
from blog.editor.preview_button import preview_banner, refused_preview
from blog.forms import show_error
from blog.models import Page, Upload
from blog.permissions import can_manage_pages
from blog.services import pages, previews, revision_history
from blog.services.pages import PageAction, PageChanges, PageEditConflict, PageRejected

FORM_ACTIONS = {*PageAction, "preview", "upload"}

page_manager_required = requires(can_manage_pages)


class PageForm(MediaFields):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Give the page a title."),
            Length(max=pages.MAX_TITLE_LENGTH),
        ],
        filters=[stripped],
    )
    slug = slug_field()
    summary = TextAreaField(
        "Summary",
        validators=[
            Length(
                max=pages.MAX_SUMMARY_LENGTH,
                message=f"The summary can be at most {pages.MAX_SUMMARY_LENGTH} characters long.",
            )
        ],
        filters=[one_line],
    )
    body = TextAreaField(
        "Body", validators=[Length(max=pages.MAX_BODY_LENGTH)], filters=[unix_newlines]
    )
    show_byline = BooleanField("Show the author's name and picture")
    show_updated = BooleanField("Show the date it was last updated")


def page_form(page: Page | None) -> PageForm:
    """The editor form, filled from the page (or blank); a POST fills it from the request."""
    if page is None:
        return PageForm()
    return PageForm(
        data={
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": page.body_md,
            "show_byline": page.show_byline,
            "show_updated": page.show_updated,
            "cover_alt": page.cover_alt,
            "cover_caption": page.cover_caption,
            "version": str(page.version),
        }
    )


def page_changes(form: PageForm, page: Page | None, cover: Upload | None) -> PageChanges:
    if form.remove_cover.data:
        cover_id = None
    else:
        cover_id = cover.id if cover else (page.cover_id if page else None)
    return PageChanges(
        title=form.title.data or "",
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        cover_id=cover_id,
        cover_alt=form.cover_alt.data or "",
        cover_caption=form.cover_caption.data or "",
        show_byline=form.show_byline.data,
        show_updated=form.show_updated.data,
    )


def render_editor(page: Page | None, form: PageForm | None = None, *, status: int = 200, **extra):
    """The editor page; `extra` carries an added image or a conflict."""
    return render_template(
        "editor/page_edit.html",
        page=page,
        form=form or page_form(page),
        # A route added since the page was saved may hold its address now: say so.
        route_taken=pages.route_holding(page.slug) if page else None,
        revision_count=revision_history.revision_count(page) if page else 0,
        **extra,
    ), status


def render_preview(form: PageForm, page: Page | None, cover: Upload | None):
    """The page as typed, saved or not, drawn by the public page template; the Preview
    button opens it in a new tab. Never cached: editor responses are no-store."""
    changes, clipped_at = previews.clip_body(
        page_changes(form, page, cover), MAX_PREVIEW_CHARACTERS
    )
    shown = previews.page_preview(page, changes, actor=current_user._get_current_object())
    banner = preview_banner(
        form,
        noun="page",
        is_live=page is not None and page.status == "published",
        clipped_at=clipped_at,
    )
    body = render_template(
        "public/page.html", page=shown.page, nav_sections=shown.nav_sections, preview=banner
    )
    return body, 200, {"X-Robots-Tag": "noindex"}


def saved_message(page: Page, action: PageAction, is_new: bool) -> str:
    if action == PageAction.PUBLISH:
        return f"Published: the page is live at /{page.slug}."
    if action == PageAction.UNPUBLISH:
        return "Unpublished: the page is a draft again and no longer public."
    if is_new:
        return "Draft created."
    return "Saved: the page on the site shows it now." if page.status == "published" else "Saved."


def handle_post(page: Page | None):
    """One form, several buttons: each status action saves what was typed; preview shows
    the page as typed in the public layout, and upload shows the form again with the image
    added to the body."""
    form = page_form(page)
    action = request.form.get("action", PageAction.SAVE)
    if action not in FORM_ACTIONS:
        abort(400)
    if action == "preview" and (refused := refused_preview()):
        return refused
    is_valid = form.validate_on_submit()
    cover = stage_cover(form)
    extra: dict = {"pending_cover": cover}
    actor = current_user._get_current_object()
    if action == "preview":
        return render_preview(form, page, cover)
    if action == "upload":
        extra["image_added"] = stage_body_image(form)
    elif is_valid and not form.cover.errors:
        try:
            saved = pages.save_page(
                page,
                page_changes(form, page, cover),
                actor=actor,
                expected_version=int(form.version.data or 0),
                action=PageAction(action),
            )
        except PageEditConflict as conflict:
            form.version.data = str(conflict.current.version)
            return render_editor(page, form, status=409, conflict=conflict.current, **extra)
        except PageRejected as rejected:
            show_error(form, rejected)
        else:
            flash(saved_message(saved, PageAction(action), page is None), "success")
            return redirect(url_for("editor.page_edit", page_id=saved.id))
    return render_editor(page, form, **extra)


@bp.get("/pages/")
@page_manager_required
def page_list():
    return render_template("editor/page_list.html", pages=pages.all_pages(current_user))


@bp.route("/pages/new", methods=["GET", "POST"])
@page_manager_required
def page_new():
    if request.method == "POST":
        return handle_post(None)
    return render_editor(None)


@bp.route("/pages/<int:page_id>", methods=["GET", "POST"])
@page_manager_required
def page_edit(page_id: int):
    page = pages.editable_page(page_id, current_user)
    if request.method == "POST":
        return handle_post(page)
    return render_editor(page)


@bp.get("/pages/<int:page_id>/preview")
@page_manager_required
def page_preview(page_id: int):
    """The saved page (a draft too) drawn exactly as readers will see it once published."""
    page = pages.editable_page(page_id, current_user)
    return render_template("public/page.html", page=page, is_preview=True)


@bp.route("/pages/<int:page_id>/delete", methods=["GET", "POST"])
@page_manager_required
def page_delete(page_id: int):
    """Ask first (works without JavaScript); the POST from that page deletes."""
    page = pages.editable_page(page_id, current_user)
    form = ActionForm()
    if form.validate_on_submit():
        title = page.title
        pages.delete_page(page, actor=current_user._get_current_object())
        flash(f"Page “{title}” deleted.", "success")
        return redirect(url_for("editor.page_list"))
    return render_template("editor/page_delete.html", page=page, form=form)
