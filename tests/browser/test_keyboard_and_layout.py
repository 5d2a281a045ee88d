"""Keyboard only: every control is reached with Tab and shows where focus is; narrow screens
never scroll sideways; dark mode keeps text readable."""

import re

import pytest
from playwright.sync_api import Page, expect

from blog.models import CommentStatus
from tests.browser.support import share_count, sign_in, stay_local, unique

MAX_TABS = 400
# What has focus, and whether it shows: an outline or a box-shadow on :focus-visible.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    id: el.id, name: el.getAttribute("name") || "", text: (el.innerText || "").trim(),
    tag: el.tagName, focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def tab_until(page: Page, wanted, seen: list[dict]) -> dict:
    """Press Tab until `wanted(state)` holds; every element passed on the way must show focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        seen.append(state)
        assert state["focusVisible"], f"focus reached by Tab is not :focus-visible: {state}"
        assert state["outline"] or state["shadow"], f"no visible focus indicator on {state}"
        if wanted(state):
            return state
    raise AssertionError(f"Tab never reached the control after {MAX_TABS} presses")


def test_keyboard_reaches_share_buttons_and_comment_form(site, new_context):
    context = new_context()
    refused = stay_local(context, site)
    site.age_reader_forms(context)
    page = context.new_page()
    page.goto(f"/articles/{site.article_slug}")
    seen: list[dict] = []

    skip = tab_until(page, lambda s: s["text"] == "Skip to content", seen)
    assert seen == [skip], "the skip link is not the first stop"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    before = share_count(site, site.article_slug)
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["text"] == "LinkedIn", seen)
    with page.expect_popup() as popup:
        page.keyboard.press("Enter")
    popup.value.close()
    expect(page.locator("#share .share-total")).to_have_text(str(before + 1))
    assert any(url.startswith("https://www.linkedin.com/") for url in refused), refused
    tab_until(page, lambda s: s["text"] == "Copy link", seen)

    name, body = unique("Kim Keyboard"), unique("Typed without a mouse")
    tab_until(page, lambda s: s["id"] == "comment-name", seen)
    page.keyboard.type(name)
    tab_until(page, lambda s: s["id"] == "comment-email", seen)
    tab_until(page, lambda s: s["id"] == "comment-body", seen)
    page.keyboard.type(body)
    tab_until(page, lambda s: s["text"] == "Post comment", seen)
    page.keyboard.press("Enter")
    expect(page.locator("li.comment-pending", has_text=body)).to_be_visible()
    with site.app.app_context():
        assert [c.status for c in site.comments_by(name)] == [CommentStatus.PENDING]


NARROW_PAGES = ["/", "/articles/{article}", "/section/{section}", "/search?q=council"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_sideways_scroll_at_360_pixels(site, new_context, scheme):
    context = new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = context.new_page()
    paths = [p.format(article=site.article_slug, section=site.section_slug) for p in NARROW_PAGES]
    wide = {}
    for path in [*paths, "/editor/login", "/editor/"]:
        if path == "/editor/":
            sign_in(page, site)
        else:
            assert page.goto(path).ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll("body *")]
                  .filter(el => el.getBoundingClientRect().right > 361)
                  .slice(0, 5).map(el => el.tagName + "." + el.className)"""
            )
            wide[path] = (width, culprits)
    assert not wide, f"pages wider than 360 px ({scheme}): {wide}"


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_dark_mode_text_is_readable(site, new_context):
    page = new_context(color_scheme="dark").new_page()
    page.goto(f"/articles/{site.article_slug}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.05, f"dark mode background is not dark: {background}"
    for selector in ("h1", ".article-body p", ".brief p", ".byline-details", ".comment-body p"):
        color = page.locator(selector).first.evaluate("el => getComputedStyle(el).color")
        ratio = contrast(color, background)
        assert ratio >= 4.5, f"{selector}: {color} on {background} is {ratio:.1f}:1"
