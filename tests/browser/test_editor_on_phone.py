"""Every editor page, as an admin and as an author, on a 360 and a 390 px touch phone and
at 1280 px: reached from the dashboard by following its links, each one answers 200, fits
the screen (no sideways scroll, no element past the right edge; tables included, so a table
must turn into cards on a phone rather than scroll), has no serious or critical axe
violation, and every tap target in its navigation and main part is at least 24×24 CSS px
or has room around it (WCAG 2.5.8). The same checks on what no link leads to: a form shown
again with its error, the Preview tab, filtered lists, the second step of a set-up, the
invitation and password-reset links, the sign-in steps; an error page for width and axe.
Then bulk moderation, done with a thumb at 390 px."""

import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    JobFailure,
    MenuLink,
    MenuLinkKind,
    MenuName,
    OutboxMessage,
    Role,
    Section,
)
from blog.models.base import utcnow
from blog.services import notes, pages, publishing, users
from tests.browser.support import sign_in, unique
from tests.browser.test_accessibility import blocking_violations, describe
from tests.browser.test_tap_targets import MIN_SIZE, RUNNING_TEXT

ROLES = ("admin", "author")
PHONES = (360, 390)  # the smallest phones in use, and the most common width
DESKTOP = 1280
WIDTHS = (*PHONES, DESKTOP)
HEIGHT = 844
AUTHOR_PASSWORD = "phone author password"
SHOWN = 6  # culprits named per page and problem
MAX_PER_KIND = 2  # detail pages of one kind (/editor/articles/<id>, ...) visited
# Links under /editor/ that are no page to crawl: the sign-in pages (the signed-out
# visit covers them) and the pages a token in an e-mail opens.
NOT_CRAWLED = re.compile(r"^/editor/(login|forgot|reset/|invite/|mail-action/)")
# Editor pages no link leads to, as kinds: the sign-in steps and e-mailed links, measured
# in test_editor_states_on_phone.py.
SIGN_IN_KINDS = (
    "/editor/login",
    "/editor/login/code",
    "/editor/forgot",
    "/editor/reset/<id>",
    "/editor/invite/<id>",
    "/editor/mail-action/<id>",
    "/editor/password/new",
    "/editor/welcome",
)
# Pages each role's crawl must reach, as kinds (see kind()).
AUTHOR_KINDS = (
    "/editor/",
    "/editor/articles/",
    "/editor/articles/new",
    "/editor/articles/<id>",
    "/editor/articles/<id>/revisions",
    "/editor/articles/<id>/revisions/compare",
    "/editor/profile",
)
EXPECTED_KINDS = {
    "author": AUTHOR_KINDS,
    "admin": AUTHOR_KINDS
    + (
        "/editor/notes/<id>",
        "/editor/comments/",
        "/editor/comments/<id>/edit",
        "/editor/front",
        "/editor/pages/",
        "/editor/pages/new",
        "/editor/pages/<id>",
        "/editor/pages/<id>/preview",
        "/editor/pages/<id>/revisions",
        "/editor/pages/<id>/revisions/compare",
        "/editor/pages/<id>/delete",
        "/editor/sections/",
        "/editor/sections/new",
        "/editor/sections/<id>",
        "/editor/sections/<id>/delete",
        "/editor/topics/",
        "/editor/topics/new",
        "/editor/topics/<id>",
        "/editor/users/",
        "/editor/users/new",
        "/editor/users/<id>",
        "/editor/settings",
        "/editor/audit",
        "/editor/menus",
        "/editor/mail/failures",
        "/editor/subscribers",
        "/editor/two-factor",
    ),
}
# Prose in the editor, where a link sits in a sentence (WCAG's inline exception).
EDITOR_TEXT = ", ".join((RUNNING_TEXT, ".moderation-body", ".live-preview"))

SIDEWAYS = """([width, shown]) => {
  // A box that scrolls sideways on purpose (a code block, a toolbar strip) may hold wide
  // things; a table may not, since a table on a phone is shown as cards.
  const scrolls = el => {
    if (el.matches("table")) return false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (box.matches("table, table *")) return false;
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth
          && box.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const hidden = el => {  // visually hidden text, clipped to a pixel
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      const {width, height} = box.getBoundingClientRect();
      if (width <= 1 && height <= 1 && getComputedStyle(box).overflow !== "visible") return true;
    }
    return false;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    culprits: [...document.querySelectorAll("body *")]
      .filter(el => el.getBoundingClientRect().right > width + 1 && !hidden(el) && !scrolls(el))
      .filter((el, _, all) => !all.includes(el.parentElement))  // the outermost only
      .slice(0, shown)
      .map(el => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className)
        .trim().split(/\\s+/).join(".") : ""} (right ${Math.round(el.getBoundingClientRect()
        .right)} px): ${el.outerHTML.slice(0, 100)}`),
  };
}"""

# WCAG 2.5.8: a target is at least 24×24 CSS px, or a 24 px circle on its centre touches
# no other target and no other small target's circle. A checkbox or radio button counts
# with its label, which a tap on the label also reaches.
TAP_TARGETS = """([minSize, prose]) => {
  const selector = 'a[href], button, select, summary, input[type="checkbox"], ' +
    'input[type="radio"], input[type="submit"], input[type="button"]';
  const targets = [];
  // A link with words of its own paragraph beside it sits in a sentence.
  const inSentence = el => el.matches("a") && (el.closest(prose) || [...el.parentElement.childNodes]
    .some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim()));
  for (const el of document.querySelectorAll(
      `main :is(${selector}), nav :is(${selector})`)) {
    if (inSentence(el)) continue;
    if (el.closest("[hidden]")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    let box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    for (const label of el.labels || []) {
      const around = label.getBoundingClientRect();
      if (around.width * around.height > box.width * box.height) box = around;
    }
    targets.push({el, box});
  }
  const small = t => t.box.width < minSize || t.box.height < minSize;
  const centre = b => [b.left + b.width / 2, b.top + b.height / 2];
  const reach = (b, [x, y]) => Math.hypot(
    Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
  const crowded = [];
  for (const t of targets.filter(small)) {
    const c = centre(t.box);
    const near = targets.find(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && (
      reach(o.box, c) < minSize / 2 ||
      (small(o) && Math.hypot(...centre(o.box).map((v, i) => v - c[i])) < minSize)));
    if (near) crowded.push(
      `${Math.round(t.box.width)}×${Math.round(t.box.height)} ${t.el.outerHTML.slice(0, 90)}` +
      `  (next to ${near.el.outerHTML.slice(0, 60)})`);
  }
  return {count: targets.length, crowded};
}"""


@dataclass(frozen=True)
class Newsroom:
    author_email: str
    draft_id: int
    page_id: int
    held_comment_id: int


# The widest a reader can make a row in the queue and on the comment's page: an address
# and a link with no place to break.
LONG_EMAIL = "a.reader.with.a.remarkably.long.address.for.the.phone@readers-of-harborview.example"
LONG_LINK = "https://example.org/" + "x" * 80


def pending_comment(site, author_name: str, body: str) -> int:
    """A reader's comment on the demo article, waiting in the moderation queue, with a long
    address and a long link to wrap."""
    with site.app.app_context():
        comment = Comment(
            article_id=site.article_id,
            author_name=author_name,
            author_email=LONG_EMAIL,
            status=CommentStatus.PENDING,
            depth=1,
        )
        comment.set_body(f"{body} {LONG_LINK}")
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
        db.session.remove()
        return comment_id


def comment_status(site, comment_id: int) -> CommentStatus:
    with site.app.app_context():
        status = db.session.get(Comment, comment_id).status
        db.session.remove()
        return status


@contextmanager
def rows_in_every_list(site) -> Iterator[None]:
    """Links in both menus, a message that could not be sent and a failed job, so that
    the menus and delivery-trouble pages show their rows; taken off afterwards, since
    other tests read the default header and an untroubled dashboard."""
    with site.app.app_context():
        section = db.session.scalar(db.select(Section).where(Section.slug == site.section_slug))
        rows = [
            MenuLink(menu=MenuName.HEADER, position=0, kind=MenuLinkKind.SECTION, section=section),
            MenuLink(
                menu=MenuName.FOOTER, position=0, kind=MenuLinkKind.URL, label="Tips", url="/"
            ),
            OutboxMessage(
                message_id=f"<{unique('phone-check').replace(' ', '-')}@byline.test>",
                kind="invite",
                recipient="a.rather.long.address.for.a.phone@readers.example",
                subject="You are invited to write for the newsroom",
                body_text="Welcome.",
                body_html="<p>Welcome.</p>",
                attempts=5,
                last_error="SMTPServerDisconnected: Connection unexpectedly closed",
                failed_at=utcnow(),
            ),
            JobFailure(job="publish_due", error="OperationalError: database is locked"),
        ]
        db.session.add_all(rows)
        db.session.commit()
        made = [(type(row), row.id) for row in rows]
        db.session.remove()
    try:
        yield
    finally:
        with site.app.app_context():
            for model, row_id in made:
                db.session.execute(db.delete(model).where(model.id == row_id))
            db.session.commit()
            db.session.remove()


@pytest.fixture(scope="module")
def newsroom(site) -> Iterator[Newsroom]:
    """An author with a draft of their own, saved twice (so it has revisions to compare)
    and with the admin's note on it, a page saved twice, a comment waiting in the
    moderation queue, and rows in every other list."""
    name = unique("Pat Phone")
    email = f"{name.replace(' ', '.').lower()}@byline.test"
    with site.app.app_context():
        author = users.create_user(
            email, name, Role.AUTHOR, AUTHOR_PASSWORD, must_change_password=False
        )
        section = db.session.scalar(db.select(Section).where(Section.slug == site.section_slug))
        changes = publishing.ArticleChanges(
            title=unique("Tram depot plans go back to the council"),
            brief="The depot plans return with fewer parking spaces.",
            body="The plans for the tram depot go back to the council on Tuesday.",
            section_id=section.id,
        )
        draft = publishing.create_article(changes, actor=author)
        changes.body += "\n\nNeighbours have until Friday to comment."
        publishing.update_article(draft, changes, actor=author, expected_version=draft.version)
        admin = users.find_by_email(site.admin_email)
        notes.add_note(draft, admin, "Check the council's date before this goes out.")
        page_changes = pages.PageChanges(
            title=unique("Tips for the phone desk"), body="Send us what you see."
        )
        page = pages.create_page(page_changes, actor=admin)
        page_changes.body += "\n\nPhotos too."
        pages.save_page(page, page_changes, actor=admin, expected_version=page.version)
        draft_id, page_id = draft.id, page.id
        db.session.remove()
    held = pending_comment(site, "Queue Reader", "Held for the phone check.")
    with rows_in_every_list(site):
        yield Newsroom(email, draft_id, page_id, held)


def screen(new_context, width: int) -> BrowserContext:
    """A browser the width of a phone, touch screen and mobile viewport included, or of a
    desktop."""
    is_phone = width < DESKTOP
    return new_context(
        viewport={"width": width, "height": HEIGHT}, is_mobile=is_phone, has_touch=is_phone
    )


def sign_in_as(page: Page, site, role: str, newsroom: Newsroom) -> None:
    if role == "admin":
        sign_in(page, site)
    else:
        sign_in(page, site, newsroom.author_email, AUTHOR_PASSWORD)


def kind(path: str) -> str:
    """The page a path shows, whichever article, section or user it is about."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


def editor_links(page: Page, site) -> list[str]:
    """The editor pages the page links to, as paths; a compare page keeps its query
    (which two revisions), every other page is taken without one."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != site.origin or not url.path.startswith("/editor/"):
            continue
        if NOT_CRAWLED.match(url.path):
            continue
        keep_query = url.path.endswith("/compare") and url.query
        found.append(url.path + (f"?{url.query}" if keep_query else ""))
    return found


def check_page(page: Page, width: int, *, taps: bool = True) -> list[str]:
    """What is wrong with the page as shown: too wide, axe, tap targets (unless `taps`
    is false: an error page is measured for width and axe only)."""
    problems = []
    wide = page.evaluate(SIDEWAYS, [width, SHOWN])
    if wide["scrollWidth"] > width or wide["culprits"]:
        problems.append(
            f"{wide['scrollWidth']} px wide at {width} px:\n    " + "\n    ".join(wide["culprits"])
        )
    if violations := blocking_violations(page):
        problems.append("axe:\n" + describe(violations))
    if not taps:
        return problems
    measured = page.evaluate(TAP_TARGETS, [MIN_SIZE, EDITOR_TEXT])
    if not measured["count"]:
        problems.append("no tap target measured")
    if crowded := measured["crowded"]:
        more = f"\n    and {len(crowded) - SHOWN} more" if len(crowded) > SHOWN else ""
        problems.append(
            f"{len(crowded)} tap targets under {MIN_SIZE}×{MIN_SIZE} px without room around "
            "them:\n    " + "\n    ".join(crowded[:SHOWN]) + more
        )
    return problems


def crawl(page: Page, site, width: int, start: list[str]) -> tuple[dict, list[str]]:
    """Breadth first from the `start` pages over the editor's links; the problems of
    each page visited, and the pages visited."""
    queue, visited, kinds = deque(start), [], Counter(kind(path) for path in start)
    problems: dict[str, list[str]] = {}
    while queue:
        path = queue.popleft()
        visited.append(path)
        response = page.goto(site.url(path))
        landed = urlsplit(page.url)
        if response.status != 200 or landed.path != urlsplit(path).path:
            problems[path] = [f"answered {response.status}, landed on {page.url}"]
            continue
        if found := check_page(page, width):
            problems[path] = found
        for link in editor_links(page, site):
            link_kind = kind(urlsplit(link).path)
            if link in visited or link in queue or kinds[link_kind] >= MAX_PER_KIND:
                continue
            kinds[link_kind] += 1
            queue.append(link)
    return problems, visited


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items())


def test_every_editor_page_is_measured(site):
    """Each page the editor serves is one the crawl must reach or one measured below it
    (a new page nothing links to fails here until it is measured somewhere)."""
    served = {
        re.sub(r"<[^>]+>", "<id>", rule.rule)
        for rule in site.app.url_map.iter_rules()
        if rule.rule.startswith("/editor/") and "GET" in rule.methods
    }
    measured = {*EXPECTED_KINDS["admin"], *SIGN_IN_KINDS}
    unmeasured = served - measured
    assert not unmeasured, f"editor pages neither crawled nor measured: {sorted(unmeasured)}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_editor_page_fits_and_passes(site, new_context, newsroom, role, width):
    started = time.monotonic()
    page = screen(new_context, width).new_page()
    sign_in_as(page, site, role, newsroom)
    # The author's draft, which has revisions to compare, is among the articles an admin
    # opens (the articles list shows them many others); so are the page saved twice and
    # the held comment with the longest address.
    start = ["/editor/", f"/editor/articles/{newsroom.draft_id}"]
    if role == "admin":
        start.append(f"/editor/pages/{newsroom.page_id}")
        start.append(f"/editor/comments/{newsroom.held_comment_id}/edit")
    problems, visited = crawl(page, site, width, start)
    elapsed = time.monotonic() - started
    # The crawl reached what each role works with (or it proves nothing).
    expected = set(EXPECTED_KINDS[role])
    if missed := expected - {kind(urlsplit(path).path) for path in visited}:
        problems["the crawl"] = [f"never reached {sorted(missed)}; visited {visited}"]
    print(f"{role} at {width} px: {len(visited)} pages in {elapsed:.0f} s")  # for -s
    assert not problems, (
        f"{role} at {width} px, {len(problems)} of {len(visited)} pages:\n{report(problems)}"
    )


def test_bulk_moderation_on_a_phone(site, new_context, newsroom):
    name = unique("Thumb Reader")
    comment_id = pending_comment(site, name, unique("Moderated with a thumb"))
    page = screen(new_context, 390).new_page()
    sign_in(page, site)
    page.goto(site.url("/editor/comments/"))
    box = page.get_by_label(f"Select the comment by {name}")
    box.tap()
    expect(box).to_be_checked()
    page.get_by_label("With the selected comments").select_option(label="Spam")
    page.get_by_role("button", name="Apply to selected").tap()
    expect(page.locator(".flash")).to_contain_text("Marked as spam: 1 comment")
    assert comment_status(site, comment_id) == CommentStatus.SPAM
    assert comment_status(site, newsroom.held_comment_id) == CommentStatus.PENDING
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
