"""`flask import-ghost` end to end: the hand-written Ghost 3, 5 and 6 exports imported into
a real site, then read back as a reader, an editor and the database see it.

The reader and the Markdown conversion have their own tests (test_import_ghost_reader.py,
test_import_markup.py); these check what the command promises in docs/migrating.md.
"""

import html
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    AuditEntry,
    ImportedItem,
    OldUrl,
    OutboxMessage,
    Page,
    PageStatus,
    Role,
    Section,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.services import invitations, old_urls, users
from tests.import_fixtures import (
    billion_laughs,
    check_article_page,
    check_old_addresses,
    check_refused,
    count_changes,
    files_under,
    ghost_2_export,
    report_counts,
    report_list,
    report_path,
    report_redirects,
    table_counts,
    truncated,
    with_text_inserted,
)
from tests.security_helpers import signed_in

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
EXPORT = FIXTURES / "ghost-5.json"
IMAGES = FIXTURES / "images"

# The export's public posts: slug -> (title, a phrase of its body).
PUBLIC = {
    "the-harbour-wakes": ("The harbour wakes", "By noon the quay is quiet again."),
    "plain-words": ("Plain words", "Two < three & four > one."),
    "cafe-society-zurichs-night-boats": (
        "Café society: Zürich’s night boats, 東京 style",
        "Über den Hafen, ça va.",
    ),
}
# Imported, but not public: scheduled, draft, newsletter only, members only, empty.
HELD_BACK = {
    "election-night-live": "Election night, live",
    "notes-for-later": "Notes for later",
    "weekly-letter-tides-and-trade": "Weekly letter: tides and trade",
    "inside-the-auction-house": "Inside the auction house",
    "an-empty-shell": "An empty shell",
}
AUTHORS = {  # e-mail -> the role the old one becomes
    "ada@example.com": Role.ADMIN,  # Owner
    "ben@example.com": Role.ADMIN,  # Administrator
    "chloe@example.com": Role.EDITOR,  # Editor
    "dan@example.com": Role.AUTHOR,  # Author
    "eve@example.com": Role.AUTHOR,  # Contributor
    "fay@example.com": Role.EDITOR,  # Super Editor
}
# Eve is suspended ("inactive") there: she comes across deactivated and is not invited.
INVITED = set(AUTHORS) - {"eve@example.com"}
# A post a newer export of the same site has, by Dan.
NEW_POST = """
          {"id": "66380f000000000000000599", "title": "The tide turns",
           "slug": "the-tide-turns", "html": "<p>Spring tides at last.</p>", "type": "post",
           "status": "published", "visibility": "public", "featured": false,
           "created_at": "2024-05-20T07:00:00.000Z", "updated_at": "2024-05-20T08:00:00.000Z",
           "published_at": "2024-05-20T08:00:00.000Z"},"""
NEW_POST_AUTHOR = """
          {"id": "66380f000000000000000899", "post_id": "66380f000000000000000599",
           "author_id": "66380f000000000000000104", "sort_order": 0},"""


def import_ghost(runner, *options: str, export: Path = EXPORT):
    return runner.invoke(args=["import-ghost", str(export), "--images", str(IMAGES), *options])


def imported_ok(runner, *options: str, export: Path = EXPORT):
    result = import_ghost(runner, *options, export=export)
    assert result.exit_code == 0 and result.exception is None, result.output
    return result


def article(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.slug == slug))


def site_imports() -> int:
    return db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "site.import")
    )


# ------------------------------------------------------------ the site afterwards


def test_the_imported_site_reads_like_the_old_one(app, client, admin, runner):
    assert client.get("/").status_code == 200  # the front page, cached before the import
    imported_ok(runner)

    public = db.session.scalars(
        select(Article).where(
            Article.status == ArticleStatus.PUBLISHED, Article.published_at <= utcnow()
        )
    )
    assert {a.slug for a in public} == set(PUBLIC)
    for slug, (title, phrase) in PUBLIC.items():
        check_article_page(client, slug, title, phrase)
    for slug in HELD_BACK:
        assert client.get(f"/articles/{slug}").status_code == 404, slug
    assert article("harbour-festival") is None  # a post type Byline does not know

    about = client.get("/about").get_data(as_text=True)
    assert "<h1>About the Gazette</h1>" in about and "Founded on the quay in 2024." in about

    assert "/articles/the-harbour-wakes" in client.get("/search?q=dawn").get_data(as_text=True)
    found = client.get("/search?q=Hafen").get_data(as_text=True)
    assert "/articles/cafe-society-zurichs-night-boats" in found
    assert "/articles/notes-for-later" not in client.get("/search?q=idea").get_data(as_text=True)

    feed = client.get("/feed.xml").get_data(as_text=True)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for slug in PUBLIC:
        assert f"http://byline.test/articles/{slug}<" in sitemap, slug
        assert f'href="http://byline.test/articles/{slug}"' in feed, slug
    for slug in HELD_BACK:
        assert f"/articles/{slug}<" not in sitemap and f'/articles/{slug}"' not in feed
    assert "http://byline.test/about<" in sitemap

    front = client.get("/")
    assert front.status_code == 200
    assert "/articles/cafe-society-zurichs-night-boats" in front.get_data(as_text=True)

    listing = html.unescape(signed_in(app, admin).get("/editor/articles/").get_data(as_text=True))
    for title in HELD_BACK.values():
        assert title in listing, title


def test_every_old_address_leads_to_what_it_became(client, admin, runner):
    result = imported_ok(runner)
    redirects = report_redirects(report_path(result.output).read_text(encoding="utf-8"))
    olds = {old for old, _ in redirects}
    assert {"/the-harbour-wakes/", "/tag/news/", "/plain-words/"} <= olds
    check_old_addresses(client, redirects, hidden={f"/articles/{slug}" for slug in HELD_BACK})
    # An author's old address is their address here: it answers by itself.
    assert client.get("/author/dan/").headers["Location"].endswith("/author/dan")
    assert client.get("/author/dan").status_code == 200


def test_the_ghost_3_and_ghost_6_exports_come_across_too(client, admin, runner):
    imported_ok(runner, export=FIXTURES / "ghost-3.json")
    check_article_page(client, "presses-roll-again", "Presses roll again", "The old press runs")
    press = article("presses-roll-again")
    assert press.cover is not None and press.is_featured
    assert [t.name for t in press.topics] == ["Print"]
    assert users.find_by_email("gil@example.com").role == Role.ADMIN  # Owner
    contact = db.session.scalar(select(Page).where(Page.slug == "contact"))  # "page": true
    assert contact.status == PageStatus.PUBLISHED
    assert "Write to the newsroom." in client.get("/contact").get_data(as_text=True)
    assert article("spring-issue").brief == "The spring issue is out."

    imported_ok(runner, export=FIXTURES / "ghost-6.json")
    check_article_page(client, "six-and-counting", "Six and counting", "Written in Ghost 6.")
    six = article("six-and-counting")
    assert (six.cover_alt, six.cover_caption) == ("A grey cover", "Cover by the desk")


def test_a_second_ghost_site_gets_a_section_named_after_it(admin, runner):
    imported_ok(runner, export=FIXTURES / "ghost-3.json")
    imported_ok(runner, export=FIXTURES / "ghost-6.json")
    assert article("presses-roll-again").section.name == "The Press Room"
    assert article("six-and-counting").section.name == "Six Weekly"


# ------------------------------------------------------------ what each field became


def test_each_post_keeps_its_status_date_author_tags_and_cover(admin, runner):
    result = imported_ok(runner)

    statuses = {slug: article(slug).status for slug in [*PUBLIC, *HELD_BACK]}
    assert statuses == {
        **dict.fromkeys(PUBLIC, ArticleStatus.PUBLISHED),
        "election-night-live": ArticleStatus.PUBLISHED,  # scheduled: a future date
        "notes-for-later": ArticleStatus.DRAFT,
        "weekly-letter-tides-and-trade": ArticleStatus.DRAFT,  # sent as a newsletter only
        "inside-the-auction-house": ArticleStatus.DRAFT,  # paid members only
        "an-empty-shell": ArticleStatus.DRAFT,
    }
    assert article("election-night-live").published_at == datetime(2030, 11, 5, 20, tzinfo=UTC)
    wakes = article("the-harbour-wakes")
    assert wakes.published_at == datetime(2024, 5, 6, 10, tzinfo=UTC)
    assert wakes.updated_at == datetime(2024, 5, 6, 11, 15, tzinfo=UTC)
    to_check = report_list(result.output, "To check")
    assert "article: Inside the auction house: members-only (paid): kept as a draft" in to_check
    assert (
        "article: Weekly letter: tides and trade: sent as a newsletter only: kept as a draft"
    ) in to_check

    for email, role in AUTHORS.items():
        user = users.find_by_email(email)
        assert user.role == role and invitations.is_invitation_pending(user), email
    assert users.find_by_email("chloe@example.com").display_name == "Chloé Pêcheur"
    # Both of its authors, in the export's order: the first leads the byline.
    assert [person.email for person in wakes.authors] == ["dan@example.com", "chloe@example.com"]
    assert not [line for line in to_check if "The harbour wakes: 2 authors" in line]

    assert {t.name for t in wakes.topics} == {"News", "Politics"}  # "#hero" is internal
    assert not db.session.scalar(select(Topic).where(Topic.name.startswith("#")))
    assert "tag: #hero: internal tag" in report_list(result.output, "Skipped")
    sections = {a.section.name for a in db.session.scalars(select(Article))}
    assert sections == {"The Harbour Gazette"}  # Ghost has no categories
    featured = db.session.scalars(select(Article.slug).where(Article.is_featured)).all()
    assert featured == ["the-harbour-wakes"]

    assert wakes.cover is not None
    assert (wakes.cover_alt, wakes.cover_caption) == (
        "Boats at first light",
        "Photo: Harbour desk",  # its link dropped: plain text
    )
    assert wakes.brief == "Before dawn, the boats leave; by noon, the quay is still."
    assert article("plain-words").brief == "First line of the first paragraph. Its second line."
    assert db.session.scalar(select(Page.summary).where(Page.slug == "about")) == (
        "Founded on the quay in 2024."
    )


# ------------------------------------------------------------ running it again


def test_a_second_run_changes_nothing_and_a_newer_export_adds_only_its_post(
    app, admin, runner, tmp_path
):
    imported_ok(runner)
    before = table_counts()
    files = files_under(app.config["UPLOADS_DIR"])
    assert site_imports() == 1

    again = imported_ok(runner)
    assert "Nothing new to import" in again.output
    assert table_counts() == before
    assert files_under(app.config["UPLOADS_DIR"]) == files
    assert site_imports() == 1

    newer = with_text_inserted(EXPORT, tmp_path / "newer.json", '"posts": [', NEW_POST)
    with_text_inserted(newer, newer, '"posts_authors": [', NEW_POST_AUTHOR)
    added = imported_ok(runner, export=newer)
    assert report_counts(added.output)["articles"] == "1 imported, 8 unchanged"
    assert count_changes(before, table_counts()) == {
        "articles": 1,
        "imported_items": 1,
        "old_urls": 1,
        "audit_entries": 1,
    }
    assert article("the-tide-turns").author.email == "dan@example.com"
    assert site_imports() == 2


def test_a_dry_run_reports_the_same_and_writes_nothing(app, admin, runner):
    before = table_counts()
    dry = imported_ok(runner, "--dry-run")
    assert table_counts() == before
    assert files_under(app.config["UPLOADS_DIR"]) == set()

    real = imported_ok(runner)
    assert table_counts() != before

    def report(output: str, wording: dict[str, str]) -> list[str]:
        """The printed report, each invitation link (or its promise) left out."""
        text = output[output.index("Import from") : output.index("Full report:")]
        for old, new in wording.items():
            text = text.replace(old, new)
        return re.sub(r"^(  .+ <\S+@\S+>, \w+): .*$", r"\1", text, flags=re.M).splitlines()

    dry_lines = report(dry.output, {})
    assert dry_lines[0] == "Import from ghost (dry run: nothing was written)"
    assert "Authors who would be created and invited (6):" in dry_lines
    assert report(
        dry.output,
        {
            " (dry run: nothing was written)": "",
            "who would be created": "who were created",
            "that would redirect": "that now redirect",
        },
    ) == report(real.output, {})


def test_existing_content_keeps_its_address_and_accounts_are_reused(
    client, admin, runner, make_user, make_article
):
    ours = make_article(title="Our harbour", slug="the-harbour-wakes", body="Our own quay.")
    ada = make_user(Role.AUTHOR, name="Ada Q.", email="ada@example.com")

    result = imported_ok(runner)

    check_article_page(client, "the-harbour-wakes", "Our harbour", "Our own quay.")
    db.session.refresh(ours)
    assert (ours.title, ours.body_md) == ("Our harbour", "Our own quay.")
    assert article("the-harbour-wakes-2").title == "The harbour wakes"
    assert (
        "article: The harbour wakes: address 'the-harbour-wakes' taken: now 'the-harbour-wakes-2'"
    ) in report_list(result.output, "To check")
    assert (
        client.get("/the-harbour-wakes/")
        .headers["Location"]
        .endswith("/articles/the-harbour-wakes-2")
    )

    db.session.refresh(ada)
    assert (ada.role, ada.display_name) == (Role.AUTHOR, "Ada Q.")  # not made an admin
    assert article("weekly-letter-tides-and-trade").author == ada
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == INVITED - {"ada@example.com"}


# ------------------------------------------------------------ options


def test_an_unknown_default_section_is_refused_before_anything_is_written(app, admin, runner):
    before = table_counts()
    result = import_ghost(runner, "--default-section", "nope")
    line = check_refused(result, "ghost-5.json")
    assert "No section has the address 'nope'" in line
    assert result.output.strip() == line
    assert table_counts() == before
    assert files_under(app.config["IMPORT_REPORTS_DIR"]) == set()


def test_a_default_section_receives_every_post(admin, runner, make_section):
    briefs = make_section(name="Briefs", slug="briefs")
    imported_ok(runner, "--default-section", "briefs")
    assert {a.section_id for a in db.session.scalars(select(Article))} == {briefs.id}
    assert db.session.scalar(select(Section).where(Section.name == "The Harbour Gazette")) is None


def test_each_created_author_is_invited_once(admin, runner):
    imported_ok(runner, "--dry-run")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0

    result = imported_ok(runner)
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert sorted((m.kind, m.recipient) for m in messages) == [
        ("invitation", email) for email in sorted(INVITED)
    ]
    eve = db.session.scalar(select(User).where(User.email == "eve@example.com"))
    assert not eve.active and invitations.is_invitation_pending(eve)
    assert "/editor/invite/" not in result.output  # a live link never on the screen
    saved = report_path(result.output).read_text(encoding="utf-8")
    for line in report_list(saved, "Authors who were created and invited"):
        if "not invited" in line:
            continue
        link = line.split(": ", 1)[1].split()[0]
        assert any(link in m.body_text for m in messages), line

    imported_ok(runner)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == len(INVITED)


# ------------------------------------------------------------ bad files and failures

BAD_FILES = {
    "truncated.json": lambda path: truncated(EXPORT, path),
    "wordpress.xml": None,  # a WordPress export given to the Ghost importer
    "bomb.json": billion_laughs,  # XML, whatever its name says
    "empty.json": lambda path: path.write_bytes(b""),
    "ghost-2.json": ghost_2_export,
    "other.json": lambda path: path.write_text('{"posts": [{"title": "Not from Ghost"}]}'),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_in_one_line_and_nothing_is_written(
    app, admin, runner, tmp_path, name
):
    make = BAD_FILES[name]
    path = FIXTURES / name if make is None else tmp_path / name
    if make is not None:
        make(path)
    before = table_counts()
    line = check_refused(import_ghost(runner, export=path), name)
    if name == "ghost-2.json":
        assert "Ghost 3 to 6" in line
    assert table_counts() == before
    assert files_under(app.config["UPLOADS_DIR"]) == set()


def test_a_failing_post_is_left_out_whole_and_imported_by_the_next_run(
    client, admin, runner, monkeypatch
):
    add = old_urls.add

    def failing(address, target):  # after the article and its ImportedItem are written
        if isinstance(target, Article) and target.slug == "plain-words":
            raise OSError("the disk is full")
        return add(address, target)

    monkeypatch.setattr(old_urls, "add", failing)
    result = import_ghost(runner)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert report_list(result.output, "Failed (run again to retry)") == [
        "article 66380f000000000000000507 'Plain words': OSError: the disk is full"
    ]
    assert report_counts(result.output)["articles"] == "7 imported"
    assert article("plain-words") is None
    assert db.session.scalar(select(OldUrl).where(OldUrl.path == "/plain-words")) is None
    kept = set(db.session.scalars(select(ImportedItem.source_id)))
    assert "66380f000000000000000507" not in kept
    assert article("the-harbour-wakes") is not None and article("notes-for-later") is not None

    monkeypatch.setattr(old_urls, "add", add)
    again = imported_ok(runner)
    assert report_counts(again.output)["articles"] == "1 imported, 7 unchanged"
    check_article_page(client, "plain-words", "Plain words", "Two < three & four > one.")
    assert client.get("/plain-words/").headers["Location"].endswith("/articles/plain-words")


def test_the_report_file_is_private_and_whole(app, admin, runner):
    result = imported_ok(runner)
    path = report_path(result.output)
    assert path.parent == Path(app.config["IMPORT_REPORTS_DIR"])
    assert path.name.startswith("ghost-") and path.suffix == ".txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("Import from ghost\n")
    whole = report_list(saved, "Old addresses that now redirect")
    assert len(whole) == db.session.scalar(select(func.count(OldUrl.id))) == 11
    invitations = report_list(saved, "Authors who were created and invited")
    assert len(invitations) == len(AUTHORS)
    linked = [line for line in invitations if "/editor/invite/" in line]
    assert len(linked) == len(INVITED)
    assert [line for line in invitations if line not in linked] == [
        "Eve Buoy <eve@example.com>, author: suspended on the old site: deactivated here, "
        "not invited"
    ]
