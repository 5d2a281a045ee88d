"""Helpers for the export and backup tests: sites on their own databases, a site with
every kind of row, and whole-site snapshots to compare."""

import io
import json
import os
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import select

from blog import create_app
from blog.extensions import db
from blog.models import (
    Article,
    Comment,
    CommentReport,
    CommentStatus,
    Correction,
    CorrectionKind,
    ImportedItem,
    Mailing,
    MenuLink,
    MenuLinkKind,
    MenuName,
    OldSlug,
    OldUrl,
    Page,
    PageStatus,
    Passkey,
    RecoveryCode,
    Revision,
    Role,
    Section,
    SlugKind,
    Subscriber,
    Subscription,
    ThreadFollow,
    Topic,
)
from blog.models.base import utcnow
from blog.services import audit, breaking, counters, curation, notes, settings, shares, uploads
from blog.sitedata import schema
from blog.sitedata.files import sha256_file
from tests.conftest import TemporaryPostgres
from tests.harness import new_user, published_article

# Left out (deselected) when BYLINE_TEST_DATABASES names SQLite alone (tests/markers.py).
needs_postgresql = pytest.mark.postgresql
SEARCH_WORD = "zeppelin"  # a word only the published cover story carries


def site_config(url: str, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "TESTING": True,
        "SECRET_KEY": "sitedata-secret-key-7f3a9c",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOADS_DIR": str(folder / "uploads"),
        "SERVER_NAME": "byline.test",
        "RATELIMIT_STORAGE_URI": f"byline-sqlite://{folder / 'ratelimits.db'}",
        "PAGE_CACHE_GENERATION_FILE": str(folder / "page_cache_generation"),
    }


@contextmanager
def site(url: str, folder: Path, *, migrate: bool = False) -> Iterator[Flask]:
    """An app on its own database; no app context is left pushed."""
    app = create_app(site_config(url, folder))
    if migrate:
        with app.app_context():
            upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def postgres_site(name: str, folder: Path, *, migrate: bool = False) -> Iterator[Flask]:
    with (
        TemporaryPostgres(f"byline_{name}_{os.getpid()}") as database,
        site(database.url, folder, migrate=migrate) as app,
    ):
        yield app


def run(app: Flask, *args: str, input: str | None = None):
    """Invoke a flask command of `app` inside its own app context (with_appcontext would
    otherwise reuse whichever app's context is current)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), input=input)
        db.session.remove()
    return result


def image_bytes(size: tuple[int, int], color: tuple[int, int, int], kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=kind)
    return buffer.getvalue()


def fill_site(app: Flask) -> None:
    """Every kind of row Byline keeps, with the awkward cases: cycles between users and
    uploads, a three-level thread, every status, time zones, JSON and non-ASCII text."""
    with app.app_context():
        now = utcnow()
        avatar = uploads.store_image(image_bytes((64, 64), (200, 40, 40)), "avatar.png")
        admin = new_user(
            "alma@byline.test",
            "Alma Ädmin",
            Role.ADMIN,
            session_version=3,
            last_login_at=now - timedelta(hours=2),
            avatar=avatar,
        )
        gone = new_user("gone@byline.test", "Gone Writer", Role.AUTHOR, active=False)
        db.session.add_all([admin, gone])
        db.session.flush()
        avatar.uploaded_by_id = admin.id
        cover = uploads.store_image(
            image_bytes((1200, 600), (20, 90, 160), "JPEG"), "cover.jpg", uploaded_by_id=admin.id
        )
        news = Section(name="Nouvelles", slug="nouvelles", position=2, description="Le monde")
        arts = Section(name="Arts", slug="arts", position=1)
        topics = [Topic(name=name, slug=name.lower()) for name in ("Airships", "Rivers", "Idle")]
        db.session.add_all([news, arts, *topics])
        db.session.flush()
        story = published_article(
            "The “Zeppelin” returns — café talk",
            "zeppelin-returns",
            f"The {SEARCH_WORD} flew low over the *river* at dawn.\n\nÜber alles.",
            brief="An airship over the river.",
            author=admin,
            section=news,
            topics=topics[:2],
            is_featured=True,
            published_at=now - timedelta(days=1),
            created_at=now - timedelta(days=2),
            updated_at=now - timedelta(hours=5),
            cover=cover,
            cover_alt="A blue sky",
            cover_caption="Photo: the newsroom",
            version=4,
        )
        draft = Article(title="Draft piece", slug="draft-piece", author=gone, section=arts)
        draft.set_body("Not yet.")
        scheduled = published_article(
            "Tomorrow's story",
            "tomorrow",
            "Later.",
            author=admin,
            section=None,
            published_at=now + timedelta(days=1),
            comments_open=False,
        )
        db.session.add_all([story, draft, scheduled])
        db.session.flush()
        db.session.add_all(
            [
                OldSlug(kind=SlugKind.ARTICLE, slug="zeppelin-old", target_id=story.id),
                OldSlug(kind=SlugKind.SECTION, slug="news", target_id=news.id),
                OldSlug(kind=SlugKind.AUTHOR, slug="alma", target_id=admin.id),
            ]
        )
        # A published page with a cover and an old address, and a draft.
        about = Page(
            title="À propos",
            slug="a-propos",
            summary="Qui nous sommes.",
            author=admin,
            status=PageStatus.PUBLISHED,
            published_at=now - timedelta(days=3),
            cover=cover,
            cover_alt="The newsroom",
            show_updated=True,
            version=2,
        )
        about.set_body("We *correct* our mistakes.")
        # Slugs the demo's pages do not use: a round trip fills the demo site too.
        terms = Page(title="Conditions", slug="conditions-d-utilisation", author=gone)
        terms.set_body("Draft.")
        db.session.add_all([about, terms])
        db.session.flush()
        db.session.add(OldSlug(kind=SlugKind.PAGE, slug="qui-sommes-nous", target_id=about.id))
        # Editorial trust: a co-author, revisions of the story and the page, a correction
        # (one retracted), and an account with two-factor sign-in and its recovery codes.
        story.coauthors = [gone]
        admin.totp_secret = "JBSWY3DPEHPK3PXP"
        admin.totp_enabled_at = now - timedelta(days=9)
        admin.totp_last_step = 59_000_000
        gone.must_change_password = True
        db.session.add_all(
            [
                Revision(
                    article_id=story.id,
                    title="The Zeppelin returns",
                    brief="An airship.",
                    body_md="The airship flew low.",
                    section_id=news.id,
                    topic_ids=[topics[0].id],
                    editor=admin,
                    kind="publish",
                    is_published=True,
                    created_at=now - timedelta(days=1),
                ),
                Revision(page_id=about.id, title="À propos", body_md="Nous.", editor=admin),
                Correction(
                    article=story,
                    kind=CorrectionKind.CORRECTION,
                    body_md="An earlier version gave the wrong *date*.",
                    body_html="",
                    editor=admin,
                ),
                Correction(
                    article=story,
                    kind=CorrectionKind.UPDATE,
                    body_md="Withdrawn.",
                    body_html="",
                    editor=admin,
                    retracted_at=now,
                    retracted_by=admin,
                    retraction_reason="Posted on the wrong story.",
                ),
                RecoveryCode(user_id=admin.id, code_hash="e" * 64),
                RecoveryCode(user_id=admin.id, code_hash="f" * 64, used_at=now),
                Passkey(
                    user_id=admin.id,
                    credential_id="q2VyZGVudGlhbA",
                    public_key=bytes(range(77)),
                    sign_count=3,
                    transports=["internal", "hybrid"],
                    name="Téléphone",
                    last_used_at=now,
                ),
            ]
        )
        for correction in db.session.new:
            if isinstance(correction, Correction):
                correction.set_body(correction.body_md)
        # What an import from WordPress brought, and the old addresses of each kind.
        db.session.add_all(
            [
                ImportedItem(
                    source="wordpress https://old.example.org",
                    kind="article",
                    source_id="12",
                    target_id=story.id,
                ),
                OldUrl(path="/?p=12", article_id=story.id),
                OldUrl(path="/2024/05/06/le-zeppelin", article_id=story.id),
                OldUrl(path="/à-propos-de-nous", page_id=about.id),
                OldUrl(path="/category/monde/nouvelles", section_id=news.id),
                OldUrl(path="/tag/dirigeables", topic_id=topics[0].id),
                OldUrl(path="/author/alma-wp", user_id=admin.id),
            ]
        )
        # Both menus: a section and a web address in the header, a page and a topic below.
        header, footer = MenuName.HEADER, MenuName.FOOTER
        db.session.add_all(
            [
                MenuLink(menu=header, position=0, kind=MenuLinkKind.SECTION, section=news),
                MenuLink(
                    menu=header,
                    position=1,
                    kind=MenuLinkKind.URL,
                    label="Météo",
                    url="https://meteo.example/?ville=N%C3%AEmes",
                ),
                MenuLink(menu=footer, position=0, kind=MenuLinkKind.PAGE, page=about),
                MenuLink(
                    menu=footer,
                    position=1,
                    kind=MenuLinkKind.TOPIC,
                    topic=topics[0],
                    label="Dirigeables",
                ),
            ]
        )
        top = _comment(
            story,
            "First!",
            CommentStatus.APPROVED,
            client_key="a" * 64,
            wants_replies=True,
            confirm_sent_at=now - timedelta(hours=3),
            confirmed_at=now - timedelta(hours=2),
            notified_at=now - timedelta(hours=1),
        )
        reply = _comment(story, "A reply", CommentStatus.APPROVED, parent=top)
        _comment(story, "Deepest", CommentStatus.PENDING, parent=reply, held_reason="quick")
        spam = _comment(story, "Buy pills", CommentStatus.SPAM, report_count=1, edited_at=now)
        db.session.add_all(
            [
                CommentReport(comment=spam, reporter_key="r" * 64, reason="spam", detail="Ads ❗"),
                # One a moderator dismissed: kept, with the time.
                CommentReport(
                    comment=spam, reporter_key="d" * 64, reason="other", dismissed_at=now
                ),
            ]
        )
        _comment(story, "Removed", CommentStatus.DELETED, parent=top)
        _comment(story, "From the desk", CommentStatus.APPROVED, is_staff=True, user=admin)
        _followers(story, top, news, topics[0], now)
        db.session.commit()
        notes.add_note(story, admin, "Corrected the **date**.")
        # The front page: the story leads until the day after tomorrow; a breaking banner.
        curation.set_lead(admin, story, until=now + timedelta(days=2))
        breaking.set_breaking(admin, "Grève des trams", "/articles/zeppelin-returns")
        settings.save(site_title="Le Byline", comments_close_after_days=30, tagline="Ça va")
        today = now.date()
        shares.record_share(story, "x", client_key="b" * 64, day=today)
        shares.record_share(story, "x", client_key="c" * 64, day=today)
        shares.record_share(story, "email", client_key="b" * 64, day=today - timedelta(days=1))
        counters.refresh_article_counters()
        # The audit log: a person's entry with JSON details, and one of the system's.
        audit.record(
            admin, "user.role", audit.describe("user", gone), role=audit.change("editor", "author")
        ).source = "d" * 32
        audit.record(None, "user.password_set", audit.describe("user", admin))
        db.session.commit()
        db.session.remove()


def _followers(story, thread, section, topic, now) -> None:
    """Readers who follow by e-mail: every kind of list and cadence, one still unconfirmed,
    a followed thread, and a mailing half sent."""
    reader = Subscriber(email="Lecteur@Example.org", email_key="lecteur@example.org")
    waiting = Subscriber(email="waiting@example.org", email_key="waiting@example.org")
    site_list = Subscription.key_of("site")
    db.session.add_all(
        [
            Subscription(subscriber=reader, scope="site", list_key=site_list, confirmed_at=now),
            Subscription(
                subscriber=reader,
                scope="section",
                list_key=Subscription.key_of("section", section.id),
                section_id=section.id,
                cadence="daily",
                confirmed_at=now,
            ),
            Subscription(
                subscriber=waiting,
                scope="topic",
                list_key=Subscription.key_of("topic", topic.id),
                topic_id=topic.id,
            ),
            ThreadFollow(subscriber=reader, root_comment_id=thread.id, article_id=story.id),
            Mailing(
                kind="article",
                key=f"article:{story.id}",
                article_id=story.id,
                started_at=now,
                last_subscriber_id=1,
                sent_count=1,
            ),
        ]
    )


def _comment(article, body, status, *, parent=None, user=None, **fields) -> Comment:
    comment = Comment(
        article=article,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        status=status,
        author_name=user.display_name if user else "Reader Ré",
        author_email="reader@example.org",
        user=user,
        **fields,
    )
    comment.set_body(body)
    db.session.add(comment)
    db.session.flush()
    return comment


def site_rows(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table a site export moves, in primary-key order."""
    with app.app_context():
        rows = {
            t.name: [tuple(r) for r in db.session.execute(select(t).order_by(*t.primary_key))]
            for t in schema.exported_tables()
        }
        db.session.remove()
    return rows


def upload_files(app: Flask) -> dict[str, bytes]:
    root = Path(app.config["UPLOADS_DIR"])
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def snapshot(app: Flask) -> tuple[dict, dict]:
    return site_rows(app), upload_files(app)


def searches(app: Flask, words: str) -> list[str]:
    """Slugs the search service finds for `words`."""
    from blog.services import search

    with app.app_context():
        found = [hit.article.slug for hit in search.search(search.parse(words)).items]
        db.session.remove()
    return found


def rewrite_archive(
    source: Path, target: Path, change: Callable[[Path], None], *, fix_checksums: bool
) -> None:
    """Unpack an export, let `change` edit the files, and pack it again (optionally with
    checksums that match the edited files)."""
    folder = target.parent / f"{target.name}.d"
    with tarfile.open(source, "r:gz") as tar:
        tar.extractall(folder, filter="data")
    change(folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    if fix_checksums:
        for name in manifest["files"]:
            path = folder / name
            manifest["files"][name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
        manifest_path.write_text(json.dumps(manifest))
    with tarfile.open(target, "w:gz") as tar:
        tar.add(manifest_path, arcname="manifest.json")
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path != manifest_path:
                tar.add(path, arcname=path.relative_to(folder).as_posix())
