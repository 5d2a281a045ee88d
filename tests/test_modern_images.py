"""WebP and AVIF copies of stored images, offered first through <picture> sources, and the
sizes of Byline's own images inside article bodies."""

import io
import random
import re
from html.parser import HTMLParser

import pytest
from PIL import Image, features

from blog.extensions import db
from blog.models import Role, Upload
from blog.rendering import render_article
from blog.services import upload_files, uploads
from tests.deploy_helpers import echo_upstream, loopback_caddy, loopback_nginx

MODERN = ["image/avif", "image/webp"] if features.check("avif") else ["image/webp"]


def photo(size=(2000, 1000), kind="JPEG", mode="RGB") -> bytes:
    """A photo-like image: smooth colour with detail, which the modern formats shrink."""
    width, height = size
    noise = Image.frombytes("L", size, random.Random(7).randbytes(width * height))
    image = Image.blend(Image.linear_gradient("L").resize(size), noise, 0.3).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return buffer.getvalue()


def transparent_png(size=(1000, 500)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((200, 40, 40, 255), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def opened(path: str) -> Image.Image:
    image = Image.open(upload_files.uploads_root() / path)
    image.load()
    return image


def test_a_stored_photo_gets_webp_and_avif_at_each_rendition_width(app):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    assert [kind for kind, _ in upload.modern_srcsets()] == MODERN
    for kind, files in upload.modern_srcsets():
        assert [width for _, width in files] == [480, 960, 1600]  # as the JPEG renditions
        for path, width in files:
            with opened(path) as image:
                assert image.format == kind.split("/")[1].upper()
                assert image.size == (width, width // 2)
    plain = dict((width, path) for path, width in upload.srcset_items())
    modern = dict((width, path) for path, width in upload.modern_srcsets()[-1][1])
    root = upload_files.uploads_root()
    for width in (480, 960, 1600):
        assert (root / modern[width]).stat().st_size < (root / plain[width]).stat().st_size
    assert upload.srcset_items()[-1] == (upload.path, 2000)  # the <img> keeps its own set


def test_a_transparent_png_keeps_its_exact_pixels_in_lossless_webp(app):
    upload = uploads.store_image(transparent_png(), "logo.png")
    db.session.commit()
    [(kind, files)] = upload.modern_srcsets()  # no AVIF for a PNG
    assert kind == "image/webp" and [width for _, width in files] == [480, 960, 1000]
    with opened(upload.path) as png, opened(files[-1][0]) as webp:
        assert webp.mode == "RGBA"
        assert webp.tobytes() == png.tobytes()


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_a_gif_or_webp_gets_no_copies(app, kind):
    upload = uploads.store_image(photo(kind=kind), f"image.{kind.lower()}")
    db.session.commit()
    assert upload.modern_srcsets() == []
    assert all(width.isdigit() for width in upload.variants)


def test_an_upload_sent_again_is_reused_while_every_file_is_there(app, make_user):
    writer = make_user(Role.AUTHOR)
    first = uploads.store_image(photo(), "a.jpg", uploaded_by_id=writer.id)
    db.session.commit()
    assert uploads.store_image(photo(), "a.jpg", uploaded_by_id=writer.id).id == first.id
    (upload_files.uploads_root() / first.variants["webp-960"]).unlink()
    again = uploads.store_image(photo(), "a.jpg", uploaded_by_id=writer.id)
    db.session.commit()
    assert again.id != first.id and "webp-960" in again.variants


def test_removing_an_upload_removes_its_copies(app):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    root = upload_files.uploads_root()
    copies = [path for key, path in upload.variants.items() if not key.isdigit()]
    assert copies and all((root / path).is_file() for path in copies)
    upload_files.remove_files(upload)
    assert not [path for path in upload.stored_paths() if (root / path).exists()]


def without_copies(upload: Upload) -> None:
    """The upload as Byline stored it before it made WebP and AVIF copies."""
    root = upload_files.uploads_root()
    for key, path in list(upload.variants.items()):
        if not key.isdigit():
            (root / path).unlink()
    upload.variants = {key: path for key, path in upload.variants.items() if key.isdigit()}
    db.session.commit()


def test_the_command_gives_old_uploads_their_copies_once(app, runner):
    old = uploads.store_image(photo(), "old.jpg")
    small = uploads.store_image(photo((700, 400), kind="PNG"), "small.png")
    gif = uploads.store_image(photo(kind="GIF"), "old.gif")
    db.session.commit()
    made = {upload.id: dict(upload.variants) for upload in (old, small)}
    for upload in (old, small):
        without_copies(upload)

    result = runner.invoke(args=["image-formats"])
    assert result.exit_code == 0, result.output
    assert "copies made for 2 upload(s)" in result.output
    root = upload_files.uploads_root()
    for upload in (old, small):
        db.session.refresh(upload)
        assert upload.variants.keys() == made[upload.id].keys()
        for path, width in upload.modern_srcsets()[-1][1]:
            with opened(path) as image:
                assert image.width == width
    assert all(key.isdigit() for key in db.session.get(Upload, gif.id).variants)
    files = sorted(root.rglob("*"))

    again = runner.invoke(args=["image-formats"])
    assert again.exit_code == 0 and "copies made for 0 upload(s)" in again.output
    assert sorted(root.rglob("*")) == files


def test_the_command_names_an_upload_whose_file_is_gone(app, runner):
    upload = uploads.store_image(photo(), "gone.jpg")
    db.session.commit()
    without_copies(upload)
    (upload_files.uploads_root() / upload.path).unlink()
    result = runner.invoke(args=["image-formats"])
    assert result.exit_code == 0
    assert f"Skipped {upload.path}" in result.output
    assert "copies made for 0 upload(s)" in result.output


class Pictures(HTMLParser):
    """Each <picture>'s sources and <img>, and every <img> outside one."""

    def __init__(self):
        super().__init__()
        self.pictures: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.inside = True
            self.pictures.append({"sources": [], "img": None})
        elif tag == "source" and self.inside:
            self.pictures[-1]["sources"].append(attrs)
        elif tag == "img" and self.inside:
            self.pictures[-1]["img"] = attrs

    def handle_endtag(self, tag):
        if tag == "picture":
            self.inside = False


def test_a_cover_offers_avif_then_webp_then_its_own_format(app, client, make_article):
    cover = uploads.store_image(photo(), "cover.jpg")
    article = make_article("Harbour", cover=cover, cover_alt="The harbour at dawn")
    parser = Pictures()
    parser.feed(client.get(f"/articles/{article.slug}").get_data(as_text=True))
    [picture] = [p for p in parser.pictures if p["img"]["alt"] == "The harbour at dawn"]
    assert [source["type"] for source in picture["sources"]] == MODERN
    img = picture["img"]
    for source, (_, files) in zip(picture["sources"], cover.modern_srcsets(), strict=True):
        assert source["sizes"] == img["sizes"]
        assert source["srcset"] == ", ".join(f"/uploads/{path} {w}w" for path, w in files)
    assert re.findall(r" (\d+)w", img["srcset"]) == ["480", "960", "1600", "2000"]
    assert img["src"] == f"/uploads/{cover.path}" and img["src"].endswith(".jpg")
    assert (img["width"], img["height"], img["loading"]) == ("2000", "1000", "eager")


# ----- images inside article bodies -----


def test_a_body_image_of_ours_gets_its_size_and_one_from_elsewhere_does_not(app):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    rendition = upload.variants["1600"]
    html = render_article(
        f"![Ours](/uploads/{rendition})\n\n![The original](/uploads/{upload.path})\n\n"
        f"![Copy](/uploads/{upload.variants['webp-480']})\n\n"
        "![Theirs](https://example.org/uploads/x.jpg)\n\n![Unknown](/uploads/2020/01/nope.jpg)"
    )
    assert (
        f'<img src="/uploads/{rendition}" alt="Ours" width="1600" height="800" '
        'loading="lazy" decoding="async">'
    ) in html
    assert 'alt="The original" width="2000" height="1000" loading="lazy"' in html
    assert 'alt="Copy" width="480" height="240"' in html
    assert '<img src="https://example.org/uploads/x.jpg" alt="Theirs">' in html
    assert '<img src="/uploads/2020/01/nope.jpg" alt="Unknown">' in html


def test_an_alt_text_that_reads_like_attributes_is_left_alone(app):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    html = render_article(f'![width="1" loading=x > <b>](/uploads/{upload.path})')
    assert (
        f'<img src="/uploads/{upload.path}" alt="width=&quot;1&quot; loading=x &gt; &lt;b&gt;" '
        'width="2000" height="1000" loading="lazy" decoding="async">'
    ) in html


def test_body_sizes_are_stored_with_the_body_and_cost_no_query_to_serve(
    app, make_article, count_queries, second_worker
):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    body = f"Text.\n\n![A chart](/uploads/{upload.variants['960']})"
    with count_queries() as rendering:
        sized = render_article(body)
    assert rendering.count == 1  # one lookup for the whole body
    with_image = make_article("With an image", body=body)
    plain = make_article("Without", body="Text.\n\nMore text.")
    assert 'width="960" height="480"' in with_image.body_html
    assert with_image.body_html == sized
    counts = []
    # Every request renders its page: no page or fragment cache answers for it.
    uncached = second_worker(app, PAGE_CACHE=False, FRAGMENT_CACHE=False)
    reader = uncached.test_client()
    for article in (plain, with_image):
        reader.get(f"/articles/{article.slug}")  # what a first request sets up
        with uncached.app_context(), count_queries() as serving:
            page = reader.get(f"/articles/{article.slug}").get_data(as_text=True)
        counts.append(serving.count)
    assert 'alt="A chart" width="960" height="480"' in page
    assert counts[0] == counts[1]


def test_the_editors_live_preview_sizes_a_body_image(app, client, login, make_user):
    writer = make_user(Role.EDITOR)
    upload = uploads.store_image(photo((1200, 600)), "p.jpg", uploaded_by_id=writer.id)
    db.session.commit()
    login(writer)
    live = client.post("/editor/preview", json={"body": f"![A view](/uploads/{upload.path})"})
    assert 'alt="A view" width="1200" height="600" loading="lazy"' in live.get_json()["html"]


def test_an_image_stored_in_the_same_transaction_is_sized(app):
    """An import stores a body's images in the transaction that adds its article: their
    sizes are found before anything is written, and nothing is flushed to find them."""
    pending = uploads.store_image(photo((800, 400)), "imported.jpg")  # added, not flushed
    assert pending in db.session.new
    html = render_article(f"![Imported](/uploads/{pending.variants['480']})")
    assert 'width="480" height="240"' in html
    db.session.rollback()


def test_a_served_copy_has_its_own_type(app, client):
    upload = uploads.store_image(photo(), "photo.jpg")
    db.session.commit()
    for content_type, files in upload.modern_srcsets():
        with client.get(f"/uploads/{files[0][0]}") as response:
            assert response.status_code == 200
            assert response.headers["Content-Type"] == content_type
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert uploads.served_type("2026/01/ab.avif") == "image/avif"
    assert uploads.served_type("2026/01/.ab.avif") is None


@pytest.mark.parametrize("proxy", ["nginx", "caddy"])
def test_the_shipped_proxies_serve_each_format_as_its_type(tmp_path, proxy):
    """nginx and Caddy (deploy/) serve the uploads folder themselves: each stored format
    with its own type, whatever the server's own list of types knows."""
    folder = tmp_path / "uploads" / "2026" / "01"
    folder.mkdir(parents=True)
    image = Image.new("RGB", (8, 8), (200, 40, 40))
    names = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "avif": "AVIF"}
    for extension, kind in names.items():
        image.save(folder / f"ab12-480.{extension}", kind)
    loopback = {"nginx": loopback_nginx, "caddy": loopback_caddy}[proxy]
    with echo_upstream() as upstream, loopback(tmp_path, upstream, tmp_path / "uploads") as site:
        for extension in names:
            response = site.get(f"/uploads/2026/01/ab12-480.{extension}")
            assert response.status == 200, extension
            assert response.getheader("Content-Type") == uploads.served_type(f"a.{extension}")
            assert response.body == (folder / f"ab12-480.{extension}").read_bytes()
