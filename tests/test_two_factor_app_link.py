"""Setting up two-factor sign-in on the phone the authenticator app is on: the set-up page
links the otpauth:// address, so a tap hands the new key to the app."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.harness import started_app_key


def test_the_set_up_page_opens_the_authenticator_app_with_the_new_key(client, login, author):
    login(author)
    secret = started_app_key(client)
    page = client.get("/editor/two-factor").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+)">Open in your authenticator app</a>', page)
    assert link is not None, page
    address = urlsplit(html.unescape(link.group(1)))
    assert (address.scheme, address.netloc) == ("otpauth", "totp")
    query = parse_qs(address.query)
    assert query["secret"] == [secret]  # the key the page shows for typing
    assert query["issuer"] == ["Byline"]


def test_before_set_up_starts_there_is_no_key_to_open(client, login, author):
    login(author)
    page = client.get("/editor/two-factor").get_data(as_text=True)
    assert "Set up an authenticator app" in page
    assert "otpauth:" not in page
