"""Covers and card images come as AVIF or WebP in Chromium, through <picture> sources,
and the <picture> around each changes no box on the page."""

import re

import pytest

# Each picture's <img>: where it is, the file Chromium chose, and its box.
PICTURES = """() => [...document.querySelectorAll('picture > img')].map(image => {
  const box = image.getBoundingClientRect();
  return {
    where: image.closest('.card-grid, .card-list, .front-top, .cover')?.className || '',
    chosen: image.currentSrc,
    offered: image.parentElement.querySelector('source')?.type || '',
    box: [box.x, box.y, box.width, box.height],
  };
})"""
# The same boxes once every <picture> is replaced by its <img> alone, as before pictures.
UNWRAPPED = """() => {
  const images = [...document.querySelectorAll('picture > img')];
  for (const image of images) image.parentElement.replaceWith(image);
  return images.map(image => {
    const box = image.getBoundingClientRect();
    return [box.x, box.y, box.width, box.height];
  });
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_covers_and_cards_load_avif_and_keep_their_boxes(site, new_context, width):
    seen, formats = set(), set()
    for path in ["/", f"/articles/{site.article_slug}", f"/section/{site.section_slug}"]:
        page = new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(path)
        page.evaluate("() => { for (const image of document.images) image.loading = 'eager'; }")
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.currentSrc)")
        pictures = page.evaluate(PICTURES)
        assert pictures, path
        for picture in pictures:
            # The first format offered: AVIF, or WebP where AVIF came out no smaller.
            assert picture["offered"] in ("image/avif", "image/webp"), picture
            expected = picture["offered"].removeprefix("image/")
            assert re.search(rf"-\d+\.{expected}$", picture["chosen"]), (
                f"{path} {width}px {picture}"
            )
            formats.add(expected)
            seen.add(picture["where"].split()[0] if picture["where"] else "")
        assert page.evaluate(UNWRAPPED) == [picture["box"] for picture in pictures], path
    assert {"card-grid", "card-list", "front-top", "cover"} <= seen, seen
    assert "avif" in formats
