"""Images: every <img> carries its size (no layout shift) and a `sizes` that matches the
slot the stylesheet gives it, so the browser fetches the smallest file that fills it."""

import re
from html.parser import HTMLParser

import pytest

from blog import demo
from blog.extensions import db
from blog.models import Role
from blog.services import uploads


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_on(client, url: str) -> list[dict[str, str | None]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Images()
    parser.feed(response.get_data(as_text=True))
    return parser.images


def slot_px(sizes: str, viewport: float) -> float:
    """The width a browser takes from `sizes` at this viewport width (1rem = 16px): the
    first `(min-width: Nrem)` that holds, else the last entry; lengths in px, rem, vw
    or a calc() of them."""

    def length(text: str) -> float:
        text = text.strip()
        if text.startswith("calc(") and text.endswith(")"):
            terms = re.findall(r"([+-]?)\s*([\d.]+)(rem|vw|px)", text[5:-1])
            return sum((-1 if sign == "-" else 1) * length(n + unit) for sign, n, unit in terms)
        number, unit = re.fullmatch(r"([\d.]+)(rem|vw|px)", text).groups()
        return float(number) * {"rem": 16, "vw": viewport / 100, "px": 1}[unit]

    for entry in re.split(r",\s*(?![^()]*\))", sizes):  # commas outside parentheses
        condition = re.fullmatch(r"\(min-width:\s*([^)]+)\)\s*(.+)", entry.strip())
        if not condition:
            return length(entry)
        if viewport >= length(condition[1]):
            return length(condition[2])
    raise AssertionError(f"no default size in {sizes!r}")


@pytest.fixture
def newsroom(app, make_user, make_section, make_article):
    """A lead story, cards in the grid and a section, every one with a stored cover, by
    an author with a stored avatar."""
    writer = make_user(Role.EDITOR, name="Ana Pictures")
    writer.avatar = uploads.store_image(demo.avatar_image("Ana Pictures", "#336699"), "ana.png")
    section = make_section("Harbour")
    stories = []
    for seed in range(6):
        cover = uploads.store_image(demo.cover_image(seed), f"cover-{seed}.jpg")
        stories.append(
            make_article(
                f"Story {seed}", author=writer, section=section, cover=cover, cover_alt="A view"
            )
        )
    db.session.commit()
    return writer, section, stories


def test_every_image_has_its_width_and_height(client, login, newsroom):
    writer, section, stories = newsroom
    public = ["/", f"/articles/{stories[0].slug}", f"/section/{section.slug}"]
    public += [f"/author/{writer.slug}", "/authors", "/search?q=zzzz"]
    login(writer)
    editor = [f"/editor/articles/{stories[0].id}", "/editor/profile"]
    # The editor's list of articles shows titles only; any image it gains is checked too.
    for url in public + editor + ["/editor/articles/"]:
        images = images_on(client, url)
        assert images or url == "/editor/articles/", f"{url} shows no image"
        for image in images:
            for side in ("width", "height"):
                assert (image.get(side) or "").isdigit(), f"{url}: {image} has no {side}"
    # The intrinsic size of the stored file, so the box has the file's proportions.
    cover = stories[0].cover
    article = images_on(client, f"/articles/{stories[0].slug}")
    assert {"width": str(cover.width), "height": str(cover.height)}.items() <= next(
        image for image in article if "alt" in image and image["alt"] == "A view"
    ).items()


# Slot widths measured in Chromium on the demo site (tests/browser/test_image_choice.py
# checks the file it then picks): (viewport, slot in px).
GRID = [(390, 104), (768, 341.3), (1000, 296), (1150, 253.5), (1280, 266)]
LIST = [(390, 104), (768, 256), (1280, 256)]
LEAD = [(390, 390), (768, 706.6), (1280, 725.3)]
COVER = [(390, 358), (768, 640), (1280, 640)]


def card_sizes(images: list[dict[str, str | None]]) -> set[str]:
    return {image["sizes"] for image in images if image.get("alt") == "" and image.get("sizes")}


@pytest.mark.parametrize(
    ("where", "slots"),
    [("grid", GRID), ("list", LIST), ("lead", LEAD), ("cover", COVER)],
)
def test_sizes_match_the_slot_at_each_breakpoint(client, newsroom, where, slots):
    writer, section, stories = newsroom
    front = images_on(client, "/")
    if where == "lead":
        sizes = {front[0]["sizes"]}  # the lead story's picture comes first
    elif where == "grid":
        sizes = card_sizes(front[1:]) | card_sizes(
            images_on(client, f"/articles/{stories[0].slug}")
        )
    elif where == "list":
        sizes = card_sizes(images_on(client, f"/section/{section.slug}"))
        sizes |= card_sizes(images_on(client, "/search?q=zzzz"))
    else:
        article = images_on(client, f"/articles/{stories[0].slug}")
        sizes = {image["sizes"] for image in article if image.get("alt") == "A view"}
    assert len(sizes) == 1, sizes
    (value,) = sizes
    for viewport, slot in slots:
        assert slot_px(value, viewport) == pytest.approx(slot, abs=1.5), (viewport, value)


def test_card_images_offer_a_file_for_each_slot(client, newsroom):
    """At 1280px a grid card (266px) needs the 480px file, not the 960px one."""
    front = images_on(client, "/")
    card = front[1]
    candidates = sorted(
        int(width) for width in re.findall(r" (\d+)w", card["srcset"] or "")
    )  # fmt: skip
    assert candidates[0] == uploads.VARIANT_WIDTHS[0]
    slot = slot_px(card["sizes"], 1280)
    assert min(width for width in candidates if width >= slot) == 480
