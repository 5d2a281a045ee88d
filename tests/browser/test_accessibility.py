"""axe-core finds no serious or critical violation on the main pages, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from blog.extensions import db
from blog.models import Comment, CommentStatus
from tests.browser.support import sign_in

READER_PAGES = {
    "front page": "/",
    "article with comments": None,  # the site's demo article, filled in below
    "section": "/section/{section}",
    "search results": "/search?q=council",
}
STAFF_PAGES = {
    "login": "/editor/login",
    "article editor": "/editor/articles/new",
    "moderation queue": "/editor/comments/",
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations(site, new_context, held_comment, scheme):
    reader = new_context(color_scheme=scheme).new_page()
    staff = new_context(color_scheme=scheme).new_page()
    sign_in(staff, site)
    found = {}
    pages = [(reader, name, path) for name, path in READER_PAGES.items()]
    pages += [(staff, name, path) for name, path in STAFF_PAGES.items()]
    for page, name, path in pages:
        path = (path or f"/articles/{site.article_slug}").format(section=site.section_slug)
        if name == "login":
            page = new_context(color_scheme=scheme).new_page()
        response = page.goto(site.url(path))
        assert response.ok, f"{name}: {path} answered {response.status}"
        if violations := blocking_violations(page):
            found[f"{name} ({path})"] = violations
    report = "\n".join(f"{name}:\n{describe(v)}" for name, v in found.items())
    assert not found, f"axe, {scheme} mode, serious or critical violations:\n{report}"
