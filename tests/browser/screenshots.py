"""`make screenshots`: the front page, an article, its comment thread and a reply written in
place, a static page, the article editor and the front-page controls, at desktop and mobile
widths; then the editor on a phone (dashboard, articles list, the body's formatting toolbar,
moderation queue); all rendered by Chromium from a fresh demo site into docs/screenshots/."""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from blog.extensions import db
from blog.models import Comment, CommentStatus
from tests.browser.demo_site import CHROMIUM, demo_site
from tests.browser.support import sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
# Readers' comments waiting in the moderation queue, for its picture.
HELD = (
    (
        "Dana Whitfield",
        "dana.whitfield@readers.example",
        "Will the Saturday buses still stop on the High Street during the trial?",
    ),
    (
        "Sam O'Rourke",
        "sam.orourke@readers.example",
        "Good to see the pool on the list at last. Any date for the works?",
    ),
)


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


def hold_comments(site) -> None:
    """Readers' comments on the demo article, waiting for a moderator."""
    with site.app.app_context():
        for name, email, body in HELD:
            comment = Comment(
                article_id=site.article_id,
                author_name=name,
                author_email=email,
                status=CommentStatus.PENDING,
                depth=1,
            )
            comment.set_body(body)
            db.session.add(comment)
        db.session.commit()
        db.session.remove()


def editor_on_phone(browser, site) -> None:
    """The editor at 390 px, as an editor works in it on a phone."""
    hold_comments(site)
    context = browser.new_context(
        viewport=SIZES["mobile"], base_url=site.origin, color_scheme="light", has_touch=True
    )
    page = context.new_page()
    sign_in(page, site)
    for name, path in (("dashboard", "/editor/"), ("articles-list", "/editor/articles/")):
        page.goto(path, wait_until="networkidle")
        shoot(page, name, "mobile")
    page.goto(f"/editor/articles/{site.article_id}", wait_until="networkidle")
    page.get_by_label("Body", exact=True).evaluate(
        "body => body.closest('.field').scrollIntoView({block: 'start'})"
    )
    shoot(page, "editor-toolbar", "mobile")
    page.goto("/editor/comments/", wait_until="networkidle")
    page.locator(".moderation-form").evaluate("form => form.scrollIntoView({block: 'start'})")
    shoot(page, "moderation", "mobile")
    context.close()


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
            editor_on_phone(browser, site)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
