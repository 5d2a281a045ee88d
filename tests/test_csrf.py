"""Every state-changing URL in the URL map refuses a forged request and changes nothing.

Editor forms carry Flask-WTF's session CSRF token: without it, or with a wrong one, the
answer is the 400 page. Reader forms on cacheable pages (comments, shares) carry a
signed form token and must come from this site: a missing, forged or foreign token, or a
cross-site Origin or Referer, is refused with 400. The endpoints come from the URL map,
so a new POST endpoint fails this test until it is listed here.
"""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer
from sqlalchemy import delete, select

from blog import create_app, formguard, links, security
from blog.comments import ownership
from blog.extensions import db
from blog.models import Article, ArticleStatus, Passkey, Role, Subscriber, Subscription, Topic
from blog.services import subscribers
from tests.follow_helpers import path_of
from tests.harness import CSRF_FIELD, csrf_token_from, rebuilt, signed_in_by_form
from tests.security_helpers import rule_path, snapshot, url_values
from tests.test_comments import aged_token
from tests.test_security_headers import assert_secured

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
READER_ENDPOINTS = {
    "comments.create",
    "comments.edit",
    "comments.delete",
    "comment_reports.create",
    "comments.confirm",  # the button of the page a comment's confirmation link opens
    "public.share",
    # Following by e-mail: the forms, and the pages the mailed links open (a mail program's
    # one-click unsubscribe POST is the one exception, below).
    "follow.site",
    "follow.section",
    "follow.topic",
    "follow.manage_request",
    "follow.confirm",
    "follow.manage",
    "follow.unsubscribe",
    "follow.undo",
}
EDITOR_ENDPOINTS = {
    "editor.login",
    "editor.login_code",
    "editor.logout",
    "editor.invite_accept",
    "editor.profile",
    "editor.profile_password",
    "editor.welcome",
    "editor.password_renew",
    "editor.two_factor_setup",
    "editor.two_factor_start",
    "editor.two_factor_codes",
    "editor.two_factor_disable",
    "editor.user_two_factor_reset",
    "editor.passkey_register_options",
    "editor.passkey_register",
    "editor.passkey_rename",
    "editor.passkey_remove",
    "editor.passkey_sign_in_options",
    "editor.passkey_sign_in",
    "editor.article_new",
    "editor.article_edit",
    "editor.article_preview",
    "editor.image_upload",
    "editor.note_create",
    "editor.note_edit",
    "editor.note_delete",
    "editor.correction_create",
    "editor.correction_retract",
    "editor.comment_edit",
    "editor.comment_moderate",
    "editor.comment_bulk",
    "editor.section_create",
    "editor.section_edit",
    "editor.section_move",
    "editor.section_delete",
    "editor.topic_create",
    "editor.topic_edit",
    "editor.topic_delete",
    "editor.front_pick",
    "editor.front_pick_update",
    "editor.front_pick_move",
    "editor.front_pick_remove",
    "editor.front_breaking",
    "editor.front_breaking_clear",
    "editor.page_new",
    "editor.page_edit",
    "editor.page_delete",
    "editor.article_revision_restore",
    "editor.page_revision_restore",
    "editor.user_create",
    "editor.user_edit",
    "editor.user_deactivate",
    "editor.user_reactivate",
    "editor.user_invite",
    "editor.user_password_reset",
    "editor.settings_edit",
    "editor.menu_link_create",
    "editor.menu_link_move",
    "editor.menu_link_position",
    "editor.menu_link_delete",
    "editor.password_forgot",
    "editor.password_reset",
    "editor.mail_failure_retry",
    "editor.mail_failure_dismiss",
    "editor.job_failure_retry",
    "editor.job_failure_dismiss",
    "editor.mail_action",
}
CSRF_MESSAGE = "This form has expired or did not come from this site."
SITE = "http://byline.test"
ELSEWHERE = "https://attacker.example"


def write_rules(app: Flask):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.methods & WRITE_METHODS),
        key=lambda rule: rule.rule,
    )


def test_every_state_changing_url_is_covered():
    app = create_app({"SECRET_KEY": "x"})
    endpoints = [rule.endpoint for rule in write_rules(app)]
    assert len(endpoints) == len(set(endpoints))  # one rule per endpoint
    assert set(endpoints) == READER_ENDPOINTS | EDITOR_ENDPOINTS
    assert not READER_ENDPOINTS & EDITOR_ENDPOINTS
    assert len(endpoints) == 81


@pytest.fixture
def protected(app) -> Iterator[Flask]:
    """The test app with CSRF protection on (the shared fixture turns it off)."""
    with rebuilt(app, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False) as guarded:
        security.register(guarded)  # a no-op once create_app registers it
        yield guarded


@pytest.fixture
def world(protected, make_user, make_article):
    """An object for every URL argument."""
    admin = make_user(Role.ADMIN, name="Alma Admin")
    target = make_user(Role.AUTHOR, name="Target Person")
    article = make_article(author=target, status=ArticleStatus.REVIEW)
    public = make_article("The harbour reopens", slug="harbour")
    values = url_values(admin, target, article, public, direction="down")
    return admin, public, values


@pytest.fixture
def signed_in_staff(protected, world):
    """A client signed in as the admin (staff), and the public article."""
    admin, article, _ = world
    return signed_in_by_form(protected, admin), article


def test_editor_forms_refuse_a_missing_or_wrong_csrf_token(protected, world):
    admin, _, values = world
    client = signed_in_by_form(protected, admin)
    stranger = protected.test_client()
    foreign_token = csrf_token_from(stranger)  # valid, but for another session
    attempts = {
        "no token": {},
        "forged token": {"csrf_token": "forged"},
        "another session's token": {"csrf_token": foreign_token},
    }
    rules = [rule for rule in write_rules(protected) if rule.endpoint in EDITOR_ENDPOINTS]
    assert len(rules) == len(EDITOR_ENDPOINTS)
    before = snapshot()
    assert before["articles"] and before["comments"] and before["editor_comments"]
    refused = 0
    for rule in rules:
        url = rule_path(rule, values)
        for method in sorted(rule.methods & WRITE_METHODS):
            for label, data in attempts.items():
                response = client.open(url, method=method, data={"title": "Changed", **data})
                seen = f"{method} {url} with {label}: {response.status_code}"
                assert response.status_code == 400, seen
                assert CSRF_MESSAGE in response.get_data(as_text=True), seen
                assert_secured(response, seen)
                refused += 1
            header = client.open(url, method=method, headers={"X-CSRFToken": "forged"})
            assert header.status_code == 400, f"{method} {url} with a forged header"
    assert refused == 3 * len(EDITOR_ENDPOINTS)
    assert snapshot() == before
    # Still signed in: the refusals were the CSRF check, not a lost session.
    assert client.get("/editor/").status_code == 200


def test_editor_forms_accept_the_sessions_own_token(protected, world):
    admin, _, values = world
    client = signed_in_by_form(protected, admin)  # the login form itself, with its token
    token = csrf_token_from(client, "/editor/")
    # A passkey of the admin's own for its rename and remove forms (added once signed in:
    # before, it would make signing in take a second step).
    passkey = Passkey(user_id=admin.id, credential_id="csrf-test", public_key=b"k", name="Key")
    db.session.add(passkey)
    db.session.commit()
    values = values | {"passkey_id": passkey.id}

    def last_the_ones_that_remove(rule) -> tuple:
        return (rule.endpoint == "editor.logout", rule.endpoint.endswith("_delete"), rule.rule)

    # Every URL built above reaches its view with the right token (the view may still
    # refuse the empty form): the 400s of the test above were the CSRF check.
    rules = [rule for rule in write_rules(protected) if rule.endpoint in EDITOR_ENDPOINTS]
    for rule in sorted(rules, key=last_the_ones_that_remove):
        url = rule_path(rule, values)
        response = client.post(url, data={"csrf_token": token})
        seen = f"POST {url} with the session's token: {response.status_code}"
        assert response.status_code not in (404, 405) and response.status_code < 500, seen
        assert CSRF_MESSAGE not in response.get_data(as_text=True), seen

    db.session.execute(delete(Passkey).where(Passkey.user_id == admin.id))
    db.session.commit()  # the password alone signs in again
    client = signed_in_by_form(protected, admin)
    token = csrf_token_from(client, "/editor/topics/new")
    response = client.post("/editor/topics/new", data={"name": "Ferries", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(Topic).where(Topic.name == "Ferries")) is not None


# ---------- Reader forms: signed form token and same origin ----------


def forged_tokens(purpose: str, subject: int, other_subject: int) -> dict[str, str]:
    foreign_key = URLSafeSerializer("not-our-key", salt=formguard.SALT)
    return {
        "no token": "",
        "forged token": "forged",
        "token signed with another key": foreign_key.dumps([purpose, str(subject), 0]),
        "token for another form": formguard.issue_token("another-form", subject),
        "token for another object": formguard.issue_token(purpose, other_subject),
    }


def cross_site_headers() -> dict[str, dict[str, str]]:
    return {
        "cross-site Origin": {"Origin": ELSEWHERE},
        "cross-site Referer": {"Referer": ELSEWHERE + "/page"},
        "Origin null": {"Origin": "null"},
    }


def assert_refused(client, url: str, field: str, good_token: str, tokens, data=None) -> int:
    """POST the reader form with each bad token and each foreign origin: all 400."""
    count = 0
    for label, token in tokens.items():
        response = client.post(url, data={**(data or {}), field: token}, headers={"Origin": SITE})
        assert response.status_code == 400, f"{url} with {label}: {response.status_code}"
        count += 1
    for label, headers in cross_site_headers().items():
        response = client.post(url, data={**(data or {}), field: good_token}, headers=headers)
        assert response.status_code == 400, f"{url} with {label}: {response.status_code}"
        count += 1
    return count


def test_reader_forms_refuse_forged_tokens_and_other_sites(
    protected, world, make_article, make_comment
):
    _, article, _ = world
    other = make_article("Another story", slug="another")
    shown, other_shown = make_comment(article, "On show."), make_comment(article, "Also shown.")
    reader = protected.test_client()
    comment_url = f"/articles/{article.slug}/comments"
    share_url = f"/articles/{article.slug}/share/x"
    comment_data = {"name": "Rosa Reader", "email": "rosa@example.org", "body": "Well argued."}
    refused = 0

    before = snapshot()
    refused += assert_refused(
        reader,
        comment_url,
        "form_token",
        aged_token(article),
        forged_tokens("comment", article.id, other.id),
        comment_data,
    )
    refused += assert_refused(
        reader,
        share_url,
        "token",
        formguard.issue_token("share", article.id),
        forged_tokens("share", article.id, other.id),
    )
    assert snapshot() == before

    # The same forms, sent properly, go through: the refusals above were the checks.
    posted = reader.post(
        comment_url,
        data={**comment_data, "form_token": aged_token(article)},
        headers={"Origin": SITE},
    )
    assert posted.status_code == 303, posted.get_data(as_text=True)
    comment_id = int(re.search(r"#comment-(\d+)$", posted.headers["Location"]).group(1))
    shared = reader.post(
        share_url,
        data={"token": formguard.issue_token("share", article.id)},
        headers={"Origin": SITE},
    )
    assert shared.status_code == 303
    db.session.expire_all()
    assert db.session.get(Article, article.id).share_count == 1

    # The poster's own comment (the cookie says so): edit and delete need their tokens too.
    assert reader.get_cookie(ownership.COOKIE_NAME, domain="byline.test") is not None
    before = snapshot()
    edit_url = f"/comments/{comment_id}/edit"
    delete_url = f"/comments/{comment_id}/delete"
    for url, purpose, data in (
        (edit_url, "comment-edit", {"body": "Rewritten by someone else."}),
        (delete_url, "comment-delete", None),
    ):
        refused += assert_refused(
            reader,
            url,
            "form_token",
            formguard.issue_token(purpose, comment_id),
            forged_tokens(purpose, comment_id, comment_id + 1),
            data,
        )
    assert snapshot() == before
    assert refused == 4 * 8

    # A reader's report of a comment on show: its own token, for that comment only.
    refused = assert_refused(
        reader,
        f"/comments/{shown.id}/report",
        "form_token",
        formguard.issue_token("comment-report", shown.id),
        forged_tokens("comment-report", shown.id, other_shown.id),
        {"reason": "spam"},
    )
    assert refused == 8
    assert snapshot() == before
    reported = reader.post(
        f"/comments/{shown.id}/report",
        data={"reason": "spam", "form_token": formguard.issue_token("comment-report", shown.id)},
        headers={"Origin": SITE},
    )
    assert reported.status_code == 303, reported.get_data(as_text=True)

    edited = reader.post(
        edit_url,
        data={
            "body": "Well argued, truly.",
            "form_token": formguard.issue_token("comment-edit", comment_id),
        },
        headers={"Origin": SITE},
    )
    assert edited.status_code == 303, edited.get_data(as_text=True)
    deleted = reader.post(
        delete_url,
        data={"form_token": formguard.issue_token("comment-delete", comment_id)},
        headers={"Origin": SITE},
    )
    assert deleted.status_code == 303, deleted.get_data(as_text=True)


def test_follow_forms_refuse_forged_tokens_and_other_sites(protected, world, make_topic):
    """The follow forms and the buttons of the pages a mailed link opens carry the reader
    form token; a mail program's one-click unsubscribe POST carries none, and needs none:
    the signed link is the authority (RFC 8058), and only that exact request acts."""
    _, article, _ = world
    ports = make_topic("Ports", slug="ports")
    article.topics.append(ports)
    rosa = Subscriber(email="rosa@example.org", email_key="rosa@example.org")
    db.session.add(rosa)
    db.session.flush()
    waiting = Subscription(subscriber_id=rosa.id, scope="site", list_key="site")
    db.session.add(waiting)
    db.session.commit()
    section = article.section
    undo_token = links.make_token(
        "follow-undo", [rosa.id, subscribers.digest(rosa), "list", [["site", None, "each"]]]
    )
    email = {"email": "x@example.org", "cadence": "each"}
    forms = [
        ("/follow", "follow", "site", "section:1", email),
        (f"/follow/section/{section.slug}", "follow", f"section:{section.id}", "site", email),
        ("/follow/topic/ports", "follow", f"topic:{ports.id}", "site", email),
        ("/follow/manage", "follow-manage-request", 0, 1, {"email": "x@example.org"}),
        (
            path_of(subscribers.confirm_subscription_url(rosa, waiting.id)),
            "follow-confirm",
            waiting.id,
            waiting.id + 1,
            {},
        ),
        (
            path_of(subscribers.manage_url(rosa)),
            "follow-manage",
            rosa.id,
            rosa.id + 1,
            {"action": "all"},
        ),
        ("/mail/undo", "follow-undo", rosa.id, rosa.id + 1, {"undo": undo_token}),
    ]
    reader = protected.test_client()
    before = snapshot()
    refused = 0
    for url, purpose, subject, other_subject, data in forms:
        refused += assert_refused(
            reader,
            url,
            "form_token",
            formguard.issue_token(purpose, subject),
            forged_tokens(purpose, subject, other_subject),
            data,
        )
    assert refused == 7 * 8
    leave = path_of(subscribers.unsubscribe_url(rosa, "all"))
    not_one_click = reader.post(leave, data={"form_token": "forged"}, headers={"Origin": ELSEWHERE})
    assert not_one_click.status_code == 400
    assert snapshot() == before

    sent = reader.post(
        "/follow",
        data={**email, "form_token": formguard.issue_token("follow", "site")},
        headers={"Origin": SITE},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    mail_program = protected.test_client(use_cookies=False)
    left = mail_program.post(leave, data={"List-Unsubscribe": "One-Click"})
    assert left.status_code == 200
    db.session.expire_all()
    assert subscribers.find("rosa@example.org") is None


def test_a_comments_confirmation_button_refuses_forged_tokens_and_other_sites(
    protected, world, make_comment
):
    """The page a comment's confirmation link opens changes nothing; its button carries
    the reader form token, for that comment only."""
    _, article, _ = world
    mine = make_comment(article, "Mine.", author_email="rosa@example.org", wants_replies=True)
    other = make_comment(article, "Another.", author_email="rosa@example.org")
    link = subscribers.confirm_comment_url(subscribers.address("rosa@example.org"), mine.id)
    db.session.commit()
    url = urlsplit(link).path
    reader = protected.test_client()
    before = snapshot()
    refused = assert_refused(
        reader,
        url,
        "form_token",
        formguard.issue_token("comment-confirm", mine.id),
        forged_tokens("comment-confirm", mine.id, other.id),
    )
    assert refused == 8
    assert snapshot() == before
    confirmed = reader.post(
        url,
        data={"form_token": formguard.issue_token("comment-confirm", mine.id)},
        headers={"Origin": SITE},
    )
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)


def test_signed_in_staff_also_need_the_session_token_on_reader_forms(signed_in_staff):
    staff, article = signed_in_staff
    url = f"/articles/{article.slug}/comments"
    data = {"body": "A word from the newsroom.", "form_token": aged_token(article)}
    before = snapshot()
    for label, extra in {"no token": {}, "forged token": {"csrf_token": "forged"}}.items():
        response = staff.post(url, data={**data, **extra}, headers={"Origin": SITE})
        assert response.status_code == 400, label
        assert "security token has expired" in response.get_data(as_text=True), label
    assert snapshot() == before
    token = csrf_token_from(staff, f"/articles/{article.slug}")
    response = staff.post(url, data={**data, "csrf_token": token}, headers={"Origin": SITE})
    assert response.status_code == 303, response.get_data(as_text=True)


def test_signed_in_staff_also_need_the_session_token_to_share(protected, signed_in_staff):
    staff, article = signed_in_staff
    url = f"/articles/{article.slug}/share/x"
    data = {"token": formguard.issue_token("share", article.id)}
    before = snapshot()
    attempts = {"no token": {}, "forged token": {"csrf_token": "forged"}}
    for label, extra in attempts.items():
        for accept in ("text/html", "application/json"):
            response = staff.post(
                url, data={**data, **extra}, headers={"Origin": SITE, "Accept": accept}
            )
            assert response.status_code == 400, (label, accept)
            assert "security token has expired" in response.get_data(as_text=True), label
    assert snapshot() == before

    # The article page gives a signed-in reader the session token in every share form
    # (never in the page anonymous readers get, which a cache shares among them).
    page = staff.get(f"/articles/{article.slug}").get_data(as_text=True)
    share_forms = re.findall(r'<form class="share-form".*?</form>', page, flags=re.S)
    assert share_forms and all('name="csrf_token"' in form for form in share_forms)
    anonymous = protected.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert 'name="csrf_token"' not in anonymous
    token = CSRF_FIELD.search(share_forms[0]).group(1)
    response = staff.post(url, data={**data, "csrf_token": token}, headers={"Origin": SITE})
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Article, article.id).share_count == 1
