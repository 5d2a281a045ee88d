"""The publishing, editor's comment and upload services: their rules, tested directly."""

import io
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Article, ArticleStatus, OldSlug, Role, SlugKind, Topic, Upload
from blog.models.base import utcnow
from blog.services import notes, settings, uploads
from blog.services.publishing import (
    SLUG_KEPT,
    TOO_FAR_AHEAD,
    Action,
    ArticleChanges,
    ArticleRejected,
    EditConflict,
    NotAllowed,
    create_article,
    editable_article,
    site_datetime,
    state,
    update_article,
)
from blog.services.slugs import MAX_SLUG_LENGTH


def changes(**fields) -> ArticleChanges:
    fields.setdefault("title", "Harbour trams return")
    fields.setdefault("brief", "The harbour line is back.")
    fields.setdefault("body", "The first tram ran at dawn.")
    return ArticleChanges(**fields)


def same_as(article: Article, **fields) -> ArticleChanges:
    """The article's current state as changes, with some fields replaced."""
    current = {
        "title": article.title,
        "brief": article.brief,
        "body": article.body_md,
        "slug": article.slug,
        "section_id": article.section_id,
        "topic_ids": [t.id for t in article.topics],
        "cover_id": article.cover_id,
        "cover_alt": article.cover_alt,
        "comments_open": article.comments_open,
    }
    return ArticleChanges(**(current | fields))


# --- Saving and the version guard ---


def test_a_new_article_is_a_draft_with_a_unique_slug_from_its_title(editor, make_article):
    make_article("Harbour trams return", slug="harbour-trams-return")
    article = create_article(changes(), actor=editor)
    assert article.status == ArticleStatus.DRAFT and article.version == 1
    assert article.slug == "harbour-trams-return-2"
    assert article.author_id == editor.id and article.published_at is None
    assert article.body_html == "<p>The first tram ran at dawn.</p>\n" and article.word_count == 6


def test_a_save_from_an_old_version_is_refused_and_the_first_save_kept(editor, admin):
    article = create_article(changes(), actor=editor)
    update_article(article, same_as(article, body="First."), actor=editor, expected_version=1)
    with pytest.raises(EditConflict) as refused:
        update_article(article, same_as(article, body="Second."), actor=admin, expected_version=1)
    assert refused.value.current.body_md == "First." and refused.value.current.version == 2
    db.session.expire_all()
    assert db.session.get(Article, article.id).body_md == "First."


def test_the_version_check_happens_in_the_database(editor):
    """A save that raced another one loses even when its in-memory copy looks current."""
    article = create_article(changes(), actor=editor)
    with db.engine.begin() as other_connection:  # another worker's save, committed meanwhile
        other_connection.execute(
            update(Article).where(Article.id == article.id).values(version=2, body_md="Their text.")
        )
    assert article.version == 1  # our stale copy, as a request loaded it before
    with pytest.raises(EditConflict) as refused:
        update_article(article, same_as(article, body="Ours."), actor=editor, expected_version=1)
    assert refused.value.current.body_md == "Their text."


def test_updated_at_moves_with_the_text_not_with_the_status(editor, make_article):
    article = make_article(published_at=utcnow() - timedelta(days=3))
    stamp = article.updated_at
    update_article(
        article, same_as(article), actor=editor, expected_version=1, action=Action.UNPUBLISH
    )
    assert article.updated_at == stamp and article.version == 2
    update_article(article, same_as(article, title="New title"), actor=editor, expected_version=2)
    assert article.updated_at > stamp


# --- Status changes ---


def test_publishing_needs_a_brief(editor):
    article = create_article(changes(brief=""), actor=editor)
    with pytest.raises(ArticleRejected) as rejected:
        update_article(
            article, same_as(article), actor=editor, expected_version=1, action="publish"
        )
    assert set(rejected.value.errors) == {"brief"}
    db.session.expire_all()
    assert db.session.get(Article, article.id).status == ArticleStatus.DRAFT


def test_publish_dates_now_and_a_republication_keeps_the_first_date(editor):
    article = create_article(changes(), actor=editor, action=Action.PUBLISH)
    first = article.published_at
    assert state(article) == "published" and utcnow() - first < timedelta(seconds=5)
    update_article(
        article, same_as(article), actor=editor, expected_version=1, action=Action.UNPUBLISH
    )
    assert article.status == ArticleStatus.DRAFT and state(article) == "draft"
    update_article(
        article, same_as(article), actor=editor, expected_version=2, action=Action.PUBLISH
    )
    assert article.status == ArticleStatus.PUBLISHED and article.published_at == first


def test_scheduling_stores_utc_and_publish_now_brings_it_forward(editor):
    later = utcnow() + timedelta(days=2)
    article = create_article(changes(), actor=editor, action=Action.SCHEDULE, publish_at=later)
    assert article.status == ArticleStatus.PUBLISHED and article.published_at == later
    assert state(article) == "scheduled"
    update_article(
        article, same_as(article), actor=editor, expected_version=1, action=Action.PUBLISH
    )
    assert state(article) == "published" and article.published_at <= utcnow()


@pytest.mark.parametrize("publish_at", [None, utcnow() - timedelta(minutes=1)])
def test_scheduling_needs_a_time_in_the_future(editor, publish_at):
    with pytest.raises(ArticleRejected) as rejected:
        create_article(changes(), actor=editor, action=Action.SCHEDULE, publish_at=publish_at)
    assert set(rejected.value.errors) == {"publish_date"}


def test_a_live_article_is_not_rescheduled(editor, make_article):
    article = make_article()
    with pytest.raises(ArticleRejected) as rejected:
        update_article(
            article,
            same_as(article),
            actor=editor,
            expected_version=1,
            action=Action.SCHEDULE,
            publish_at=utcnow() + timedelta(days=1),
        )
    assert "already live" in rejected.value.errors[""]


def test_site_datetime_reads_the_sites_clock(app):
    settings.save(timezone="Europe/Berlin")
    winter = site_datetime(date(2025, 1, 15), time(9, 30))
    summer = site_datetime(date(2025, 7, 15), time(9, 30))
    assert winter == datetime(2025, 1, 15, 8, 30, tzinfo=UTC)
    assert summer == datetime(2025, 7, 15, 7, 30, tzinfo=UTC)


def test_a_schedule_is_read_on_the_sites_clock_and_kept_within_ten_years(editor):
    settings.save(timezone="America/New_York")  # the last minute of 9999 there is past UTC's
    for far in (datetime(9999, 12, 31, 23, 59), utcnow() + timedelta(days=3660)):
        with pytest.raises(ArticleRejected) as rejected:
            create_article(changes(), actor=editor, action=Action.SCHEDULE, publish_at=far)
        assert rejected.value.errors == {"publish_date": TOO_FAR_AHEAD}
        assert db.session.scalar(select(Article.id)) is None  # refused, and the session works
    next_year = utcnow().year + 1
    winter = datetime(next_year, 1, 15, 9, 30)  # no time zone: 9:30 in New York
    article = create_article(changes(), actor=editor, action=Action.SCHEDULE, publish_at=winter)
    assert article.published_at == datetime(next_year, 1, 15, 14, 30, tzinfo=UTC)


# --- Roles ---


def test_authors_cannot_publish_assign_or_create_topics(author, editor):
    for action in (Action.PUBLISH, Action.SCHEDULE, Action.UNPUBLISH):
        with pytest.raises(NotAllowed):
            create_article(changes(), actor=author, action=action)
    with pytest.raises(NotAllowed):
        create_article(changes(author_ids=[editor.id]), actor=author)
    with pytest.raises(NotAllowed):
        create_article(changes(new_topic_names=["Gossip"]), actor=author)
    own = create_article(changes(), actor=author, action=Action.SUBMIT)
    assert own.status == ArticleStatus.REVIEW and own.author_id == author.id


def test_authors_cannot_edit_others_or_published_articles(author, make_user, make_article):
    someone = make_user(Role.AUTHOR)
    for article in (
        make_article(status=ArticleStatus.DRAFT, author=someone),
        make_article(author=author),
    ):
        with pytest.raises(NotAllowed):
            update_article(
                article, same_as(article, title="Mine now"), actor=author, expected_version=1
            )


def test_editors_assign_the_author(editor, author):
    article = create_article(changes(author_ids=[author.id]), actor=editor)
    assert article.author_id == author.id


# --- Slugs and topics ---


def test_renaming_keeps_a_redirect_only_once_the_article_was_public(editor, make_article):
    draft = make_article(status=ArticleStatus.DRAFT, slug="draft-name")
    update_article(draft, same_as(draft, slug="better-name"), actor=editor, expected_version=1)
    live = make_article(slug="first-name")
    update_article(live, same_as(live, slug="second-name"), actor=editor, expected_version=1)
    update_article(live, same_as(live, slug="third-name"), actor=editor, expected_version=2)
    kept = db.session.scalars(select(OldSlug.slug).where(OldSlug.kind == SlugKind.ARTICLE)).all()
    assert sorted(kept) == ["first-name", "second-name"]

    update_article(live, same_as(live, slug="first-name"), actor=editor, expected_version=3)
    kept = db.session.scalars(select(OldSlug.slug).where(OldSlug.target_id == live.id)).all()
    assert sorted(kept) == ["second-name", "third-name"]


def test_a_blank_slug_follows_the_title_until_the_article_is_public(editor, make_article):
    draft = create_article(changes(title="Working title"), actor=editor)
    update_article(
        draft, same_as(draft, title="Final title", slug=""), actor=editor, expected_version=1
    )
    assert draft.slug == "final-title"
    live = make_article(slug="live-story")
    update_article(live, same_as(live, title="Renamed", slug=""), actor=editor, expected_version=1)
    assert live.slug == "live-story"


def test_a_taken_slug_is_refused(editor, make_article):
    make_article(slug="taken")
    with pytest.raises(ArticleRejected) as rejected:
        create_article(changes(slug="taken"), actor=editor)
    assert set(rejected.value.errors) == {"slug"}


def test_another_articles_old_slug_is_refused_or_stepped_around(editor, make_article):
    live = make_article("Old title", slug="old-title")
    update_article(live, same_as(live, slug="new-title"), actor=editor, expected_version=1)
    draft = make_article(status=ArticleStatus.DRAFT, slug="a-draft")
    with pytest.raises(ArticleRejected) as rejected:
        update_article(draft, same_as(draft, slug="old-title"), actor=editor, expected_version=1)
    assert rejected.value.errors == {"slug": SLUG_KEPT}
    assert create_article(changes(title="Old title"), actor=editor).slug == "old-title-2"
    kept = db.session.execute(select(OldSlug.slug, OldSlug.target_id)).all()
    assert kept == [("old-title", live.id)]


def test_new_topics_are_created_once_and_existing_ones_reused(editor, make_topic):
    energy = make_topic("Energy", slug="energy")
    article = create_article(
        changes(new_topic_names=["energy", "Offshore Wind", "Offshore wind!"]), actor=editor
    )
    assert [t.name for t in article.topics] == ["Energy", "Offshore Wind"]
    assert energy in article.topics
    assert db.session.scalar(select(Topic).where(Topic.slug == "offshore-wind")) is not None
    assert len(db.session.scalars(select(Topic)).all()) == 2


def test_cover_needs_alt_text_and_loses_it_with_the_cover(editor):
    upload = uploads.store_image(png_bytes(), uploaded_by_id=editor.id)
    db.session.commit()
    with pytest.raises(ArticleRejected) as rejected:
        create_article(changes(cover_id=upload.id), actor=editor)
    assert set(rejected.value.errors) == {"cover_alt"}
    upload = db.session.scalars(select(Upload)).one()
    article = create_article(changes(cover_id=upload.id, cover_alt="A tram"), actor=editor)
    update_article(article, same_as(article, cover_id=None), actor=editor, expected_version=1)
    assert article.cover_id is None and article.cover_alt == ""


def test_a_typed_slug_is_measured_and_checked_but_one_already_held_is_kept(editor, make_article):
    held = "-".join(["harbour"] * 20)  # 159 characters, as an earlier limit allowed
    article = make_article(slug=held, status=ArticleStatus.DRAFT)
    update_article(article, same_as(article, title="Renamed"), actor=editor, expected_version=1)
    for typed in ("a" * 81, "Not a slug", "double--hyphen"):
        with pytest.raises(ArticleRejected) as rejected:
            update_article(article, same_as(article, slug=typed), actor=editor, expected_version=2)
        assert set(rejected.value.errors) == {"slug"}
    assert db.session.get(Article, article.id).slug == held
    update_article(article, same_as(article, slug="a" * 80), actor=editor, expected_version=2)
    assert article.slug == "a" * 80
    # One made from a long title may carry its "-2" past the typed limit.
    title = "Harbour" * 30
    first, second = (create_article(changes(title=title), actor=editor) for _ in range(2))
    assert second.slug == first.slug + "-2" and len(first.slug) == MAX_SLUG_LENGTH


def test_a_new_cover_is_only_ever_one_of_the_writers_own_uploads(author, editor):
    theirs = uploads.keep_image(png_bytes(), "theirs.png", uploaded_by_id=editor.id)
    own = uploads.keep_image(png_bytes(), "own.png", uploaded_by_id=author.id)
    assert uploads.own_upload(theirs.id, author.id) is None
    assert uploads.own_upload(own.id, author.id) == own
    article = create_article(changes(), actor=author)
    with pytest.raises(NotAllowed):
        update_article(
            article,
            same_as(article, cover_id=theirs.id, cover_alt="Not mine"),
            actor=author,
            expected_version=1,
        )
    mine = same_as(article, cover_id=own.id, cover_alt="Mine")
    update_article(article, mine, actor=author, expected_version=1)
    # An editor keeps the author's cover on a page they edit, but cannot reuse it elsewhere.
    update_article(article, same_as(article, title="Edited"), actor=editor, expected_version=2)
    assert article.cover_id == own.id
    with pytest.raises(NotAllowed):
        create_article(changes(cover_id=own.id, cover_alt="Hers"), actor=editor)


def test_editable_article_is_missing_or_not_this_users(author, editor, make_article):
    from blog.domain import NotFound

    article = make_article(author=editor)
    assert editable_article(article.id, editor) == article
    with pytest.raises(NotAllowed):
        editable_article(article.id, author)
    with pytest.raises(NotFound):
        editable_article(article.id + 1000, editor)


def test_a_refused_image_names_its_field_and_leaves_the_session_usable(editor):
    with pytest.raises(uploads.UploadRejected) as rejected:
        uploads.keep_image(b"not an image", "x.png", uploaded_by_id=editor.id, field="cover")
    assert rejected.value.field == "cover"
    assert db.session.scalar(select(Upload.id)) is None


# --- Editor's comments ---


def test_editors_comments_keep_their_order_and_signature(editor, admin, make_article):
    article = make_article()
    first = notes.add_note(article, editor, "First *note*.")
    second = notes.add_note(article, admin, "Second.")
    notes.edit_note(first, "Edited.")
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    assert [n.body_html for n in article.editor_comments] == [
        "<p>Edited.</p>\n",
        "<p>Second.</p>\n",
    ]
    assert [n.editor.display_name for n in article.editor_comments] == [
        "Eddie Editor",
        "Alma Admin",
    ]
    notes.delete_note(db.session.get(type(second), second.id))
    assert len(db.session.get(Article, article.id).editor_comments) == 1


# --- Uploads ---


def png_bytes(size=(32, 24), fmt="PNG", mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 1).save(buffer, format=fmt, **options)
    return buffer.getvalue()


@cache
def long_animation() -> bytes:
    """Six frames of 9 megapixels: each one fine, together past the limit."""
    frames = [Image.new("L", (3000, 3000), value) for value in (0, 255)] * 3
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def stored(app, upload) -> Image.Image:
    return Image.open(Path(app.config["UPLOADS_DIR"]) / upload.path)


def test_metadata_is_stripped_from_stored_images(app):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    exif[0x0112] = 6  # orientation: rotated, applied to the pixels on the way in
    data = png_bytes((40, 20), "JPEG", exif=exif.tobytes(), comment=b"home address")
    upload = uploads.store_image(data, "photo.jpg")
    with stored(app, upload) as image:
        assert image.size == (20, 40)
        assert not image.getexif() and "comment" not in image.info


def test_gif_is_accepted_and_animation_kept(app):
    frames = [Image.new("RGB", (30, 20), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=[80, 120, 160]
    )
    upload = uploads.store_image(buffer.getvalue(), "spin.gif")
    assert upload.content_type == "image/gif" and upload.path.endswith(".gif")
    with stored(app, upload) as image:
        assert image.format == "GIF" and image.n_frames == 3


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\0" * (uploads.MAX_BYTES + 1), "at most 10 MB"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a JPEG, PNG, WebP or GIF"),
        (png_bytes((7000, 6000), mode="1"), "at most 40 megapixels"),
        (png_bytes((10_000, 10_000), mode="1"), "at most 40 megapixels"),  # past Pillow's alarm
    ],
    ids=["too-many-bytes", "svg", "too-many-pixels", "pixel-bomb"],
)
def test_unacceptable_files_are_rejected(app, data, message):
    with pytest.raises(uploads.UploadRejected, match=message):
        uploads.store_image(data)
    assert db.session.scalars(select(Upload)).all() == []


def test_an_animation_counts_every_frame_against_the_pixel_limit(app):
    with pytest.raises(uploads.UploadRejected, match="40 megapixels"):
        uploads.store_image(long_animation())


def test_a_note_rewritten_by_another_editor_carries_their_name(editor, admin, make_article):
    note = notes.add_note(make_article(), editor, "Original wording.")
    notes.edit_note(note, "Rewritten.", admin)
    db.session.expire_all()
    assert db.session.get(type(note), note.id).editor_id == admin.id
    notes.edit_note(note, "Again.", admin)
    assert note.editor_id == admin.id and note.body_md == "Again."
