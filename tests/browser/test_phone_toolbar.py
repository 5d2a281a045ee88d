"""The body's formatting toolbar on a phone, in Chromium at 390 px: it stays at the top of
the screen while a long body scrolls under it, opaque in light and dark mode, and the
caret of the text being typed is brought into view below it, not under it."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import sign_in

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# Scroll the page so the body's first lines pass under the top of the screen: the
# textarea's top `above` px above the toolbar's place, its own text scrolled to the start.
SCROLL_BODY = """([above]) => {
  const body = document.getElementById('body');
  const bar = document.querySelector('.md-toolbar');
  window.scrollTo(0, body.getBoundingClientRect().top + window.scrollY - bar.offsetHeight + above);
  body.scrollTop = 0;
}"""
# Where the caret's line is on the screen (the lines above it are as tall as it is), and
# where the toolbar is.
PLACES = """() => {
  const body = document.getElementById('body');
  const style = getComputedStyle(body);
  const line = body.value.slice(0, body.selectionStart).split('\\n').length - 1;
  const top = body.getBoundingClientRect().top + parseFloat(style.borderTopWidth)
    + parseFloat(style.paddingTop) + line * parseFloat(style.lineHeight) - body.scrollTop;
  const bar = document.querySelector('.md-toolbar').getBoundingClientRect();
  return {caretTop: top, barTop: bar.top, barBottom: bar.bottom};
}"""


def open_editor(page: Page, site) -> None:
    page.goto(site.url(f"/editor/articles/{site.article_id}"))
    expect(page.get_by_role("toolbar", name="Format the body")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_toolbar_stays_on_screen_over_the_text(new_context, site, scheme):
    page = new_context(color_scheme=scheme, **PHONE).new_page()
    sign_in(page, site)
    open_editor(page, site)
    page.evaluate(SCROLL_BODY, [400])
    toolbar = page.get_by_role("toolbar", name="Format the body")
    box = toolbar.bounding_box()
    assert box is not None and box["y"] == 0, box
    # Opaque, with the page's own surface colour: no text shows through it.
    colours = toolbar.evaluate(
        """bar => [getComputedStyle(bar).backgroundColor,
                   getComputedStyle(document.body).backgroundColor]"""
    )
    assert colours[0].startswith("rgb(") and colours[0] != colours[1], colours
    # What is at the toolbar's middle on screen is the toolbar, not the text under it.
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.md-toolbar') !== null",
        [box["x"] + box["width"] - 4, box["y"] + box["height"] / 2],
    )
    assert on_top


# 320 px is also a 1280 px desktop at 400 % zoom: the toolbar wraps onto more rows.
@pytest.mark.parametrize("width", [320, 390])
def test_typing_brings_the_caret_out_from_under_the_toolbar(new_context, site, width):
    page = new_context(**(PHONE | {"viewport": {"width": width, "height": 700}})).new_page()
    sign_in(page, site)
    open_editor(page, site)
    body = page.locator("#body")
    page.evaluate(SCROLL_BODY, [40])  # the body's first lines are under the toolbar
    body.evaluate("body => { body.focus({preventScroll: true}); body.setSelectionRange(0, 0); }")
    before = page.evaluate(PLACES)
    assert before["caretTop"] < before["barBottom"], before  # hidden, to begin with
    page.keyboard.type("Update: ")
    after = page.evaluate(PLACES)
    assert after["barTop"] == 0, after
    assert after["caretTop"] >= after["barBottom"], after


def test_on_a_wide_screen_the_toolbar_stays_in_its_place(signed_in_page, site):
    page = signed_in_page
    open_editor(page, site)
    page.evaluate(SCROLL_BODY, [400])
    box = page.get_by_role("toolbar", name="Format the body").bounding_box()
    assert box is not None and box["y"] + box["height"] < 0, box  # scrolled away with the text
