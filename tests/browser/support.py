"""Helpers shared by the browser tests."""

import re
from itertools import count

from playwright.sync_api import BrowserContext, Page, expect

from blog.extensions import db
from blog.models import Article

_serial = count(1)


def sign_in(page: Page, site, email: str | None = None, password: str | None = None) -> None:
    """Sign in through the real login form and land on the dashboard; the demo site's
    admin unless another account's e-mail and password are given."""
    page.goto(site.url("/editor/login"))
    page.get_by_label("E-mail").fill(email or site.admin_email)
    page.get_by_label("Password").fill(password or site.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(site.url("/editor/"))


def unique(label: str) -> str:
    """A name no other test uses, so tests sharing the site never see each other's rows."""
    return f"{label} {next(_serial)}"


def stay_local(context: BrowserContext, site) -> list[str]:
    """Refuse every request that would leave the site (share pages of the networks open
    in a new tab); returns the list of refused URLs, for the test to look at."""
    refused: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(site.origin), refuse)
    return refused


def share_count(site, slug: str) -> int:
    """The article's share count in the database (pages may show a cached figure)."""
    with site.app.app_context():
        db.session.expire_all()
        count_ = db.session.query(Article.share_count).filter(Article.slug == slug).scalar()
        db.session.remove()
        return count_


def article_facts(site, slug: str) -> dict:
    """What the article page should show, read from the database."""
    with site.app.app_context():
        article = db.session.query(Article).filter(Article.slug == slug).one()
        facts = {
            "title": article.title,
            "author": article.author.display_name,
            "brief": article.brief,
            "cover_alt": article.cover_alt,
            "topics": sorted(topic.name for topic in article.topics),
            "notes": len(article.editor_comments),
        }
        db.session.remove()
        return facts


def fill_comment(page: Page, name: str | None, body: str, email: str | None = None) -> None:
    """Fill the comment form (a signed-in staff member's form has no name or e-mail)."""
    if name is not None:
        page.get_by_label("Name", exact=True).fill(name)
    if email is not None:
        page.get_by_label("E-mail (optional, never shown)").fill(email)
    page.get_by_label("Comment", exact=True).fill(body)


def post_comment(page: Page, name: str | None, body: str, email: str | None = None) -> int:
    """Fill in and send the comment form; the id of the comment the page lands on."""
    fill_comment(page, name, body, email=email)
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    # The new address shows once the answer starts; its stylesheet may still be on the way.
    page.wait_for_load_state("load")
    return int(page.url.rpartition("#comment-")[2])
