"""An editor leads the front page with a story of their choice, without JavaScript, and a
reader finds it in the lead at once; the desk and the breaking banner pass axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from blog.extensions import db
from blog.models import Article, FrontPagePick, User
from blog.models.base import utcnow
from blog.services import articles, breaking, curation
from tests.browser.support import sign_in
from tests.browser.test_accessibility import blocking_violations, describe


def an_older_story(site) -> tuple[int, str]:
    """A public story well below the automatic lead (the tenth newest)."""
    with site.app.app_context():
        story = db.session.scalars(articles.public_articles().offset(9).limit(1)).one()
        found = story.id, story.title
        db.session.remove()
    return found


def clear_picks(site) -> None:
    """Leave the shared demo site's front page as the other tests expect it."""
    with site.app.app_context():
        db.session.execute(delete(FrontPagePick))
        db.session.commit()
        admin = db.session.scalars(select(User).where(User.email == site.admin_email)).one()
        breaking.clear_breaking(admin)
        db.session.remove()


def test_an_editor_pins_a_story_as_the_lead(site, new_context):
    story_id, title = an_older_story(site)
    editor = new_context(java_script_enabled=False).new_page()
    reader = new_context().new_page()
    reader.goto("/")
    expect(reader.locator(".lead .card-title")).not_to_have_text(title)
    try:
        sign_in(editor, site)
        editor.get_by_role("link", name="Front page", exact=True).click()
        expect(editor.get_by_role("heading", name="Front page", level=1)).to_be_visible()
        editor.get_by_label("Story", exact=True).select_option(str(story_id))
        editor.get_by_role("button", name="Make it the lead").click()
        editor.wait_for_url(re.compile(r"/editor/front#lead$"))
        expect(editor.get_by_role("status")).to_contain_text(f"“{title}” now leads")
        lead_panel = editor.locator("#lead")
        expect(lead_panel.get_by_role("link", name=title)).to_be_visible()

        reader.goto("/")  # a cached front page changes at once
        expect(reader.locator(".lead .card-title")).to_have_text(title)
        expect(reader.get_by_role("link", name=title, exact=True)).to_have_count(1)

        # Taken off again: the automatic lead returns.
        lead_panel.get_by_role("button", name="Remove from the front page").click()
        expect(editor.get_by_role("status")).to_contain_text("is off the front page")
        reader.goto("/")
        expect(reader.locator(".lead .card-title")).not_to_have_text(title)
        with site.app.app_context():
            assert db.session.scalars(select(FrontPagePick.id)).all() == []
            assert db.session.get(Article, story_id).title == title
            db.session.remove()
    finally:
        clear_picks(site)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_desk_and_the_banner_pass_axe(site, new_context, scheme):
    """With a lead, top stories and a banner up: the reader's pages and the desk."""
    with site.app.app_context():
        admin = db.session.scalars(select(User).where(User.email == site.admin_email)).one()
        stories = db.session.scalars(articles.public_articles().limit(8)).all()
        curation.set_lead(admin, stories[7], until=utcnow() + timedelta(hours=3))
        for story in stories[4:7]:
            curation.pin(admin, story)
        breaking.set_breaking(
            admin, "Storm warning: ferries stopped", f"/section/{site.section_slug}"
        )
        db.session.remove()
    try:
        reader = new_context(color_scheme=scheme).new_page()
        staff = new_context(color_scheme=scheme).new_page()
        sign_in(staff, site)
        found = {}
        for page, path in [(reader, "/"), (reader, "/no-such-page"), (staff, "/editor/front")]:
            page.goto(site.url(path))
            if path != "/editor/front":
                expect(page.get_by_role("region", name="Breaking news")).to_be_visible()
            if violations := blocking_violations(page):
                found[path] = violations
        report = "\n".join(f"{path}:\n{describe(v)}" for path, v in found.items())
        assert not found, f"axe, {scheme} mode:\n{report}"
    finally:
        clear_picks(site)
