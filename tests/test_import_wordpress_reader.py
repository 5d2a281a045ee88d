"""The WordPress reader: a WXR export read into the neutral records, bad files refused in
one line, and memory flat however long the export."""

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blog.importers import wordpress
from blog.importers.records import (
    Entry,
    EntryKind,
    EntryStatus,
    ExportRejected,
    Image,
    Skipped,
)
from blog.importers.wordpress import WordPressExport
from blog.models import CommentStatus
from tests.import_fixtures import (
    billion_laughs,
    write_big_wordpress,
    write_wordpress_with_huge_body,
    xxe,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
WXR = FIXTURES / "wordpress.xml"


@pytest.fixture(scope="module")
def export() -> WordPressExport:
    return WordPressExport(WXR)


@pytest.fixture(scope="module")
def entries(export) -> dict[str, Entry | Skipped]:
    return {record.source_id: record for record in export.entries()}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def write_wxr(path: Path, channel: str, *, version: str = "1.2", scheme: str = "http") -> Path:
    """A small WXR file around `channel` (its authors, terms and items)."""
    wp = f"{scheme}://wordpress.org/export/{version}/"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:wp="{wp}" xmlns:excerpt="{wp}excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        f"<wp:wxr_version>{version}</wp:wxr_version>"
        "<wp:base_blog_url>https://t.example.com</wp:base_blog_url>"
        f"{channel}</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def post(post_id: int = 1, **fields: str) -> str:
    """An <item> for a published post, with `fields` ("wp:status", "title", ...) replaced."""
    values = {
        "title": "A post",
        "dc:creator": "jo",
        "content:encoded": "<p>Body</p>",
        "wp:post_id": str(post_id),
        "wp:post_date_gmt": "2024-01-01 10:00:00",
        "wp:post_name": f"post-{post_id}",
        "wp:status": "publish",
        "wp:post_type": "post",
    } | {name.replace("__", ":"): value for name, value in fields.items()}
    return "<item>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in values.items()) + "</item>"


# ------------------------------------------------------------ site, people, terms


def test_the_site_is_read_from_the_channel(export):
    assert export.site.platform == "wordpress"
    assert export.site.title == "The Old Gazette & Courier"
    assert export.site.url == "https://old.example.com"  # base_blog_url, no trailing slash
    assert export.site.version == "1.2"
    assert export.site.source == "wordpress old.example.com"


def test_people_are_keyed_by_login_with_their_old_addresses(export):
    jane, max_ = export.people
    assert (jane.source_id, jane.email, jane.display_name) == (
        "Jane.Doe",
        "jane@old.example.com",
        "Jane Doe",
    )
    assert jane.slug == "jane-doe"
    assert jane.old_paths == ["/author/jane-doe/", "/?author=1"]
    # No display name: first and last names; a login's "@" becomes "-" in its slug.
    assert (max_.source_id, max_.display_name, max_.slug) == ("max@field", "Max Field", "max-field")
    assert max_.old_paths == ["/author/max-field/", "/?author=7"]


def test_a_person_without_any_name_is_shown_by_login(tmp_path):
    author = (
        "<wp:author><wp:author_id>3</wp:author_id><wp:author_login>Zed..Q</wp:author_login>"
        "<wp:author_email>z@example.com</wp:author_email></wp:author>"
    )
    (person,) = WordPressExport(write_wxr(tmp_path / "a.xml", author)).people
    assert (person.display_name, person.slug) == ("Zed..Q", "zed-q")


def test_categories_follow_their_parents_and_tags_their_slugs(export):
    terms = {term.source_id: term for term in export.terms}
    local = terms["4"]
    assert (local.kind, local.slug, local.name) == ("category", "local", "Local")
    # Declared before its parent, still given the whole chain.
    assert local.old_paths == ["/category/news/politics/local/", "/?cat=4"]
    assert terms["2"].description == "What happened"
    assert terms["5"].name == "Arts & Culture"
    assert terms["11"].kind == "tag"
    assert terms["11"].slug == "café"
    assert terms["11"].old_paths == ["/tag/caf%c3%a9/", "/?tag=caf%c3%a9"]
    assert terms["12"].name == "Turnout"  # a <wp:term> of taxonomy post_tag
    assert "20" not in terms  # a menu's term is not a category or tag


def test_a_category_an_item_names_but_the_export_does_not_list_is_added(export):
    opinion = next(term for term in export.terms if term.slug == "opinion")
    assert (opinion.kind, opinion.source_id, opinion.name) == (
        "category",
        "opinion",
        "Opinion & Analysis",
    )
    assert opinion.old_paths == ["/category/opinion/"]


def test_a_category_and_a_tag_named_alike_keep_distinct_ids(tmp_path):
    item = post(1).replace(
        "</item>",
        '<category domain="category" nicename="same">S</category>'
        '<category domain="post_tag" nicename="same">S</category></item>',
    )
    export = WordPressExport(write_wxr(tmp_path / "t.xml", item))
    assert sorted((t.kind, t.source_id) for t in export.terms) == [
        ("category", "same"),
        ("tag", "tag:same"),
    ]
    (entry,) = export.entries()
    assert (entry.categories, entry.tags) == (["same"], ["tag:same"])


def test_attachments_become_images_and_other_types_are_skipped(export):
    assert export.attachments == {
        "300": Image(
            url="https://old.example.com/wp-content/uploads/2024/05/ballot.jpg",
            alt="Volunteers counting paper ballots",
            caption="Counting at the town hall",
        ),
        "301": Image(url="https://old.example.com/wp-content/uploads/2024/05/crowd.png"),
    }
    assert [(s.kind, s.source_id, s.title) for s in export.skipped] == [
        ("nav_menu_item", "112", "Home"),
        ("wp_block", "113", "Newsletter sign-up"),
    ]
    assert all(s.kind in s.reason for s in export.skipped)


def test_total_counts_every_post_and_page_entries_yields(export, entries):
    assert export.total == 14 == len(entries)
    assert [r.source_id for r in export.entries()] == list(entries)  # a pass can be repeated


# ------------------------------------------------------------ entries


@pytest.mark.parametrize(
    ("source_id", "status", "notes"),
    [
        ("100", EntryStatus.PUBLISHED, []),
        ("101", EntryStatus.PUBLISHED, []),  # future: its date schedules it
        ("102", EntryStatus.DRAFT, []),
        ("103", EntryStatus.REVIEW, []),
        ("104", EntryStatus.DRAFT, ["private: kept as a draft"]),
        ("105", EntryStatus.DRAFT, ["password-protected: kept as a draft"]),
    ],
)
def test_statuses(entries, source_id, status, notes):
    assert entries[source_id].status is status
    assert entries[source_id].notes == notes


def test_auto_drafts_and_the_trash_are_skipped(entries):
    assert entries["110"] == Skipped("post", "110", "Auto Draft", "auto-draft")
    assert entries["111"] == Skipped("post", "111", "Retracted story", "in the trash")


def test_a_password_holds_back_any_status(tmp_path):
    item = post(1, wp__status="future", wp__post_password="x")
    (entry,) = WordPressExport(write_wxr(tmp_path / "p.xml", item)).entries()
    assert entry.status is EntryStatus.DRAFT


def test_an_unknown_status_or_a_missing_date_keeps_a_draft(tmp_path):
    items = post(1, wp__status="archived") + post(2, wp__post_date_gmt="0000-00-00 00:00:00")
    one, two = WordPressExport(write_wxr(tmp_path / "s.xml", items)).entries()
    assert (one.status, one.notes) == (EntryStatus.DRAFT, ["status 'archived': kept as a draft"])
    assert (two.status, two.notes) == (EntryStatus.DRAFT, ["no publication date: kept as a draft"])


def test_dates(entries):
    assert entries["100"].published_at == at("2024-05-06 21:30")
    assert entries["100"].updated_at == at("2024-05-07 09:15")
    assert entries["101"].published_at == at("2030-01-01 09:00")
    assert entries["107"].published_at == at("2024-05-09 11:00")  # no GMT date: local as UTC
    assert entries["102"].published_at is None  # a draft never published
    assert entries["102"].updated_at == at("2024-05-08 09:05")
    assert entries["103"].published_at is None


def test_titles_slugs_bodies_and_excerpts(entries):
    election = entries["100"]
    assert election.kind is EntryKind.ARTICLE
    assert election.title == "Election night: Tom & Jerry win"
    assert election.body_html.startswith("<p>The count went on past midnight.</p>\n[caption ")
    assert election.excerpt == "A long night, a close result & a recount."
    assert entries["102"].title == ""
    assert entries["108"].slug == "café-culture"
    assert entries["106"].body_html.startswith("<!-- wp:paragraph -->")
    assert "\n\nA second paragraph" in entries["107"].body_html
    # Two posts with one slug both come across; the loader tells them apart.
    assert entries["109"].slug == election.slug == "election-night"


def test_a_broken_percent_escape_in_a_slug_is_replaced_not_refused(tmp_path):
    item = post(1, wp__post_name="caf%e9-%zz")
    (entry,) = WordPressExport(write_wxr(tmp_path / "s.xml", item)).entries()
    assert entry.slug == "caf\ufffd-%zz"


def test_authors_terms_sticky_and_cover(entries):
    election = entries["100"]
    assert election.author_ids == ["Jane.Doe"]
    assert election.categories == ["4", "2"]  # in the export's order
    assert election.tags == ["10", "12"]
    assert election.featured is True
    assert election.cover == Image(
        url="https://old.example.com/wp-content/uploads/2024/05/ballot.jpg",
        alt="Volunteers counting paper ballots",
        caption="Counting at the town hall",
    )
    assert entries["108"].tags == ["11"]
    assert entries["106"].categories == ["opinion", "5"]  # named twice, kept once
    assert entries["106"].featured is False
    assert entries["106"].cover is None
    assert entries["106"].notes == ["featured image 999 is not in the export"]


def test_old_paths(entries):
    assert entries["100"].old_paths == ["/2024/05/06/election-night/", "/?p=100"]
    assert entries["108"].old_paths == ["/2024/05/09/caf%c3%a9-culture/", "/?p=108"]
    assert entries["101"].old_paths == ["/?p=101"]  # a scheduled post's link is its id
    assert entries["200"].kind is EntryKind.PAGE
    assert entries["200"].old_paths == ["/about/", "/?page_id=200"]
    assert entries["201"].old_paths == ["/about/team/", "/?page_id=201"]


def test_a_site_in_a_folder_keeps_the_folder_in_every_old_path(tmp_path):
    text = WXR.read_text(encoding="utf-8").replace("https://old.example.com", "https://x.org/blog")
    path = tmp_path / "folder.xml"
    path.write_text(text, encoding="utf-8")
    export = WordPressExport(path)
    assert export.site.url == "https://x.org/blog"
    assert export.people[0].old_paths == ["/blog/author/jane-doe/", "/blog/?author=1"]
    local = next(term for term in export.terms if term.source_id == "4")
    assert local.old_paths == ["/blog/category/news/politics/local/", "/blog/?cat=4"]
    entries = {record.source_id: record for record in export.entries()}
    assert entries["201"].old_paths == ["/blog/about/team/", "/blog/?page_id=201"]
    assert entries["101"].old_paths == ["/blog/?p=101"]


def test_comments(entries):
    comments = {c.source_id: c for c in entries["100"].comments}
    assert list(comments) == [str(n) for n in range(1, 10)]
    first = comments["1"]
    assert (first.parent_id, first.author_name, first.author_email) == (
        "",
        "Ann & Bob",
        "ann@example.org",
    )
    assert first.created_at == at("2024-05-06 22:00")
    assert first.body_html == "Great <b>coverage</b>."
    assert "ann.example.org" not in repr(first)  # the commenter's URL is dropped
    # Threaded five deep: 1 <- 2 <- 3 <- 4 <- 9.
    assert [comments[n].parent_id for n in "2349"] == ["1", "2", "3", "4"]
    assert comments["2"].created_at == at("2024-05-06 23:10")  # no GMT date: local as UTC
    statuses = {n: c.status for n, c in comments.items()}
    assert statuses == {
        "1": CommentStatus.APPROVED,
        "2": CommentStatus.APPROVED,
        "3": CommentStatus.APPROVED,
        "4": CommentStatus.PENDING,
        "5": CommentStatus.SPAM,
        "6": CommentStatus.DELETED,
        "7": CommentStatus.APPROVED,
        "8": CommentStatus.DELETED,
        "9": CommentStatus.PENDING,
    }
    kinds = {n: c.kind for n, c in comments.items() if c.kind != "comment"}
    assert kinds == {"7": "pingback", "8": "trackback", "9": "review"}
    assert comments["2"].kind == "comment"  # an empty type
    assert comments["3"].person_id == "Jane.Doe"  # comment_user_id 1
    assert comments["9"].person_id == ""  # a user the export does not list
    assert all(c.person_id == "" for n, c in comments.items() if n != "3")


def test_a_comment_without_a_date_is_left_out_with_a_note(tmp_path):
    comment = (
        "<wp:comment><wp:comment_id>4</wp:comment_id>"
        "<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>Hi</wp:comment_content></wp:comment>"
    )
    item = post(1).replace("</item>", comment + "</item>")
    (entry,) = WordPressExport(write_wxr(tmp_path / "c.xml", item)).entries()
    assert entry.comments == []
    assert entry.notes == ["comment 4 left out: it has no date"]


# ------------------------------------------------------------ namespaces and versions


def test_the_https_namespaces_of_wordpress_com():
    export = WordPressExport(FIXTURES / "wordpresscom.xml")
    assert (export.site.url, export.site.version) == ("https://hillside.example.blog", "1.1")
    assert [p.source_id for p in export.people] == ["hillwalker"]
    (entry,) = export.entries()
    assert (entry.title, entry.slug, entry.excerpt) == ("First walk", "first-walk", "Up and down.")
    assert entry.body_html == "<p>Up the hill and down again.</p>"
    assert entry.categories == ["1"]
    assert entry.published_at == at("2023-03-04 10:00")
    assert [c.author_name for c in entry.comments] == ["Rambler"]


@pytest.mark.parametrize(("version", "scheme"), [("1.1", "http"), ("1.2", "https")])
def test_either_version_in_either_scheme(tmp_path, version, scheme):
    item = post(1, excerpt__encoded="Short", wp__post_password="")
    export = WordPressExport(write_wxr(tmp_path / "v.xml", item, version=version, scheme=scheme))
    (entry,) = export.entries()
    assert (export.site.version, entry.excerpt, entry.status) == (
        version,
        "Short",
        EntryStatus.PUBLISHED,
    )


# ------------------------------------------------------------ refusals


def refusal(path: Path) -> str:
    with pytest.raises(ExportRejected) as caught:
        WordPressExport(path)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \n\t\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip archive"),
        (b'{"db": [{"meta": {"version": "5.82.0"}}]}', "JSON file; use import-ghost"),
        (b"\xef\xbb\xbf\n[1, 2]", "JSON file; use import-ghost"),
        (b"Title,Body\nHello,World\n", "not XML"),
        (b"<!DOCTYPE html><html><body>Hi</body></html>", "web page"),
        (b"<rss><channel><title>Broken</channel></rss>", "malformed: mismatched tag: line 1"),
        (b"<rss><channel><title>&nbsp;</title></channel></rss>", "undefined entity"),
        (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title></feed>',
            "not a WordPress export: its root is <feed>",
        ),
        (
            b'<rss version="2.0"><channel><title>Feed</title><item><title>A</title></item>'
            b"</channel></rss>",
            "RSS feed, not a WordPress export",
        ),
        (
            b'<rss xmlns:wp="http://wordpress.org/export/1.0/"><channel>'
            b"<wp:wxr_version>1.0</wp:wxr_version></channel></rss>",
            "WXR version '1.0' is not supported",
        ),
        (
            b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
            b"<wp:wxr_version>2.0</wp:wxr_version></channel></rss>",
            "WXR version '2.0' is not supported",
        ),
        (b"<rss>" + b"<a>" * 40 + b"</a>" * 40 + b"</rss>", "nests deeper than 32"),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, content, expected):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    assert expected in refusal(path)


def test_a_file_malformed_at_its_end_is_refused_before_any_entry(tmp_path):
    text = WXR.read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.rindex("</item>")], encoding="utf-8")
    last_line = text[: text.rindex("</item>")].count("\n") + 1
    assert f"malformed: no element found: line {last_line}" in refusal(path)


def test_entity_payloads_are_refused(tmp_path):
    assert refusal(billion_laughs(tmp_path / "lol.xml")) == "refused: the file declares a DTD"
    secret = tmp_path / "secret.txt"
    secret.write_text("the password")
    assert refusal(xxe(tmp_path / "xxe.xml", secret.as_uri())) == (
        "refused: the file declares a DTD"
    )


def test_a_missing_file_is_refused(tmp_path):
    assert "cannot read the file" in refusal(tmp_path / "nowhere.xml")


# ------------------------------------------------------------ bounds


def test_an_oversized_body_is_skipped_and_other_fields_cut_short(tmp_path):
    huge = "<p>" + "x" * wordpress.BODY_LIMIT + "</p>"
    long_title = "T" * (wordpress.FIELD_LIMIT + 10)
    huge_comment = (
        "<wp:comment><wp:comment_id>9</wp:comment_id>"
        "<wp:comment_date_gmt>2024-01-02 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{'y' * 1_000_001}</wp:comment_content></wp:comment>"
    )
    items = post(1, content__encoded=huge) + post(2, title=long_title).replace(
        "</item>", huge_comment + "</item>"
    )
    export = WordPressExport(write_wxr(tmp_path / "big.xml", items))
    skipped, cut = export.entries()
    assert skipped == Skipped("post", "1", "A post", "its body is over 5,000,000 characters")
    assert cut.title == "T" * wordpress.FIELD_LIMIT
    assert cut.comments == []
    assert cut.notes == [
        "title: over 65,536 characters, cut short",
        "comment 9 left out: its text is too long",
    ]


def test_stripping_tags_from_an_excerpt_stays_linear():
    started = time.monotonic()
    assert wordpress.plain_text("<" * 200_000 + "done") == "<" * 200_000 + "done"
    assert time.monotonic() - started < 5  # quadratic, this would take minutes


# A 60 MB export read through in a fresh interpreter: its peak memory may grow by what
# one item and the parser's buffers take, far less than the file (a reader that kept the
# parsed tree, or the whole of an oversized text, would grow by more than the file's size).
# The interpreter with the app's modules loaded starts near 60 MB, hence the 150 MB ceiling.
# The peak is the process's own (VmHWM): Linux carries ru_maxrss over from the forking
# test process, whose size says nothing about the reader.
MEMORY_SCRIPT = """
import re, sys
from pathlib import Path
from blog.importers.wordpress import WordPressExport

def peak_mb():
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1)) // 1024

before = peak_mb()
export = WordPressExport(sys.argv[1])
kinds = [type(record).__name__ for record in export.entries()]
print(export.total, len(kinds), kinds[0], before, peak_mb())
"""


@pytest.mark.parametrize(
    ("write", "total", "first"),
    [
        (lambda path: write_big_wordpress(path, 2500, 5, body_chars=20_000), 2500, "Entry"),
        (lambda path: write_wordpress_with_huge_body(path, megabytes=60), 1, "Skipped"),
    ],
    ids=["many posts", "one huge body"],
)
def test_memory_stays_flat_on_a_large_export(tmp_path, write, total, first):
    path = write(tmp_path / "big.xml")
    size_mb = path.stat().st_size // 2**20
    assert size_mb >= 55
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    read, count, kind, before_mb, after_mb = result.stdout.split()
    assert (int(read), int(count), kind) == (total, total, first)
    assert int(after_mb) - int(before_mb) < 30, (before_mb, after_mb, size_mb)
    assert int(after_mb) < 150
