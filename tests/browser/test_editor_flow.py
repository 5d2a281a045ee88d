"""An editor writes, previews and publishes a story with a cover; a reader's comment on it
is approved in the moderation queue and the reader sees it approved."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from blog.extensions import db
from blog.models import Article, ArticleStatus, CommentStatus
from tests.browser.support import fill_comment, unique

BODY = """The harbour ferry returns on Monday after a winter of repairs.

## What changes

- Boats every twenty minutes at peak times
- A new stop at the market hall

Tickets cost the same as before."""


def cover_png() -> bytes:
    image = Image.new("RGB", (1200, 675), (30, 90, 140))
    image.paste((240, 200, 60), (400, 200, 800, 475))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_editor_publishes_and_moderates(site, signed_in_page, new_context):
    editor = signed_in_page
    reader = new_context().new_page()
    site.age_reader_forms(reader.context)
    reader.goto("/")  # the front page is now in the page cache
    title = unique("Harbour ferry returns after winter repairs")

    # Write the story with a cover image, preview it, publish it.
    editor.goto("/editor/articles/new")
    editor.get_by_label("Title").fill(title)
    editor.get_by_label("Brief").fill("The ferry is back on Monday, more often, with a new stop.")
    editor.get_by_label("Body", exact=True).fill(BODY)
    editor.get_by_label("Section").select_option(label=site.section_name)
    editor.get_by_label("Cover image", exact=True).set_input_files(
        {"name": "ferry.png", "mimeType": "image/png", "buffer": cover_png()}
    )
    editor.get_by_label("Cover alt text").fill("A blue ferry at the quay in winter light")
    with editor.context.expect_page() as opened:
        editor.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.get_by_role("heading", name="What changes", exact=True)).to_be_visible()
    expect(preview.locator("figure.cover img")).to_have_attribute(
        "alt", "A blue ferry at the quay in winter light"
    )
    preview.close()
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.locator(".article-state")).to_contain_text("Published")
    with site.app.app_context():
        article = db.session.query(Article).filter(Article.title == title).one()
        assert article.status == ArticleStatus.PUBLISHED and article.cover_id is not None
        slug = article.slug
        db.session.remove()

    # The front page shows it at once, although it was cached a moment ago.
    reader.goto("/")
    reader.get_by_role("link", name=title, exact=True).first.click()
    expect(reader).to_have_url(site.url(f"/articles/{slug}"))
    cover = reader.locator("figure.cover img")
    expect(cover).to_have_attribute("alt", "A blue ferry at the quay in winter light")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")

    # An editor's comment appears on the article.
    note = unique("Corrected the timetable after the operator update")
    editor.get_by_role("textbox", name="Editor's comment").fill(note)
    editor.get_by_role("button", name="Add comment").click()
    expect(editor.locator(".note-list")).to_contain_text(note)
    reader.reload()
    expect(reader.get_by_role("region", name="Editor's Comments")).to_contain_text(note)

    # The reader comments; the comment waits for moderation.
    name, body = unique("Fergus Reader"), unique("Glad to have the ferry back")
    fill_comment(reader, name, body, email=f"{name.replace(' ', '.').lower()}@readers.example")
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.locator("li.comment-pending", has_text=body)).to_be_visible()
    cookies = reader.context.storage_state()

    # The editor approves it in the queue.
    editor.goto("/editor/comments/")
    row = editor.locator("tr", has_text=body)
    row.get_by_role("button", name=f"Approve the comment by {name}").click()
    expect(editor.get_by_role("status")).to_contain_text("Approved 1 comment")
    with site.app.app_context():
        (comment,) = site.comments_by(name)
        assert comment.status == CommentStatus.APPROVED

    # The reader, back later with the same cookies, sees it approved; so does everyone.
    later = new_context(storage_state=cookies).new_page()
    later.goto(f"/articles/{slug}")
    approved = later.locator("li.comment", has_text=body)
    expect(approved).to_be_visible()
    expect(approved).not_to_have_class(re.compile("comment-pending"))
    expect(approved.get_by_text("awaiting moderation")).to_have_count(0)
    anyone = new_context().new_page()
    anyone.goto(f"/articles/{slug}")
    expect(anyone.locator("li.comment", has_text=body)).to_be_visible()
    expect(anyone.locator("#comments-title")).to_have_text("1 Comment")
