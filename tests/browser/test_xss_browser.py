"""The XSS corpus in real Chromium: hostile content on served pages never runs.

A site whose every field holds the corpus (tests/xss_site.py) is served by a real
gunicorn. Chromium loads its pages twice: as served, and with the Content-Security-Policy
header removed, so the sanitiser alone is shown to hold. Every payload would set
`window.__xss` if it ran; a dialog or a CSP violation report also fails the test (a
violation would mean something active reached the page and only the policy stopped it).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Route

from blog.extensions import db
from blog.models import Role
from tests.harness import inside, new_user
from tests.live_server import LiveServer, make_app, running_server
from tests.xss_corpus import PAYLOADS
from tests.xss_site import SEARCH_WORD, seed

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass
class HostileSite:
    server: LiveServer
    paths: list[str]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[HostileSite]:
    folder = tmp_path_factory.mktemp("xss-site")
    database = f"sqlite:///{folder / 'xss.db'}"
    uploads = str(folder / "uploads")
    app = make_app(database, folder, extra_config={"UPLOADS_DIR": uploads})
    with inside(app, migrate=True):
        admin = new_user("desk@byline.test", "Desk", Role.ADMIN)
        db.session.add(admin)
        db.session.commit()
        site = seed(PAYLOADS, admin)
        articles = [article.slug for article in site.articles]
        authors = [author.slug for author in site.authors]
        static_pages = [page.slug for page in site.pages]
    # The listings that hold every payload, and a third of the article pages (each holds
    # one payload in every article and comment field), a fifth of the author pages and of
    # the static pages, and searches with a fifth of the payloads as the query;
    # tests/test_xss_fields.py checks every page as HTML.
    paths = ["/", f"/search?q={SEARCH_WORD}", f"/section/{site.section_slugs[0]}"]
    paths += [f"/articles/{slug}" for slug in articles[::3]]
    paths += [f"/author/{slug}" for slug in authors[::5]]
    paths += [f"/{slug}" for slug in static_pages[::5]]
    paths += [f"/search?q={quote(SEARCH_WORD + ' ' + payload)}" for payload in PAYLOADS[::5]]
    settings = {"FLASK_UPLOADS_DIR": uploads, "FLASK_PAGE_SIZE": str(len(PAYLOADS))}
    with running_server(database, folder, extra_env=settings, name="xss") as server:
        yield HostileSite(server, paths)


def strip_csp(route: Route) -> None:
    response = route.fetch()
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() != "content-security-policy"
    }
    route.fulfill(response=response, headers=headers)


@pytest.mark.parametrize("policy", ["as served", "without the CSP"])
def test_no_payload_runs_in_chromium(browser: Browser, hostile_site: HostileSite, policy):
    context = browser.new_context(base_url=hostile_site.server.origin)
    context.add_init_script(WATCH)
    if policy == "without the CSP":
        context.route("**/*", strip_csp)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ran, violations = [], []
    try:
        for path in hostile_site.paths:
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status == 200, path
            if policy == "without the CSP":
                assert "content-security-policy" not in response.headers
            if page.evaluate("window.__xss") is not None:
                ran.append(path)
            violations += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
    finally:
        context.unroute_all(behavior="ignoreErrors")  # a strip_csp still running ends quietly
        context.close()
    assert ran == [], f"a payload ran on {ran}"
    assert dialogs == []
    assert violations == [], violations
    assert len(hostile_site.paths) > len(PAYLOADS) // 2
