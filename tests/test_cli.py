"""Command-line tasks: init, create-user, set-password, reset-two-factor, demo."""

import re

import pyotp
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import (
    Article,
    AuditEntry,
    Comment,
    CommentStatus,
    OutboxMessage,
    Passkey,
    RecoveryCode,
    Role,
    ShareTally,
    User,
)
from blog.services import counters, two_factor
from tests.conftest import PASSWORD


def test_init_creates_the_first_admin_once(runner):
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    match = re.search(r"e-mail:\s+(\S+)\n\s+password: (\S+)", first.output)
    assert match and match.group(1) == "admin@byline.example"
    admin = db.session.scalar(select(User))
    assert admin.role == Role.ADMIN
    from werkzeug.security import check_password_hash

    assert check_password_hash(admin.password_hash, match.group(2))

    second = runner.invoke(args=["init"])
    assert second.exit_code == 0
    assert "password:" not in second.output
    assert "admin@byline.example" in second.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_user_and_duplicate(runner):
    result = runner.invoke(
        args=["create-user", "--email", "Ed@Example.org", "--name", "Ed Itor", "--role", "editor"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.slug) == ("ed@example.org", Role.EDITOR, "ed-itor")
    again = runner.invoke(args=["create-user", "--email", "ed@example.org", "--name", "Ed"])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_set_password_ends_sessions(runner, make_user):
    user = make_user()
    before = user.session_version
    result = runner.invoke(args=["set-password", user.email, "--password", "new-secret-123"])
    assert result.exit_code == 0
    db.session.refresh(user)
    assert user.session_version == before + 1
    assert runner.invoke(args=["set-password", "nobody@x.org"]).exit_code != 0


def test_reset_two_factor_lets_a_locked_out_admin_back_in(app, runner, admin, client):
    secret = pyotp.random_base32()
    two_factor.store_secret(admin, secret)
    admin.totp_enabled_at = func.now()
    db.session.add(RecoveryCode(user_id=admin.id, code_hash="0" * 64))
    db.session.add(Passkey(user_id=admin.id, credential_id="abc", public_key=b"k", name="Phone"))
    db.session.commit()
    assert two_factor.secret_of(admin) == secret  # stored as the site stores it
    before = admin.session_version
    result = runner.invoke(args=["reset-two-factor", admin.email.upper()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (admin.totp_secret, admin.totp_enabled_at) == (None, None)
    assert admin.session_version == before + 1
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert db.session.scalar(select(func.count(Passkey.id))) == 0
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id) == ("two_factor.reset", None)
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == admin.email and "command line" in mail.body_text
    signed = client.post("/editor/login", data={"email": admin.email, "password": PASSWORD})
    assert signed.headers["Location"] == "/editor/"  # the password alone, as before 2FA
    missing = runner.invoke(args=["reset-two-factor", "nobody@x.org"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_reset_two_factor_leaves_an_account_without_one_alone(app, runner, admin):
    before = admin.session_version
    result = runner.invoke(args=["reset-two-factor", admin.email])
    assert result.exit_code == 1 and "nothing to reset" in result.output
    db.session.expire_all()
    assert admin.session_version == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    usage = runner.invoke(args=["reset-two-factor", "--help"]).output
    assert "exit code 1" in " ".join(usage.split())


def test_demo_fills_an_empty_site_once(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) >= 40
    assert len({a.section_id for a in articles}) >= 5
    assert all(a.brief and a.topics and a.word_count >= 300 for a in articles)
    authors = {a.author for a in articles}
    assert len(authors) >= 3 and all(a.avatar for a in authors)
    assert any(a.editor_comments for a in articles)
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.parent_id.is_not(None)))
    assert db.session.scalar(select(func.count(ShareTally.id)))

    # The stored counters agree with the rows they count.
    stored = {a.id: (a.comment_count, a.share_count) for a in articles}
    counters.refresh_article_counters()
    db.session.expire_all()
    assert stored == {
        a.id: (a.comment_count, a.share_count) for a in db.session.scalars(select(Article))
    }
    approved = db.session.scalar(
        select(func.count(Comment.id)).where(Comment.status == CommentStatus.APPROVED)
    )
    assert sum(c for c, _ in stored.values()) == approved

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "already has articles" in again.output
    assert db.session.scalar(select(func.count(Article.id))) == len(articles)

    for article in articles[:3]:
        assert client.get(f"/articles/{article.slug}").status_code == 200
