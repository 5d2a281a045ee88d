"""The editor area's home: what needs attention now."""

from dataclasses import dataclass

from flask import render_template
from flask_login import current_user

from blog import permissions
from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.services import newsroom


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str
    prefixes: tuple[str, ...]
    allowed: bool


@bp.context_processor
def inject_editor_menu():
    if not current_user.is_authenticated:
        return {}
    user = current_user
    return {
        "editor_menu": [
            MenuItem("editor.article_list", "Articles", ("editor.article", "editor.note"), True),
            MenuItem(
                "editor.comment_list",
                "Comments",
                ("editor.comment",),
                permissions.can_moderate_comments(user),
            ),
            MenuItem(
                "editor.front",
                "Front page",
                ("editor.front",),
                permissions.can_curate_front_page(user),
            ),
            MenuItem(
                "editor.page_list", "Pages", ("editor.page_",), permissions.can_manage_pages(user)
            ),
            MenuItem(
                "editor.section_list",
                "Sections & topics",
                ("editor.section", "editor.topic"),
                permissions.can_manage_taxonomy(user),
            ),
            MenuItem(
                "editor.subscribers",
                "Subscribers",
                ("editor.subscribers",),
                permissions.can_read_follower_counts(user),
            ),
            MenuItem(
                "editor.menu_list", "Menus", ("editor.menu",), permissions.can_manage_menus(user)
            ),
            MenuItem(
                "editor.user_list", "Users", "editor.user", permissions.can_manage_users(user)
            ),
            MenuItem(
                "editor.settings_edit",
                "Site settings",
                ("editor.settings",),
                permissions.can_manage_settings(user),
            ),
            MenuItem(
                "editor.audit_log", "Audit log", ("editor.audit",), permissions.can_read_audit(user)
            ),
        ]
    }


@bp.get("/")
@staff_required
def dashboard():
    return render_template("editor/dashboard.html", board=newsroom.dashboard(current_user))
