"""Static pages (About, Contact, ...): the service's rules, the editor, and /<slug>."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.routing import Rule

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import (
    AuditEntry,
    MenuLink,
    MenuLinkKind,
    MenuName,
    OldSlug,
    Page,
    PageStatus,
    SlugKind,
)
from blog.services import pages
from blog.services.pages import PageAction, PageChanges, PageEditConflict, PageRejected
from tests.test_pagecache import cached_twice

ABOUT = PageChanges(
    title="About us",
    slug="about",
    summary="Who we are and how we work.",
    body="We are a **small** newsroom.",
)


def page_form(**fields) -> dict:
    data = {
        "title": "About us",
        "slug": "about",
        "summary": "Who we are and how we work.",
        "body": "We are a small newsroom.\n\nWe answer every letter.",
        "action": "save",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def fresh(page_id: int) -> Page | None:
    db.session.expire_all()
    return db.session.get(Page, page_id)


def only_page() -> Page:
    db.session.expire_all()
    return db.session.scalars(select(Page)).one()


def actions() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(e.action, e.target) for e in db.session.scalars(select(AuditEntry).order_by("id"))]


def publish(actor, changes: PageChanges = ABOUT) -> Page:
    return pages.create_page(changes, actor=actor, action=PageAction.PUBLISH)


def image_file(name="cover.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, format="PNG")
    return (io.BytesIO(buffer.getvalue()), name)


# ---------- The service ----------


def test_an_editor_writes_publishes_unpublishes_and_deletes_a_page(client, editor):
    draft = pages.create_page(ABOUT, actor=editor)
    assert (draft.status, draft.slug, draft.author_id) == (PageStatus.DRAFT, "about", editor.id)
    assert draft.body_html == "<p>We are a <strong>small</strong> newsroom.</p>\n"
    assert client.get("/about").status_code == 404  # a draft is not public

    pages.save_page(
        draft, ABOUT, actor=editor, expected_version=draft.version, action=PageAction.PUBLISH
    )
    page = fresh(draft.id)
    assert page.status == PageStatus.PUBLISHED and page.published_at is not None
    assert client.get("/about").status_code == 200
    assert [p.slug for p in pages.published_pages()] == ["about"]

    pages.save_page(
        page, ABOUT, actor=editor, expected_version=page.version, action=PageAction.UNPUBLISH
    )
    assert fresh(draft.id).status == PageStatus.DRAFT
    assert client.get("/about").status_code == 404 and pages.published_pages() == []

    pages.delete_page(fresh(draft.id), actor=editor)
    assert fresh(draft.id) is None
    target = f"page {draft.id}: About us"
    assert actions() == [
        ("page.create", target),
        ("page.publish", target),
        ("page.unpublish", target),
        ("page.delete", target),
    ]


def test_authors_may_not_touch_pages(author, editor):
    with pytest.raises(NotAllowed):
        pages.create_page(ABOUT, actor=author)
    page = publish(editor)
    for attempt in (
        lambda: pages.save_page(page, ABOUT, actor=author, expected_version=page.version),
        lambda: pages.delete_page(page, actor=author),
        lambda: pages.editable_page(page.id, author),
        lambda: pages.all_pages(author),
        lambda: pages.preview(page, ABOUT, actor=author),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert fresh(page.id).status == PageStatus.PUBLISHED
    assert [action for action, _ in actions()] == ["page.create", "page.publish"]


def test_bad_input_is_refused_field_by_field(editor):
    with pytest.raises(PageRejected) as refused:
        pages.create_page(
            PageChanges(title=" ", slug="Not A Slug", cover_id=None, body="x" * 200_001),
            actor=editor,
            action=PageAction.PUBLISH,
        )
    assert set(refused.value.errors) == {"title", "slug", "body", "summary"}
    assert "required to publish" in refused.value.errors["summary"]
    assert db.session.scalar(select(func.count(Page.id))) == 0 and actions() == []


ROUTES = ["search", "editor", "section", "topic", "author", "articles", "uploads", "healthz"]


@pytest.mark.parametrize("slug", ROUTES)
def test_a_slug_that_would_shadow_a_route_is_refused(editor, slug):
    with pytest.raises(PageRejected) as refused:
        pages.create_page(PageChanges(title="Mine", slug=slug, summary="s"), actor=editor)
    assert refused.value.errors == {
        "slug": f"/{slug} is one of the site's own addresses; please choose another for this page."
    }


def test_every_fixed_first_segment_of_the_url_map_is_refused(app, editor):
    """Read from the app's URL map: whatever routes exist (those other parts of the site
    add included) are protected, not a list kept here."""
    segments = {
        rule.rule.strip("/").split("/")[0]
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/<")
    }
    assert {"search", "editor", "static", "healthz"} <= segments
    for segment in segments - {""}:
        assert pages.route_holding(segment) == f"/{segment}", segment
    assert pages.route_holding("about") is None


def test_a_route_added_after_the_app_was_built_protects_its_address(app, editor):
    publish(editor, PageChanges(title="Newsletter", slug="newsletter", summary="Sign up."))
    app.url_map.add(Rule("/newsletter", endpoint="newsletter"))
    app.url_map.add(Rule("/<int:year>", endpoint="archive"))
    assert pages.route_holding("newsletter") == "/newsletter"
    assert pages.route_holding("2024") == "/2024"  # a converter route answers there
    page = only_page()
    with pytest.raises(PageRejected) as refused:  # its own address is checked again on a save
        pages.save_page(page, PageChanges(title="Newsletter"), actor=editor, expected_version=1)
    assert "/newsletter is one of the site's own addresses" in refused.value.errors["slug"]
    with pytest.raises(PageRejected):
        pages.create_page(PageChanges(title="Year", slug="2024"), actor=editor)
    # It may still be taken down where it is.
    pages.save_page(
        fresh(page.id),
        PageChanges(title="Newsletter", summary="Sign up."),
        actor=editor,
        expected_version=1,
        action=PageAction.UNPUBLISH,
    )
    assert fresh(page.id).status == PageStatus.DRAFT
    moved = PageChanges(title="Newsletter", slug="letters", summary="Sign up.")
    pages.save_page(fresh(page.id), moved, actor=editor, expected_version=2)
    assert fresh(page.id).slug == "letters"


def test_a_slug_another_page_holds_or_held_is_refused(client, editor):
    about = publish(editor)
    with pytest.raises(PageRejected) as refused:
        pages.create_page(PageChanges(title="Other", slug="about"), actor=editor)
    assert refused.value.errors == {"slug": pages.SLUG_TAKEN}

    renamed = PageChanges(title="About us", slug="who-we-are", summary="Us.")
    pages.save_page(about, renamed, actor=editor, expected_version=about.version)
    with pytest.raises(PageRejected) as refused:
        pages.create_page(PageChanges(title="Other", slug="about"), actor=editor)
    assert refused.value.errors == {"slug": pages.SLUG_KEPT}
    # A title that makes a held slug gets another one.
    assert pages.create_page(PageChanges(title="About"), actor=editor).slug == "about-2"

    # The page itself may take its old address back; the redirect then goes.
    back = fresh(about.id)
    pages.save_page(back, ABOUT, actor=editor, expected_version=back.version)
    assert fresh(about.id).slug == "about"
    assert client.get("/about").status_code == 200


def test_a_renamed_page_301s_from_its_old_address(client, editor):
    about = publish(editor)
    renamed = PageChanges(title="About us", slug="who-we-are", summary="Us.")
    pages.save_page(about, renamed, actor=editor, expected_version=about.version)
    response = client.get("/about")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/who-we-are")
    assert client.get("/who-we-are").status_code == 200
    assert ("page.slug", f"page {about.id}: About us") in actions()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "page.slug")).one()
    assert entry.details == {"from": "about", "to": "who-we-are"}

    # Unpublished, neither address answers; a draft never published keeps no old address.
    page = fresh(about.id)
    pages.save_page(
        page, renamed, actor=editor, expected_version=page.version, action=PageAction.UNPUBLISH
    )
    assert client.get("/about").status_code == 404
    assert client.get("/who-we-are").status_code == 404
    draft = pages.create_page(PageChanges(title="Contact", slug="contact"), actor=editor)
    pages.save_page(
        draft, PageChanges(title="Contact", slug="reach-us"), actor=editor, expected_version=1
    )
    kept = db.session.scalars(select(OldSlug.slug).where(OldSlug.kind == SlugKind.PAGE)).all()
    assert kept == ["about"]


def test_deleting_a_page_takes_its_old_addresses_and_menu_links(client, editor):
    page = publish(editor)
    renamed = PageChanges(title="About us", slug="who-we-are", summary="Us.")
    pages.save_page(page, renamed, actor=editor, expected_version=page.version)
    link = MenuLink(menu=MenuName.FOOTER, position=1, kind=MenuLinkKind.PAGE, page_id=page.id)
    db.session.add(link)
    db.session.commit()
    pages.delete_page(fresh(page.id), actor=editor)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(MenuLink.id))) == 0
    assert db.session.scalar(select(func.count(OldSlug.id))) == 0
    assert client.get("/about").status_code == 404
    # The address is free again, for a new page.
    assert publish(editor).slug == "about"


def test_a_save_from_an_older_version_is_refused_and_shows_what_was_saved(editor, admin):
    page = publish(editor)
    pages.save_page(
        page,
        PageChanges(**{**ABOUT.__dict__, "body": "Eddie's."}),
        actor=editor,
        expected_version=1,
    )
    with pytest.raises(PageEditConflict) as conflict:
        pages.save_page(
            fresh(page.id),
            PageChanges(**{**ABOUT.__dict__, "body": "Alma's."}),
            actor=admin,
            expected_version=1,
        )
    assert conflict.value.current.body_md == "Eddie's." and conflict.value.current.version == 2
    assert fresh(page.id).body_md == "Eddie's."


def test_published_pages_lists_published_ones_by_title(editor):
    publish(editor, PageChanges(title="Privacy", slug="privacy", summary="What we keep."))
    publish(editor, PageChanges(title="Contact", slug="contact", summary="Write to us."))
    pages.create_page(PageChanges(title="Advertise", slug="advertise"), actor=editor)
    assert [(p.title, p.slug) for p in pages.published_pages()] == [
        ("Contact", "contact"),
        ("Privacy", "privacy"),
    ]


# ---------- The public page ----------


def test_the_public_page_shows_title_cover_and_body_and_nothing_of_an_article(client, editor):
    publish(editor)
    html = html_of(client.get("/about"))
    assert "<h1>About us</h1>" in html and "We are a <strong>small</strong> newsroom." in html
    assert '<meta name="description" content="Who we are and how we work.">' in html
    assert '<link rel="canonical" href="http://byline.test/about">' in html
    assert '<meta property="og:title" content="About us">' in html
    assert '<meta property="og:url" content="http://byline.test/about">' in html
    for absent in ('class="topics"', 'id="share"', 'id="comments"', 'class="byline"', "Updated"):
        assert absent not in html, absent


def test_byline_and_updated_date_show_only_when_switched_on(client, editor):
    page = publish(editor, PageChanges(**{**ABOUT.__dict__, "show_byline": True}))
    html = html_of(client.get("/about"))
    assert 'class="byline"' in html and "Eddie Editor" in html and "Updated" not in html
    changes = PageChanges(**{**ABOUT.__dict__, "show_updated": True})
    pages.save_page(page, changes, actor=editor, expected_version=page.version)
    html = html_of(client.get("/about"))
    assert "Updated <time" in html and "Eddie Editor" not in html


def test_a_change_shows_at_once_through_the_page_cache(client, editor):
    page = publish(editor)
    assert "About us" in html_of(cached_twice(client, "/about"))
    changes = PageChanges(**{**ABOUT.__dict__, "title": "About the newsroom"})
    pages.save_page(page, changes, actor=editor, expected_version=page.version)
    response = client.get("/about")
    assert response.headers["X-Cache"] == "miss"
    assert "<h1>About the newsroom</h1>" in html_of(response)


def test_the_sitemap_lists_published_pages_and_the_feeds_do_not(client, editor, make_article):
    make_article("Harbour news", slug="harbour-news")
    publish(editor)
    pages.create_page(PageChanges(title="Draft page", slug="draft-page"), actor=editor)
    sitemap = html_of(client.get("/sitemap.xml"))
    assert "<loc>http://byline.test/about</loc>" in sitemap
    assert "draft-page" not in sitemap
    feed = html_of(client.get("/feed.xml"))
    assert "harbour-news" in feed and "About us" not in feed and "/about<" not in feed


def test_static_routes_still_win_over_pages(client, editor):
    publish(editor)
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/nothing-here").status_code == 404


# ---------- The editor ----------


def test_editor_views_create_preview_publish_and_delete(client, login, editor):
    login(editor)
    assert "Write a page" in html_of(client.get("/editor/pages/"))
    assert client.get("/editor/pages/new").status_code == 200

    preview = client.post("/editor/pages/new", data=page_form(action="preview"))
    html = html_of(preview)
    assert preview.status_code == 200 and 'class="story static-page"' in html
    assert 'class="preview-banner"' in html and "<h1>About us</h1>" in html  # the public page
    assert "<p>We answer every letter.</p>" in html  # rendered as the public page renders it
    assert db.session.scalar(select(func.count(Page.id))) == 0  # a preview saves nothing

    created = client.post("/editor/pages/new", data=page_form(action="publish"))
    page = only_page()
    assert created.headers["Location"].endswith(f"/editor/pages/{page.id}")
    assert "Published: the page is live at /about." in html_of(client.get(created.location))
    listing = html_of(client.get("/editor/pages/"))
    assert "About us" in listing and "Published" in listing and "Eddie Editor" in listing
    full = client.get(f"/editor/pages/{page.id}/preview")
    assert full.status_code == 200 and "<h1>About us</h1>" in html_of(full)
    assert 'content="noindex, nofollow"' in html_of(full)

    confirm = client.get(f"/editor/pages/{page.id}/delete")
    assert confirm.status_code == 200 and "Delete “About us”?" in html_of(confirm)
    assert fresh(page.id) is not None  # asking deletes nothing
    deleted = client.post(f"/editor/pages/{page.id}/delete")
    assert deleted.status_code == 302 and fresh(page.id) is None
    assert client.get("/about").status_code == 404


def test_a_saved_draft_is_previewed_as_the_public_page(client, login, editor):
    page = pages.create_page(ABOUT, actor=editor)
    login(editor)
    html = html_of(client.get(f"/editor/pages/{page.id}/preview"))
    assert "Preview of the saved draft" in html and "<h1>About us</h1>" in html
    assert "We are a <strong>small</strong> newsroom." in html
    assert client.get("/about").status_code == 404


def test_authors_get_403_from_every_page_view(client, login, author, editor):
    page = publish(editor)
    login(author)
    for url in (
        "/editor/pages/",
        "/editor/pages/new",
        f"/editor/pages/{page.id}",
        f"/editor/pages/{page.id}/preview",
        f"/editor/pages/{page.id}/delete",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/editor/pages/new", data=page_form()).status_code == 403
    assert client.post(f"/editor/pages/{page.id}/delete").status_code == 403
    assert fresh(page.id) is not None
    assert "/editor/pages/" not in html_of(client.get("/editor/"))  # no menu item either


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Give the page a title."),
        ({"slug": "search"}, "slug", "/search is one of the site&#39;s own addresses"),
        ({"slug": "Not a slug!"}, "slug", "Use lowercase letters, digits and single hyphens."),
        ({"summary": "", "action": "publish"}, "summary", "A summary is required to publish"),
        ({"cover_alt": "", "cover": image_file}, "cover_alt", "Describe the cover image"),
    ],
)
def test_bad_input_is_shown_again_with_the_text_kept(client, login, editor, fields, field, message):
    login(editor)
    fields = {k: v() if callable(v) else v for k, v in fields.items()}
    response = client.post(
        "/editor/pages/new", data=page_form(body="Kept **body** text.", **fields)
    )
    html = html_of(response)
    assert response.status_code == 200 and message in html
    assert f'id="{field}-errors"' in html
    assert "Kept **body** text." in html
    assert db.session.scalar(select(func.count(Page.id))) == 0


def test_a_later_save_over_an_earlier_one_gets_409_with_both_texts(
    app, client, login, editor, admin
):
    page = pages.create_page(ABOUT, actor=editor)
    url = f"/editor/pages/{page.id}"
    login(editor)
    other = app.test_client()
    assert (
        other.post(
            "/editor/login", data={"email": admin.email, "password": "correct horse battery staple"}
        ).status_code
        == 302
    )
    first = client.post(url, data=page_form(body="Eddie's text.", version="1"))
    assert first.status_code == 302
    second = other.post(url, data=page_form(body="Alma's text.", version="1"))
    html = html_of(second)
    assert second.status_code == 409
    assert "someone else saved this page" in html and "Their summary" in html
    assert "Alma&#39;s text." in html and "Eddie&#39;s text." in html
    assert re.search(r'name="version" type="hidden" value="2"', html)
    assert fresh(page.id).body_md == "Eddie's text."


def test_a_cover_and_a_body_image_go_through_the_upload_flow(client, login, editor):
    login(editor)
    uploaded = client.post(
        "/editor/pages/new",
        data=page_form(action="upload", body_image=image_file("inline.png"), body_image_alt="Map"),
    )
    assert "We answer every letter.\n\n![Map](/uploads/" in html_of(uploaded)  # the body's end
    response = client.post(
        "/editor/pages/new",
        data=page_form(
            action="publish",
            cover=image_file(),
            cover_alt="The newsroom at night",
            cover_caption="Photo: the night desk",
        ),
    )
    assert response.status_code == 302
    html = html_of(client.get("/about"))
    assert 'alt="The newsroom at night"' in html and "Photo: the night desk" in html
    assert '<meta property="og:image:alt" content="The newsroom at night">' in html
