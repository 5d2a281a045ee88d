"""The audit log: each staff action writes one entry with its change (none when the change
is refused), never a secret; admins read it at /editor/audit; old entries are purged."""

import html
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from blog import formguard
from blog.domain import NotAllowed
from blog.extensions import db
from blog.jobs import jobs
from blog.models import AuditEntry, Comment, CommentStatus, Role, User
from blog.models.base import utcnow
from blog.ratelimit import keyed_hash
from blog.services import (
    audit,
    invitations,
    moderation,
    notes,
    notifications,
    passwords,
    publishing,
    settings,
    users,
)
from blog.services.moderation import ModerationAction
from blog.services.publishing import Action, ArticleChanges, ArticleRejected
from tests.conftest import PASSWORD
from tests.harness import password_change
from tests.test_comments import comment_id_from, post_comment

NEW_PASSWORD = "a brand new passphrase 42"


def logged() -> list[AuditEntry]:
    """Every entry as the database has it now (requests commit in their own sessions)."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def only_entry(**expected) -> AuditEntry:
    """The one entry there is, checked against `expected` (actor is a User or None)."""
    entries = logged()
    assert [e.action for e in entries] == [expected["action"]], entries
    (entry,) = entries
    actor = expected.pop("actor", "any")
    if actor != "any":
        assert entry.actor_id == (actor.id if actor else None)
        assert entry.actor_name == (actor.display_name if actor else "")
    for name, value in expected.items():
        assert getattr(entry, name) == value, name
    return entry


def assert_never_in_log(*secrets: str) -> None:
    text = json.dumps(
        [[e.actor_name, e.action, e.target, e.details, e.source] for e in logged()],
        ensure_ascii=False,
    )
    for secret in secrets:
        assert secret and secret not in text


def clear_log() -> None:
    db.session.execute(AuditEntry.__table__.delete())
    db.session.commit()


def post_login(client, email, password=PASSWORD, address="192.0.2.10"):
    return client.post(
        "/editor/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


# ---------- signing in and out, passwords ----------


def test_a_sign_in_is_recorded_with_the_hashed_address(client, editor):
    assert post_login(client, editor.email).status_code == 302
    entry = only_entry(
        action="auth.sign_in", actor=editor, target=f"user {editor.id}: Eddie Editor"
    )
    assert entry.source == keyed_hash("192.0.2.10", "client") and "192.0.2" not in entry.source
    assert_never_in_log(PASSWORD)


def test_a_failed_sign_in_is_recorded_for_an_account_without_what_was_typed(client, editor):
    typed = "my-guess-Hunter2"
    assert post_login(client, "nobody@byline.test", typed).status_code == 200
    # No account: written all the same (a failure costs one write either way), unnamed.
    only_entry(action="auth.sign_in_failed", actor=None, details={"reason": "no such account"})
    clear_log()
    assert post_login(client, editor.email, typed).status_code == 200
    only_entry(action="auth.sign_in_failed", actor=editor, details={"reason": "wrong password"})
    assert_never_in_log(typed, "nobody@byline.test")


def test_a_deactivated_account_signing_in_is_a_failure(client, make_user):
    gone = make_user(Role.EDITOR, active=False)
    assert post_login(client, gone.email).status_code == 200
    only_entry(action="auth.sign_in_failed", details={"reason": "account deactivated"})


def test_signing_out_is_recorded(client, login, editor):
    login(editor)
    clear_log()
    client.post("/editor/logout")
    only_entry(action="auth.sign_out", actor=editor)


def test_a_password_change_is_recorded_and_a_refused_one_is_not(client, login, author):
    login(author)
    clear_log()
    refused = client.post("/editor/profile/password", data=password_change("wrong one", "x" * 12))
    assert refused.status_code == 200 and logged() == []
    done = client.post("/editor/profile/password", data=password_change(PASSWORD, NEW_PASSWORD))
    assert done.status_code == 302
    only_entry(action="auth.password_change", actor=author)
    assert_never_in_log(PASSWORD, NEW_PASSWORD)


def test_a_reset_by_link_and_an_accepted_invitation_are_recorded(client, author):
    token = passwords.reset_token(author)
    body = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(f"/editor/reset/{token}", data=body).status_code == 302
    only_entry(action="auth.password_reset", actor=author)
    invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
    invitation = invitations.invitation_token(invited)
    clear_log()
    assert client.post(f"/editor/invite/{invitation}", data=body).status_code == 302
    only_entry(action="auth.invitation_accept", actor=invited)
    assert_never_in_log(NEW_PASSWORD, token, invitation)


# ---------- articles ----------


def changes(**fields) -> ArticleChanges:
    return ArticleChanges(
        title="Tram line reopens", brief="Trams are back.", body="Ding.", **fields
    )


def save(article, actor, action, **options):
    return publishing.save_article(
        article, changes(), actor=actor, expected_version=article.version, action=action, **options
    )


def test_each_change_of_an_articles_status_writes_one_entry(author, editor):
    draft = publishing.create_article(changes(), actor=author)
    assert logged() == []  # a plain save is not an audited action
    save(draft, author, Action.SUBMIT)
    only_entry(
        action="article.submit", actor=author, target=f"article {draft.id}: Tram line reopens"
    )
    steps = [
        (Action.PUBLISH, {}),
        (Action.UNPUBLISH, {}),
        (Action.SCHEDULE, {"publish_at": utcnow() + timedelta(days=2)}),
    ]
    for action, options in steps:
        clear_log()
        save(draft, editor, action, **options)
        entry = only_entry(action=f"article.{action.value}", actor=editor)
    assert entry.details["was"] == "draft" and entry.details["at"] == (
        draft.published_at.isoformat(timespec="minutes")
    )


def test_a_new_article_published_at_once_is_named_by_its_id(editor):
    article = publishing.create_article(changes(), actor=editor, action=Action.PUBLISH)
    only_entry(action="article.publish", target=f"article {article.id}: Tram line reopens")


def test_a_refused_publication_writes_nothing(editor):
    draft = publishing.create_article(changes(), actor=editor)
    with pytest.raises(ArticleRejected):
        publishing.save_article(
            draft,
            ArticleChanges(title="No brief yet", body="Ding."),
            actor=editor,
            expected_version=draft.version,
            action=Action.PUBLISH,
        )
    assert logged() == []


# ---------- site settings ----------

SETTINGS = {
    "site_title": "The Daily Audit",
    "tagline": "Independent news, carefully edited.",
    "about": "",
    "share_prompt": settings.SiteSettings.share_prompt,
    "share_thanks": settings.SiteSettings.share_thanks,
    "moderation_policy": "first_time",
    "block_list": "casino",
    "comments_close_after_days": "0",
    "moderation_digest_minutes": "0",
    "timezone": "UTC",
    "audit_retention_days": "30",
}


def test_saved_settings_record_the_names_and_only_short_values(client, login, admin):
    login(admin)
    clear_log()
    assert client.post("/editor/settings", data=SETTINGS).status_code == 302
    entry = only_entry(action="settings.save", actor=admin, target="site settings")
    assert entry.details == {
        "changed": ["site_title", "block_list", "audit_retention_days"],
        "site_title": {"from": "Byline", "to": "The Daily Audit"},
        "audit_retention_days": {"from": 365, "to": 30},
    }  # the block list's words are not repeated in the log
    assert settings.load().audit_retention_days == 30
    clear_log()
    assert client.post("/editor/settings", data=SETTINGS).status_code == 302
    assert logged() == []  # nothing changed, nothing to tell


def test_an_empty_retention_is_the_default_and_a_missing_one_is_kept(client, login, admin):
    settings.save(audit_retention_days=30)
    login(admin)

    def stored() -> int:
        db.session.info.pop(settings.CACHE_KEY, None)  # read again, not this session's copy
        return settings.load().audit_retention_days

    without = {k: v for k, v in SETTINGS.items() if k != "audit_retention_days"}
    assert client.post("/editor/settings", data=without).status_code == 302
    assert stored() == 30
    empty = {**SETTINGS, "audit_retention_days": " "}
    assert client.post("/editor/settings", data=empty).status_code == 302
    assert stored() == 365


@pytest.mark.parametrize("typed", ["0", "3651", "-5", "a year", "1e3"])
def test_the_retention_setting_is_bounded_and_the_form_comes_back(client, login, admin, typed):
    login(admin)
    clear_log()
    response = client.post("/editor/settings", data={**SETTINGS, "audit_retention_days": typed})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{typed}"' in text
    assert "From 1 to 3650 days." in text or "Not a valid integer value." in text
    assert 'value="The Daily Audit"' in text  # the rest of what was typed, too
    assert settings.load().audit_retention_days == 365 and logged() == []


def test_the_service_refuses_a_retention_out_of_bounds(admin):
    for days in (0, 3651, True, "30"):
        with pytest.raises(settings.SettingsRejected) as refused:
            settings.update(actor=admin, audit_retention_days=days)
        assert refused.value.field == "audit_retention_days"
    settings.update(actor=admin, audit_retention_days=3650)
    assert settings.load().audit_retention_days == 3650


# ---------- people ----------


def fresh_user(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


SECRET = re.compile(r'id="secret" class="secret-value" type="text" readonly value="([^"]+)"')


def shown_secret(response) -> str:
    """The temporary password or invitation link the page shows once."""
    assert response.status_code == 200
    return html.unescape(SECRET.search(response.get_data(as_text=True)).group(1))


def test_user_changes_write_one_entry_each_and_no_secret(client, login, admin, author):
    login(admin)
    clear_log()
    steps = [
        (f"/editor/users/{author.id}", {"role": "editor"}, "user.role"),
        (f"/editor/users/{author.id}/deactivate", {}, "user.deactivate"),
        (f"/editor/users/{author.id}/reactivate", {}, "user.reactivate"),
    ]
    for url, data, action in steps:
        assert client.post(url, data=data).status_code == 302, url
        only_entry(action=action, actor=admin, target=f"user {author.id}: Ada Author")
        if action == "user.role":
            assert logged()[0].details == {"role": {"from": "author", "to": "editor"}}
        clear_log()
    secrets = [shown_secret(client.post(f"/editor/users/{author.id}/reset-password"))]
    only_entry(action="user.password_set", actor=admin, target=f"user {author.id}: Ada Author")
    clear_log()
    new_person = {"email": "new@byline.test", "display_name": "Nia New", "role": "author"}
    secrets.append(
        shown_secret(client.post("/editor/users/new", data={**new_person, "access": "password"}))
    )
    only_entry(action="user.create", actor=admin, details={"role": "author"})
    clear_log()
    invitee = {"email": "ivy@byline.test", "display_name": "Ivy", "role": "editor"}
    secrets.append(
        shown_secret(client.post("/editor/users/new", data={**invitee, "access": "invite"}))
    )
    invited = users.find_by_email("ivy@byline.test")
    only_entry(action="user.invite", target=f"user {invited.id}: Ivy", details={"role": "editor"})
    clear_log()
    secrets.append(shown_secret(client.post(f"/editor/users/{invited.id}/invitation")))
    only_entry(action="user.invite_renew", actor=admin, target=f"user {invited.id}: Ivy")
    tokens = [link.rsplit("/", 1)[1] for link in secrets[2:]]
    assert all(len(secret) >= 12 for secret in secrets + tokens)
    assert_never_in_log(*secrets, *tokens)


def test_a_refused_user_change_writes_nothing(admin, author):
    with pytest.raises(users.UserRejected):
        users.change_role(admin, Role.EDITOR, actor=admin)  # the last admin
    with pytest.raises(users.UserRejected):
        users.deactivate(admin, actor=admin)
    users.change_role(author, Role.AUTHOR, actor=admin)  # no change
    users.reactivate(author, actor=admin)  # already active
    assert logged() == []


def test_commands_are_recorded_as_the_system(runner, author):
    result = runner.invoke(args=["set-password", author.email, "--password", NEW_PASSWORD])
    assert result.exit_code == 0
    only_entry(action="user.password_set", actor=None, target=f"user {author.id}: Ada Author")
    assert_never_in_log(NEW_PASSWORD)


# ---------- sections and topics ----------


def test_sections_and_topics_record_create_rename_and_delete(client, login, editor):
    login(editor)
    clear_log()
    client.post("/editor/sections/new", data={"name": "Harbour", "slug": "", "description": ""})
    section = only_entry(action="section.create", actor=editor)
    section_id = int(section.target.split()[1].rstrip(":"))
    clear_log()
    unchanged = {"name": "Harbour", "slug": "harbour", "description": ""}
    assert client.post(f"/editor/sections/{section_id}", data=unchanged).status_code == 302
    assert logged() == []
    renamed = {"name": "Port", "slug": "port", "description": "Ships"}
    client.post(f"/editor/sections/{section_id}", data=renamed)
    only_entry(
        action="section.edit",
        target=f"section {section_id}: Port",
        details={
            "name": {"from": "Harbour", "to": "Port"},
            "slug": {"from": "harbour", "to": "port"},
            "description": "changed",
        },
    )
    clear_log()
    client.post(f"/editor/sections/{section_id}/delete", data={"move_to": ""})
    only_entry(action="section.delete", target=f"section {section_id}: Port")
    clear_log()
    client.post("/editor/topics/new", data={"name": "Ferries", "slug": "", "description": ""})
    topic = only_entry(action="topic.create", actor=editor)
    topic_id = int(topic.target.split()[1].rstrip(":"))
    clear_log()
    client.post(f"/editor/topics/{topic_id}", data={"name": "Boats", "slug": "", "description": ""})
    only_entry(action="topic.edit", details={"name": {"from": "Ferries", "to": "Boats"}})
    clear_log()
    client.post(f"/editor/topics/{topic_id}/delete")
    only_entry(action="topic.delete", details={"articles_unlinked": 0})
    client.post("/editor/topics/new", data={"name": "Boats", "slug": "", "description": ""})
    clear_log()
    taken = client.post("/editor/topics/new", data={"name": "boats", "slug": "", "description": ""})
    assert taken.status_code == 200 and "already a topic" in taken.get_data(as_text=True)
    assert logged() == []  # refused: nothing recorded


# ---------- reader comments and editor's notes ----------


@pytest.fixture
def reader_comment(make_article, make_comment):
    """A reader's comment held for moderation, on an article with a recognisable title."""
    article = make_article(title="Harbour plans")
    return make_comment(
        article,
        body="A private thought.",
        author_email=READER_EMAIL,
        status=CommentStatus.PENDING,
    )


READER_EMAIL = "rosa.private@example.org"


def comment_target(comment) -> str:
    return f"comment {comment.id} on “Harbour plans”"


def test_each_moderation_in_the_queue_writes_one_entry(client, login, editor, reader_comment):
    login(editor)
    clear_log()
    url = f"/editor/comments/{reader_comment.id}/moderate"
    steps = [("approve", "pending", "approved"), ("spam", "approved", "spam")]
    steps += [("delete", "spam", "deleted"), ("restore", "deleted", "pending")]
    for action, was, now in steps:
        assert client.post(url, data={"action": action}).status_code == 303
        only_entry(
            action=f"comment.{action}",
            actor=editor,
            target=comment_target(reader_comment),
            details={"status": {"from": was, "to": now}},
        )
        clear_log()
    assert client.post(url, data={"action": "restore"}).status_code == 303
    assert logged() == []  # already pending: nothing changed
    assert_never_in_log(READER_EMAIL, "private thought")


def test_a_bulk_action_writes_one_entry_per_changed_comment(
    client, login, editor, reader_comment, make_comment
):
    spam = make_comment(reader_comment.article, status=CommentStatus.SPAM)
    other = make_comment(reader_comment.article, status=CommentStatus.PENDING)
    login(editor)
    clear_log()
    ids = [reader_comment.id, spam.id, other.id]
    response = client.post("/editor/comments/bulk", data={"bulk_action": "spam", "ids": ids})
    assert response.status_code == 303
    entries = logged()
    assert [(e.action, e.actor_id) for e in entries] == [("comment.spam", editor.id)] * 2
    assert sorted(e.target for e in entries) == sorted(
        comment_target(c) for c in (reader_comment, other)
    )  # the comment already marked as spam changed nothing


def test_a_moderators_edit_is_recorded_without_the_text(client, login, editor, reader_comment):
    login(editor)
    clear_log()
    url = f"/editor/comments/{reader_comment.id}/edit"
    assert client.post(url, data={"body": "   "}).status_code == 400  # refused
    assert client.post(url, data={"body": "A private thought."}).status_code == 303
    assert logged() == []  # the same text: nothing changed
    assert client.post(url, data={"body": "A thought, trimmed."}).status_code == 303
    only_entry(action="comment.edit", actor=editor, target=comment_target(reader_comment))
    assert_never_in_log(READER_EMAIL, "private thought", "trimmed")


def test_moderation_by_someone_who_may_not_writes_nothing(client, login, author, reader_comment):
    with pytest.raises(NotAllowed):
        moderation.moderate([reader_comment.id], ModerationAction.APPROVE, actor=author)
    with pytest.raises(NotAllowed):
        moderation.edit_by_moderator(reader_comment, "Changed.", actor=author)
    login(author)
    clear_log()
    url = f"/editor/comments/{reader_comment.id}/moderate"
    assert client.post(url, data={"action": "approve"}).status_code == 403
    assert logged() == []
    assert fresh_comment(reader_comment).status == CommentStatus.PENDING


def fresh_comment(comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def test_a_mail_link_records_the_moderator_it_was_made_for(client, editor, admin, reader_comment):
    url = notifications.moderation_url(reader_comment, ModerationAction.APPROVE, admin)
    spam = notifications.moderation_url(reader_comment, ModerationAction.SPAM, editor)
    clear_log()
    assert client.get(url).status_code == 200 and logged() == []  # opening it asks first
    assert client.post(url).status_code == 200
    only_entry(
        action="comment.approve",
        actor=admin,
        target=comment_target(reader_comment),
        details={"status": {"from": "pending", "to": "approved"}, "via": "e-mail link"},
    )
    clear_log()
    assert client.post(url).status_code == 410 and client.post(spam).status_code == 410
    assert logged() == []  # spent: refused, nothing recorded


def test_a_mail_link_of_a_deactivated_moderator_acts_no_more(client, admin, editor, reader_comment):
    url = notifications.moderation_url(reader_comment, ModerationAction.APPROVE, editor)
    users.deactivate(editor, actor=admin)
    clear_log()
    assert client.post(url).status_code == 400
    assert logged() == [] and fresh_comment(reader_comment).status == CommentStatus.PENDING


def test_readers_posting_editing_and_deleting_write_nothing(client, make_article):
    article = make_article(title="Harbour plans")
    clear_log()
    comment_id = comment_id_from(post_comment(client, article, body="First go."))
    token = {"form_token": formguard.issue_token("comment-edit", comment_id)}
    headers = {"Origin": "http://byline.test"}
    edited = client.post(
        f"/comments/{comment_id}/edit", data={**token, "body": "Second go."}, headers=headers
    )
    assert edited.status_code == 303 and fresh_comment_id(comment_id).body_md == "Second go."
    token = {"form_token": formguard.issue_token("comment-delete", comment_id)}
    deleted = client.post(f"/comments/{comment_id}/delete", data=token, headers=headers)
    assert deleted.status_code == 303
    assert fresh_comment_id(comment_id).status == CommentStatus.DELETED
    assert logged() == []


def fresh_comment_id(comment_id: int) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment_id)


def test_closing_and_opening_an_articles_comments_is_recorded(author, editor):
    story = publishing.create_article(changes(), actor=author)
    clear_log()
    for is_open, verb in ((False, "close"), (True, "open")):
        publishing.save_article(
            story,
            changes(comments_open=is_open),
            actor=editor,
            expected_version=story.version,
            action=Action.SAVE,
        )
        only_entry(
            action=f"article.comments_{verb}",
            actor=editor,
            target=f"article {story.id}: Tram line reopens",
        )
        clear_log()


def test_editors_notes_record_add_edit_and_delete(client, login, editor, admin, make_article):
    article = make_article(title="Harbour plans")
    login(editor)
    clear_log()
    added = client.post(f"/editor/articles/{article.id}/notes", data={"note_body": "Check."})
    assert added.status_code == 302
    entry = only_entry(action="note.add", actor=editor)
    note_id = int(entry.target.split()[1])
    assert entry.target == f"note {note_id} on “Harbour plans”"
    clear_log()
    assert client.post(f"/editor/notes/{note_id}", data={"note_body": "Check."}).status_code == 302
    assert logged() == []  # unchanged
    assert (
        client.post(f"/editor/notes/{note_id}", data={"note_body": "Checked."}).status_code == 302
    )
    only_entry(action="note.edit", actor=editor, target=f"note {note_id} on “Harbour plans”")
    clear_log()
    notes.edit_note(notes.get_note(note_id), "Checked twice.", admin)
    only_entry(
        action="note.edit",
        actor=admin,
        details={"signed_by": {"from": "Eddie Editor", "to": "Alma Admin"}},
    )
    clear_log()
    assert client.post(f"/editor/notes/{note_id}/delete").status_code == 302
    only_entry(action="note.delete", actor=editor, target=f"note {note_id} on “Harbour plans”")
    assert_never_in_log("Checked twice")


def test_a_refused_note_writes_nothing(author, editor, make_article):
    article = make_article()
    note = notes.add_note(article, editor, "Mine.")
    clear_log()
    with pytest.raises(NotAllowed):
        notes.add_note(article, author, "Theirs.")
    with pytest.raises(NotAllowed):
        notes.edit_note(note, "Theirs.", author)
    with pytest.raises(NotAllowed):
        notes.delete_note(note, actor=author)
    assert logged() == []


# ---------- the log page ----------


def entry_at(at: datetime, action: str = "auth.sign_in", actor: User | None = None, **fields):
    entry = AuditEntry(
        at=at,
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "",
        **fields,
    )
    db.session.add(entry)
    return entry


def test_only_admins_read_the_log(app, make_user):
    for role, status in ((Role.AUTHOR, 403), (Role.EDITOR, 403), (Role.ADMIN, 200)):
        person = make_user(role)
        client = app.test_client()
        assert post_login(client, person.email).status_code == 302
        assert client.get("/editor/audit").status_code == status, role
        menu = client.get("/editor/").get_data(as_text=True)
        assert ('href="/editor/audit"' in menu) is (role == Role.ADMIN)
    anonymous = app.test_client().get("/editor/audit")
    assert anonymous.status_code == 302 and "/editor/login" in anonymous.headers["Location"]


def test_the_service_refuses_anyone_but_an_admin(editor):
    with pytest.raises(NotAllowed):
        audit.log_page(editor)
    with pytest.raises(NotAllowed):
        audit.filter_choices(editor)


def test_a_row_shows_when_who_what_target_details_and_source(client, login, admin, editor):
    settings.save(timezone="Asia/Tokyo")
    entry_at(
        datetime(2025, 6, 21, 12, 0, tzinfo=UTC),
        "user.role",
        admin,
        target="user 9: <b>Bold</b> Name",
        details={"role": audit.change("author", "editor")},
        source="0123456789abcdef" * 2,
    )
    entry_at(datetime(2025, 6, 21, 13, 0, tzinfo=UTC), "wire.import", target="article 3")
    db.session.commit()
    login(admin)
    text = client.get("/editor/audit").get_data(as_text=True)
    assert "June 21, 2025 21:00 JST" in text  # the site's time zone
    assert "Alma Admin" in text and "Changed role" in text
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in text and "<b>Bold</b>" not in text
    assert "role: author → editor" in text
    assert "<code>01234567</code>" in text and "0123456789abcdef" not in text
    assert "<em>system</em>" in text and "wire.import" in text  # an action without a label
    # Newest first: the sign-in that opened this page, then 13:00, then 12:00.
    rows = text[text.index("<tbody>") :]
    assert rows.index("Signed in") < rows.index("wire.import") < rows.index("Changed role")


def test_the_filters_narrow_by_action_and_person(client, login, admin, editor):
    now = utcnow() - timedelta(hours=1)
    entry_at(now, "article.publish", editor, target="article 1: Mine")
    entry_at(now, "article.publish", admin, target="article 2: Theirs")
    entry_at(now, "user.password_set", None, target="user 5: By command")
    db.session.commit()
    login(admin)

    def targets(**query) -> list[str]:
        response = client.get("/editor/audit", query_string=query)
        assert response.status_code == 200
        return [t for t in ("Mine", "Theirs", "By command") if t in response.get_data(as_text=True)]

    assert targets() == ["Mine", "Theirs", "By command"]
    assert targets(action="article.publish") == ["Mine", "Theirs"]
    assert targets(action="article.publish", who=str(editor.id)) == ["Mine"]
    assert targets(who="system") == ["By command"]
    # Unknown or hostile values are dropped, not obeyed and never a 500.
    for value in ("x" * 5000, "1 OR 1=1", "\x00", "99999999999999999999", "-1"):
        assert targets(action=value, who=value) == ["Mine", "Theirs", "By command"]


def test_the_log_is_paginated_newest_first(client, login, admin):
    start = utcnow() - timedelta(days=1)
    for n in range(audit.PER_PAGE + 5):
        entry_at(start + timedelta(minutes=n), "topic.create", target=f"topic {n}: T{n:03d}")
    db.session.commit()
    login(admin)
    first = client.get("/editor/audit", query_string={"action": "topic.create"})
    text = first.get_data(as_text=True)
    assert "T054" in text and "T005" in text and "T004" not in text
    assert "Page 1 of 2" in text and "page=2" in text and "action=topic.create" in text
    second = client.get("/editor/audit?action=topic.create&page=2").get_data(as_text=True)
    assert "T004" in second and "T000" in second and "T005" not in second
    assert client.get("/editor/audit?page=3").status_code == 404
    assert client.get("/editor/audit?page=abc").status_code == 404


# ---------- retention ----------


def test_the_purge_keeps_recent_entries_and_removes_old_ones(admin):
    now = utcnow()
    for days in (400, 366, 364, 1):
        entry_at(now - timedelta(days=days), target=f"{days} days old")
    db.session.commit()
    assert audit.purge(now) == 2
    assert [e.target for e in logged()] == ["364 days old", "1 days old"]
    settings.update(actor=admin, audit_retention_days=30)
    assert audit.purge(now) == 1
    assert [e.target for e in logged()] == ["1 days old", "site settings"]
    assert audit.purge(now) == 0


def test_the_purge_works_in_bounded_batches(app, count_queries):
    old = utcnow() - timedelta(days=500)
    for n in range(7):
        entry_at(old + timedelta(seconds=n), target=f"old {n}")
    db.session.commit()
    assert audit.purge(utcnow(), batch=3, batches=2) == 6  # two batches of three, then stop
    assert [e.target for e in logged()] == ["old 6"]  # the oldest went first
    with count_queries() as counter:
        assert audit.purge(utcnow(), batch=3, batches=2) == 1
    deletes = [s for s in counter.statements if s.lstrip().upper().startswith("DELETE")]
    assert len(deletes) == 1  # a short batch means nothing is left: no second try


def test_the_worker_purges_every_hour(app):
    queue = jobs(app)

    def due_at(minute: int) -> set[str]:
        return {task.name for task in queue.huey.read_periodic(datetime(2030, 1, 1, 5, minute))}

    assert "audit_purge" in due_at(17) and "audit_purge" not in due_at(18)
    entry_at(utcnow() - timedelta(days=366))
    db.session.commit()
    assert queue.audit_purge.call_local() == 1 and logged() == []


def test_an_action_name_must_fit_its_column():
    with pytest.raises(ValueError, match="longer than 40"):
        audit.record(None, "a" * 41)


RECORDED = re.compile(r'audit\.record\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"')


def test_every_action_the_code_records_has_a_label():
    """The viewer's names and the action filter come from audit.ACTIONS: an action
    recorded under a literal name must be listed there."""
    blog = Path(__file__).resolve().parent.parent / "blog"
    found = {action for path in blog.rglob("*.py") for action in RECORDED.findall(path.read_text())}
    assert {"auth.sign_in", "user.role", "settings.save"} <= found  # the pattern still reads
    assert found - set(audit.ACTIONS) == set(), "add these to ACTIONS in blog/services/audit.py"
    assert all(len(action) <= audit.ACTION_LENGTH for action in audit.ACTIONS)
