"""The Ghost export reader: every field's mapping, every refusal, and flat memory."""

import json
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from blog.importers.ghost import GhostExport
from blog.importers.records import Entry, EntryKind, EntryStatus, ExportRejected, Skipped
from blog.models import Role
from tests.import_fixtures import write_big_ghost

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
ROOT = Path(__file__).resolve().parent.parent


def read(name: str) -> tuple[GhostExport, dict[str, Entry | Skipped]]:
    export = GhostExport(FIXTURES / name)
    return export, {item.source_id: item for item in export.entries()}


def ghost5_post(number: int) -> Entry:
    _, entries = read("ghost-5.json")
    entry = entries[f"66380f000000000000000{500 + number}"]
    assert isinstance(entry, Entry)
    return entry


def write_export(tmp_path: Path, data: dict, *, version: object = "5.82.0") -> Path:
    """A small export for one case, with the "db" wrapper Ghost writes."""
    meta = {"exported_on": 1715000000000} | ({} if version is None else {"version": version})
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"db": [{"meta": meta, "data": data}]}), encoding="utf-8")
    return path


USER = {"id": "u1", "name": "Writer", "slug": "writer", "email": "w@example.com"}


def one_post(tmp_path: Path, **fields) -> Entry | Skipped:
    post = {"id": "p1", "title": "T", "slug": "t", "html": "<p>x</p>", "type": "post"}
    post |= {"status": "published", "published_at": "2024-05-06T10:00:00.000Z", "author_id": "u1"}
    export = GhostExport(write_export(tmp_path, {"posts": [post | fields], "users": [USER]}))
    (item,) = export.entries()
    return item


# The site, the people and the tags.


def test_site_info_comes_from_meta_and_settings():
    export, _ = read("ghost-5.json")
    assert (export.site.platform, export.site.title) == ("ghost", "The Harbour Gazette")
    assert (export.site.url, export.site.version) == ("", "5.82.0")
    assert export.site.source == "ghost The Harbour Gazette"  # no address, no db_hash
    assert export.attachments == {}


def test_people_take_their_role_from_roles_users():
    export, _ = read("ghost-5.json")
    people = {person.slug: person for person in export.people}
    assert {slug: person.role for slug, person in people.items()} == {
        "ada": Role.ADMIN,  # Owner
        "ben": Role.ADMIN,  # Administrator
        "chloe": Role.EDITOR,  # Editor
        "dan": Role.AUTHOR,  # Author
        "eve": Role.AUTHOR,  # Contributor
        "fay": Role.EDITOR,  # Super Editor
    }
    chloe = people["chloe"]
    assert chloe.source_id == "66380f000000000000000103"
    assert (chloe.email, chloe.display_name) == ("chloe@example.com", "Chloé Pêcheur")
    assert chloe.bio == "Covers the fish market."
    assert chloe.old_paths == ["/author/chloe/"]
    assert people["ben"].bio == ""  # null in the export


def test_public_tags_become_terms_and_internal_ones_are_skipped():
    export, _ = read("ghost-5.json")
    assert [(t.kind, t.slug, t.name) for t in export.terms] == [
        ("tag", "news", "News"),
        ("tag", "politics", "Politics"),
        ("tag", "culture", "Culture"),
    ]
    assert export.terms[0].description == "What happened today."
    assert export.terms[0].old_paths == ["/tag/news/"]
    assert [(s.kind, s.title, s.reason) for s in export.skipped] == [
        ("tag", "#hero", "internal tag"),
        ("tag", "Imported from Tumblr", "internal tag"),  # visibility "internal"
    ]


def test_a_tag_named_with_a_hash_is_internal_whatever_its_visibility(tmp_path):
    tag = {"id": "t1", "name": "#legacy", "slug": "hash-legacy", "visibility": "public"}
    export = GhostExport(write_export(tmp_path, {"tags": [tag]}))
    assert export.terms == []
    assert [s.source_id for s in export.skipped] == ["t1"]


# Posts.


def test_total_counts_every_post_entries_yields():
    export, entries = read("ghost-5.json")
    assert export.total == len(entries) == 10
    assert [item.source_id for item in export.entries()] == list(entries)  # a second pass


def test_a_published_post_maps_every_field():
    entry = ghost5_post(1)
    assert (entry.kind, entry.status) == (EntryKind.ARTICLE, EntryStatus.PUBLISHED)
    assert (entry.title, entry.slug) == ("The harbour wakes", "the-harbour-wakes")
    assert entry.published_at == datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
    assert entry.updated_at == datetime(2024, 5, 6, 11, 15, tzinfo=UTC)
    assert entry.excerpt == "Before dawn, the boats leave; by noon, the quay is still."
    assert entry.featured is True
    assert entry.old_paths == ["/the-harbour-wakes/"]
    assert (entry.categories, entry.comments, entry.notes) == ([], [], [])
    # The Koenig cards come through untouched for the HTML converter.
    for card in ("kg-image-card", "kg-gallery-card", "kg-embed-card", "kg-bookmark-card"):
        assert card in entry.body_html
    assert "__GHOST_URL__/content/images/size/w600/2024/05/harbour.jpg" in entry.body_html


def test_authors_and_tags_follow_sort_order_and_leave_internal_tags_out():
    entry = ghost5_post(1)
    assert entry.author_ids == ["66380f000000000000000104", "66380f000000000000000103"]
    assert entry.tags == ["66380f000000000000000401", "66380f000000000000000402"]


def test_the_cover_takes_alt_and_caption_from_posts_meta():
    cover = ghost5_post(1).cover
    assert cover is not None
    assert cover.url == "__GHOST_URL__/content/images/2024/05/harbour.jpg"
    assert cover.alt == "Boats at first light"
    assert cover.caption.startswith("Photo: <a href=")
    assert ghost5_post(2).cover is None


def test_a_scheduled_post_is_published_in_the_future():
    entry = ghost5_post(2)
    assert entry.status is EntryStatus.PUBLISHED
    assert entry.published_at == datetime(2030, 11, 5, 20, 0, tzinfo=UTC)
    assert entry.notes == []


def test_a_draft_has_no_publication_date():
    entry = ghost5_post(3)
    assert (entry.status, entry.published_at, entry.notes) == (EntryStatus.DRAFT, None, [])


def test_a_newsletter_only_post_is_kept_as_a_draft():
    entry = ghost5_post(4)
    assert entry.status is EntryStatus.DRAFT
    assert entry.notes == ["sent as a newsletter only: kept as a draft"]


def test_a_members_only_post_is_kept_as_a_draft():
    entry = ghost5_post(5)
    assert entry.status is EntryStatus.DRAFT
    assert entry.notes == ["members-only (paid): kept as a draft"]


def test_a_page_is_a_page():
    entry = ghost5_post(6)
    assert (entry.kind, entry.slug, entry.old_paths) == (EntryKind.PAGE, "about", ["/about/"])


def test_without_html_the_plain_text_becomes_escaped_paragraphs():
    entry = ghost5_post(7)
    assert entry.body_html == (
        "<p>First line of the first paragraph.<br>Its second line.</p>\n"
        "<p>Two &lt; three &amp; four &gt; one.</p>"
    )
    assert entry.notes == ["no HTML in the export: imported from the plain text"]


def test_without_html_or_plain_text_the_body_is_empty_with_a_note():
    entry = ghost5_post(9)
    assert entry.body_html == ""
    assert entry.notes == ["no HTML or plain text in the export: imported empty"]


def test_non_ascii_text_comes_through():
    entry = ghost5_post(8)
    assert entry.title == "Café society: Zürich’s night boats, 東京 style"
    assert entry.excerpt == "Ünïcödé in the excerpt."
    assert entry.tags == ["66380f000000000000000404"]


def test_a_post_of_an_unknown_type_is_skipped_with_the_reason():
    _, entries = read("ghost-5.json")
    skipped = entries["66380f000000000000000510"]
    assert skipped == Skipped(
        "post", "66380f000000000000000510", "Harbour festival", "unknown post type 'event'"
    )


def test_ghost_3_posts_use_author_id_page_and_numeric_featured():
    export, entries = read("ghost-3.json")
    assert (export.site.version, export.site.title, export.total) == ("3.42.5", "The Press Room", 3)
    first, contact, spring = entries.values()
    assert first.author_ids == ["5e7a00000000000000000101"]
    assert first.featured is True  # 1
    assert first.cover is not None and (first.cover.alt, first.cover.caption) == ("", "")
    assert first.tags == ["5e7a00000000000000000401"]
    assert (contact.kind, contact.featured) == (EntryKind.PAGE, False)  # page: true
    assert spring.kind is EntryKind.ARTICLE  # page: false
    assert spring.excerpt == "The spring issue is out."


def test_ghost_6_without_the_db_wrapper_and_meta_last():
    export, entries = read("ghost-6.json")
    assert (export.site.version, export.site.title, export.total) == ("6.0.0", "Six Weekly", 1)
    (entry,) = entries.values()
    assert entry.author_ids == ["68a000000000000000000101"]
    assert entry.cover is not None
    assert (entry.cover.alt, entry.cover.caption) == ("A grey cover", "Cover by the desk")


def test_dates_become_aware_utc(tmp_path):
    entry = one_post(tmp_path, published_at="2024-05-06T12:00:00+02:00", updated_at="2024-05-06")
    assert entry.published_at == datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
    assert entry.published_at.tzinfo is UTC and entry.updated_at.tzinfo is UTC
    assert entry.updated_at == datetime(2024, 5, 6, tzinfo=UTC)  # no offset: UTC


@pytest.mark.parametrize("unreadable", ["yesterday", "0001-01-01T00:00:00+01:00", 1714989600])
def test_a_published_post_without_a_readable_date_falls_back_to_its_creation(tmp_path, unreadable):
    entry = one_post(tmp_path, published_at=unreadable, created_at="2024-05-01T08:00:00.000Z")
    assert entry.published_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert entry.notes == ["no publication date in the export: used the creation date"]


def test_unknown_status_and_unknown_people_are_noted(tmp_path):
    entry = one_post(tmp_path, status="archived", author_id="ghost-writer")
    assert entry.status is EntryStatus.DRAFT
    assert entry.author_ids == []
    assert entry.notes == [
        "unknown status 'archived': kept as a draft",
        "author 'ghost-writer' is not in the export: left out",
        "no author in the export",
    ]


def test_a_post_without_an_id_is_skipped(tmp_path):
    item = one_post(tmp_path, id=None)
    assert isinstance(item, Skipped) and item.reason == "no id in the export"


def test_a_percent_encoded_slug_is_decoded(tmp_path):
    entry = one_post(tmp_path, slug="caf%C3%A9")
    assert (entry.slug, entry.old_paths) == ("café", ["/café/"])


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "ghost-6.json").read_bytes())
    assert GhostExport(path).total == 1


# The images the fixtures point at.


def test_fixture_images_are_there_but_the_one_missing_on_purpose():
    referenced = set()
    for name in ("ghost-3.json", "ghost-5.json", "ghost-6.json"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        referenced |= set(re.findall(r"content/images/(?:size/w\d+/)?(2024/05/[\w.-]+)", text))
    missing = {ref for ref in referenced if not (FIXTURES / "images" / ref).is_file()}
    assert missing == {"2024/05/lighthouse.jpg"}  # the gallery image the loader must report
    for ref in referenced - missing:
        image = FIXTURES / "images" / ref
        assert image.stat().st_size < 2048
        with PILImage.open(image) as opened:
            opened.verify()


# Refusals: one line each, from construction.


def refusal(path: Path) -> str:
    with pytest.raises(ExportRejected) as refused:
        GhostExport(path)
    message = str(refused.value)
    assert "\n" not in message and message
    return message


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \n\t ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\x00\x01\x02\x03", "binary file"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip archive"),
        (b"\x1f\x8b\x08\x00", "gzip archive"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"></rss>', "XML; use import-wordpress"),
        (b"[1, 2, 3]", "not a Ghost export"),
        (b'{"posts": []}', "not a Ghost export"),
        (b'{"meta": {"version": "5.0.0"}}', "not a Ghost export"),
        (b'{"db": []}', "not a Ghost export"),
        (b'{"db": [{"meta": "5.0", "data": {}}]}', "not a Ghost export"),
        (b'{"meta": {"version": "2.38.0"}, "data": {}}', "exported by Ghost 2.x; Byline imports"),
        (b'{"meta": {"version": "7.1.0"}, "data": {}}', "exported by Ghost 7.x; Byline imports"),
        (b'{"meta": {"version": "003"}, "data": {}}', "unknown Ghost version '003'"),
        (b'{"meta": {}, "data": {}}', "does not say which Ghost made it"),
        (b'{"meta": {"version": 5}, "data": {}}', "does not say which Ghost made it"),
        (b'{"meta": {"version": "5.0.0"}, "data": {"posts": {}}}', "posts is not a list"),
        (b'{"meta": {"version": "5.0.0"}, "data": {"posts": ["a"]}}', "(item 1 is not)"),
        (b'{"meta": {"version": "5.0.0"}, "data": {"users": 3}}', "users is not a list"),
        (b'{"meta": {"version": "5.0.0"}, "data": {"posts": [{"a": 1}, 2]}}', "(item 2 is not)"),
        (
            b'{"db": [{"meta": {"version": "5.0.0"}, "data": {}}, '
            b'{"meta": {"version": "5.0.0"}, "data": {}}]}',
            "holds 2 databases",
        ),
        (b'{"meta": {"version": "5.0.0"}, "data": {}', "premature EOF"),
        (b'{"meta": {"version": "5.0.0"},' + b" " * 5000 + b'"data": {"t": "\xff"}}', "UTF8"),
        (b'{"meta": {"version": "5.0.0"}, "data": {}} trailing', "trailing garbage"),
        # Nested far past any export, where each part of the walk meets it.
        (f'{{"x": {deep(100_000)}}}'.encode(), "nests deeper than"),
        (f'{{"meta": {{"v": {deep(40)}}}, "data": {{}}}}'.encode(), "nests deeper than"),
        (
            f'{{"meta": {{}}, "data": {{"posts": [{{"x": {deep(40)}}}]}}}}'.encode(),
            "nests deeper than",
        ),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, content, expected):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    assert expected in refusal(path)


def test_a_missing_file_is_refused(tmp_path):
    assert refusal(tmp_path / "nowhere.json").startswith("cannot read nowhere.json")


def test_malformed_json_says_where(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"db": [{\n  "meta": {"version": "5.0.0"},\n  "data": {"posts": [}\n}]}')
    message = refusal(path)
    assert message.startswith("the file is not valid JSON: parse error")
    assert message.endswith("(line 3, column 22)")


def test_a_file_cut_short_after_its_last_table_is_refused_on_construction(tmp_path):
    text = (FIXTURES / "ghost-5.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: text.rindex("}") - 20], encoding="utf-8")  # meta and posts intact
    assert "premature EOF" in refusal(path)


def test_a_late_error_is_found_in_the_first_pass_and_placed(tmp_path):
    """Past the parser's first chunks and after every post: the reader still reads to the
    end before it answers, and places the error on its line."""
    path = write_big_ghost(tmp_path / "big.json", 60)
    text = path.read_text(encoding="utf-8")
    text = text.replace('"meta": {"exported_on"', '"meta": {exported_on')
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(n for n, body in enumerate(lines, 1) if "{exported_on" in body)
    column = lines[line - 1].index("{exported_on") + 2
    assert path.stat().st_size > 300_000 and line > 100
    message = refusal(path)
    assert message == (
        "the file is not valid JSON: lexical error: invalid char in json text "
        f"(line {line}, column {column})"
    )


# Memory stays flat in the size of the file.

MEASURE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from blog.importers.ghost import GhostExport

    def status_kb(field):
        return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0])

    def read_all(path):
        export = GhostExport(Path(path))
        return export.total, sum(1 for _ in export.entries())

    read_all(sys.argv[1])  # the imports and a first small read, before measuring
    # Start the peak (VmHWM) afresh: compiling the imports peaks well above what stays.
    Path("/proc/self/clear_refs").write_text("5")
    before = status_kb("VmRSS")
    total, read = read_all(sys.argv[2])
    print(total, read, status_kb("VmHWM") - before)
    """
)


def test_reading_a_60_mb_export_keeps_memory_flat(tmp_path):
    """10,000 posts of 6 KB: 60 MB. Holding the file, or every post, would add well over
    60 MB (a json.load of it needs several times the file). Streaming holds a 64 KB parser
    buffer, one post, and the post-to-author and post-to-tag links (20,000 short rows,
    a few MB; about 9 MB measured): the peak resident memory may pass what was held before
    by 25 MB at most, well under half the file."""
    path = write_big_ghost(tmp_path / "big.json", 10_000)
    assert path.stat().st_size > 60_000_000
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(FIXTURES / "ghost-5.json"), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    total, read, grown_kb = map(int, result.stdout.split())
    assert total == read == 10_000
    assert grown_kb < 25 * 1024, f"peak memory grew by {grown_kb} KB"
