"""`flask import-wordpress` end to end: the hand-written export imported into a real site,
then read back as a reader, an editor and the database see it.

The reader and the Markdown conversion have their own tests (test_import_wordpress_reader.py,
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
    Comment,
    CommentStatus,
    ImportedItem,
    OldUrl,
    OutboxMessage,
    Role,
    Section,
    User,
)
from blog.models.base import utcnow
from blog.services import invitations, users
from tests.import_fixtures import (
    billion_laughs,
    check_article_page,
    check_old_addresses,
    check_refused,
    count_changes,
    database_text,
    files_under,
    report_counts,
    report_list,
    report_path,
    report_redirects,
    table_counts,
    truncated,
    with_text_inserted,
    xxe,
)
from tests.security_helpers import signed_in

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
WXR = FIXTURES / "wordpress.xml"
UPLOADS = FIXTURES / "uploads"
SOURCE = "wordpress old.example.com"

# The fixture's public articles: slug -> (title, a phrase of its body).
PUBLIC = {
    "election-night": ("Election night: Tom & Jerry win", "The count went on past midnight."),
    "block-post": ("A block editor post", "Made with the block editor."),
    "classic-post": ("A classic editor post", "A second paragraph, with"),
    "cafe-culture": ("Café culture returns", "Espresso."),
    "election-night-2": ("Election night, the morning after", "Same slug, another day."),
}
# Imported, but not public: scheduled, drafts, in review (slug -> title).
HELD_BACK = {
    "polls-close": "Polls close at ten",
    "untitled": "(untitled)",
    "council-budget": "Council budget",
    "staff-notes": "Staff notes",
    "members-briefing": "Members' briefing",
}
# A reply to Ann's comment on post 100, as a newer export of the same site has it.
NEW_COMMENT = """
		<wp:comment>
			<wp:comment_id>10</wp:comment_id>
			<wp:comment_author><![CDATA[Gus]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[gus@example.org]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2024-05-08 07:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[A late thought.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>1</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""


def import_wordpress(runner, *options: str, export: Path = WXR):
    return runner.invoke(
        args=["import-wordpress", str(export), "--uploads", str(UPLOADS), *options]
    )


def imported_ok(runner, *options: str, export: Path = WXR):
    result = import_wordpress(runner, *options, export=export)
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

    for page, (title, text) in {
        "about": ("About us", "Since 1921."),
        "team": ("The team", "Who we are."),
    }.items():
        body = client.get(f"/{page}").get_data(as_text=True)
        assert f"<h1>{title}</h1>" in body and text in body

    found = client.get("/search?q=Espresso").get_data(as_text=True)
    assert "/articles/cafe-culture" in found
    assert "/articles/election-night" in client.get("/search?q=midnight").get_data(as_text=True)
    assert "/articles/council-budget" not in client.get("/search?q=awaiting").get_data(as_text=True)

    feed = client.get("/feed.xml").get_data(as_text=True)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for slug in PUBLIC:
        assert f"http://byline.test/articles/{slug}<" in sitemap, slug
        assert f'href="http://byline.test/articles/{slug}"' in feed, slug
    for slug in HELD_BACK:
        assert f"/articles/{slug}<" not in sitemap and f'/articles/{slug}"' not in feed
    assert "http://byline.test/about<" in sitemap and "http://byline.test/team<" in sitemap

    front = client.get("/")
    assert front.status_code == 200
    assert "/articles/election-night-2" in front.get_data(as_text=True)  # not the cached page

    listing = html.unescape(signed_in(app, admin).get("/editor/articles/").get_data(as_text=True))
    for title in HELD_BACK.values():
        assert title in listing, title


def test_every_old_address_leads_to_what_it_became(client, admin, runner):
    result = imported_ok(runner)
    redirects = report_redirects(report_path(result.output).read_text(encoding="utf-8"))
    olds = {old for old, _ in redirects}
    # Each documented form: by id, the permalink, a child page, a category, a tag, an author.
    assert {
        "/?p=100", "/2024/05/06/election-night/", "/?page_id=201", "/about/team/",
        "/category/news/", "/?cat=4", "/tag/turnout/", "/?tag=election", "/?author=1",
    } <= olds  # fmt: skip
    assert ("/2024/05/10/election-night/", "/articles/election-night-2") in redirects
    check_old_addresses(client, redirects, hidden={f"/articles/{slug}" for slug in HELD_BACK})
    assert (
        client.get("/2024/05/09/caf%C3%A9-culture/")
        .headers["Location"]
        .endswith("/articles/cafe-culture")
    )
    assert client.get("/index.php?p=100").headers["Location"].endswith("/articles/election-night")
    assert client.get("/?p=999").status_code == 200  # an unknown id: the front page


# ------------------------------------------------------------ what each field became


def test_each_post_keeps_its_status_date_author_section_and_cover(admin, runner):
    result = imported_ok(runner)

    statuses = {slug: article(slug).status for slug in [*PUBLIC, *HELD_BACK]}
    assert statuses == {
        **dict.fromkeys(PUBLIC, ArticleStatus.PUBLISHED),
        "polls-close": ArticleStatus.PUBLISHED,  # scheduled: published at a future date
        "untitled": ArticleStatus.DRAFT,
        "council-budget": ArticleStatus.REVIEW,  # pending
        "staff-notes": ArticleStatus.DRAFT,  # private
        "members-briefing": ArticleStatus.DRAFT,  # password-protected
    }
    assert article("polls-close").published_at == datetime(2030, 1, 1, 9, tzinfo=UTC)
    night = article("election-night")
    assert night.published_at == datetime(2024, 5, 6, 21, 30, tzinfo=UTC)  # the GMT date
    assert night.updated_at == datetime(2024, 5, 7, 9, 15, tzinfo=UTC)
    to_check = report_list(result.output, "To check")
    assert "article: Staff notes: private: kept as a draft" in to_check
    assert "article: Members' briefing: password-protected: kept as a draft" in to_check

    jane = users.find_by_email("jane@old.example.com")
    max_field = users.find_by_email("max@old.example.com")
    assert (jane.display_name, jane.role, max_field.display_name) == (
        "Jane Doe",
        Role.AUTHOR,
        "Max Field",
    )
    assert invitations.is_invitation_pending(jane) and invitations.is_invitation_pending(max_field)
    assert night.author == jane and article("cafe-culture").author == max_field

    assert night.section.slug == "local"  # the first category
    assert {t.name for t in night.topics} == {"News", "Election", "Turnout"}
    assert (
        article("cafe-culture").section.name,
        [t.name for t in article("cafe-culture").topics],
    ) == (
        "Arts & Culture",
        ["Café"],
    )
    site_section = article("classic-post").section  # no category: named after the old site
    assert (site_section.name, site_section.slug) == (
        "The Old Gazette & Courier",
        "the-old-gazette-courier",
    )
    assert [a.slug for a in db.session.scalars(select(Article).where(Article.is_featured))] == [
        "election-night"
    ]

    assert night.cover is not None and night.cover.path in night.body_md  # stored once
    assert (night.cover_alt, night.cover_caption) == (
        "Volunteers counting paper ballots",
        "Counting at the town hall",  # the attachment's caption, as plain text
    )
    assert article("block-post").cover is None
    assert "article: A block editor post: featured image 999 is not in the export" in to_check

    assert night.brief == "A long night, a close result & a recount."  # the excerpt
    assert article("block-post").brief == "Made with the block editor."  # the first paragraph


def test_comments_keep_their_threads_and_exact_counts(client, admin, runner):
    imported_ok(runner)
    night = article("election-night")
    comments = db.session.scalars(select(Comment).where(Comment.article_id == night.id)).all()
    shape = {
        (c.author_name, c.status, c.depth, c.parent.author_name if c.parent else None)
        for c in comments
    }
    assert shape == {
        ("Ann & Bob", CommentStatus.APPROVED, 1, None),
        ("Carl", CommentStatus.APPROVED, 2, "Ann & Bob"),
        ("Jane Doe", CommentStatus.APPROVED, 3, "Carl"),
        ("Dora", CommentStatus.PENDING, 3, "Carl"),  # a fourth level hangs from the third
        ("Cheap Pills", CommentStatus.SPAM, 1, None),
        ("Eve", CommentStatus.DELETED, 1, None),
    }
    ann = next(c for c in comments if c.author_name == "Ann & Bob")
    assert (ann.author_email, ann.created_at) == (
        "ann@example.org",
        datetime(2024, 5, 6, 22, tzinfo=UTC),
    )
    staff = next(c for c in comments if c.author_name == "Jane Doe")
    assert staff.is_staff and staff.user == night.author
    approved = sum(c.status is CommentStatus.APPROVED for c in comments)
    assert night.comment_count == approved == 3
    for other in db.session.scalars(select(Article).where(Article.id != night.id)):
        assert other.comment_count == 0

    # Pingbacks, trackbacks and unknown kinds are left out; commenters' sites and
    # addresses are kept nowhere.
    names = set(db.session.scalars(select(Comment.author_name)))
    assert not names & {"Valley Blog", "Hill News", "Fay"}
    everything = database_text()
    for absent in ("ann.example.org", "valley.example.net", "192.0.2.1"):
        assert absent not in everything, absent

    page = client.get("/articles/election-night").get_data(as_text=True)
    assert "Great <strong>coverage</strong>." in page and "Thanks, both." in page
    assert "Buy now" not in page and "Waiting for moderation" not in page


# ------------------------------------------------------------ running it again


def test_a_second_run_changes_nothing_and_a_newer_export_adds_only_its_comment(
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

    newer = with_text_inserted(
        WXR, tmp_path / "newer.xml", "<wp:post_id>100</wp:post_id>", NEW_COMMENT
    )
    added = imported_ok(runner, export=newer)
    assert "Nothing new to import" not in added.output
    assert report_counts(added.output)["comments"] == "1 imported, 6 unchanged, 1 skipped"
    assert count_changes(before, table_counts()) == {
        "comments": 1,
        "imported_items": 1,
        "audit_entries": 1,  # the run's own site.import entry
    }
    gus = db.session.scalar(select(Comment).where(Comment.author_name == "Gus"))
    assert (gus.parent.author_name, gus.depth) == ("Ann & Bob", 2)
    assert gus.article.comment_count == 4
    assert site_imports() == 2


def test_a_dry_run_reports_the_same_and_writes_nothing(app, admin, runner):
    before = table_counts()
    dry = imported_ok(runner, "--dry-run")
    assert table_counts() == before
    assert files_under(app.config["UPLOADS_DIR"]) == set()
    assert "(dry run: nothing was written)" in dry.output

    real = imported_ok(runner)
    assert table_counts() != before

    def report(output: str) -> list[str]:
        """The printed report, each invitation link (or its promise) left out."""
        text = output[output.index("Import from") : output.index("Full report:")]
        return re.sub(r"^(  .+ <\S+@\S+>, \w+): .*$", r"\1", text, flags=re.M).splitlines()

    dry_lines = report(dry.output)
    real_lines = report(real.output)
    assert (
        dry_lines[0]
        == "Import from wordpress https://old.example.com (dry run: nothing was written)"
    )
    assert "Authors who would be created and invited (2):" in dry_lines
    assert "Old addresses that would redirect (35):" in dry_lines
    wording = {
        " (dry run: nothing was written)": "",
        "who would be created": "who were created",
        "that would redirect": "that now redirect",
    }
    normalised = []
    for line in dry_lines:
        for dry_words, real_words in wording.items():
            line = line.replace(dry_words, real_words)
        normalised.append(line)
    assert normalised == real_lines


def test_existing_content_keeps_its_address_and_accounts_are_reused(
    client, admin, runner, make_user, make_article
):
    ours = make_article(
        title="Our election night", slug="election-night", body="Our own report of the night."
    )
    jane = make_user(Role.EDITOR, name="Jane D.", email="jane@old.example.com")
    password_hash = jane.password_hash

    result = imported_ok(runner)

    check_article_page(client, "election-night", "Our election night", "Our own report")
    db.session.refresh(ours)
    assert (ours.title, ours.body_md, ours.comment_count) == (
        "Our election night",
        "Our own report of the night.",
        0,
    )
    theirs = db.session.scalar(
        select(Article).where(Article.title == "Election night: Tom & Jerry win")
    )
    assert theirs.slug == "election-night-2"
    assert article("election-night-3").title == "Election night, the morning after"
    to_check = report_list(result.output, "To check")
    assert (
        "article: Election night: Tom & Jerry win: address 'election-night' taken: "
        "now 'election-night-2'"
    ) in to_check
    assert "author: Jane Doe: matched the account jane@old.example.com" in to_check
    redirect = client.get("/2024/05/06/election-night/")
    assert redirect.headers["Location"].endswith("/articles/election-night-2")

    assert db.session.scalar(select(func.count(User.id)).where(User.email == jane.email)) == 1
    db.session.refresh(jane)
    assert (jane.role, jane.display_name, jane.password_hash) == (
        Role.EDITOR,
        "Jane D.",
        password_hash,
    )
    assert theirs.author == jane
    staff_reply = db.session.scalar(select(Comment).where(Comment.body_md == "Thanks, both."))
    assert staff_reply.user == jane and staff_reply.is_staff
    assert set(db.session.scalars(select(OutboxMessage.recipient))) == {"max@old.example.com"}
    assert report_list(result.output, "Authors who were created and invited")[0].startswith(
        "Max Field <max@old.example.com>, author: "
    )


# ------------------------------------------------------------ options


def test_an_unknown_default_section_is_refused_before_anything_is_written(
    app, admin, runner, make_section
):
    make_section(name="Briefs", slug="briefs")
    before = table_counts()
    result = import_wordpress(runner, "--default-section", "nope")
    line = check_refused(result, "wordpress.xml")
    assert "No section has the address 'nope'" in line and "briefs" in line
    assert result.output.strip() == line
    assert table_counts() == before
    assert files_under(app.config["IMPORT_REPORTS_DIR"]) == set()


def test_a_default_section_receives_the_posts_without_a_category(admin, runner, make_section):
    briefs = make_section(name="Briefs", slug="briefs")
    imported_ok(runner, "--default-section", "briefs")
    imported_ok(runner, "--default-section", "briefs", export=FIXTURES / "wordpresscom.xml")

    uncategorised = [
        "untitled",
        "council-budget",
        "staff-notes",
        "members-briefing",
        "classic-post",
    ]
    for slug in [*uncategorised, "first-walk"]:  # first-walk: only "Uncategorized"
        assert article(slug).section_id == briefs.id, slug
    assert article("election-night").section.slug == "local"
    sections = set(db.session.scalars(select(Section.slug)))
    assert "the-old-gazette-courier" not in sections and "uncategorized" not in sections


def test_each_created_author_is_invited_once(app, admin, runner):
    imported_ok(runner, "--dry-run")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0

    result = imported_ok(runner)
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert sorted((m.kind, m.recipient) for m in messages) == [
        ("invitation", "jane@old.example.com"),
        ("invitation", "max@old.example.com"),
    ]
    assert "/editor/invite/" not in result.output  # a live link never on the screen
    saved = report_path(result.output).read_text(encoding="utf-8")
    for line in report_list(saved, "Authors who were created and invited"):
        link = line.split(": ", 1)[1].split()[0]
        assert link.startswith("http://byline.test/editor/invite/")
        assert any(link in m.body_text for m in messages), line

    imported_ok(runner)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


# ------------------------------------------------------------ bad files and failures

AN_RSS_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title></channel></rss>'
)
BAD_FILES = {  # name -> how to write it (None: a fixture as it is)
    "truncated.xml": lambda path: truncated(WXR, path),
    "ghost-5.json": None,  # a Ghost export given to the WordPress importer
    "bomb.xml": billion_laughs,
    "xxe.xml": xxe,
    "empty.xml": lambda path: path.write_bytes(b""),
    "feed.xml": lambda path: path.write_text(AN_RSS_FEED),  # RSS, but not an export
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
    result = import_wordpress(runner, export=path)
    check_refused(result, name)
    assert table_counts() == before
    assert files_under(app.config["UPLOADS_DIR"]) == set()
    assert "root:" not in result.output  # the XXE read nothing


def test_a_failing_post_is_left_out_whole_and_imported_by_the_next_run(
    client, admin, runner, monkeypatch
):
    from blog.importers import comments

    refresh = comments.refresh_article_counters

    def failing(ids):  # the last step of post 100, after its comments and redirects
        if db.session.get(Article, ids[0]).title.startswith("Election night: Tom"):
            raise RuntimeError("the disk is full")
        return refresh(ids)

    monkeypatch.setattr(comments, "refresh_article_counters", failing)
    result = import_wordpress(runner)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert report_list(result.output, "Failed (run again to retry)") == [
        "article 100 'Election night: Tom & Jerry win': RuntimeError: the disk is full"
    ]
    assert "Error: 1 item failed; run the command again." in result.output
    counts = report_counts(result.output)  # what was rolled back is not counted
    assert (counts["articles"], "comments" in counts) == ("9 imported", False)

    # Nothing of post 100 is left; every other post is in (post 109 now has the slug).
    titles = set(db.session.scalars(select(Article.title)))
    assert "Election night: Tom & Jerry win" not in titles
    assert titles == {title for title, _ in PUBLIC.values()} - {
        "Election night: Tom & Jerry win"
    } | set(HELD_BACK.values())
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    paths = set(db.session.scalars(select(OldUrl.path)))
    assert not paths & {"/?p=100", "/2024/05/06/election-night", "/category/news/politics/local"}
    kept = set(db.session.execute(select(ImportedItem.kind, ImportedItem.source_id)))
    assert ("article", "100") not in kept and not {kind for kind, _ in kept} & {"comment"}

    monkeypatch.setattr(comments, "refresh_article_counters", refresh)
    again = imported_ok(runner)
    assert report_counts(again.output)["articles"] == "1 imported, 9 unchanged"
    night = db.session.scalar(
        select(Article).where(Article.title == "Election night: Tom & Jerry win")
    )
    assert night.comment_count == 3
    assert db.session.scalar(select(func.count(Comment.id))) == 6
    assert client.get("/?p=100").headers["Location"].endswith(f"/articles/{night.slug}")


def test_the_report_file_is_private_and_whole(app, admin, runner):
    result = imported_ok(runner)
    path = report_path(result.output)
    assert path.parent == Path(app.config["IMPORT_REPORTS_DIR"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = path.read_text(encoding="utf-8")

    on_screen = report_list(result.output, "Old addresses that now redirect")
    whole = report_list(saved, "Old addresses that now redirect")
    assert len(whole) == len(db.session.scalars(select(OldUrl)).all()) == 35
    assert on_screen == [*whole[:25], "... and 10 more in the report file"]
    invitations = report_list(saved, "Authors who were created and invited")
    assert len(invitations) == 2 and all("/editor/invite/" in line for line in invitations)
    assert saved.startswith("Import from wordpress https://old.example.com\n")
