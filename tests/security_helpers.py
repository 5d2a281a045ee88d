"""Helpers for the adversarial suites: database snapshots, signed-in clients, crafted files."""

import io
import struct
import zlib
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    Correction,
    CorrectionKind,
    EditorComment,
    FrontPagePick,
    MenuLink,
    MenuLinkKind,
    MenuName,
    Page,
    Role,
    Section,
    Topic,
)
from blog.models.outbox import JobFailure, OutboxMessage
from blog.models.revisions import Revision
from blog.services import invitations, users
from tests.conftest import PASSWORD

SITE = "http://byline.test"
ORIGIN = {"Origin": SITE}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, read fresh, in a stable order."""
    db.session.rollback()  # end the test's own transaction so other requests' commits show
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = sorted(
            (tuple(row) for row in db.session.execute(select(table))), key=repr
        )
    db.session.rollback()
    return rows


def assert_unchanged(before: dict[str, list[tuple]], context: str = "") -> None:
    after = snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{context}: rows changed in {changed}"


def signed_in(app, user, password: str = PASSWORD):
    """A new client signed in as `user` through the login form."""
    client = app.test_client()
    response = client.post("/editor/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 30), **options) -> bytes:
    buffer = io.BytesIO()
    mode = "RGB" if kind == "JPEG" else "RGBA" if kind == "PNG" else "P"
    Image.new(mode, size, color=(200, 30, 30, 255)[: len(mode)] if mode != "P" else 1).save(
        buffer, format=kind, **options
    )
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # One compressed row of zeros: the file stays tiny whatever the declared size.
    data = zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def gif_declaring(frames: list[tuple[int, int, int, int]], screen=(1, 1)) -> bytes:
    """A GIF built by hand whose frames claim any (left, top, width, height) while holding
    one pixel of data each: 15 bytes a frame, so 100,000 frames make 1.5 MB."""
    black_and_white = bytes([0, 0, 0, 255, 255, 255])
    header = b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0) + black_and_white
    # Code size 2, then one sub-block of three 3-bit LZW codes: clear, colour 0 or 1, end.
    # Alternating colours keep every frame different from the one before it.
    pixels = (b"\x02\x02\x44\x01\x00", b"\x02\x02\x4c\x01\x00")
    body = b"".join(
        b"," + struct.pack("<HHHHB", *frame, 0) + pixels[index % 2]
        for index, frame in enumerate(frames)
    )
    return header + body + b";"


def png_with_text(text: bytes) -> bytes:
    """A valid PNG with a tEXt chunk holding `text` (e.g. a script) before the pixels."""
    plain = image_bytes("PNG")
    cut = plain.index(b"IDAT") - 4
    return plain[:cut] + png_chunk(b"tEXt", b"Comment\x00" + text) + plain[cut:]


def upload_body_image(client, data: bytes, filename: str):
    """Upload `data` as a body image from a new article's form, beside text to keep."""
    # Encoded here: the test client spools a body past 500 kB to a temporary file that it
    # never closes (a ResourceWarning, an error in this suite).
    boundary, body = encode_multipart(
        {
            "title": "Kept title",
            "body": "Kept body text.",
            "action": "upload",
            "body_image_alt": "A picture",
            "body_image": FileStorage(io.BytesIO(data), filename),
        }
    )
    return client.post(
        "/editor/articles/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def files_under(root: str) -> list[Path]:
    """Every file under root, e.g. what the uploads folder holds."""
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def url_values(admin, author, editable, public, *, direction):
    """A value for every argument of the URL map's rules: `editable` carries an editor's
    note, `public` names the slug and holds a pending comment. Commits those, a section,
    a topic and an invitation."""
    note = EditorComment(article=editable, editor=admin)
    note.set_body("A note.")
    correction = Correction(article=public, editor=admin, kind=CorrectionKind.CORRECTION)
    correction.set_body("A correction.")
    comment = Comment(article=public, author_name="Rex Reader", status=CommentStatus.PENDING)
    comment.set_body("Held for review.")
    section, topic = Section(name="Routes", slug="routes"), Topic(name="Ways", slug="ways")
    failure = JobFailure(job="publish_due", error="The database was away.")
    page = Page(title="About us", slug="about", author=admin)
    page.set_body("Who we are.")
    db.session.add_all([note, correction, comment, section, topic, failure, page])
    invited = users.invite_user("invited@byline.test", "Ivy Invited", Role.AUTHOR)
    pick = FrontPagePick(article_id=public.id, position=1)
    db.session.add(pick)
    link = MenuLink(menu=MenuName.HEADER, kind=MenuLinkKind.SECTION, section=section)
    db.session.add(link)
    db.session.commit()
    invitation_mail = db.session.scalar(select(OutboxMessage.id).limit(1))  # not a failed one
    assert invitation_mail is not None
    revision = Revision(article_id=editable.id, title="An earlier title", topic_ids=[])
    page_revision = Revision(page_id=page.id, title="An earlier title", topic_ids=[])
    db.session.add_all([revision, page_revision])
    db.session.commit()
    return {
        "article_id": editable.id,
        "note_id": note.id,
        "correction_id": correction.id,
        "comment_id": comment.id,
        "section_id": section.id,
        "topic_id": topic.id,
        "user_id": author.id,
        "token": invitations.invitation_token(invited),
        "direction": direction,
        "slug": public.slug,
        "network": "x",
        "message_id": invitation_mail,
        "failure_id": failure.id,
        "pick_id": pick.id,
        "page_id": page.id,
        "link_id": link.id,
        "revision_id": revision.id,
        "page_revision_id": page_revision.id,
        "passkey_id": 1,  # none (not found): a passkey would add a sign-in step to the admin
    }


def rule_path(rule, values: dict) -> str:
    """The path of a URL-map rule, built from the values its arguments name (a page's
    revision is one of the page's own)."""
    chosen = {key: value for key, value in values.items() if key in rule.arguments}
    if {"page_id", "revision_id"} <= rule.arguments and "page_revision_id" in values:
        chosen["revision_id"] = values["page_revision_id"]
    return rule.build(chosen)[1]
