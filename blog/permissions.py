"""Who may do what: predicates that take a user and return a bool, for services, views
and templates. The decorators that guard views live in `blog.editor.access`."""

from blog.models import Article, ArticleStatus, Role, User

STAFF_ROLES = frozenset({Role.AUTHOR, Role.EDITOR, Role.ADMIN})
EDITING_ROLES = frozenset({Role.EDITOR, Role.ADMIN})


def is_editor(user: User) -> bool:
    """Editors and admins: edit anyone's work, publish, moderate, manage sections."""
    return user.is_authenticated and user.role in EDITING_ROLES


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def is_credited(user: User, article: Article) -> bool:
    """The article names this person as its lead author or a co-author (the co-authors
    are read from `coauthor_links`: load them with the article)."""
    return article.author_id == user.id or any(
        link.user_id == user.id for link in article.coauthor_links
    )


def can_edit_article(user: User, article: Article) -> bool:
    """Authors edit the articles they are credited on (as lead author or co-author) until
    they are published; editors edit any."""
    if is_editor(user):
        return True
    return (
        user.is_authenticated
        and article.status != ArticleStatus.PUBLISHED
        and is_credited(user, article)
    )


def can_publish(user: User) -> bool:
    return is_editor(user)


def can_write_editor_comments(user: User) -> bool:
    return is_editor(user)


def can_correct(user: User) -> bool:
    """Add a correction or an update to a published article, or retract one."""
    return is_editor(user)


def can_moderate_comments(user: User) -> bool:
    return is_editor(user)


def can_manage_taxonomy(user: User) -> bool:
    return is_editor(user)


def can_read_follower_counts(user: User) -> bool:
    """How many readers follow each list by e-mail (never who): those who run the lists."""
    return can_manage_taxonomy(user)


def can_manage_pages(user: User) -> bool:
    """Write, publish, unpublish and delete the static pages (About, Contact, ...)."""
    return is_editor(user)


def can_curate_front_page(user: User) -> bool:
    """Choose the lead, pin top stories, run the breaking-news banner."""
    return is_editor(user)


def can_manage_users(user: User) -> bool:
    return is_admin(user)


def can_manage_settings(user: User) -> bool:
    return is_admin(user)


def can_manage_menus(user: User) -> bool:
    """The header and footer menus are the site's frame: admins only."""
    return is_admin(user)


def can_read_audit(user: User) -> bool:
    """The audit log names staff and their sign-ins: admins only."""
    return is_admin(user)


TEMPLATE_PREDICATES = {
    "is_editor": is_editor,
    "is_admin": is_admin,
    "can_edit_article": can_edit_article,
    "can_publish": can_publish,
    "can_write_editor_comments": can_write_editor_comments,
    "can_correct": can_correct,
    "can_moderate_comments": can_moderate_comments,
    "can_manage_taxonomy": can_manage_taxonomy,
    "can_read_follower_counts": can_read_follower_counts,
    "can_manage_pages": can_manage_pages,
    "can_curate_front_page": can_curate_front_page,
    "can_manage_users": can_manage_users,
    "can_manage_settings": can_manage_settings,
    "can_manage_menus": can_manage_menus,
    "can_read_audit": can_read_audit,
}
