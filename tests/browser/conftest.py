"""Browser fixtures: one real gunicorn on a demo site, and Chromium driven by Playwright.

`site` serves a fresh SQLite file holding the demo newsroom plus an admin with a known
password (tests/browser/demo_site.py); `browser` is Debian's Chromium; `page`,
`signed_in_page` and `nojs_page` give each test its own browser context (cookies,
storage), closed after the test.
"""

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.demo_site import CHROMIUM, Site, demo_site
from tests.browser.support import sign_in

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    with demo_site(tmp_path_factory.mktemp("browser-site")) as running:
        yield running


def close(context: BrowserContext) -> None:
    """Close a context without a race: a route handler still running (a fetch whose
    response closing the context disposes) would otherwise fail, and Playwright raises
    that failure at the next call, in whichever test or fixture makes it."""
    for page in context.pages:
        page.unroute_all(behavior="ignoreErrors")
    context.unroute_all(behavior="ignoreErrors")
    context.close()


def close_all(contexts: list[BrowserContext]) -> None:
    """Close every context, each one even when closing an earlier one failed."""
    with ExitStack() as stack:
        for context in contexts:
            stack.callback(close, context)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            try:
                close_all(chromium.contexts)  # any a test made itself and left open
            finally:
                chromium.close()


@pytest.fixture
def new_context(browser: Browser, site: Site) -> Iterator[Callable[..., BrowserContext]]:
    """Make more contexts in one test (`new_context(color_scheme="dark")`); all closed after."""
    made: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options.setdefault("viewport", VIEWPORT)
        options.setdefault("base_url", site.origin)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    close_all(made)


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.fixture
def nojs_page(new_context) -> Page:
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def signed_in_page(new_context, site: Site) -> Page:
    signed_in = new_context().new_page()
    sign_in(signed_in, site)
    return signed_in
