"""The import's preparation ahead: post and comment bodies converted and rendered in
worker processes (blog/importers/ahead.py) come out exactly as made in place, and an image
a worker found but that cannot be stored sends its post back to be converted in place."""

import re
import shutil

from flask import has_request_context
from sqlalchemy import delete, select

from blog.extensions import db
from blog.importers import loader
from blog.importers.ahead import Preparer
from blog.importers.media import ImageFiles
from blog.importers.report import Report
from blog.models import Article, Comment, ImportedItem, Page, Topic, Upload
from blog.rendering import render_article, render_comment
from blog.services import taxonomy
from blog.templating import external_url
from tests.import_fixtures import with_text_inserted
from tests.test_import_ghost import EXPORT as GHOST
from tests.test_import_ghost import IMAGES as GHOST_IMAGES
from tests.test_import_wordpress import UPLOADS, WXR, article, report_list

IMAGE_SOURCE = re.compile(r'<img src="([^"]+)"')


def bodies() -> dict[str, tuple[str, str]]:
    db.session.rollback()
    rows = [*db.session.scalars(select(Article)), *db.session.scalars(select(Page))]
    return {row.slug: (row.body_md, row.body_html) for row in rows}


def run(runner, uploads=UPLOADS):
    result = runner.invoke(args=["import-wordpress", str(WXR), "--uploads", str(uploads)])
    assert result.exit_code == 0, result.output
    return result


def test_worker_processes_prepare_what_the_loader_would_have(admin, runner, monkeypatch):
    monkeypatch.setattr(loader, "pool_size", lambda total: 1)  # even for this small export
    run(runner)
    made = bodies()
    assert len(made) == 12
    stored = {f"/uploads/{path}" for path in db.session.scalars(select(Upload.path))}
    images = 0
    for slug, (markdown, html) in made.items():
        assert html == render_article(markdown), slug
        assert "byline-import-" not in markdown + html, slug  # no placeholder left
        for source in IMAGE_SOURCE.findall(html):
            assert source in stored, (slug, source)
            images += 1
    assert images >= 3
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) == 6
    for comment in comments:
        assert comment.body_html == render_comment(comment.body_md)
    assert article("election-night").comment_count == 3


def test_an_image_found_but_not_storable_sends_its_post_back_to_be_converted_here(
    admin, runner, tmp_path
):
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    (uploads / "2024/05/crowd.png").write_bytes(b"not a picture at all")
    result = run(runner, uploads)
    markdown, html = bodies()["block-post"]
    assert "byline-import-" not in markdown + html
    # Stored it could not be: the picture stays a link to where it was, as when missing.
    assert "[A crowd](https://old.example.com/wp-content/uploads/2024/05/crowd.png)" in markdown
    assert "<img" not in html
    assert html == render_article(markdown)
    problems = report_list(result.output, "To check")
    assert any("2024/05/crowd.png" in line and "image:" in line for line in problems), problems


def test_an_image_address_names_a_file_only_inside_the_uploads_copy(tmp_path):
    """`..`, encoded or not, and a symbolic link out of the folder never reach a file
    beside it; a resized copy falls back to its original."""
    folder = tmp_path / "uploads"
    (folder / "2024/05").mkdir(parents=True)
    (folder / "2024/05/photo.jpg").write_bytes(b"jpeg")
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not yours")
    (folder / "2024/05/link.jpg").symlink_to(secret)
    files = ImageFiles("wordpress", folder)
    base = "https://old.example.com/wp-content/uploads/"
    assert (
        files.find_file(files.relative_path(base + "2024/05/photo-300x200.jpg"))
        == (folder / "2024/05/photo.jpg").resolve()
    )
    for address in ("../secret.jpg", "2024/../../secret.jpg", "%2e%2e/secret.jpg"):
        assert files.relative_path(base + address) is None, address
    assert files.find_file("2024/05/link.jpg") is None
    assert files.find_file(files.relative_path(base + "2024/05/link.jpg")) is None
    ghost = ImageFiles("ghost", folder)
    assert ghost.relative_path("__GHOST_URL__/content/images/size/w600/2024/05/photo.jpg") == (
        "2024/05/photo.jpg"
    )


def test_a_command_links_from_site_url_alone_under_the_application_root(app):
    """Invitations queued by an import are made outside any request, from SITE_URL: the
    link is the one a request would make, the site's path prefix included."""
    app.config.update(SITE_URL="https://news.example", SERVER_NAME=None, APPLICATION_ROOT="/sub")
    with app.app_context():
        assert not has_request_context()
        link = external_url("editor.invite_accept", token="T")
    with app.test_request_context("/", base_url="https://news.example/sub"):
        assert external_url("editor.invite_accept", token="T") == link
    assert link == "https://news.example/sub/editor/invite/T"


def test_a_topic_deleted_since_the_last_run_is_made_again_for_a_new_post(admin, runner):
    """A later export's post that uses a tag whose topic was deleted here gets the topic
    back (one record of it, pointing at the new one) instead of failing on every run."""
    run(runner)
    taxonomy.delete_topic(db.session.scalar(select(Topic).where(Topic.slug == "election")))
    night = article("election-night")
    db.session.execute(
        delete(ImportedItem).where(
            ImportedItem.kind == "article", ImportedItem.target_id == night.id
        )
    )
    db.session.delete(night)  # as if the post were new in a later export
    db.session.commit()
    result = run(runner)
    assert "Failed" not in result.output
    again = article("election-night")
    assert "election" in {topic.slug for topic in again.topics}
    records = db.session.scalars(
        select(ImportedItem).where(
            ImportedItem.kind == "topic",
            ImportedItem.target_id.in_(select(Topic.id).where(Topic.slug == "election")),
        )
    ).all()
    assert len(records) == 1


# A later Ghost post using a picture an earlier run brought in.
PICTURE = '<img alt=\\"Boats\\" src=\\"__GHOST_URL__/content/images/2024/05/harbour.jpg\\">'
HARBOUR_AGAIN = (
    """
          {"id": "66380f000000000000000598", "title": "Boats again", "slug": "boats-again",
           "html": "<p>Again.</p>"""
    + PICTURE
    + """",
           "type": "post", "status": "published", "visibility": "public",
           "created_at": "2024-05-21T07:00:00.000Z", "updated_at": "2024-05-21T08:00:00.000Z",
           "published_at": "2024-05-21T08:00:00.000Z"},"""
)


def test_a_picture_an_earlier_run_stored_is_used_without_the_folder(admin, runner, tmp_path):
    """Without --images the worker finds no file, but the picture is here already: the
    post is converted again in place and shows it, never a link to the old site."""
    ghost = ["import-ghost", str(GHOST), "--images", str(GHOST_IMAGES)]
    assert runner.invoke(args=ghost).exit_code == 0
    newer = with_text_inserted(GHOST, tmp_path / "newer.json", '"posts": [', HARBOUR_AGAIN)
    result = runner.invoke(args=["import-ghost", str(newer)])
    assert result.exit_code == 0, result.output
    markdown, html = bodies()["boats-again"]
    harbour = db.session.scalar(select(Upload).where(Upload.original_name == "harbour.jpg"))
    assert f"![Boats](/uploads/{harbour.path})" in markdown
    assert f'src="/uploads/{harbour.path}"' in html


def test_a_post_whose_preparation_fails_fails_alone(admin, runner, monkeypatch):
    real = Preparer.body

    def body(self, html, image=None):
        if "ballot-300x200.jpg" in html:  # the body of post 100, "election-night"
            raise ValueError("unreadable body")
        return real(self, html, image)

    monkeypatch.setattr(Preparer, "body", body)
    result = runner.invoke(args=["import-wordpress", str(WXR), "--uploads", str(UPLOADS)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "ValueError: unreadable body" in "\n".join(report_list(result.output, "Failed"))
    titles = set(db.session.scalars(select(Article.title)))
    assert "Election night: Tom & Jerry win" not in titles and len(bodies()) == 11


def test_an_image_address_that_is_not_an_address_is_only_reported(admin, runner, tmp_path):
    broken = with_text_inserted(
        WXR,
        tmp_path / "broken.xml",
        "<p>The crowd outside:",
        '<img src="http://[x/wp-content/uploads/a.jpg">',
    )
    result = runner.invoke(args=["import-wordpress", str(broken), "--uploads", str(UPLOADS)])
    assert result.exit_code == 0, result.output
    assert article("election-night") is not None
    problems = report_list(result.output, "To check")
    assert any("not from the old uploads folder: http://[x/" in line for line in problems)


def test_an_old_address_a_live_page_holds_is_reported_not_promised(admin, runner):
    """The WordPress page "about" is at /about; the Ghost site's "about" becomes about-2,
    and its old /about/ is listed as held by the page, not as a redirect."""
    run(runner)
    ghost = ["import-ghost", str(GHOST), "--images", str(GHOST_IMAGES)]
    result = runner.invoke(args=ghost)
    assert result.exit_code == 0, result.output
    redirects = report_list(result.output, "Old addresses that now redirect")
    assert not any(line.strip().startswith("/about/ ") for line in redirects)
    problems = report_list(result.output, "To check")
    assert "redirect: /about/: the page 'About us' is there: it wins" in problems


def test_a_stopped_run_never_says_there_was_nothing_to_import():
    report = Report(source="wordpress https://old.example.com")
    report.count("article", "unchanged", 91)
    assert "Nothing new to import" in "\n".join(report.lines(whole=True))
    report.stopped = "Stopped before the end."
    text = "\n".join(report.lines(whole=True))
    assert "Stopped before the end." in text and "Nothing new" not in text
