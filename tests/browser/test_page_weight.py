"""The article page is light and entirely Byline's own: no request leaves the server."""

from urllib.parse import urlsplit

MAX_TEXT_BYTES = 100 * 1024  # HTML, CSS and JavaScript together; images are not counted


def test_article_page_weight_and_no_third_party_requests(site, page):
    made, requests = [], []
    page.on("request", lambda request: made.append(request.url))
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"/articles/{site.article_slug}", wait_until="networkidle")
    # Bring every lazy image into view so that its request is made and recorded too.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")

    hosts = {urlsplit(url).hostname for url in made}
    assert hosts == {"127.0.0.1"}, f"requests left the server: {sorted(hosts)}"
    kinds = {r.resource_type for r in requests}
    assert {"document", "stylesheet", "script", "image"} <= kinds, kinds

    text = {r.url: len(r.response().body()) for r in requests if r.resource_type != "image"}
    total = sum(text.values())
    listing = "\n".join(f"  {size:>7} {url}" for url, size in sorted(text.items()))
    assert total < MAX_TEXT_BYTES, f"article page text is {total} bytes:\n{listing}"
