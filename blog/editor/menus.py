"""The admins' page for the header and footer menus: add, order and remove links."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from blog.editor.access import admin_required
from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.forms import BaseForm, show_error
from blog.services import menus
from blog.services.menus import MenuError

KINDS = [
    SelectChoice("section", "A section"),
    SelectChoice("topic", "A topic"),
    SelectChoice("page", "A page"),
    SelectChoice("url", "A web address or a path on this site"),
]


class LinkForm(BaseForm):
    menu = SelectField(
        "Menu", choices=[SelectChoice("header", "Header"), SelectChoice("footer", "Footer")]
    )
    kind = SelectField("Link to", choices=KINDS)
    # Only the list that matches the kind counts; the service checks what it names.
    section = SelectField("Section", validate_choice=False)
    topic = SelectField("Topic", validate_choice=False)
    page = SelectField("Page", validate_choice=False)
    url = StringField("Address", validators=[Length(max=menus.URL_LENGTH)])
    label = StringField("Label", validators=[Length(max=menus.LABEL_LENGTH)])

    def offer(self, choices: menus.Choices) -> "LinkForm":
        """Fill the section, topic and page lists from what exists now."""
        for select, items, none in (
            (self.section, choices.sections, "No sections yet"),
            (self.topic, choices.topics, "No topics yet"),
            (self.page, choices.pages, "No published pages yet"),
        ):
            select.choices = [SelectChoice("", "— Choose —" if items else none)] + [
                SelectChoice(str(item.id), getattr(item, "name", None) or item.title)
                for item in items
            ]
        return self

    def target_id(self) -> int | None:
        """The id chosen in the list that matches the kind of link."""
        chosen = getattr(self, self.kind.data, None) if self.kind.data != "url" else None
        value = chosen.data if chosen is not None else None
        return int(value) if value and value.isascii() and value.isdigit() else None


class PositionForm(BaseForm):
    position = IntegerField(
        "Position",
        validators=[
            InputRequired(message="Give a position number."),
            NumberRange(min=1, max=menus.MAX_LINKS, message="Give a position from the list."),
        ],
    )


def menu_page(form: LinkForm, moving: tuple[int, PositionForm] | None = None):
    """The menus and the add form; `moving` re-shows a position refused for one link."""
    return render_template(
        "editor/menus.html",
        edited=menus.edited_menus(current_user),
        form=form,
        moving=moving,
        names=menus.MENU_NAMES,
    )


def new_link_form() -> LinkForm:
    return LinkForm().offer(menus.link_choices(current_user))


@bp.get("/menus")
@admin_required
def menu_list():
    return menu_page(new_link_form())


@bp.post("/menus/links")
@admin_required
def menu_link_create():
    form = new_link_form()
    if form.validate_on_submit():
        try:
            link = menus.add_link(
                current_user,
                form.menu.data,
                form.kind.data,
                target_id=form.target_id(),
                url=form.url.data or "",
                label=form.label.data or "",
            )
        except MenuError as error:
            show_error(form, error)
        else:
            flash(f"Link added to the {menus.MENU_NAMES[link.menu]} menu.", "success")
            return redirect(url_for("editor.menu_list", _anchor=f"link-{link.id}"))
    return menu_page(form)


@bp.post("/menus/links/<int:link_id>/move/<any(up, down):direction>")
@admin_required
def menu_link_move(link_id: int, direction: str):
    if ActionForm().validate_on_submit():
        menus.move_link(current_user, link_id, direction)
    return redirect(url_for("editor.menu_list", _anchor=f"link-{link_id}"))


@bp.post("/menus/links/<int:link_id>/position")
@admin_required
def menu_link_position(link_id: int):
    menus.get_link(current_user, link_id)  # NotFound (404) for a link removed meanwhile
    form = PositionForm()
    if form.validate_on_submit():
        try:
            menus.set_position(current_user, link_id, form.position.data)
        except MenuError as error:
            show_error(form, error)
        else:
            return redirect(url_for("editor.menu_list", _anchor=f"link-{link_id}"))
    return menu_page(new_link_form(), moving=(link_id, form))


@bp.post("/menus/links/<int:link_id>/delete")
@admin_required
def menu_link_delete(link_id: int):
    if ActionForm().validate_on_submit():
        link = menus.remove_link(current_user, link_id)
        flash(f"Link removed from the {menus.MENU_NAMES[link.menu]} menu.", "success")
    return redirect(url_for("editor.menu_list"))
