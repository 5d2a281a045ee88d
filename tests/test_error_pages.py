"""Error pages: inside the editor a signed-in staff member is offered the way back to the
dashboard; every other error page is the same for everyone, signed in or not."""

import re

import pytest

DASHBOARD_LINK = '<a href="/editor/">Back to the dashboard</a>'
FRONT_LINK = '<a href="/">Go to the front page</a>'


def links(response) -> list[str]:
    """The links under an error page's message."""
    page = response.get_data(as_text=True)
    section = re.search(r'<section class="error-page">(.*?)</section>', page, re.S)
    assert section is not None, page
    return re.findall(r"<a [^>]*>[^<]*</a>", section.group(1))


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("author", "/editor/users/", 403),  # an admin's page
        ("author", "/editor/articles/999999", 404),  # a view that finds nothing
        ("admin", "/editor/no-such-page", 404),  # no view at all
    ],
)
def test_staff_in_the_editor_get_back_to_their_dashboard(client, login, request, who, path, status):
    login(request.getfixturevalue(who))
    response = client.get(path)
    assert response.status_code == status
    assert links(response) == [DASHBOARD_LINK, FRONT_LINK]


def test_signed_out_the_editor_error_offers_only_the_front_page(client):
    response = client.get("/editor/no-such-page")
    assert response.status_code == 404
    assert links(response) == [FRONT_LINK]


@pytest.mark.parametrize("path", ["/no-such-page", "/articles/no-such-article"])
def test_a_public_error_page_is_the_same_signed_in_or_not(client, login, admin, path):
    anonymous = client.get(path)
    login(admin)
    signed_in = client.get(path)
    assert anonymous.status_code == signed_in.status_code == 404
    assert links(signed_in) == [FRONT_LINK]
    assert signed_in.get_data() == anonymous.get_data()
