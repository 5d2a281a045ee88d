"""Every editor URL, walked for anonymous, author, editor and admin.

The URLs come from the app's URL map, so a new editor URL fails this test until its
expected access is written down here.
"""

import pytest

from blog import create_app
from blog.extensions import db
from blog.models import (
    ArticleStatus,
    CommentStatus,
    Correction,
    EditorComment,
    FrontPagePick,
    MenuLink,
    MenuLinkKind,
    MenuName,
    Page,
    Role,
)
from blog.models.revisions import Revision
from tests.conftest import PASSWORD

PUBLIC, STAFF, EDITOR, ADMIN = "public", "staff", "editor", "admin"
SIGN_IN_STEP = "sign-in step"  # without a password just given, everyone is sent on
ACCESS = {
    "editor.login": PUBLIC,
    "editor.login_code": SIGN_IN_STEP,  # the code after a password; others are sent on
    "editor.invite_accept": PUBLIC,
    "editor.password_forgot": PUBLIC,
    "editor.password_reset": PUBLIC,
    "editor.mail_action": PUBLIC,  # the signed link is the permission
    "editor.logout": STAFF,
    "editor.dashboard": STAFF,
    "editor.profile": STAFF,
    "editor.profile_password": STAFF,
    "editor.welcome": STAFF,  # choosing a name on first sign-in; others are sent on
    "editor.password_renew": STAFF,  # replacing a printed password; others are sent on
    "editor.two_factor_setup": STAFF,
    "editor.two_factor_start": STAFF,
    "editor.two_factor_codes": STAFF,
    "editor.two_factor_disable": STAFF,
    "editor.user_two_factor_reset": ADMIN,
    "editor.passkey_register_options": STAFF,
    "editor.passkey_register": STAFF,
    "editor.passkey_rename": STAFF,  # only one's own; anyone else's is not found
    "editor.passkey_remove": STAFF,
    "editor.passkey_sign_in_options": PUBLIC,  # a passkey in place of the password
    "editor.passkey_sign_in": PUBLIC,
    "editor.article_list": STAFF,
    "editor.article_new": STAFF,
    "editor.article_edit": STAFF,  # plus the object check below
    "editor.article_preview": STAFF,
    "editor.image_upload": STAFF,  # images for a body: JSON, from the editor page
    "editor.note_create": EDITOR,
    "editor.note_edit": EDITOR,
    "editor.note_delete": EDITOR,
    "editor.correction_create": EDITOR,
    "editor.correction_retract": EDITOR,
    "editor.comment_list": EDITOR,
    "editor.comment_moderate": EDITOR,
    "editor.comment_edit": EDITOR,
    "editor.comment_bulk": EDITOR,
    "editor.section_list": EDITOR,
    "editor.section_create": EDITOR,
    "editor.section_edit": EDITOR,
    "editor.section_move": EDITOR,
    "editor.section_delete": EDITOR,
    "editor.topic_list": EDITOR,
    "editor.topic_create": EDITOR,
    "editor.topic_edit": EDITOR,
    "editor.topic_delete": EDITOR,
    "editor.subscribers": EDITOR,  # counts of readers who follow by e-mail, never an address
    "editor.front": EDITOR,
    "editor.front_pick": EDITOR,
    "editor.front_pick_update": EDITOR,
    "editor.front_pick_move": EDITOR,
    "editor.front_pick_remove": EDITOR,
    "editor.front_breaking": EDITOR,
    "editor.front_breaking_clear": EDITOR,
    "editor.page_list": EDITOR,
    "editor.page_new": EDITOR,
    "editor.page_edit": EDITOR,
    "editor.page_preview": EDITOR,
    "editor.page_delete": EDITOR,
    "editor.article_revisions": STAFF,  # plus the object check of article_edit
    "editor.article_revision_compare": STAFF,
    "editor.article_revision_restore": STAFF,
    "editor.page_revisions": EDITOR,
    "editor.page_revision_compare": EDITOR,
    "editor.page_revision_restore": EDITOR,
    "editor.user_list": ADMIN,
    "editor.user_create": ADMIN,
    "editor.user_edit": ADMIN,
    "editor.user_deactivate": ADMIN,
    "editor.user_reactivate": ADMIN,
    "editor.user_invite": ADMIN,
    "editor.user_password_reset": ADMIN,
    "editor.settings_edit": ADMIN,
    "editor.menu_list": ADMIN,
    "editor.menu_link_create": ADMIN,
    "editor.menu_link_move": ADMIN,
    "editor.menu_link_position": ADMIN,
    "editor.menu_link_delete": ADMIN,
    "editor.audit_log": ADMIN,
    "editor.mail_failures": ADMIN,
    "editor.mail_failure_retry": ADMIN,
    "editor.mail_failure_dismiss": ADMIN,
    "editor.job_failure_retry": ADMIN,
    "editor.job_failure_dismiss": ADMIN,
}
ALLOWED = {
    PUBLIC: {None, Role.AUTHOR, Role.EDITOR, Role.ADMIN},
    SIGN_IN_STEP: {None, Role.AUTHOR, Role.EDITOR, Role.ADMIN},
    STAFF: {Role.AUTHOR, Role.EDITOR, Role.ADMIN},
    EDITOR: {Role.EDITOR, Role.ADMIN},
    ADMIN: {Role.ADMIN},
}


def editor_rules():
    app = create_app({"SECRET_KEY": "x"})
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("editor.")),
        key=lambda rule: rule.rule,
    )


def test_every_editor_url_has_a_declared_access():
    assert {rule.endpoint for rule in editor_rules()} == set(ACCESS)


@pytest.fixture
def world(app, make_user, make_article, make_section, make_topic, make_comment):
    """Objects for the URL arguments, and one signed-in client per role."""
    people = {role: make_user(role) for role in Role}
    target = make_user(Role.AUTHOR, name="Target Person")
    article = make_article(author=people[Role.AUTHOR], status=ArticleStatus.DRAFT)
    note = EditorComment(article=article, editor=people[Role.EDITOR])
    note.set_body("A note.")
    correction = Correction(article=article, editor=people[Role.EDITOR], kind="correction")
    correction.set_body("A correction.")
    page = Page(title="About us", slug="about", author=people[Role.EDITOR])
    page.set_body("Who we are.")
    db.session.add_all([note, correction, page])
    pick = FrontPagePick(article_id=make_article().id, position=1)
    db.session.add(pick)
    link = MenuLink(menu=MenuName.FOOTER, kind=MenuLinkKind.URL, label="Tips", url="/tips")
    db.session.add(link)
    db.session.commit()
    revision = Revision(article_id=article.id, title="An earlier title", topic_ids=[])
    db.session.add(revision)
    db.session.commit()
    values = {
        "link_id": link.id,
        "pick_id": pick.id,
        "page_id": page.id,
        "article_id": article.id,
        "note_id": note.id,
        "correction_id": correction.id,
        "comment_id": make_comment(article, status=CommentStatus.PENDING).id,
        "section_id": make_section().id,
        "topic_id": make_topic().id,
        "user_id": target.id,
        "token": "not-a-valid-token",
        "direction": "up",
        "message_id": 1,
        "failure_id": 1,
        "revision_id": revision.id,
        "passkey_id": 1,
    }
    clients = {None: app.test_client()}
    for role, person in people.items():
        clients[role] = app.test_client()
        response = clients[role].post(
            "/editor/login", data={"email": person.email, "password": PASSWORD}
        )
        assert response.status_code == 302
    return values, clients


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/editor/login" in response.headers["Location"]


@pytest.mark.parametrize("endpoint", sorted(ACCESS))
def test_access_to_every_editor_url(app, world, endpoint):
    values, clients = world
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
    allowed = ALLOWED[ACCESS[endpoint]]
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        for role, client in clients.items():
            response = client.open(url, method=method)
            seen = f"{method} {url} as {role or 'anonymous'}: {response.status_code}"
            if ACCESS[endpoint] == SIGN_IN_STEP:
                assert response.status_code == 302, seen
            elif role in allowed and endpoint == "editor.logout":
                assert is_login_redirect(response), seen  # signed out, back at the login page
                assert is_login_redirect(client.get("/editor/")), seen
            elif role in allowed:
                assert response.status_code < 500, seen
                assert response.status_code != 403 and not is_login_redirect(response), seen
            elif role is None:
                assert is_login_redirect(response), seen
            else:
                assert response.status_code == 403, seen
                assert "Forbidden" in response.get_data(as_text=True)


def test_authors_cannot_open_someone_elses_article(client, login, author, editor, make_article):
    theirs = make_article(author=editor, status=ArticleStatus.DRAFT)
    own_published = make_article(author=author)
    login(author)
    assert client.get(f"/editor/articles/{theirs.id}").status_code == 403
    assert (
        client.post(f"/editor/articles/{theirs.id}", data={"title": "Mine now"}).status_code == 403
    )
    assert client.get(f"/editor/articles/{own_published.id}").status_code == 403


def test_co_authors_edit_drafts_like_the_lead_author(
    app, client, login, author, make_user, make_article
):
    """Any co-author may edit a draft, exactly like its lead author, and no published
    article; someone not credited may edit neither."""
    lead, stranger = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    draft = make_article(author=lead, coauthors=[author], status=ArticleStatus.DRAFT)
    in_review = make_article(author=lead, coauthors=[author], status=ArticleStatus.REVIEW)
    published = make_article(author=lead, coauthors=[author])
    login(author)
    for article in (draft, in_review):
        assert client.get(f"/editor/articles/{article.id}").status_code == 200
    assert client.get(f"/editor/articles/{published.id}").status_code == 403
    assert client.post(f"/editor/articles/{published.id}", data={"title": "x"}).status_code == 403
    other = app.test_client()
    response = other.post("/editor/login", data={"email": stranger.email, "password": PASSWORD})
    assert response.status_code == 302
    for article in (draft, in_review, published):
        assert other.get(f"/editor/articles/{article.id}").status_code == 403
