"""A photo from a phone's camera put into an article's body by an author, in Chromium at
phone size: with JavaScript it lands at the cursor (after the paragraph, when the cursor
is inside one) without leaving the page; without, at the end of the body. Either way the
stored photo stands upright."""

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from blog.extensions import db
from blog.models import Role
from blog.services import users
from tests.browser.support import sign_in, unique
from tests.test_body_images import camera_photo, corner_colour, looks

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
NEW_ARTICLE = "/editor/articles/new"
BEFORE, AFTER = "The ferry left at dawn.", "\n\nIt came back at noon."
MARKDOWN = re.compile(r"!\[The harbour at dawn\]\((/uploads/[^)\s]+\.jpg)\)")
DRAFT = "Object.values(localStorage).filter((value) => value.includes('/uploads/')).length"
AUTHOR_PASSWORD = "phone photo author password"


@pytest.fixture(scope="module")
def author_email(site) -> str:
    """An author's account: the one who writes on a phone and puts photos in."""
    name = unique("Cam Camera")
    email = f"{name.replace(' ', '.').lower()}@byline.test"
    with site.app.app_context():
        users.create_user(email, name, Role.AUTHOR, AUTHOR_PASSWORD, must_change_password=False)
        db.session.remove()
    return email


@pytest.fixture
def phone(new_context, site, author_email) -> Page:
    page = new_context(**PHONE).new_page()
    sign_in(page, site, author_email, AUTHOR_PASSWORD)
    return page


def photo_file(orientation: int = 6) -> dict:
    """A camera photo: landscape pixels whose EXIF says to show them as portrait."""
    return {
        "name": "IMG_2041.jpg",
        "mimeType": "image/jpeg",
        "buffer": camera_photo((1600, 1200), orientation),
    }


def assert_upright(page: Page, path: str, *, in_page: bool = True) -> None:
    """The stored photo, fetched as the browser would: portrait, red corner top right;
    `in_page`, also as an image the page loads (it takes the page's JavaScript)."""
    response = page.request.get(path)
    assert response.ok, path
    with Image.open(io.BytesIO(response.body())) as stored:
        assert stored.width < stored.height, stored.size
        assert looks(corner_colour(stored, "top right")) == "red"
        assert looks(corner_colour(stored, "top left")) == "blue"
        assert not stored.getexif()
    if not in_page:
        return
    natural = page.evaluate(
        """path => new Promise((done, failed) => {
             const image = new Image();
             image.onload = () => done([image.naturalWidth, image.naturalHeight]);
             image.onerror = failed;
             image.src = path;
           })""",
        path,
    )
    assert natural[0] < natural[1], natural


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"


def test_a_camera_photo_lands_at_the_cursor(phone, site):
    page = phone
    page.goto(site.url(NEW_ARTICLE))
    body = page.locator("#body")
    body.tap()
    page.keyboard.type(BEFORE + AFTER)
    # The cursor in the middle of "ferry", as a tap on the word would leave it.
    body.evaluate("(area, at) => area.setSelectionRange(at, at)", BEFORE.index("rry"))
    fieldset = page.locator("fieldset.body-image")
    fieldset.scroll_into_view_if_needed()
    file_input = page.get_by_label("Image for the body")
    assert file_input.get_attribute("accept") == "image/*"  # the camera is offered
    status = fieldset.get_by_role("status")
    button = fieldset.locator("button[value=upload]")  # its name changes while it works
    expect(button).to_have_text("Upload image")

    # No alt text: refused beside the field, and the photo is not even sent.
    file_input.set_input_files(photo_file())
    sent_sizes = []
    page.on(
        "request",
        lambda request: (
            sent_sizes.append(len(request.post_data_buffer or b""))
            if request.url.endswith("/editor/images")
            else None
        ),
    )
    button.tap()
    alt_error = page.locator("#body_image_alt-errors")
    expect(alt_error).to_have_text("Describe the image for readers who cannot see it.")
    expect(page.get_by_label("Its alt text")).to_have_attribute("aria-invalid", "true")
    assert sent_sizes and max(sent_sizes) < 10_000  # the stand-in, not the photo
    assert body.input_value() == BEFORE + AFTER

    # Signed out meanwhile: said so, and nothing typed is lost.
    page.route(
        "**/editor/images",
        lambda route: route.fulfill(status=302, headers={"Location": "/editor/login"}),
    )
    page.get_by_label("Its alt text").fill("The harbour at dawn")
    button.tap()
    expect(status).to_contain_text("you have been signed out")
    assert body.input_value() == BEFORE + AFTER
    page.unroute("**/editor/images")

    # Held on its way, to see the button while it uploads.
    held = []
    page.route("**/editor/images", lambda route: held.append(route))
    button.tap()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Uploading…")
    expect(alt_error).to_have_count(0)  # the earlier error is gone
    held[0].continue_()
    page.unroute("**/editor/images")

    expect(status).to_have_text("The image is in the body, after the paragraph the cursor was in.")
    expect(button).to_be_enabled()
    expect(button).to_have_text("Upload image")
    text = body.input_value()
    found = MARKDOWN.search(text)
    assert found, text
    # After the paragraph, on its own: no word split, both sides intact.
    assert text == f"{BEFORE}\n\n{found.group(0)}{AFTER}"
    assert file_input.evaluate("input => input.files.length") == 0
    assert page.get_by_label("Its alt text").input_value() == ""
    # The input event reached the draft autosave (and the live preview).
    page.wait_for_function(f"() => {DRAFT} === 1")
    assert_upright(page, found.group(1))
    assert_no_sideways_scroll(page)

    # The browser's undo takes the image line out again, as typing would.
    body.focus()
    page.keyboard.press("Control+z")
    expect(body).to_have_value(BEFORE + AFTER)

    # With the cursor on the blank line between the paragraphs, the photo goes right there.
    body.evaluate("(area, at) => area.setSelectionRange(at, at)", len(BEFORE) + 1)
    file_input.set_input_files(photo_file())
    page.get_by_label("Its alt text").fill("The harbour at dawn")
    button.tap()
    expect(status).to_have_text("The image is in the body, where the cursor was.")
    text = body.input_value()
    found = MARKDOWN.search(text)
    assert found, text
    assert text == f"{BEFORE}\n\n{found.group(0)}{AFTER}"


def test_without_javascript_the_photo_comes_back_at_the_end_of_the_body(
    new_context, site, author_email
):
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    sign_in(page, site, author_email, AUTHOR_PASSWORD)
    page.goto(site.url(NEW_ARTICLE))
    page.get_by_label("Title").fill("Ferry timetable")
    page.locator("#body").fill(BEFORE + AFTER)
    page.get_by_label("Image for the body").set_input_files(photo_file(6))
    page.get_by_label("Its alt text").fill("The harbour at dawn")
    page.get_by_role("button", name="Upload image").tap()
    notice = page.locator("fieldset.body-image").get_by_role("status")
    expect(notice).to_have_text("The image is at the end of the body: move it where it belongs.")
    text = page.locator("#body").input_value()
    found = MARKDOWN.search(text)
    assert found, text
    assert text == f"{BEFORE}{AFTER}\n\n{found.group(0)}\n"
    assert page.get_by_label("Title").input_value() == "Ferry timetable"
    assert urlsplit(page.url).path == NEW_ARTICLE
    assert_upright(page, found.group(1), in_page=False)
    assert_no_sideways_scroll(page)
