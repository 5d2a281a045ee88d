"""The admin's audit log page: staff actions, newest first, filtered by action or person."""

from flask import render_template, request
from flask_login import current_user
from wtforms import SelectChoice, SelectField

from blog.editor.access import admin_required
from blog.editor.blueprint import bp
from blog.forms import BaseForm
from blog.pagination import page_number
from blog.services import audit


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField("Action", default="")
    who = SelectField("Person", default="")


@bp.get("/audit")
@admin_required
def audit_log():
    viewer = current_user._get_current_object()
    choices = audit.filter_choices(viewer)
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(value, label) for value, label in choices.actions
    ]
    form.who.choices = [SelectChoice("", "Anyone")] + [
        SelectChoice(value, name) for value, name in choices.people
    ]
    form.validate()
    # A value that is not one of the choices is dropped rather than refused.
    chosen = {name: value for name, value in form.data.items() if value and name not in form.errors}
    page = audit.log_page(viewer, page=page_number(), **chosen)
    return render_template("editor/audit.html", form=form, page=page, filters=chosen)
