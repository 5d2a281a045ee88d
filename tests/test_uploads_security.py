"""Hostile files and paths: polyglots, SVG, lying extensions, decompression bombs,
truncated images, path traversal under /uploads/, and how stored files are served."""

import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Upload
from blog.services import uploads
from tests.security_helpers import (
    assert_unchanged,
    files_under,
    image_bytes,
    png_declaring,
    png_with_text,
    signed_in,
    snapshot,
    upload_body_image,
)

SCRIPT = b"<script>alert(document.cookie)</script>"
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(app, admin):
    """An admin at the article editor, uploading body images."""
    return signed_in(app, admin)


def stored_uploads() -> list[Upload]:
    db.session.rollback()
    return list(db.session.scalars(select(Upload).order_by(Upload.id)))


# ---------- What is stored ----------


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("gif-with-html.gif", image_bytes("GIF") + HTML_PAGE, "image/gif"),
        ("jpeg-with-js.jpg", image_bytes("JPEG") + b"\n" + SCRIPT, "image/jpeg"),
        ("png-text-chunk.png", png_with_text(SCRIPT), "image/png"),
        ("jpeg-comment.jpg", image_bytes("JPEG", comment=SCRIPT), "image/jpeg"),
        ("real-png.html", image_bytes("PNG"), "image/png"),  # a lying name, a real image
    ],
)
def test_polyglots_are_re_encoded_and_served_as_images(app, desk, name, data, kind):
    response = upload_body_image(desk, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Kept body text." in page  # the writer's text is kept
    [upload] = stored_uploads()
    assert upload.content_type == kind
    assert not upload.path.endswith((".html", ".htm", ".svg"))
    for path in upload.stored_paths():
        stored = (Path(app.config["UPLOADS_DIR"]) / path).read_bytes()
        assert b"<script" not in stored and b"<html" not in stored.lower()
        served = desk.get(f"/uploads/{path}")
        assert served.status_code == 200
        # Its renditions in its own type, their WebP and AVIF copies as those.
        modern = {"webp": "image/webp", "avif": "image/avif"}.get(path.rpartition(".")[2])
        assert served.headers["Content-Type"] == (
            modern if path != upload.path and modern else kind
        )
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert b"<script" not in served.data
        served.close()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("drawing.svg", SVG, uploads.NOT_AN_IMAGE),
        ("drawing.png", SVG, uploads.NOT_AN_IMAGE),
        ("report.png", PDF, uploads.NOT_AN_IMAGE),
        ("page.png", HTML_PAGE, uploads.NOT_AN_IMAGE),
        ("page.html", HTML_PAGE, uploads.NOT_AN_IMAGE),
        ("half.png", image_bytes("PNG", (300, 200))[:200], uploads.NOT_AN_IMAGE),
        ("half.jpg", image_bytes("JPEG", (300, 200))[:400], uploads.NOT_AN_IMAGE),
        ("half.gif", image_bytes("GIF", (300, 200))[:60], uploads.NOT_AN_IMAGE),
        ("bomb.png", png_declaring(100_000, 100_000), uploads.TOO_MANY_PIXELS),
        ("wide.png", png_declaring(8_000, 8_000), uploads.TOO_MANY_PIXELS),
        ("tall.png", png_declaring(1, 2**31 - 1), uploads.TOO_MANY_PIXELS),
        ("tiff.png", image_bytes("TIFF"), "Please upload a JPEG, PNG, WebP or GIF image."),
        ("empty.png", b"", uploads.NOT_AN_IMAGE),
    ],
)
def test_files_that_are_not_usable_images_are_refused(app, desk, name, data, message):
    before = snapshot()
    response = upload_body_image(desk, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 413), response.status_code
    assert message in page.replace("&#39;", "'")
    assert "Kept body text." in page
    assert_unchanged(before, name)
    assert files_under(app.config["UPLOADS_DIR"]) == []


def test_a_bomb_is_refused_before_its_pixels_are_allocated(app):
    for data in (png_declaring(100_000, 100_000), png_declaring(30_000, 30_000)):
        tracemalloc.start()
        try:
            with pytest.raises(uploads.UploadRejected, match="40 megapixels"):
                uploads.decode(data)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 5 * 1024 * 1024, peak  # the canvas would be gigabytes


# ---------- How files are served ----------


@pytest.fixture
def secret(app, tmp_path) -> Path:
    """A file beside the uploads folder, named like an image, that must never be served."""
    Path(app.config["UPLOADS_DIR"]).mkdir(parents=True, exist_ok=True)
    path = tmp_path / "secret.png"
    path.write_bytes(b"TOP-SECRET-MARKER")
    return path


TRAVERSALS = [
    "../secret.png",
    "..%2fsecret.png",
    "%2e%2e/secret.png",
    "%2e%2e%2fsecret.png",
    "%252e%252e%252fsecret.png",
    "..\\secret.png",
    "..%5csecret.png",
    "2026/../../secret.png",
    "....//secret.png",
    "..;/secret.png",
    "%c0%ae%c0%ae/secret.png",
    "secret.png%00.png",
    "%00../secret.png",
]


def test_paths_that_leave_the_folder_are_404(app, client, secret):
    absolute = str(secret).lstrip("/")
    for path in [*TRAVERSALS, f"/{absolute}", absolute, f"%2f{absolute}", f"..%2f..%2f{absolute}"]:
        response = client.get(f"/uploads/{path}")
        if response.status_code == 308:  # "//" merged into "/": still under /uploads/
            assert response.headers["Location"].startswith(
                ("/uploads/", "http://byline.test/uploads/")
            )
            response = client.get(f"/uploads/{path}", follow_redirects=True)
        assert response.status_code == 404, (path, response.status_code)
        assert b"TOP-SECRET-MARKER" not in response.data
    for path in ("/uploads/../etc/passwd", "/uploads/%2fetc%2fpasswd", "/uploads/"):
        assert client.get(path, follow_redirects=True).status_code == 404, path


def test_only_our_own_image_names_are_served_with_our_own_type(app, client):
    root = Path(app.config["UPLOADS_DIR"])
    (root / "2026/01").mkdir(parents=True)
    png = image_bytes("PNG")
    planted = {
        "2026/01/page.html": HTML_PAGE,
        "2026/01/drawing.svg": SVG,
        "2026/01/noext": HTML_PAGE,
        "2026/01/.upload-abc.part": png,
        "2026/01/image.png.html": HTML_PAGE,
        "2026/01/.png": png,
    }
    for path, data in planted.items():
        (root / path).write_bytes(data)
        response = client.get(f"/uploads/{path}")
        assert response.status_code == 404, path
    # A stored name keeps its stored type whatever the bytes look like to a sniffer.
    (root / "2026/01/abc.png").write_bytes(HTML_PAGE)
    response = client.get("/uploads/2026/01/abc.png")
    response.close()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_uploaded_names_never_reach_the_served_path(app, desk):
    names = ("../../evil.html", "..\\..\\evil.svg", "/etc/evil.png", "evil\x07.png")
    for width, name in enumerate(names, start=40):  # each a new image: none is reused
        assert upload_body_image(desk, image_bytes("PNG", (width, 30)), name).status_code == 200
    stored = stored_uploads()
    assert len(stored) == 4
    for upload in stored:
        assert "evil" not in upload.path and ".." not in upload.path
        assert upload.path.endswith(".png") and "\x07" not in upload.original_name
    written = files_under(app.config["UPLOADS_DIR"])
    root = Path(app.config["UPLOADS_DIR"]).resolve()
    assert all(root in path.resolve().parents for path in written)
    assert not any("evil" in path.name for path in Path(root).parent.rglob("*"))
