"""`make screenshots`: the front page, an article, its comment thread and a reply written in
place, a static page, the article editor and the front-page controls, at desktop and mobile
widths, rendered by Chromium from a fresh demo site into docs/screenshots/."""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.demo_site import CHROMIUM, demo_site
from tests.browser.support import sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


def pages(site) -> dict[str, str]:
    return {
        "front": "/",
        "article": f"/articles/{site.article_slug}",
        "page": "/about",
        "editor": f"/editor/articles/{site.article_id}",
        "front-editor": "/editor/front",
    }


def shoot(page, name: str, size: str) -> None:
    target = OUT / f"{name}-{size}.png"
    page.screenshot(path=str(target))
    print(f"wrote {target.relative_to(OUT.parents[1])}")


def comment_shots(page, site, size: str) -> None:
    """The comment thread, then the form moved under a comment by its Reply link
    (static/js/comments.js), with a few words typed."""
    page.goto(f"/articles/{site.article_slug}#comments", wait_until="networkidle")
    shoot(page, "comments", size)
    replied = page.locator("#comments li.comment:has(a.comment-reply)").first
    replied.locator("a.comment-reply").first.click()
    page.get_by_label("Comment", exact=True).fill("A fair point, and one the council should hear.")
    if size == "mobile":  # the form is most of a phone's screen: end on its buttons
        page.locator("#comment-form").evaluate("form => form.scrollIntoView({block: 'end'})")
    else:
        replied.evaluate("comment => comment.scrollIntoView()")
    page.mouse.move(0, 0)
    shoot(page, "reply", size)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="byline-screenshots-") as tmp,
        demo_site(Path(tmp)) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for size, viewport in SIZES.items():
                context = browser.new_context(
                    viewport=viewport, base_url=site.origin, color_scheme="light"
                )
                page = context.new_page()
                comment_shots(page, site, size)
                for name, path in pages(site).items():
                    if name == "editor":  # the editor pages come last
                        sign_in(page, site)
                    page.goto(path, wait_until="networkidle")
                    shoot(page, name, size)
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
