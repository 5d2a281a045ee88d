"""Every tap target on a phone is at least 24×24 CSS pixels (WCAG 2.5.8, Lighthouse's
target-size), on the pages readers use and a comment's report page (its radio buttons
too); the article page with its thread never scrolls sideways at 360 px; and the comment
a permalink leads to stands out, light and dark.

Links inside running text (the body of an article or a comment, a brief, a bio) are
exempt, as WCAG allows: their size is the line's.
"""

import pytest

from tests.browser.support import unique
from tests.browser.test_comment_reports_browser import shown_comment
from tests.browser.test_keyboard_and_layout import contrast

MIN_SIZE = 24
PHONE = {"width": 390, "height": 844}
# Prose: a link there sits in a sentence.
RUNNING_TEXT = ", ".join(
    (
        ".article-body",
        ".comment-body",
        ".editor-comment-body",
        ".brief",
        ".author-card-bio",
        ".listing-description",
        ".correction-body",
        ".comment-replying",
    )
)
PAGES = {
    "front page": "/",
    "listing": "/section/{section}",
    "article with comments": "/articles/{article}",
    "article with comments, newest first": "/articles/{article}?sort=newest",
    "report page": "/comments/{comment}/report",
}
# Targets the pages must show for the check to mean anything (bug 9 named them).
EXPECTED = {
    "front page": [".card-meta .kicker", ".card-meta .card-comments"],
    "listing": [".card-meta .card-comments"],
    "article with comments": [
        ".comment-reply",
        ".comment-permalink",
        ".comment-sort a",
        ".comment-feed",
        ".byline-comments",
        ".breadcrumb a",
    ],
    "article with comments, newest first": [".comment-reply", ".comment-sort a"],
    "report page": [".breadcrumb a", 'input[type="radio"]', 'button[type="submit"]'],
}

MEASURE = """(runningText) => {
  const targets = document.querySelectorAll(
    'a[href], button, summary, [role="button"], input[type="submit"], input[type="button"], ' +
    'input[type="radio"]'
  );
  const seen = [];
  for (const el of targets) {
    if (el.closest(runningText) || el.closest("[hidden]")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // not drawn, or visually hidden
    seen.push({
      html: el.outerHTML.slice(0, 120),
      width: Math.round(box.width * 10) / 10,
      height: Math.round(box.height * 10) / 10,
      matches: el,
    });
  }
  return seen.map(({matches, ...rest}) => rest);
}"""

MATCHED = """([runningText, selector]) => [...document.querySelectorAll(selector)]
  .filter(el => !el.closest(runningText) && el.getBoundingClientRect().width > 1).length"""


@pytest.fixture(scope="module")
def reportable(site) -> int:
    """An approved comment whose report page is measured."""
    return shown_comment(site, unique("A comment for the report page"))


@pytest.mark.parametrize("name", PAGES)
def test_every_tap_target_is_at_least_24_pixels(site, new_context, reportable, name):
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    path = PAGES[name].format(
        article=site.article_slug, section=site.section_slug, comment=reportable
    )
    assert page.goto(path).ok, path

    for selector in EXPECTED[name]:
        assert page.evaluate(MATCHED, [RUNNING_TEXT, selector]), f"{name}: no {selector}"
    targets = page.evaluate(MEASURE, RUNNING_TEXT)
    assert targets, f"{name}: no targets measured"
    small = [t for t in targets if t["width"] < MIN_SIZE or t["height"] < MIN_SIZE]
    assert not small, f"{name}: targets under {MIN_SIZE}×{MIN_SIZE} px:\n" + "\n".join(
        f"  {t['width']}×{t['height']}  {t['html']}" for t in small
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_thread_fits_360_pixels(site, new_context, scheme):
    page = new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme).new_page()
    for path in (f"/articles/{site.article_slug}", f"/articles/{site.article_slug}?sort=newest"):
        assert page.goto(path).ok
        assert page.locator(".comment-avatar").count() > 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide ({scheme})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_permalinked_comment_is_highlighted(site, new_context, scheme):
    page = new_context(color_scheme=scheme).new_page()
    page.goto(f"/articles/{site.article_slug}")
    target = page.locator(".comment").nth(1)
    other = page.locator(".comment").first
    page.goto(f"/articles/{site.article_slug}#{target.get_attribute('id')}")
    style = """el => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.outlineStyle, s.outlineColor];
    }"""
    background, outline, outline_color = target.locator("> article").evaluate(style)
    plain, no_outline, _ = other.locator("> article").evaluate(style)
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != plain and no_outline == "none" and outline != "none", scheme
    # The frame is seen against the page (WCAG's 3:1 for what is not text).
    assert contrast(outline_color, page_background) >= 3, (scheme, outline_color)
