"""Images the editor stores: one limit per writer for every way an image comes in (a cover
or a body image, the article or the page editor, with JavaScript or without), the same
file sent again kept once, and a body image's alt text shown exactly as typed."""

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from blog.editor.images import IMAGE_RATE_LIMIT, TOO_MANY_IMAGES
from blog.extensions import db
from blog.models import Article, Role, Upload
from blog.rendering import render_article
from blog.services import uploads
from tests.security_helpers import files_under, signed_in
from tests.test_body_images import camera_photo, image_upload, input_value, textarea

ALLOWED = int(IMAGE_RATE_LIMIT.split()[0])


def photo(number: int) -> bytes:
    """A small camera photo, a different file for each number."""
    return camera_photo((60 + number, 40))


def upload_count() -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(select(func.count(Upload.id)))


def send_form(client, url: str, **fields):
    """POST the editor form as a browser does: multipart, files as file parts."""
    parts = {
        name: FileStorage(io.BytesIO(value), f"{name}.jpg") if isinstance(value, bytes) else value
        for name, value in fields.items()
    }
    boundary, body = encode_multipart(parts)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def field_errors(page: str, name: str) -> str:
    """The text of the error list shown beside a field, or "" when there is none."""
    found = re.search(rf'<ul class="field-errors" id="{name}-errors">(.*?)</ul>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


@pytest.fixture
def desk(app, make_user):
    """An editor (who may write pages too), signed in."""
    return signed_in(app, make_user(Role.EDITOR))


# ---------- One limit for every way in ----------


def use_up_the_limit(desk) -> None:
    """ALLOWED new images, by every way the editor has: covers and body images, article and
    page editors, the background upload and the form without JavaScript."""
    articles, pages = "/editor/articles/new", "/editor/pages/new"
    ways = [
        lambda n: send_form(desk, articles, title="T", action="upload", cover=photo(n)),
        lambda n: send_form(desk, pages, title="T", action="preview", cover=photo(n)),
        lambda n: send_form(
            desk, articles, title="T", action="upload", body_image=photo(n), body_image_alt="A"
        ),
        lambda n: send_form(
            desk, pages, title="T", action="upload", body_image=photo(n), body_image_alt="A"
        ),
        lambda n: image_upload(desk, photo(n)),
    ]
    for number in range(ALLOWED):
        assert ways[number % len(ways)](number).status_code == 200
    assert upload_count() == ALLOWED


@pytest.mark.parametrize("action", ["upload", "preview", "save"])
@pytest.mark.parametrize("url", ["/editor/articles/new", "/editor/pages/new"])
def test_the_editor_form_counts_against_the_writers_one_image_limit(desk, url, action):
    use_up_the_limit(desk)
    response = send_form(
        desk,
        url,
        title="Harbour trams return",
        body="Typed so far.",
        action=action,
        cover=photo(100),
        cover_alt="The first tram",
        body_image=photo(101),
        body_image_alt="The depot",
    )
    assert upload_count() == ALLOWED
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200  # as for any refused image: the form says why
    if action == "preview":  # the article as typed, with the problem above it
        assert TOO_MANY_IMAGES in page and "Typed so far." in page
        return
    assert TOO_MANY_IMAGES in field_errors(page, "cover")
    if action == "upload":
        assert TOO_MANY_IMAGES in field_errors(page, "body_image")
    assert input_value(page, "title") == "Harbour trams return"
    assert textarea(page) == "Typed so far."
    assert input_value(page, "cover_alt") == "The first tram"
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_the_background_upload_counts_what_the_form_stored(desk):
    use_up_the_limit(desk)
    refused = image_upload(desk, photo(100))
    assert refused.status_code == 429
    assert refused.get_json() == {
        "error": TOO_MANY_IMAGES,
        "errors": {"body_image": TOO_MANY_IMAGES},
    }
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert upload_count() == ALLOWED


def test_an_image_sent_again_is_not_counted(desk):
    """Each Preview sends the chosen cover again: it is the writer's own earlier upload."""
    for _ in range(ALLOWED + 5):
        response = send_form(
            desk, "/editor/articles/new", title="T", action="preview", cover=photo(1)
        )
        assert response.status_code == 200
    assert image_upload(desk, photo(1)).status_code == 200
    assert upload_count() == 1


# ---------- The same file, kept once ----------


def test_previews_then_a_save_with_the_same_cover_keep_one_upload(app, make_user):
    writer = make_user(Role.AUTHOR)
    client = signed_in(app, writer)
    cover = camera_photo((1200, 800))
    for action in ("preview", "preview", "preview", "save"):
        response = send_form(
            client,
            "/editor/articles/new",
            title="Cover story",
            cover_alt="The harbour",
            action=action,
            cover=cover,
        )
        assert response.status_code in (200, 302)
    [upload] = db.session.scalars(select(Upload)).all()
    article = db.session.scalar(select(Article))
    assert article.cover_id == upload.id and upload.uploaded_by_id == writer.id
    stored = {path.relative_to(app.config["UPLOADS_DIR"]).as_posix()
              for path in files_under(app.config["UPLOADS_DIR"])}  # fmt: skip
    assert stored == {upload.path, *upload.variants.values()}


def test_an_upload_whose_files_are_gone_is_stored_again(app, desk):
    first = image_upload(desk, photo(1)).get_json()["markdown"]
    [upload] = db.session.scalars(select(Upload)).all()
    (Path(app.config["UPLOADS_DIR"]) / upload.path).unlink()
    second = image_upload(desk, photo(1)).get_json()["markdown"]
    assert second != first and upload_count() == 2
    assert image_upload(desk, photo(1)).get_json()["markdown"] == second
    assert upload_count() == 2


def test_another_writers_copy_of_the_same_file_is_their_own(app, desk, make_user):
    assert image_upload(desk, photo(1)).status_code == 200
    other = signed_in(app, make_user(Role.AUTHOR))
    assert image_upload(other, photo(1)).status_code == 200
    owners = db.session.scalars(select(Upload.uploaded_by_id)).all()
    assert len(owners) == 2 and len(set(owners)) == 2


# ---------- Alt text as typed ----------

ALTS = [
    "*a*", "_a_", "**", "~~x~~", "&lt;", "&amp; &#60;", "<http://x>", "<b>bold</b>",
    "a `code` b", "`]`", "a\\", "a\\]", "x](javascript:alert(1))", "![x](y)", "[x]: /evil",
    '"quoted" and \'single\'', "Tom -- Jerry...", "(c) (tm)", "$x$ | a # b", "a & b",
    "http://evil.example/", "www.evil.example", "{braces} ^caret^ @at %pct",
]  # fmt: skip


@pytest.mark.parametrize("alt", ALTS)
def test_alt_text_comes_out_as_typed(app, alt):
    upload = Upload(path="2026/01/abcdef.png", variants={})
    with app.test_request_context():
        rendered = render_article(uploads.image_markdown(upload, alt))
    [image] = re.findall(r"<img [^>]*>", rendered)
    assert 'src="/uploads/2026/01/abcdef.png"' in image
    assert html.unescape(re.search(r'alt="([^"]*)"', image).group(1)) == alt
    assert "<a " not in rendered and "<em>" not in rendered and "<code>" not in rendered
