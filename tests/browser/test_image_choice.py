"""Chromium picks the smallest stored rendition that fills each image's slot, because
every `sizes` states the width the stylesheet gives the image, and every image keeps
its box (width and height) before its file arrives."""

import re

import pytest

from blog.services.uploads import VARIANT_WIDTHS

# Every image on the page: the slot the layout gives it, the width `sizes` promised
# (Chromium reports it as the chosen file's density-corrected naturalWidth), the file it
# chose and the candidates it had.
IMAGES = """() => [...document.images].map(image => ({
  where: image.closest('.card-grid, .card-list, .front-top, .cover, .author-card, .byline')
    ?.className || '',
  slot: image.getBoundingClientRect().width,
  promised: image.naturalWidth,
  chosen: image.currentSrc,
  // In a <picture>, Chromium takes its first <source> (AVIF, which it decodes).
  srcset: (image.closest('picture')?.querySelector('source') || image)
    .getAttribute('srcset') || '',
  width: image.getAttribute('width'),
  height: image.getAttribute('height'),
}))"""


def load_every_image(page) -> list[dict]:
    """Images below the fold are lazy: load them all, then read what was chosen."""
    page.evaluate("() => { for (const image of document.images) image.loading = 'eager'; }")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.currentSrc)")
    return page.evaluate(IMAGES)


def candidates(srcset: str) -> list[tuple[int, str]]:
    return sorted((int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", srcset))


@pytest.mark.parametrize("width", [390, 1280])
def test_each_image_is_the_smallest_file_that_fills_its_slot(site, new_context, width):
    pages = ["/", f"/articles/{site.article_slug}", f"/section/{site.section_slug}"]
    checked = set()
    for path in pages:
        # A fresh context each time: a file already in the cache (the lead's 960px
        # rendition, say) is rightly reused for a smaller slot on the next page.
        page = new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(path)
        for image in load_every_image(page):
            assert image["width"] and image["height"], f"{path}: {image} has no size"
            if not image["srcset"]:
                continue
            files = candidates(image["srcset"])
            slot = image["slot"]
            # `sizes` says what the stylesheet does (within rounding) ...
            assert abs(image["promised"] - slot) <= 2, f"{path} at {width}px: {image}"
            # ... so the file chosen is the smallest at least as wide as the slot.
            wanted = next((url for w, url in files if w >= slot), files[-1][1])
            assert image["chosen"].endswith(wanted), f"{path} at {width}px: {image}"
            checked.add(image["where"].split()[0])
    assert {"card-grid", "card-list", "front-top", "cover"} <= checked, checked


def test_a_grid_card_at_desktop_width_loads_the_480px_file(site, page):
    """The front page's cards are about 266px wide at 1280px: the 480px rendition (or an
    original no wider than that), never the 960px or 1600px one."""
    page.goto("/")
    cards = [image for image in load_every_image(page) if "card-grid" in image["where"]]
    assert cards
    for card in cards:
        assert card["slot"] < VARIANT_WIDTHS[0], card
        # Any format: other tests of the shared site upload PNG covers too.
        assert not re.search(
            rf"-({VARIANT_WIDTHS[1]}|{VARIANT_WIDTHS[2]})\.[a-z]+$", card["chosen"]
        )
        demo = re.search(rf"-{VARIANT_WIDTHS[0]}\.[a-z]+$", card["chosen"])
        assert demo or int(card["width"]) <= VARIANT_WIDTHS[0], card  # an original that small
