"""axe-core finds no serious or critical violation on the main pages, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    Correction,
    CorrectionKind,
    Mailing,
    MenuLink,
    MenuLinkKind,
    MenuName,
    Section,
    Subscriber,
    Subscription,
    User,
)
from blog.models.base import utcnow
from tests.browser.support import post_comment, sign_in, unique
from tests.browser.test_comment_reports_browser import shown_comment

READER_PAGES = {
    "front page": "/",
    "article with comments": None,  # the site's demo article, filled in below
    "section": "/section/{section}",
    "search results": "/search?q=council",
    "about page": "/about",
    "authors": "/authors",
    "topics": "/topics",
    "corrections": "/corrections",
    "follow by e-mail": "/follow",
    "follow a section": "/follow/section/{section}",
    "follow: check your inbox": "/follow/sent",
    "follow: ask for a manage link": "/follow/manage",
}
STAFF_PAGES = {
    "login": "/editor/login",
    "article editor": "/editor/articles/new",
    "published article's editor": "/editor/articles/{article_id}",
    "page editor": "/editor/pages/new",
    "moderation queue": "/editor/comments/",
    "front page desk": "/editor/front",
    "audit log": "/editor/audit",
    "menus": "/editor/menus",
    "subscribers": "/editor/subscribers",
    "two-factor set-up": "/editor/two-factor",
}
AXE = Axe()
BLOCKING = {"serious", "critical"}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


def blocking_violations(page) -> list[dict]:
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


@pytest.fixture(scope="module")
def held_comment(site):
    """A reader's comment waiting in the moderation queue, so the queue has a row."""
    with site.app.app_context():
        comment = Comment(
            article_id=site.article_id,
            author_name="Queue Reader",
            author_email="queue@readers.example",
            status=CommentStatus.PENDING,
            depth=1,
        )
        comment.set_body("Held for the accessibility check.")
        db.session.add(comment)
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def menu_links(site):
    """Links in both menus, so the menus page shows its rows; taken off afterwards, since
    other tests read the demo site's default header and footer."""
    with site.app.app_context():
        section = db.session.scalar(db.select(Section).where(Section.slug == site.section_slug))
        links = [
            MenuLink(menu=MenuName.HEADER, position=0, kind=MenuLinkKind.SECTION, section=section),
            MenuLink(
                menu=MenuName.FOOTER, position=0, kind=MenuLinkKind.URL, label="Tips", url="/"
            ),
        ]
        db.session.add_all(links)
        db.session.commit()
        ids = [link.id for link in links]
        db.session.remove()
    yield
    with site.app.app_context():
        db.session.execute(db.delete(MenuLink).where(MenuLink.id.in_(ids)))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def followers(site):
    """A reader following the site and a section, another awaiting confirmation, and a
    sent digest, so the subscribers page shows its tables; taken off afterwards."""
    with site.app.app_context():
        section = db.session.scalar(db.select(Section).where(Section.slug == site.section_slug))
        readers = [
            Subscriber(email=f"axe{n}@readers.example", email_key=f"axe{n}@readers.example")
            for n in range(2)
        ]
        now = utcnow()
        db.session.add_all(readers)
        db.session.add_all(
            [
                Subscription(
                    subscriber=readers[0], scope="site", list_key="site", confirmed_at=now
                ),
                Subscription(
                    subscriber=readers[0],
                    scope="section",
                    list_key=Subscription.key_of("section", section.id),
                    section_id=section.id,
                    cadence="daily",
                    confirmed_at=now,
                ),
                Subscription(subscriber=readers[1], scope="site", list_key="site"),
                Mailing(
                    kind="digest",
                    key="digest:2000-01-01",
                    started_at=now,
                    finished_at=now,
                    sent_count=1,
                ),
            ]
        )
        db.session.commit()
        ids = [reader.id for reader in readers]
        db.session.remove()
    yield
    with site.app.app_context():
        db.session.execute(db.delete(Subscriber).where(Subscriber.id.in_(ids)))
        db.session.execute(db.delete(Mailing).where(Mailing.key == "digest:2000-01-01"))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def corrections_shown(site):
    """A correction and a retracted update on the demo article, so that its page, its
    editor and the corrections page show both; taken off afterwards."""
    with site.app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == site.admin_email))
        live = Correction(
            article_id=site.article_id, editor_id=admin.id, kind=CorrectionKind.CORRECTION
        )
        live.set_body("An earlier version gave the wrong date for the vote.")
        retracted = Correction(
            article_id=site.article_id,
            editor_id=admin.id,
            kind=CorrectionKind.UPDATE,
            retracted_at=utcnow(),
            retracted_by_id=admin.id,
            retraction_reason="Posted on the wrong story.",
        )
        retracted.set_body("The council will meet again on Monday.")
        db.session.add_all([live, retracted])
        db.session.commit()
        ids = [live.id, retracted.id]
        db.session.remove()
    yield
    with site.app.app_context():
        db.session.execute(db.delete(Correction).where(Correction.id.in_(ids)))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations(
    site, new_context, held_comment, menu_links, corrections_shown, followers, scheme
):
    reader = new_context(color_scheme=scheme).new_page()
    staff = new_context(color_scheme=scheme).new_page()
    sign_in(staff, site)
    found = {}
    pages = [(reader, name, path) for name, path in READER_PAGES.items()]
    pages += [(staff, name, path) for name, path in STAFF_PAGES.items()]
    for page, name, path in pages:
        path = (path or f"/articles/{site.article_slug}").format(
            section=site.section_slug, article_id=site.article_id
        )
        if name == "login":
            page = new_context(color_scheme=scheme).new_page()
        response = page.goto(site.url(path))
        assert response.ok, f"{name}: {path} answered {response.status}"
        if violations := blocking_violations(page):
            found[f"{name} ({path})"] = violations
    report = "\n".join(f"{name}:\n{describe(v)}" for name, v in found.items())
    assert not found, f"axe, {scheme} mode, serious or critical violations:\n{report}"


def sideways_scroll(page, width: int) -> tuple[int, list[str]] | None:
    """The page's width and its widest elements when it is wider than the viewport."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return None
    culprits = page.evaluate(
        """width => [...document.querySelectorAll("body *")]
          .filter(el => el.getBoundingClientRect().right > width + 1)
          .slice(0, 5).map(el => el.tagName + "." + el.className)""",
        width,
    )
    return scroll_width, culprits


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_comment_pages_at_phone_and_desktop_widths(site, new_context, width):
    """A reader's way through the comments, with comments.js running: the article with
    their own comment (remember me and copy-link buttons shown), the reply form opened in
    place, the comment's edit page, and the report page of another comment with the page
    that thanks for the report. No serious or critical axe violation, no page wider than
    the screen."""
    reported = shown_comment(site, unique("A comment to report"))
    context = new_context(viewport={"width": width, "height": 844})
    site.age_reader_forms(context)
    page = context.new_page()
    page.goto(site.url(f"/articles/{site.article_slug}"))
    name = unique("Ada Axe")
    comment_id = post_comment(page, name, unique("Checked by axe"), "ada.axe@readers.example")
    states = {"article with the reader's comment": None}
    states["replying in place"] = lambda: page.locator("#comments a.comment-reply").first.click()
    states["comment edit page"] = lambda: page.goto(
        site.url(f"/comments/{comment_id}/edit"), wait_until="load"
    )
    states["report page"] = lambda: page.goto(
        site.url(f"/comments/{reported}/report"), wait_until="load"
    )

    def send_report():
        page.get_by_label("Off-topic").check()
        page.get_by_role("button", name="Send report").click()

    states["report sent"] = send_report
    found, wide = {}, {}
    for state, reach in states.items():
        if reach:
            reach()
        if state == "replying in place":
            expect(page.get_by_role("button", name="Cancel reply")).to_be_visible()
        if state == "comment edit page":
            expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
        if state == "report page":
            expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
        if state == "report sent":
            expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
        if too_wide := sideways_scroll(page, width):
            wide[state] = too_wide
        if violations := blocking_violations(page):
            found[state] = violations
    assert not wide, f"wider than {width} px: {wide}"
    report = "\n".join(f"{state}:\n{describe(v)}" for state, v in found.items())
    assert not found, f"axe at {width} px, serious or critical violations:\n{report}"
