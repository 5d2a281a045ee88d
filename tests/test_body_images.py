"""Images for an article's or a page's body: the JSON endpoint the editor page sends them
to (static/js/body-image.js), the form without JavaScript that adds the image at the end
of the body, and phone photos: big, turned by their EXIF orientation, stored upright with
no EXIF left."""

import html
import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from blog.editor.images import IMAGE_RATE_LIMIT, MAX_REQUEST_BYTES, TOO_MANY_IMAGES
from blog.extensions import db
from blog.models import Article, Page, Role, Upload
from blog.services import uploads
from tests.harness import csrf_token_from, rebuilt, signed_in_by_form
from tests.security_helpers import assert_unchanged, files_under, signed_in, snapshot

IMAGES = "/editor/images"
CSRF_MESSAGE = "This form has expired or did not come from this site."
ADDED = "The image is at the end of the body: move it where it belongs."
RED, BLUE = (255, 0, 0), (0, 0, 255)
ORIENTATION = 0x0112
# Where the stored photo's top-left pixels belong once it is upright: EXIF orientation 6
# means "turn 90° clockwise to show", 8 "turn 90° anticlockwise".
UPRIGHT_CORNER = {6: "top right", 8: "bottom left"}


def camera_photo(
    size: tuple[int, int] = (60, 40), orientation: int = 6, *, grain: float = 0.0
) -> bytes:
    """A JPEG as a phone camera writes it: landscape pixels, red in the top-left third,
    blue elsewhere, with the EXIF orientation that shows it as portrait, and where it was
    taken and with what. `grain` mixes in noise, so a 12-megapixel photo weighs what a
    phone's does (0.15: about 4.5 MB)."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 3, height // 3))
    if grain:
        noise = Image.frombytes("L", size, random.Random(7).randbytes(width * height))
        image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), grain)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Phonemaker"
    exif[0x0110] = "Phone 12"
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5)})  # GPS: where it was taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def corner_colour(image: Image.Image, corner: str) -> tuple[int, ...]:
    """The mean colour of a small square just inside `corner` ("top right", ...)."""
    vertical, horizontal = corner.split()
    side = max(2, min(image.size) // 8)
    left = 0 if horizontal == "left" else image.width - side
    top = 0 if vertical == "top" else image.height - side
    square = image.crop((left, top, left + side, top + side)).convert("RGB")
    return tuple(round(value) for value in ImageStat.Stat(square).mean)


def looks(colour: tuple[int, ...]) -> str:
    red, _, blue = colour
    return "red" if red > 150 > blue else "blue" if blue > 150 > red else f"neither {colour}"


def assert_upright_without_exif(path: Path, orientation: int, size: tuple[int, int]) -> None:
    """The stored file is turned as its EXIF said, and carries no EXIF at all."""
    data = path.read_bytes()
    assert b"Exif" not in data and b"Phonemaker" not in data
    with Image.open(path) as stored:
        assert stored.size == (size[1], size[0])  # the landscape pixels now stand
        assert stored.width < stored.height
        assert not stored.getexif() and "exif" not in stored.info
        assert looks(corner_colour(stored, UPRIGHT_CORNER[orientation])) == "red"
        others = {"top left", "top right", "bottom left", "bottom right"}
        for corner in others - {UPRIGHT_CORNER[orientation]}:
            assert looks(corner_colour(stored, corner)) == "blue", corner


def image_upload(client, data: bytes | None, alt: str | None = "A picture", name="IMG_0001.jpg"):
    """POST the endpoint as the page does: multipart, the image and its alt text."""
    fields: dict = {}
    if data is not None:
        fields["body_image"] = FileStorage(io.BytesIO(data), name, content_type="image/jpeg")
    if alt is not None:
        fields["body_image_alt"] = alt
    # Encoded here: the test client spools a body past 500 kB to a temporary file that it
    # never closes (a ResourceWarning, an error in this suite).
    boundary, body = encode_multipart(fields)
    return client.post(IMAGES, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_uploads() -> list[Upload]:
    db.session.rollback()
    return list(db.session.scalars(select(Upload).order_by(Upload.id)))


def textarea(page: str, name: str = "body") -> str:
    """The text a textarea of the page holds, as the browser shows it."""
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    assert found, name
    return html.unescape(found.group(1))


def input_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


@pytest.fixture
def writer(app, author):
    """An author (the least of the staff roles) signed in."""
    return signed_in(app, author)


# ---------- The endpoint ----------


def test_an_author_sends_an_image_and_gets_the_markdown_that_embeds_it(app, writer, author):
    wide = io.BytesIO()
    Image.new("RGB", (3000, 1500), "teal").save(wide, "PNG")
    response = image_upload(writer, wide.getvalue(), alt=" A chart  [draft] \\ ", name="c.png")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    [upload] = stored_uploads()
    assert upload.uploaded_by_id == author.id and upload.original_name == "c.png"
    # The largest rendition; brackets and backslashes in the alt text stay text.
    markdown = f"![A chart \\[draft\\] \\\\](/uploads/{upload.variants['1600']})"
    assert response.get_json() == {"markdown": markdown}
    served = writer.get(f"/uploads/{upload.variants['1600']}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    served.close()

    # The line, once in a body, shows the image with its alt text as typed.
    writer.post(
        "/editor/articles/new",
        data={"title": "Tide chart", "body": f"Before.\n\n{markdown}\n\nAfter.", "action": "save"},
    )
    article = db.session.scalar(select(Article).where(Article.title == "Tide chart"))
    assert f'<img src="/uploads/{upload.variants["1600"]}" alt="A chart [draft] \\"' in (
        article.body_html
    )


@pytest.mark.parametrize(
    "data, alt, errors",
    [
        pytest.param(None, "A harbour", {"body_image": uploads.NO_IMAGE_CHOSEN}, id="no file"),
        pytest.param(b"photo", None, {"body_image_alt": uploads.NO_ALT_TEXT}, id="no alt"),
        pytest.param(b"photo", " \t ", {"body_image_alt": uploads.NO_ALT_TEXT}, id="blank alt"),
        pytest.param(
            None,
            "",
            {"body_image": uploads.NO_IMAGE_CHOSEN, "body_image_alt": uploads.NO_ALT_TEXT},
            id="neither",
        ),
        pytest.param(
            b"%PDF-1.4 not a picture", "A harbour", {"body_image": uploads.NOT_AN_IMAGE}, id="pdf"
        ),
        pytest.param(b"", "A harbour", {"body_image": uploads.NOT_AN_IMAGE}, id="empty file"),
        pytest.param(
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
            "A harbour",
            {"body_image": uploads.HIGH_EFFICIENCY_PHOTO},
            id="iPhone HEIC photo",
        ),
        pytest.param(
            b"photo",
            "x" * 301,
            {"body_image_alt": "Field cannot be longer than 300 characters."},
            id="alt too long",
        ),
    ],
)
def test_each_refusal_says_why_beside_its_field_and_stores_nothing(app, writer, data, alt, errors):
    if data == b"photo":
        data = camera_photo()
    before = snapshot()
    response = image_upload(writer, data, alt)
    assert response.status_code == 400
    assert response.get_json() == {"error": " ".join(errors.values()), "errors": errors}
    assert_unchanged(before, str(errors))
    assert files_under(app.config["UPLOADS_DIR"]) == []


def test_a_file_over_10_mb_is_refused_with_413(app, writer):
    before = snapshot()
    response = image_upload(writer, b"\xff\xd8\xff" + b"\0" * uploads.MAX_BYTES)
    assert response.status_code == 413
    assert response.get_json()["errors"] == {"body_image": uploads.TOO_MANY_BYTES}
    assert_unchanged(before, "over 10 MB")


def test_a_request_over_the_bound_is_refused_by_its_length(writer):
    # A good image and its alt text, then more than the bound allows: looked at, it would
    # be stored; refused by its declared length, nothing is.
    padding = b"\0" * (MAX_REQUEST_BYTES - uploads.MAX_BYTES)
    fields = {
        "body_image": FileStorage(io.BytesIO(camera_photo()), "a.jpg"),
        "body_image_alt": "A picture",
        "more": FileStorage(io.BytesIO(b"\0" * uploads.MAX_BYTES + padding), "more.bin"),
    }
    boundary, body = encode_multipart(fields)
    assert len(body) > MAX_REQUEST_BYTES
    response = writer.post(
        IMAGES, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert response.get_json()["errors"] == {"body_image": uploads.TOO_MANY_BYTES}
    assert stored_uploads() == []


def test_an_uploads_folder_that_cannot_be_written_is_the_servers_trouble(app, writer, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the uploads folder should be")
    app.config["UPLOADS_DIR"] = str(blocker / "uploads")
    response = image_upload(writer, camera_photo())
    assert response.status_code == 503
    assert response.get_json()["errors"] == {"body_image": uploads.NOT_STORED}
    assert stored_uploads() == []


def test_uploads_are_rate_limited_per_writer_with_a_json_answer(app, writer, make_user):
    allowed = int(IMAGE_RATE_LIMIT.split()[0])
    for number in range(allowed):  # each a new image, decoded (tests/test_uploads_editor.py)
        assert image_upload(writer, camera_photo((60 + number, 40))).status_code == 200
    refused = image_upload(writer, camera_photo((200, 40)))
    assert refused.status_code == 429
    errors = {"body_image": TOO_MANY_IMAGES}
    assert refused.get_json() == {"error": TOO_MANY_IMAGES, "errors": errors}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert len(stored_uploads()) == allowed
    # Another writer has a count of their own.
    other = signed_in(app, make_user(Role.AUTHOR))
    assert image_upload(other, camera_photo()).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = image_upload(client, camera_photo())
    assert response.status_code == 302
    assert "/editor/login" in response.headers["Location"]
    assert stored_uploads() == []


def test_get_is_not_allowed(writer):
    assert writer.get(IMAGES).status_code == 405


@pytest.fixture
def protected(app):
    """The test app with CSRF protection on (the shared fixture turns it off)."""
    with rebuilt(app, WTF_CSRF_ENABLED=True) as guarded:
        yield guarded


def test_the_endpoint_needs_the_pages_csrf_token_in_a_header(protected, make_user):
    client = signed_in_by_form(protected, make_user(Role.AUTHOR))
    token = csrf_token_from(client, "/editor/articles/new")
    for headers in ({}, {"X-CSRFToken": "forged"}):
        boundary, body = encode_multipart(
            {"body_image": FileStorage(io.BytesIO(camera_photo()), "a.jpg"), "body_image_alt": "A"}
        )
        refused = client.post(
            IMAGES,
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers=headers,
        )
        assert refused.status_code == 400
        assert CSRF_MESSAGE in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    boundary, body = encode_multipart(
        {"body_image": FileStorage(io.BytesIO(camera_photo()), "a.jpg"), "body_image_alt": "A"}
    )
    accepted = client.post(
        IMAGES,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
    assert accepted.get_json()["markdown"].startswith("![A](/uploads/")


# ---------- Phone photos ----------


@pytest.mark.parametrize("orientation", [6, 8])
def test_a_turned_photo_is_stored_upright_without_its_exif(app, writer, orientation):
    response = image_upload(writer, camera_photo((60, 40), orientation))
    assert response.status_code == 200, response.get_data(as_text=True)
    [upload] = stored_uploads()
    assert (upload.width, upload.height) == (40, 60)
    assert response.get_json()["markdown"] == f"![A picture](/uploads/{upload.path})"
    assert_upright_without_exif(
        Path(app.config["UPLOADS_DIR"]) / upload.path, orientation, (60, 40)
    )


@pytest.fixture(scope="module")
def twelve_megapixels() -> bytes:
    photo = camera_photo((4032, 3024), 6, grain=0.15)
    assert 3_000_000 < len(photo) < 6_000_000  # what a phone's camera makes
    return photo


def test_a_12_megapixel_camera_photo_is_accepted(app, writer, twelve_megapixels):
    response = image_upload(writer, twelve_megapixels)
    assert response.status_code == 200, response.get_data(as_text=True)
    [upload] = stored_uploads()
    assert (upload.width, upload.height) == (3024, 4032)
    assert upload.content_type == "image/jpeg"
    assert response.get_json()["markdown"] == f"![A picture](/uploads/{upload.variants['1600']})"
    root = Path(app.config["UPLOADS_DIR"])
    assert_upright_without_exif(root / upload.path, 6, (4032, 3024))
    with Image.open(root / upload.variants["1600"]) as rendition:
        assert rendition.size == (1600, 2133)
        assert looks(corner_colour(rendition, "top right")) == "red"


def test_a_photo_with_a_second_picture_inside_is_kept_as_its_photo(app, writer):
    """A phone's JPEG may carry a depth or HDR gain map after the photo (Pillow's MPO)."""
    photo = Image.open(io.BytesIO(camera_photo((60, 40), 6)))
    gain_map = Image.new("L", (30, 20), 128)
    buffer = io.BytesIO()
    photo.save(buffer, "MPO", save_all=True, append_images=[gain_map], exif=photo.getexif())
    response = image_upload(writer, buffer.getvalue())
    assert response.status_code == 200, response.get_data(as_text=True)
    [upload] = stored_uploads()
    assert upload.content_type == "image/jpeg" and upload.path.endswith(".jpg")
    stored = Path(app.config["UPLOADS_DIR"]) / upload.path
    with Image.open(stored) as image:
        assert image.format == "JPEG"
    assert_upright_without_exif(stored, 6, (60, 40))


# ---------- Without JavaScript: the image at the end of the body ----------


def article_form(**fields) -> dict:
    return {"title": "Harbour trams return", "body": "The first tram ran at dawn.", **fields}


def test_without_javascript_the_article_editor_adds_the_image_at_the_end(app, writer):
    response = writer.post(
        "/editor/articles/new",
        data=article_form(
            body="The first tram ran at dawn.\n\nCrowds cheered.\n\n\n",
            brief="Kept brief.",
            action="upload",
            body_image=(io.BytesIO(camera_photo()), "tram.jpg"),
            body_image_alt="The tram [at dawn]",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    [upload] = stored_uploads()
    line = f"![The tram \\[at dawn\\]](/uploads/{upload.path})"
    assert textarea(page) == f"The first tram ran at dawn.\n\nCrowds cheered.\n\n{line}\n"
    assert ADDED in page and "Copy this line" not in page
    assert input_value(page, "title") == "Harbour trams return"
    assert textarea(page, "brief") == "Kept brief."
    assert input_value(page, "body_image_alt") == ""  # ready for the next image
    assert db.session.scalar(select(func.count(Article.id))) == 0  # nothing saved yet


def test_without_javascript_an_empty_body_gets_the_line_alone(writer):
    response = writer.post(
        "/editor/articles/new",
        data=article_form(
            body="",
            action="upload",
            body_image=(io.BytesIO(camera_photo()), "tram.jpg"),
            body_image_alt="Tram",
        ),
        content_type="multipart/form-data",
    )
    [upload] = stored_uploads()
    assert textarea(response.get_data(as_text=True)) == f"![Tram](/uploads/{upload.path})\n"


def test_without_javascript_a_refusal_keeps_the_body_as_typed(app, writer):
    before = snapshot()
    response = writer.post(
        "/editor/articles/new",
        data=article_form(
            body="Typed so far.  \n",
            action="upload",
            body_image=(io.BytesIO(b"not an image"), "tram.jpg"),
            body_image_alt="Tram",
        ),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 200
    assert textarea(page) == "Typed so far.  \n"
    assert uploads.NOT_AN_IMAGE in page and ADDED not in page
    assert input_value(page, "body_image_alt") == "Tram"
    assert_unchanged(before, "not an image")

    too_long = writer.post(
        "/editor/articles/new",
        data=article_form(
            action="upload",
            body_image=(io.BytesIO(camera_photo()), "tram.jpg"),
            body_image_alt="x" * 301,
        ),
        content_type="multipart/form-data",
    )
    assert too_long.get_data(as_text=True).count("cannot be longer than 300 characters") == 1
    assert stored_uploads() == []

    missing = writer.post("/editor/articles/new", data=article_form(action="upload"))
    page = missing.get_data(as_text=True)
    assert uploads.NO_IMAGE_CHOSEN in page and uploads.NO_ALT_TEXT in page
    assert 'id="body_image-errors"' in page and 'id="body_image_alt-errors"' in page
    assert textarea(page) == "The first tram ran at dawn."


def test_without_javascript_the_page_editor_adds_the_image_at_the_end(app, editor):
    client = signed_in(app, editor)
    response = client.post(
        "/editor/pages/new",
        data={
            "title": "About us",
            "body": "We are a small newsroom.",
            "action": "upload",
            "body_image": (io.BytesIO(camera_photo((60, 40), 8)), "team.jpg"),
            "body_image_alt": "The team",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    [upload] = stored_uploads()
    assert textarea(page) == f"We are a small newsroom.\n\n![The team](/uploads/{upload.path})\n"
    assert ADDED in page
    assert db.session.scalar(select(func.count(Page.id))) == 0
    assert_upright_without_exif(Path(app.config["UPLOADS_DIR"]) / upload.path, 8, (60, 40))


@pytest.mark.parametrize(
    "url, who", [("/editor/articles/new", "author"), ("/editor/pages/new", "editor")]
)
def test_both_editors_offer_the_camera_and_the_background_upload(app, request, url, who):
    page = signed_in(app, request.getfixturevalue(who)).get(url).get_data(as_text=True)
    file_input = re.search(r'<input[^>]*name="body_image"[^>]*>', page).group(0)
    assert 'accept="image/*"' in file_input and 'type="file"' in file_input
    assert "JPEG, PNG, WebP or GIF; at most 10 MB" in page
    assert 'data-upload-url="/editor/images"' in page
    assert "/static/js/body-image." in page
    assert re.search(r'<p [^>]*role="status"[^>]*data-body-image-status></p>', page)
