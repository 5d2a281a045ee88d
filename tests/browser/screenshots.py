"""`make screenshots`: the front page, an article, a static page, the article editor and
the front-page controls, at desktop and mobile widths, rendered by Chromium from a fresh
demo site into docs/screenshots/."""

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
                for name, path in pages(site).items():
                    if name == "editor":  # the editor pages come last
                        sign_in(page, site)
                    page.goto(path, wait_until="networkidle")
                    target = OUT / f"{name}-{size}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(OUT.parents[1])}")
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
