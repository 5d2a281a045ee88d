"""The editor's Preview in Chromium at phone width: a new tab shows the public article page
as typed, the editor's tab keeps the text, its draft and its warning before leaving, and
"Close the preview" closes the tab, or, where the browser keeps it open, says where to go."""

import json
import re

from playwright.sync_api import expect

from tests.browser.support import sign_in, unique

PHONE = {"width": 390, "height": 844}


def test_preview_opens_the_typed_article_in_a_new_tab(site, new_context):
    context = new_context(viewport=PHONE)
    editor = context.new_page()
    sign_in(editor, site)
    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    editor.goto(site.url(f"/editor/articles/{site.article_id}"))
    title = unique("Night ferries start on Friday")
    editor.get_by_label("Title", exact=True).fill(title)

    with context.expect_page() as opened:
        editor.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.get_by_role("region", name="Preview")).to_contain_text(
        "Preview of unsaved changes"
    )
    cover = preview.locator("figure.cover img")
    expect(cover).to_be_visible()
    preview.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle()
    )
    expect(preview.locator(".byline .avatar").first).to_be_visible()
    expect(preview.locator(".byline-name").first).not_to_be_empty()
    expect(
        preview.get_by_role("navigation", name="Topics").get_by_role("link").first
    ).to_be_visible()
    expect(preview.locator("#comment-form")).to_have_count(0)
    expect(preview.locator(".share-form")).to_have_count(0)
    assert preview.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The editor's tab did not leave: the text, its draft and the warning are all still there.
    assert editor.url == site.url(f"/editor/articles/{site.article_id}")
    expect(editor.get_by_label("Title", exact=True)).to_have_value(title)
    key = f"Object.keys(localStorage).find((k) => k.endsWith(':{site.article_id}'))"
    draft = json.loads(editor.evaluate(f"localStorage.getItem({key})"))
    assert draft["fields"]["title"] == title and draft["submitted"] is False

    with preview.expect_event("close"):
        preview.get_by_role("link", name="Close the preview").click()
    editor.bring_to_front()
    editor.goto(site.url("/editor/"))  # the text is still unsaved: the browser asks first
    assert dialogs == ["beforeunload"]


def test_a_preview_the_browser_keeps_open_says_to_switch_back(site, new_context):
    context = new_context(viewport=PHONE)
    editor = context.new_page()
    sign_in(editor, site)
    editor.goto(site.url(f"/editor/articles/{site.article_id}"))
    title = unique("Trams run late on Saturdays")
    editor.get_by_label("Title", exact=True).fill(title)
    with context.expect_page() as opened:
        editor.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    shown_at = preview.url
    close = preview.get_by_role("link", name="Close the preview")
    # The title speaks of the link without JavaScript; here the script handles it.
    expect(close).not_to_have_attribute("title", re.compile(".*"))
    preview.evaluate("window.close = () => {}")  # as a browser that keeps the tab open

    close.click()
    expect(preview.get_by_role("region", name="Preview").get_by_role("status")).to_have_text(
        "Switch back to the editor’s tab to go on writing."
    )
    # The preview stays: no second editor with the text as last saved.
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    assert preview.url == shown_at and len(context.pages) == 2
    expect(editor.get_by_label("Title", exact=True)).to_have_value(title)
