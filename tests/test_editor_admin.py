"""The editor area's admin pages through HTTP: sections, topics, users, profile, settings."""

import io
import re
import time
from urllib.parse import urlsplit

import pytest
from flask import url_for
from itsdangerous.timed import TimestampSigner
from PIL import Image
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, Role, Section, Topic, User
from blog.services import invitations, users
from tests.conftest import PASSWORD
from tests.harness import password_change

NEW_PASSWORD = "a new and long password"


def page(response) -> str:
    return response.get_data(as_text=True)


def sign_in(client, user_or_email, password: str = PASSWORD):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/editor/login", data={"email": email, "password": password})


def fresh(model, item_id):
    """The row as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, item_id)


def png_bytes(size=(64, 64), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def invitation_link(response) -> str:
    """The one-time link shown to the admin, as a path."""
    match = re.search(r'value="http://byline\.test(/editor/invite/[^"]+)"', page(response))
    assert match, page(response)
    return match.group(1)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/editor/login"


# Who may open what


ADMIN_PAGES = ["/editor/users/", "/editor/users/new", "/editor/settings"]
TAXONOMY_PAGES = [
    "/editor/sections/",
    "/editor/sections/new",
    "/editor/topics/",
    "/editor/topics/new",
]


def test_anonymous_visitors_are_sent_to_login(client):
    for url in [*ADMIN_PAGES, *TAXONOMY_PAGES, "/editor/profile"]:
        assert is_login_redirect(client.get(url)), url
    assert is_login_redirect(client.post("/editor/sections/new", data={"name": "X"}))
    assert db.session.scalars(select(Section)).all() == []


def test_authors_get_403_on_sections_topics_users_and_settings(client, login, author, make_section):
    section = make_section()
    login(author)
    for url in [*ADMIN_PAGES, *TAXONOMY_PAGES, f"/editor/sections/{section.id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/editor/sections/new", data={"name": "Mine"}).status_code == 403
    assert client.post(f"/editor/sections/{section.id}/move/up").status_code == 403
    assert client.post(f"/editor/sections/{section.id}/delete").status_code == 403
    assert client.post("/editor/settings", data={"site_title": "Mine"}).status_code == 403
    assert client.get("/editor/profile").status_code == 200
    assert fresh(Section, section.id) is not None


def test_editors_manage_taxonomy_but_not_users_or_settings(client, login, editor, author):
    login(editor)
    for url in TAXONOMY_PAGES:
        assert client.get(url).status_code == 200, url
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/editor/users/{author.id}/deactivate").status_code == 403
    assert client.post(f"/editor/users/{author.id}", data={"role": "admin"}).status_code == 403
    assert fresh(User, author.id).active and fresh(User, author.id).role == Role.AUTHOR


def test_a_post_without_csrf_token_is_refused_with_400(app, client, login, editor):
    login(editor)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/editor/sections/new", data={"name": "Forged"})
    assert response.status_code == 400
    assert "Bad request" in page(response)
    form = page(client.get("/editor/sections/new"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/editor/sections/new", data={"name": "Real", "csrf_token": token})
    assert response.status_code == 302
    assert [s.name for s in db.session.scalars(select(Section))] == ["Real"]


def test_the_prefixed_password_form_carries_its_csrf_token(app, client, login, author):
    login(author)
    app.config["WTF_CSRF_ENABLED"] = True
    change = password_change(PASSWORD, NEW_PASSWORD)
    assert client.post("/editor/profile/password", data=change).status_code == 400
    profile = page(client.get("/editor/profile"))
    token = re.search(r'name="password-csrf_token" type="hidden" value="([^"]+)"', profile)
    response = client.post(
        "/editor/profile/password", data={**change, "password-csrf_token": token[1]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert users.authenticate(author.email, NEW_PASSWORD) is not None


# Sections


def test_sections_are_created_reordered_and_listed(client, login, editor):
    login(editor)
    for name in ("Politics", "Culture", "Sport"):
        response = client.post("/editor/sections/new", data={"name": name, "slug": ""})
        assert response.status_code == 302
    sections = {s.name: s for s in db.session.scalars(select(Section))}
    assert sections["Culture"].slug == "culture"

    response = client.post(f"/editor/sections/{sections['Sport'].id}/move/up")
    assert response.status_code == 302
    listing = page(client.get("/editor/sections/"))
    assert (
        listing.index(">Politics</a>") < listing.index(">Sport</a>") < listing.index(">Culture</a>")
    )
    front = page(client.get("/"))
    assert front.index(">Politics<") < front.index(">Sport<") < front.index(">Culture<")
    assert client.post(f"/editor/sections/{sections['Sport'].id}/move/left").status_code == 404


def test_a_section_form_with_errors_keeps_what_was_typed(client, login, editor, make_section):
    make_section("Taken", slug="taken")
    login(editor)
    response = client.post(
        "/editor/sections/new",
        data={"name": "Brand new", "slug": "Not a slug!", "description": "Typed text"},
    )
    assert response.status_code == 200
    html = page(response)
    assert "lower-case letters" in html
    assert 'value="Brand new"' in html and "Typed text" in html and 'value="not a slug!"' in html
    response = client.post("/editor/sections/new", data={"name": "Other", "slug": "taken"})
    assert "already used" in page(response)
    assert client.post("/editor/sections/new", data={"name": ""}).status_code == 200
    assert len(db.session.scalars(select(Section)).all()) == 1


def test_renaming_a_section_redirects_its_old_address(client, login, editor, make_article):
    article = make_article()
    section = article.section
    old_slug = section.slug
    login(editor)
    response = client.post(
        f"/editor/sections/{section.id}",
        data={"name": "World news", "slug": "world-news", "description": ""},
    )
    assert response.status_code == 302
    assert "now lead here" in page(client.get("/editor/sections/"))
    old = client.get(f"/section/{old_slug}?page=1")
    assert old.status_code == 301
    assert urlsplit(old.location).path == "/section/world-news"
    assert article.title in page(client.get("/section/world-news"))


def test_deleting_a_section_with_articles_needs_a_destination(
    client, login, editor, make_section, make_article
):
    doomed, home = make_section("Doomed"), make_section("Home")
    doomed_id, doomed_slug, home_slug = doomed.id, doomed.slug, home.slug
    article = make_article(section=doomed)
    login(editor)
    form = page(client.get(f"/editor/sections/{doomed.id}/delete"))
    assert "1 article" in form and ">Home<" in form

    response = client.post(f"/editor/sections/{doomed.id}/delete", data={"move_to": ""})
    assert response.status_code == 200
    assert "still has 1 article" in page(response)
    assert fresh(Section, doomed.id) is not None

    response = client.post(f"/editor/sections/{doomed.id}/delete", data={"move_to": str(home.id)})
    assert response.status_code == 302
    assert fresh(Section, doomed_id) is None
    assert fresh(Article, article.id).section_id == home.id
    old = client.get(f"/section/{doomed_slug}")
    assert old.status_code == 301 and urlsplit(old.location).path == f"/section/{home_slug}"


def test_an_empty_section_is_deleted_outright(client, login, editor, make_section):
    section = make_section("Empty")
    section_id, slug = section.id, section.slug
    login(editor)
    response = client.post(f"/editor/sections/{section_id}/delete", data={"move_to": ""})
    assert response.status_code == 302
    assert fresh(Section, section_id) is None
    assert client.get(f"/section/{slug}").status_code == 404
    assert client.get("/editor/sections/12345").status_code == 404


def test_edit_pages_show_the_current_values(
    client, login, admin, make_section, make_topic, make_user
):
    section = make_section("Opinion", description="Views of our own.")
    topic = make_topic("Elections")
    invited = users.invite_user("invited@byline.test", "Ivy Invited", Role.EDITOR)
    login(admin)
    html = page(client.get(f"/editor/sections/{section.id}"))
    assert 'value="Opinion"' in html and f'value="{section.slug}"' in html
    assert "Views of our own." in html
    html = page(client.get(f"/editor/topics/{topic.id}"))
    assert 'value="Elections"' in html
    html = page(client.get(f"/editor/sections/{section.id}/delete"))
    assert "has no articles" in html
    html = page(client.get(f"/editor/users/{invited.id}"))
    assert "Invitation pending" in html and '<option selected value="editor">' in html
    assert "Make a new invitation link" in html
    assert client.get("/editor/users/98765").status_code == 404
    assert client.get("/editor/topics/98765").status_code == 404


# Topics


def test_topics_are_created_renamed_with_redirect_and_deleted(client, login, editor, make_article):
    login(editor)
    response = client.post("/editor/topics/new", data={"name": "Climate Change"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.name == "Climate Change"))
    assert topic.slug == "climate-change"
    article = make_article(topics=[topic])

    response = client.post(
        f"/editor/topics/{topic.id}", data={"name": "Climate", "slug": "climate", "description": ""}
    )
    assert response.status_code == 302
    old = client.get("/topic/climate-change")
    assert old.status_code == 301 and urlsplit(old.location).path == "/topic/climate"
    assert "Climate" in page(client.get("/editor/topics/?q=clim"))
    assert "No topic matches" in page(client.get("/editor/topics/?q=zzz"))

    response = client.post(f"/editor/topics/{topic.id}/delete")
    assert response.status_code == 302
    assert "removed from 1 article" in page(client.get("/editor/topics/"))
    assert fresh(Topic, topic.id) is None
    assert fresh(Article, article.id).topics == []
    assert client.get("/topic/climate").status_code == 404


# Users


def test_an_invited_user_sets_a_password_once_and_can_sign_in(app, client, login, admin):
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={
            "email": "Nina@Byline.test",
            "display_name": "Nina New",
            "role": "editor",
            "access": "invite",
        },
    )
    assert response.status_code == 200
    link = invitation_link(response)
    nina = db.session.scalar(select(User).where(User.email == "nina@byline.test"))
    assert nina.role == Role.EDITOR and nina.password_hash == ""
    assert "Invitation pending" in page(client.get("/editor/users/"))

    invitee = app.test_client()
    assert "Welcome, Nina New" in page(invitee.get(link))
    response = invitee.post(link, data={"password": "short", "confirm": "short"})
    assert response.status_code == 200 and "at least 10 characters" in page(response)
    response = invitee.post(link, data={"password": NEW_PASSWORD, "confirm": "different password"})
    assert "The two passwords differ" in page(response)
    response = invitee.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and urlsplit(response.location).path == "/editor/"
    assert invitee.get("/editor/sections/").status_code == 200

    reused = app.test_client().get(link)
    assert reused.status_code == 400 and "already been used" in page(reused)
    assert (
        app.test_client().post(link, data={"password": "x" * 12, "confirm": "x" * 12}).status_code
        == 400
    )
    assert sign_in(app.test_client(), "nina@byline.test", NEW_PASSWORD).status_code == 302


def test_an_expired_invitation_link_is_refused(app, client, login, admin, monkeypatch):
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={
            "email": "late@byline.test",
            "display_name": "Late",
            "role": "author",
            "access": "invite",
        },
    )
    assert invitation_link(response)
    user = db.session.scalar(select(User).where(User.email == "late@byline.test"))
    # The same link as the admin was shown, but issued 73 hours ago.
    issued = int(time.time()) - 73 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    with app.test_request_context():
        old_link = url_for("editor.invite_accept", token=invitations.invitation_token(user))
    monkeypatch.undo()
    response = app.test_client().get(old_link)
    assert response.status_code == 400 and "expired" in page(response)
    assert app.test_client().get("/editor/invite/not-a-token").status_code == 400

    response = client.post(f"/editor/users/{user.id}/invitation")
    assert app.test_client().get(invitation_link(response)).status_code == 200


def test_a_user_created_with_a_temporary_password_can_sign_in(app, client, login, admin):
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={
            "email": "tom@byline.test",
            "display_name": "Tom Temp",
            "role": "author",
            "access": "password",
        },
    )
    password = re.search(
        r'id="secret" class="secret-value" type="text" readonly value="([^"]+)"', page(response)
    ).group(1)
    assert sign_in(app.test_client(), "tom@byline.test", password).status_code == 302

    response = client.post(
        "/editor/users/new",
        data={
            "email": "TOM@byline.test",
            "display_name": "Tom Two",
            "role": "author",
            "access": "password",
        },
    )
    assert response.status_code == 200
    html = page(response)
    assert "already exists" in html and 'value="TOM@byline.test"' in html
    assert 'value="Tom Two"' in html
    assert len(db.session.scalars(select(User).where(User.email == "tom@byline.test")).all()) == 1


def test_admins_change_roles_but_keep_an_active_admin(client, login, admin, author):
    login(admin)
    response = client.post(f"/editor/users/{author.id}", data={"role": "editor"})
    assert response.status_code == 302
    assert fresh(User, author.id).role == Role.EDITOR

    response = client.post(f"/editor/users/{admin.id}", data={"role": "author"})
    assert response.status_code == 200 and "at least one active administrator" in page(response)
    assert fresh(User, admin.id).role == Role.ADMIN
    response = client.post(f"/editor/users/{admin.id}/deactivate", follow_redirects=True)
    assert "at least one active administrator" in page(response)
    assert fresh(User, admin.id).active
    assert client.post(f"/editor/users/{author.id}", data={"role": "owner"}).status_code == 200
    assert fresh(User, author.id).role == Role.EDITOR


def test_deactivation_ends_sessions_and_blocks_sign_in(app, client, login, admin, author):
    author_client = app.test_client()
    assert sign_in(author_client, author).status_code == 302
    assert author_client.get("/editor/").status_code == 200

    login(admin)
    response = client.post(f"/editor/users/{author.id}/deactivate")
    assert response.status_code == 302
    assert "Deactivated" in page(client.get("/editor/users/"))

    assert is_login_redirect(author_client.get("/editor/"))
    response = sign_in(app.test_client(), author)
    assert response.status_code == 200 and "do not match an active account" in page(response)

    assert client.post(f"/editor/users/{author.id}/reactivate").status_code == 302
    assert sign_in(app.test_client(), author).status_code == 302


def test_resetting_a_password_ends_sessions(app, client, login, admin, author):
    author_client = app.test_client()
    sign_in(author_client, author)
    login(admin)
    response = client.post(f"/editor/users/{author.id}/reset-password")
    assert response.status_code == 200
    password = re.search(r'readonly value="([^"]+)"', page(response)).group(1)
    assert is_login_redirect(author_client.get("/editor/"))
    assert sign_in(app.test_client(), author).status_code == 200  # the old password is gone
    assert sign_in(app.test_client(), author, password).status_code == 302


# Profile


def test_a_password_change_ends_other_sessions_only(app, client, login, author):
    login(author)
    elsewhere = app.test_client()
    sign_in(elsewhere, author)
    response = client.post(
        "/editor/profile/password", data=password_change("not my password", NEW_PASSWORD)
    )
    assert response.status_code == 200 and "not your current password" in page(response)
    assert elsewhere.get("/editor/").status_code == 200

    response = client.post("/editor/profile/password", data=password_change(PASSWORD, NEW_PASSWORD))
    assert response.status_code == 302
    assert client.get("/editor/").status_code == 200
    assert is_login_redirect(elsewhere.get("/editor/"))
    assert sign_in(app.test_client(), author, NEW_PASSWORD).status_code == 302


def test_profile_edits_keep_the_author_page_address(client, login, author, make_article):
    make_article(author=author)  # an author page is public once it has a story
    login(author)
    slug = author.slug
    response = client.post(
        "/editor/profile",
        data={"display_name": "Ada Lovelace", "bio": "Poetical science.", "slug": slug},
    )
    assert response.status_code == 302
    user = fresh(User, author.id)
    assert (user.display_name, user.bio, user.slug) == ("Ada Lovelace", "Poetical science.", slug)
    assert "Ada Lovelace" in page(client.get(f"/author/{slug}"))

    response = client.post(
        "/editor/profile", data={"display_name": "", "bio": "Kept bio", "slug": slug}
    )
    assert response.status_code == 200 and "Kept bio" in page(response)
    assert fresh(User, author.id).display_name == "Ada Lovelace"


def test_avatar_upload_accepts_images_and_refuses_everything_else(client, login, author):
    login(author)
    data = {"display_name": "Ada", "bio": "Typed bio", "slug": author.slug}
    response = client.post(
        "/editor/profile",
        data={**data, "avatar_file": (io.BytesIO(png_bytes()), "me.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    avatar = fresh(User, author.id).avatar
    assert avatar is not None and avatar.width == 64
    with client.get(f"/uploads/{avatar.path}") as served:
        assert served.status_code == 200

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    bomb = png_bytes(size=(10_000, 5_000), mode="1")  # 50 megapixels, a few kilobytes
    for content, name, message in [
        (b"not an image at all", "fake.png", "image we can read"),
        (svg, "logo.svg", "image we can read"),
        (bomb, "bomb.png", "too large"),
    ]:
        response = client.post(
            "/editor/profile",
            data={**data, "display_name": "Changed", "avatar_file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, name
        html = page(response)
        errors = re.search(
            r'<ul class="field-errors" id="avatar_file-errors">(.*?)</ul>', html, re.S
        )
        assert errors and message in errors.group(1), name
        assert 'value="Changed"' in html and "Typed bio" in html
        user = fresh(User, author.id)
        assert user.avatar_id == avatar.id and user.display_name == "Ada"

    response = client.post("/editor/profile", data={**data, "remove_avatar": "y"})
    assert response.status_code == 302 and fresh(User, author.id).avatar_id is None


# Site settings


SETTINGS = {
    "site_title": "The Daily Test",
    "tagline": "All the news that fits the tests",
    "about": "A newsroom of fixtures.",
    "share_prompt": "Pass it on!",
    "share_thanks": "Thanks for passing it on.",
    "moderation_policy": "all",
    "block_list": "casino\n\nbuy now\n",
    "comments_close_after_days": "14",
    "timezone": "Europe/Berlin",
}


def test_settings_are_saved_and_shown_on_the_public_site(client, login, admin):
    login(admin)
    form = page(client.get("/editor/settings"))
    assert 'value="Byline"' in form and "Europe/Berlin" in form  # the zone list
    response = client.post("/editor/settings", data=SETTINGS)
    assert response.status_code == 302
    front = page(client.get("/"))
    assert "The Daily Test" in front and "All the news that fits the tests" in front
    assert "A newsroom of fixtures." in front
    form = page(client.get("/editor/settings"))
    assert 'value="Pass it on!"' in form and "casino\nbuy now</textarea>" in form
    assert '<option selected value="all">' in form and 'value="14"' in form


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "not a time zone we know"),
        ({"comments_close_after_days": "-3"}, "From 0 (never close)"),
        ({"comments_close_after_days": "soon"}, "Not a valid integer"),
        ({"moderation_policy": "sometimes"}, "Not a valid choice"),
        ({"site_title": ""}, "This field is required"),
    ],
)
def test_invalid_settings_come_back_with_what_was_typed(client, login, admin, changes, message):
    login(admin)
    response = client.post("/editor/settings", data={**SETTINGS, **changes})
    assert response.status_code == 200
    html = page(response)
    assert message in html
    for name in ("tagline", "share_prompt"):
        assert f'value="{SETTINGS[name]}"' in html
    typed = changes.get("timezone") or SETTINGS["timezone"]
    assert f'value="{typed}"' in html
    assert "The Daily Test" not in page(client.get("/"))


def test_staff_names_refuse_invisible_and_text_direction_characters(client, login, admin):
    """A byline with U+202E would reverse the text after it; the form says so and keeps
    what was typed."""
    login(admin)
    reversed_name = "Ada \u202eecalevoL"
    response = client.post(
        "/editor/profile",
        data={"display_name": reversed_name, "bio": "Kept bio", "slug": admin.slug},
    )
    body = page(response)
    assert response.status_code == 200
    assert "U+202E" in body and "Kept bio" in body
    assert fresh(User, admin.id).display_name != reversed_name

    response = client.post(
        "/editor/users/new",
        data={
            "email": "zw@example.org",
            "display_name": "Da\u200bna",
            "role": "author",
            "access": "invite",
        },
    )
    assert response.status_code == 200 and "U+200B" in page(response)
    assert users.find_by_email("zw@example.org") is None
