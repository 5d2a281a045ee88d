"""The header and footer menus: the rules of the service, and the admins' page at
/editor/menus (adding, ordering and removing links, without JavaScript)."""

import re

import pytest
from sqlalchemy import select

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import (
    ArticleStatus,
    AuditEntry,
    MenuLink,
    MenuLinkKind,
    MenuName,
    Page,
    PageStatus,
    Role,
)
from blog.services import menus, taxonomy
from blog.services.menus import MenuError


@pytest.fixture
def about(admin) -> Page:
    page = Page(title="About us", slug="about", author=admin, status=PageStatus.PUBLISHED)
    page.set_body("Who we are.")
    db.session.add(page)
    db.session.commit()
    return page


def saved(menu: MenuName) -> list[tuple[MenuLinkKind, str, int]]:
    """The menu's rows in order: kind, label and position."""
    rows = db.session.scalars(
        select(MenuLink).where(MenuLink.menu == menu).order_by(MenuLink.position, MenuLink.id)
    )
    return [(link.kind, link.label, link.position) for link in rows]


def audit_actions() -> list[tuple[str, str]]:
    return [
        (entry.action, entry.target)
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def labels(menu: list) -> list[str]:
    return [link.label for link in menu]


# ---------------------------------------------------------------------- service


def test_links_of_every_kind_go_last_and_read_in_one_query(
    admin, about, make_section, make_topic, make_article, count_queries
):
    city = make_section("City", slug="city")
    ports = make_topic("Ports", slug="ports")
    make_article(section=city, topics=[ports])
    menus.add_link(admin, "header", "section", target_id=city.id)
    menus.add_link(admin, "header", "url", url="https://example.org/live", label=" Live  blog ")
    menus.add_link(admin, "footer", "page", target_id=about.id)
    menus.add_link(admin, "footer", "topic", target_id=ports.id, label="Harbour news")
    assert saved(MenuName.HEADER) == [
        (MenuLinkKind.SECTION, "", 0),
        (MenuLinkKind.URL, "Live blog", 1),
    ]
    db.session.info.clear()
    with count_queries() as counter:
        shown = menus.public_menus()
        assert menus.public_menus() is shown  # kept for the rest of the request
    assert counter.count == 1
    assert [(link.kind, link.label, link.slug, link.url) for link in shown.header] == [
        (MenuLinkKind.SECTION, "City", "city", ""),
        (MenuLinkKind.URL, "Live blog", "", "https://example.org/live"),
    ]
    assert [(link.label, link.slug) for link in shown.footer] == [
        ("About us", "about"),
        ("Harbour news", "ports"),
    ]
    assert shown.pages == []  # the footer has links: its default is not read
    assert [action for action, _ in audit_actions()] == ["menu.add"] * 4
    assert audit_actions()[1][1].endswith(": Live blog")


def test_a_draft_page_and_a_topic_without_a_public_story_are_left_out(
    admin, about, make_topic, make_article
):
    quiet = make_topic("Quiet", slug="quiet")
    make_article(topics=[quiet], status=ArticleStatus.DRAFT)
    menus.add_link(admin, "footer", "page", target_id=about.id)
    menus.add_link(admin, "footer", "topic", target_id=quiet.id)
    menus.add_link(admin, "footer", "url", url="/corrections", label="Corrections")
    about.status = PageStatus.DRAFT
    db.session.commit()
    db.session.info.clear()
    assert labels(menus.public_menus().footer) == ["Corrections"]
    edited = menus.edited_menus(admin)[MenuName.FOOTER]
    assert [(item.name, item.is_shown) for item in edited] == [
        ("About us", False),
        ("Quiet", False),
        ("Corrections", True),
    ]
    assert edited[0].hidden_because == "Hidden: the page is not published."
    make_article(topics=[quiet])
    about.status = PageStatus.PUBLISHED
    db.session.commit()
    db.session.info.clear()
    assert labels(menus.public_menus().footer) == ["About us", "Quiet", "Corrections"]


def test_the_default_footer_lists_only_published_pages_by_title(admin, about):
    draft = Page(title="Privacy", slug="privacy", author=admin)
    contact = Page(title="Contact", slug="zz-contact", author=admin, status=PageStatus.PUBLISHED)
    db.session.add_all([draft, contact])
    db.session.commit()
    shown = menus.public_menus()
    assert (shown.header, shown.footer) == ([], [])
    assert [(link.label, link.slug) for link in shown.pages] == [
        ("About us", "about"),
        ("Contact", "zz-contact"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:desk@example.org",
        "ftp://example.org/file",
        "//evil.example/path",
        "/\\evil.example",
        "/\\/evil.example",
        "https://trusted.example@evil.example/",
        "https:evil.example",
        "https://",
        "https://exa mple.org/",
        "https://example.org/<script>",
        '/about" onmouseover="alert(1)',
        "/a b",
        "/bad%zz",
        "about",
        "/" + "a" * menus.URL_LENGTH,
    ],
)
def test_addresses_other_than_a_site_path_or_a_web_address_are_refused(admin, url):
    with pytest.raises(MenuError) as refused:
        menus.add_link(admin, "header", "url", url=url, label="Somewhere")
    assert refused.value.field == "url"
    assert saved(MenuName.HEADER) == [] and audit_actions() == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("/about", "/about"),
        ("/section/city?page=2#top", "/section/city?page=2#top"),
        ("/search?q=caf%C3%A9", "/search?q=caf%C3%A9"),
        ("https://example.org", "https://example.org"),
        ("HTTPS://Example.org:8443/a/b?c=d&e=f#g", "https://Example.org:8443/a/b?c=d&e=f#g"),
        ("  http://news.example/  ", "http://news.example/"),
    ],
)
def test_site_paths_and_web_addresses_are_kept(admin, typed, stored):
    link = menus.add_link(admin, "footer", "url", url=typed, label="There")
    assert link.url == stored


def test_what_a_link_needs_is_checked(admin, make_section):
    city = make_section("City")
    cases = [
        (("header", "url"), {"url": "/tips"}, "label"),  # a URL link needs its label
        (("header", "url"), {"url": "", "label": "Tips"}, "url"),
        (("header", "section"), {"label": "x" * 81, "target_id": city.id}, "label"),
        (("header", "section"), {}, "section"),  # no section chosen
        (("header", "topic"), {"target_id": 999}, "topic"),  # no such topic
        (("header", "page"), {"target_id": 2**40}, "page"),
        (("sidebar", "section"), {"target_id": city.id}, "menu"),
        (("header", "image"), {"target_id": city.id}, "kind"),
    ]
    for (menu, kind), fields, field in cases:
        with pytest.raises(MenuError) as refused:
            menus.add_link(admin, menu, kind, **fields)
        assert refused.value.field == field, (menu, kind, fields)
    assert saved(MenuName.HEADER) == []


def test_a_menu_links_to_a_place_once_and_holds_a_bounded_number(admin, make_section):
    city = make_section("City")
    menus.add_link(admin, "header", "section", target_id=city.id)
    menus.add_link(admin, "footer", "section", target_id=city.id)  # the other menu: fine
    with pytest.raises(MenuError, match="already links there"):
        menus.add_link(admin, "header", "section", target_id=city.id, label="Again")
    for n in range(menus.MAX_LINKS - 1):
        menus.add_link(admin, "header", "url", url=f"/page-{n}", label=f"Page {n}")
    with pytest.raises(MenuError, match=f"at most {menus.MAX_LINKS} links"):
        menus.add_link(admin, "header", "url", url="/one-more", label="One more")


def test_links_move_up_down_and_to_a_position(admin):
    ids = [
        menus.add_link(admin, "header", "url", url=f"/{name}", label=name).id
        for name in ("a", "b", "c", "d")
    ]
    menus.move_link(admin, ids[2], "up")
    assert [label for _, label, _ in saved(MenuName.HEADER)] == ["a", "c", "b", "d"]
    menus.move_link(admin, ids[0], "up")  # already first: nothing moves, nothing recorded
    menus.set_position(admin, ids[3], 1)
    assert [label for _, label, _ in saved(MenuName.HEADER)] == ["d", "a", "c", "b"]
    assert [position for _, _, position in saved(MenuName.HEADER)] == [0, 1, 2, 3]
    for bad in (0, 5, -1):
        with pytest.raises(MenuError, match="from 1 to 4") as refused:
            menus.set_position(admin, ids[0], bad)
        assert refused.value.field == "position"
    with pytest.raises(MenuError):
        menus.move_link(admin, ids[0], "sideways")
    removed = menus.remove_link(admin, ids[2])
    assert removed.label == "c"
    assert saved(MenuName.HEADER) == [
        (MenuLinkKind.URL, "d", 0),
        (MenuLinkKind.URL, "a", 1),
        (MenuLinkKind.URL, "b", 2),
    ]
    actions = [action for action, _ in audit_actions()]
    assert actions == ["menu.add"] * 4 + ["menu.move", "menu.move", "menu.remove"]


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR])
def test_only_admins_change_or_read_the_menus(make_user, admin, role):
    link = menus.add_link(admin, "header", "url", url="/tips", label="Tips")
    person = make_user(role)
    attempts = [
        lambda: menus.add_link(person, "header", "url", url="/x", label="X"),
        lambda: menus.remove_link(person, link.id),
        lambda: menus.move_link(person, link.id, "down"),
        lambda: menus.set_position(person, link.id, 1),
        lambda: menus.edited_menus(person),
        lambda: menus.link_choices(person),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()
    assert saved(MenuName.HEADER) == [(MenuLinkKind.URL, "Tips", 0)]


def test_deleting_a_section_or_a_page_takes_its_links_with_it(admin, about, make_section):
    city, port = make_section("City"), make_section("Port")
    menus.add_link(admin, "header", "section", target_id=city.id)
    menus.add_link(admin, "header", "section", target_id=port.id)
    menus.add_link(admin, "footer", "page", target_id=about.id)
    taxonomy.delete_section(city)
    db.session.delete(about)
    db.session.commit()
    db.session.expire_all()
    assert saved(MenuName.HEADER) == [(MenuLinkKind.SECTION, "", 1)]
    assert saved(MenuName.FOOTER) == []
    db.session.info.clear()
    assert labels(menus.public_menus().header) == ["Port"]


# ------------------------------------------------------------------------ views


def page_text(client, path: str = "/editor/menus") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_menus_page_lists_both_menus_and_adds_a_link(client, login, admin, about, make_section):
    city = make_section("City", slug="city")
    login(admin)
    html = page_text(client)
    assert "Header menu" in html and "Footer menu" in html
    assert re.search(r'<a href="/editor/menus"[^>]*aria-current="page">Menus</a>', html)
    response = client.post(
        "/editor/menus/links",
        data={"menu": "header", "kind": "section", "section": str(city.id), "page": ""},
    )
    assert response.status_code == 302
    link = db.session.scalar(select(MenuLink))
    assert response.headers["Location"].endswith(f"/editor/menus#link-{link.id}")
    html = page_text(client)
    assert "Link added to the header menu." in html
    assert f'id="link-{link.id}"' in html and '<a href="/section/city">City</a>' in html
    client.post(
        "/editor/menus/links",
        data={"menu": "footer", "kind": "page", "page": str(about.id), "label": "Who we are"},
    )
    assert saved(MenuName.FOOTER) == [(MenuLinkKind.PAGE, "Who we are", 0)]
    # The editor area shows the site's footer as readers see it.
    assert '<li><a href="/about">Who we are</a></li>' in page_text(client)


def test_a_bad_address_is_refused_with_the_form_shown_again(client, login, admin):
    login(admin)
    typed = {"menu": "footer", "kind": "url", "url": "javascript:alert(1)", "label": "Free money"}
    response = client.post("/editor/menus/links", data=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give a path on this site, such as /about" in html
    assert 'value="javascript:alert(1)"' in html and 'value="Free money"' in html
    assert re.search(r'<option selected value="footer">|<option value="footer" selected', html)
    assert 'aria-invalid="true"' in html
    response = client.post("/editor/menus/links", data={**typed, "url": "/tips", "label": ""})
    assert "Give the link a label" in response.get_data(as_text=True)
    assert saved(MenuName.FOOTER) == []


def test_links_are_ordered_and_removed_with_plain_forms(client, login, admin):
    ids = [
        menus.add_link(admin, "header", "url", url=f"/{name}", label=name).id
        for name in ("one", "two", "three")
    ]
    login(admin)
    html = page_text(client)
    assert f'action="/editor/menus/links/{ids[0]}/move/down"' in html
    assert f'action="/editor/menus/links/{ids[0]}/move/up"' not in html  # first: no "up"
    response = client.post(f"/editor/menus/links/{ids[2]}/move/up")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#link-{ids[2]}")
    assert [label for _, label, _ in saved(MenuName.HEADER)] == ["one", "three", "two"]
    response = client.post(f"/editor/menus/links/{ids[1]}/position", data={"position": "1"})
    assert response.status_code == 302
    assert [label for _, label, _ in saved(MenuName.HEADER)] == ["two", "one", "three"]
    # A position past the end: the page again, the number kept, the reason beside it.
    response = client.post(f"/editor/menus/links/{ids[0]}/position", data={"position": "9"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give a position from 1 to 3." in html
    assert re.search(rf'id="position-{ids[0]}"[^>]*value="9"[^>]*aria-invalid="true"', html)
    response = client.post(f"/editor/menus/links/{ids[0]}/delete")
    assert response.status_code == 302
    assert "Link removed from the header menu." in page_text(client)
    assert [label for _, label, _ in saved(MenuName.HEADER)] == ["two", "three"]
    assert client.post(f"/editor/menus/links/{ids[0]}/delete").status_code == 404


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR])
def test_editors_and_authors_get_403_everywhere(client, login, make_user, admin, role):
    link = menus.add_link(admin, "header", "url", url="/tips", label="Tips")
    login(make_user(role))
    assert client.get("/editor/menus").status_code == 403
    posts = [
        ("/editor/menus/links", {"menu": "header", "kind": "url", "url": "/x", "label": "X"}),
        (f"/editor/menus/links/{link.id}/move/down", {}),
        (f"/editor/menus/links/{link.id}/position", {"position": "1"}),
        (f"/editor/menus/links/{link.id}/delete", {}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 403, path
    assert saved(MenuName.HEADER) == [(MenuLinkKind.URL, "Tips", 0)]
    assert "/editor/menus" not in page_text(client, "/editor/")  # no menu item either


def test_a_deleted_section_leaves_the_editors_list(client, login, admin, make_section):
    city = make_section("City", slug="city")
    menus.add_link(admin, "header", "section", target_id=city.id)
    login(admin)
    assert '<a href="/section/city">City</a>' in page_text(client)
    taxonomy.delete_section(city)
    html = page_text(client)
    assert "/section/city" not in html
    assert "No links yet: the header shows the sections bar." in html
