"""Under the "first_time" policy a comment is published at once only when the device that
sends it proves an earlier comment under the same address was approved (the trusted-
commenter cookie), never because of a typed address; newsroom addresses and names are not
a reader's to use."""

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from blog import formguard
from blog.comments import trust
from blog.extensions import db
from blog.models import Comment, CommentStatus, Role
from blog.services import commenters, comments, moderation
from blog.services.commenters import Proofs
from blog.services.comments import CommentData, CommentRejected
from blog.services.moderation import ModerationAction
from tests.security_helpers import signed_in
from tests.test_comments import ORIGIN, comment_id_from, page, post_comment, set_policy

LINK = "Details at [our offer](https://evil.example/offer)."


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing")


@pytest.fixture
def site_admin(make_user):
    """The first admin as a fresh install names it: a predictable name and address."""
    return make_user(Role.ADMIN, name="Site Admin", email="admin@byline.example")


@pytest.fixture
def desk(make_user):
    """An editor whose address readers could type (e-mail checks refuse .test domains)."""
    return make_user(Role.EDITOR, name="Dana Desk", email="desk@byline.example")


def status_of(comment_id: int) -> CommentStatus:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


def trust_cookie(response) -> str | None:
    """The Set-Cookie header of the trusted-commenter cookie, if the response sets it."""
    return next(
        (c for c in response.headers.getlist("Set-Cookie") if c.startswith(trust.COOKIE_NAME)),
        None,
    )


def held_then_approved(client, article, email: str) -> int:
    """A first comment from this client, held, then approved by a moderator."""
    comment_id = comment_id_from(post_comment(client, article, email=email, body="First."))
    assert status_of(comment_id) == CommentStatus.PENDING
    moderation.moderate([comment_id], ModerationAction.APPROVE)
    return comment_id


# ---------- The review's reproduction ----------


def test_an_anonymous_post_as_the_site_admin_is_refused_or_held(app, client, article, site_admin):
    # A staff comment stores the staff address, approved: under the old rule that made
    # the address "known".
    staff = comments.submit(
        article, CommentData("ignored", "From the desk."), client_key="k", user=site_admin
    )
    assert staff.status == CommentStatus.APPROVED
    assert staff.author_email == "admin@byline.example"

    as_admin = post_comment(
        client, article, name="Site Admin", email="admin@byline.example", body=LINK
    )
    html = as_admin.get_data(as_text=True)
    assert as_admin.status_code == 400
    assert commenters.STAFF_NAME_MESSAGE.replace("(", "") in html.replace("(", "")
    assert 'value="Site Admin"' in html and f"{LINK}</textarea>" in html

    other_name = post_comment(
        client, article, name="Sam Reader", email="admin@byline.example", body=LINK
    )
    assert status_of(comment_id_from(other_name)) == CommentStatus.PENDING
    assert "evil.example" not in page(app.test_client(), article)


def test_a_known_address_typed_on_another_device_is_held(client, article, make_comment):
    make_comment(article, "Earlier words", author_email="ana@example.org")
    comment_id = comment_id_from(post_comment(client, article, email="ana@example.org"))
    assert status_of(comment_id) == CommentStatus.PENDING


# ---------- The device earns trust ----------


def test_a_comment_published_at_once_trusts_the_device(app, client, article):
    set_policy("none")
    response = post_comment(client, article, email="Ana@Example.org")
    assert status_of(comment_id_from(response)) == CommentStatus.APPROVED
    cookie = trust_cookie(response)
    assert cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=15552000" in cookie  # 180 days
    assert "ana" not in cookie.lower() and "example" not in cookie.lower()

    set_policy("first_time")
    again = post_comment(client, article, email="ana@example.org", body="Back again.")
    assert status_of(comment_id_from(again)) == CommentStatus.APPROVED
    other = post_comment(client, article, email="bob@example.org", body="Someone else.")
    assert status_of(comment_id_from(other)) == CommentStatus.PENDING
    # The cookie belongs to the device: another one typing the address is held.
    stranger = post_comment(app.test_client(), article, email="ana@example.org")
    assert status_of(comment_id_from(stranger)) == CommentStatus.PENDING


def test_a_moderators_approval_is_learnt_on_the_next_page_view(app, client, article, editor):
    comment_id = comment_id_from(post_comment(client, article, email="ana@example.org"))
    assert status_of(comment_id) == CommentStatus.PENDING
    assert trust_cookie(client.get(f"/articles/{article.slug}")) is None  # not yet approved

    moderator = signed_in(app, editor)
    moderated = moderator.post(
        f"/editor/comments/{comment_id}/moderate", data={"action": "approve"}
    )
    assert moderated.status_code == 303 and status_of(comment_id) == CommentStatus.APPROVED

    view = client.get(f"/articles/{article.slug}", base_url="https://byline.test")
    cookie = trust_cookie(view)
    assert cookie and "Secure" in cookie and "HttpOnly" in cookie
    assert trust_cookie(client.get(f"/articles/{article.slug}")) is None  # nothing new
    again = post_comment(client, article, email="ana@example.org", body="Back again.")
    assert status_of(comment_id_from(again)) == CommentStatus.APPROVED


def test_a_moderators_approval_counts_on_the_next_post_too(client, article):
    held_then_approved(client, article, "ana@example.org")
    response = post_comment(client, article, email="ana@example.org", body="Back again.")
    assert status_of(comment_id_from(response)) == CommentStatus.APPROVED
    assert trust_cookie(response)


def test_a_trusted_posters_edit_stays_published(client, article):
    held_then_approved(client, article, "ana@example.org")
    page(client, article)
    comment_id = comment_id_from(
        post_comment(client, article, email="ana@example.org", body="Teh typo.")
    )
    token = formguard.issue_token("comment-edit", comment_id)
    client.post(
        f"/comments/{comment_id}/edit",
        data={"body": "The typo, fixed.", "form_token": token},
        headers=ORIGIN,
    )
    assert status_of(comment_id) == CommentStatus.APPROVED


@pytest.mark.parametrize("forgery", ["not-a-cookie", "other-key", "unsigned"])
def test_a_forged_trust_cookie_proves_nothing(app, client, article, forgery):
    digest = commenters.email_digest("ana@example.org")
    values = {
        "not-a-cookie": "not-a-cookie",
        "other-key": URLSafeTimedSerializer("another-secret", salt=trust.SALT).dumps([digest]),
        "unsigned": f'["{digest}"]',
    }
    client.set_cookie(trust.COOKIE_NAME, values[forgery], domain="byline.test")
    response = post_comment(client, article, email="ana@example.org")
    assert status_of(comment_id_from(response)) == CommentStatus.PENDING


def test_the_trust_cookie_alone_leaves_pages_cacheable_and_proves(app, client, article):
    set_policy("none")
    trusted = trust_cookie(post_comment(client, article, email="ana@example.org"))
    value = trusted.split(";", 1)[0].split("=", 1)[1]
    reader = app.test_client()  # the trust cookie alone, as after the ownership one expired
    reader.set_cookie(trust.COOKIE_NAME, value, domain="byline.test")
    first = reader.get(f"/articles/{article.slug}")
    second = reader.get(f"/articles/{article.slug}")
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert trust_cookie(first) is None and trust_cookie(second) is None
    # ...and it is proof enough on its own when the reader posts.
    set_policy("first_time")
    response = post_comment(reader, article, email="ana@example.org", body="Back again.")
    assert status_of(comment_id_from(response)) == CommentStatus.APPROVED


# ---------- Staff addresses and names ----------


@pytest.mark.parametrize("policy", ["first_time", "none"])
def test_a_staff_address_is_always_held_and_earns_nothing(client, article, desk, policy):
    set_policy(policy)
    address = desk.email.upper()
    comment_id = comment_id_from(post_comment(client, article, email=address))
    assert status_of(comment_id) == CommentStatus.PENDING
    moderation.moderate([comment_id], ModerationAction.APPROVE)
    assert trust_cookie(client.get(f"/articles/{article.slug}")) is None
    again = post_comment(client, article, email=desk.email, body="Again.")
    assert status_of(comment_id_from(again)) == CommentStatus.PENDING


@pytest.mark.parametrize(
    "name",
    [
        "Site Admin",
        "site  admin",
        "SITE-ADMIN",
        "S\u0456te \u0410dmin",  # Cyrillic i and A
        "\uff33ite Admin",  # fullwidth S
        "Eddie Editor",
    ],
)
def test_a_reader_cannot_use_a_staff_name(client, article, site_admin, editor, name):
    response = post_comment(client, article, name=name, body="Kept words.")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That is the name of someone in our newsroom." in html
    assert "Kept words.</textarea>" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_a_name_close_to_a_staff_name_is_fine(client, article, site_admin):
    set_policy("none")
    response = post_comment(client, article, name="Site Admirer")
    assert status_of(comment_id_from(response)) == CommentStatus.APPROVED


# ---------- The services, directly ----------


def test_moderation_trusts_proofs_not_addresses(article, make_comment):
    make_comment(article, "Earlier", author_email="ana@example.org")
    data = CommentData("Ana", "Hello again", email="ana@example.org")
    unproven = comments.submit(article, data, client_key="k")
    assert unproven.status == CommentStatus.PENDING
    proofs = Proofs(device_digests=frozenset({commenters.email_digest("ANA@example.org")}))
    proven = comments.submit(article, data, client_key="k", proofs=proofs)
    assert proven.status == CommentStatus.APPROVED
    elsewhere = CommentData("Ana", "Hi", email="bob@example.org")
    assert comments.submit(article, elsewhere, client_key="k", proofs=proofs).status == (
        CommentStatus.PENDING
    )


def test_staff_addresses_never_earn_a_digest(article, make_comment, desk):
    reader = make_comment(article, "Mine", author_email="ana@example.org")
    posing = make_comment(article, "Posing", author_email=desk.email)
    held = make_comment(
        article, "Held", author_email="cy@example.org", status=CommentStatus.PENDING
    )
    earned = commenters.earned_digests([reader.id, posing.id, held.id])
    assert earned == {commenters.email_digest("ana@example.org")}
    proofs = Proofs(device_digests=frozenset({commenters.email_digest(desk.email)}))
    data = CommentData("Sam", "Hi", email=desk.email)
    assert comments.submit(article, data, client_key="k", proofs=proofs).status == (
        CommentStatus.PENDING
    )


def test_the_email_digest_is_keyed_and_folded(app):
    digest = commenters.email_digest("ana@example.org")
    assert commenters.email_digest("ANA@EXAMPLE.ORG") == digest
    assert commenters.email_digest("ana@exa\u200bmple.org") == digest
    app.config["SECRET_KEY"] = "another-secret"
    assert commenters.email_digest("ana@example.org") != digest


def test_a_staff_name_is_refused_by_the_service(article, site_admin):
    with pytest.raises(CommentRejected) as refused:
        comments.submit(article, CommentData("site\u00a0ADMIN", "Hi"), client_key="k")
    assert (refused.value.reason, refused.value.field) == ("invalid", "name")
