"""The article editor in Chromium: Markdown toolbar and shortcuts, the live preview, drafts
kept in the browser with restore, and the warning before leaving unsaved text."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.support import sign_in

NEW_ARTICLE = "/editor/articles/new"
DRAFT_KEYS = "Object.keys(localStorage).filter((key) => key.startsWith('byline:draft:'))"


def body_value(page: Page) -> str:
    return page.locator("#body").input_value()


def select_in_body(page: Page, start: int, end: int) -> None:
    page.locator("#body").evaluate("(area, [s, e]) => area.setSelectionRange(s, e)", [start, end])


def test_toolbar_buttons_and_shortcuts_format_the_selection(site, signed_in_page):
    page = signed_in_page
    page.goto(site.url(NEW_ARTICLE))
    toolbar = page.get_by_role("toolbar", name="Format the body")
    expect(toolbar).to_be_visible()
    body = page.locator("#body")
    body.click()
    page.keyboard.type("Ferries return")
    select_in_body(page, 8, 14)
    toolbar.get_by_role("button", name="Bold").click()
    assert body_value(page) == "Ferries **return**"
    expect(body).to_be_focused()  # back to writing, "return" still selected

    page.keyboard.press("Control+b")  # pressed again: the markers go
    assert body_value(page) == "Ferries return"
    select_in_body(page, 0, 7)
    page.keyboard.press("Control+i")
    assert body_value(page) == "*Ferries* return"
    select_in_body(page, 0, len(body_value(page)))
    toolbar.get_by_role("button", name="Numbered list").click()
    assert body_value(page) == "1. *Ferries* return"
    select_in_body(page, 3, 12)
    page.keyboard.press("Control+k")
    assert body_value(page) == "1. [*Ferries*](https://) return"

    # One tab stop; the arrow keys move along the toolbar and wrap around.
    bold = toolbar.get_by_role("button", name="Bold")
    bold.focus()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Italic")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Live preview")).to_be_focused()
    assert toolbar.locator("button[tabindex='0']").count() == 1


def test_live_preview_shows_the_servers_sanitised_html(site, signed_in_page):
    page = signed_in_page
    previews = []
    page.on(
        "request",
        lambda request: previews.append(request) if "/editor/preview" in request.url else None,
    )
    page.goto(site.url(NEW_ARTICLE))
    toggle = page.get_by_role("button", name="Live preview")
    with page.expect_response("**/editor/preview"):
        toggle.click()  # the pane opens with the text as it is
    expect(toggle).to_have_attribute("aria-pressed", "true")
    previews.clear()
    pane = page.get_by_role("region", name="Live preview")
    expect(pane).to_be_visible()

    page.locator("#body").click()
    hostile = (
        "## Tides\n\n**High** water at noon. <script>window.pwned = 1</script> "
        '<img src="x" onerror="window.pwned = 2">'
    )
    page.keyboard.type(hostile, delay=5)
    output = pane.locator("[data-preview-output]")
    expect(output.get_by_role("heading", name="Tides")).to_be_visible()
    expect(output.locator("strong")).to_have_text("High")
    expect(output).to_contain_text("<script>window.pwned = 1</script>")  # shown as text
    assert output.locator("script, img").count() == 0
    assert page.evaluate("window.pwned") is None
    # Typing sends nothing until it pauses (one request per key would be over a hundred).
    assert 1 <= len(previews) <= 3, [r.post_data for r in previews]
    assert previews[-1].headers.get("x-csrftoken")


def test_a_draft_survives_a_reload_and_is_cleared_by_saving(site, signed_in_page):
    page = signed_in_page
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(site.url(NEW_ARTICLE))
    page.locator("#title").click()
    page.keyboard.type("Night ferry timetable")
    page.locator("#body").click()
    page.keyboard.type("The last boat leaves at 23:40.")
    page.wait_for_function(f"() => {DRAFT_KEYS}.length === 1")
    key = page.evaluate(f"{DRAFT_KEYS}[0]")
    assert key.endswith(":new")

    page.reload()  # unsaved text: the browser asks first
    assert dialogs == ["beforeunload"]
    notice = page.get_by_role("region", name="Unsaved draft")
    expect(notice).to_contain_text(
        re.compile(r"A newer unsaved draft from .+ is kept in this browser")
    )
    assert body_value(page) == ""
    notice.get_by_role("button", name="Restore").click()
    expect(notice).to_be_hidden()
    assert page.locator("#title").input_value() == "Night ferry timetable"
    assert body_value(page) == "The last boat leaves at 23:40."

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/editor/articles/\d+$"))
    expect(page.get_by_role("status").filter(has_text="Draft created.")).to_be_visible()
    assert dialogs == ["beforeunload"]  # saving is not leaving
    assert page.evaluate(DRAFT_KEYS) == []
    page.reload()
    expect(page.get_by_role("region", name="Unsaved draft")).to_be_hidden()
    assert body_value(page) == "The last boat leaves at 23:40."


def test_discarding_a_draft_and_leaving_a_clean_page(site, signed_in_page):
    page = signed_in_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(site.url(NEW_ARTICLE))
    page.goto(site.url("/editor/"))  # nothing typed: no question
    assert dialogs == []
    page.goto(site.url(NEW_ARTICLE))
    page.locator("#body").click()
    page.keyboard.type("A draft to throw away")
    page.wait_for_function(f"() => {DRAFT_KEYS}.length === 1")
    page.goto(site.url("/editor/"))
    assert dialogs == ["beforeunload"]
    page.goto(site.url(NEW_ARTICLE))
    notice = page.get_by_role("region", name="Unsaved draft")
    notice.get_by_role("button", name="Discard").click()
    expect(notice).to_be_hidden()
    assert page.evaluate(DRAFT_KEYS) == []
    assert body_value(page) == ""


def test_without_javascript_the_form_and_its_preview_button_still_work(site, nojs_page):
    page = nojs_page
    sign_in(page, site)
    page.goto(site.url(NEW_ARTICLE))
    expect(page.get_by_role("toolbar")).to_have_count(0)  # hidden until the script shows it
    expect(page.get_by_role("region", name="Unsaved draft")).to_have_count(0)
    page.locator("#body").fill("## Low tide\n\nThe **causeway** opens at six.")
    with page.context.expect_page() as opened:  # formtarget="_blank": a tab, no script
        page.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.get_by_role("heading", name="Low tide")).to_be_visible()
    expect(preview.locator(".article-body strong")).to_have_text("causeway")
    assert body_value(page) == "## Low tide\n\nThe **causeway** opens at six."


def test_the_article_editor_has_no_serious_accessibility_violations(site, signed_in_page):
    page = signed_in_page
    page.goto(site.url(f"/editor/articles/{site.article_id}"))
    expect(page.get_by_role("toolbar", name="Format the comment")).to_be_visible()
    page.get_by_role("button", name="Live preview").click()
    expect(page.locator("[data-preview-output] p").first).to_be_visible()
    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert blocking == []
