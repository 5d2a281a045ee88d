"""Export files made on the fly for the importer tests: big ones (written as a stream, so
the test itself stays small) and hostile ones."""

import json
from pathlib import Path
from xml.sax.saxutils import escape

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Big Site</title>
	<link>https://big.example.com</link>
	<description>Many posts</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://big.example.com</wp:base_site_url>
	<wp:base_blog_url>https://big.example.com</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[writer]]></wp:author_login><wp:author_email><![CDATA[writer@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Writer]]></wp:author_display_name></wp:author>
	<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
"""

WXR_POST = """	<item>
		<title><![CDATA[Post number {n}]]></title>
		<link>https://big.example.com/2024/01/01/post-{n}/</link>
		<dc:creator><![CDATA[writer]]></dc:creator>
		<content:encoded><![CDATA[{body}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{n}</wp:post_id>
		<wp:post_date><![CDATA[2024-01-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-01-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_modified_gmt><![CDATA[2024-01-02 09:00:00]]></wp:post_modified_gmt>
		<wp:post_name><![CDATA[post-{n}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<category domain="category" nicename="news"><![CDATA[News]]></category>
"""

WXR_COMMENT = """		<wp:comment>
			<wp:comment_id>{id}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader {id}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[reader{id}@example.org]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2024-01-03 09:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{body}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
"""


def write_big_wordpress(
    path: Path, posts: int, comments_per_post: int, *, body_chars: int = 8000
) -> Path:
    """A valid WXR 1.2 file of `posts` published posts, each with a body of about
    `body_chars` characters and a thread of `comments_per_post` comments; written a post
    at a time, so the test's own memory stays small."""
    paragraph = "<p>" + escape("Words & more words, said the reporter. ") * 8 + "</p>\n"
    body = paragraph * max(1, body_chars // len(paragraph))
    comment_body = "A reader's considered reply. " * 12
    next_comment = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(WXR_HEAD)
        for n in range(1, posts + 1):
            out.write(WXR_POST.format(n=n, body=body))
            parent = 0
            for _ in range(comments_per_post):
                out.write(WXR_COMMENT.format(id=next_comment, parent=parent, body=comment_body))
                parent = next_comment
                next_comment += 1
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")
    return path


def billion_laughs(path: Path) -> Path:
    """The entity expansion bomb, wearing a WXR's clothes."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE rss [\n{chr(10).join(entities)}\n]>\n"
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<title>&lol9;</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n",
        encoding="utf-8",
    )
    return path


def xxe(path: Path, target: str = "file:///etc/passwd") -> Path:
    """An external entity that would read `target` into the site's title."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE rss [ <!ENTITY secret SYSTEM "{target}"> ]>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<title>&secret;</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n",
        encoding="utf-8",
    )
    return path


def write_big_ghost(path: Path, posts: int, *, html_chars: int = 6000) -> Path:
    """A valid Ghost 5 export of `posts` published posts, each with about `html_chars`
    characters of HTML, an author and a tag; written a post at a time. The posts come
    first and meta last, as a reader must not count on the tables' order."""
    paragraph = "<p>" + "Words & more words, said the reporter. " * 8 + "</p>"
    body = json.dumps(paragraph * max(1, html_chars // len(paragraph)))
    author, tag = "65f000000000000000000001", "65f000000000000000000002"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"db": [{"data": {"posts": [\n')
        for n in range(1, posts + 1):
            out.write(
                f'{"," if n > 1 else ""}{{"id": "p{n}", "title": "Post number {n}", '
                f'"slug": "post-{n}", "html": {body}, "type": "post", "status": "published", '
                '"visibility": "public", "featured": false, '
                '"published_at": "2024-05-06T10:00:00.000Z", '
                '"updated_at": "2024-05-06T11:00:00.000Z"}\n'
            )
        out.write('],\n"posts_authors": [\n')
        for n in range(1, posts + 1):
            comma = "," if n > 1 else ""
            out.write(f'{comma}{{"post_id": "p{n}", "author_id": "{author}", "sort_order": 0}}\n')
        out.write('],\n"posts_tags": [\n')
        for n in range(1, posts + 1):
            comma = "," if n > 1 else ""
            out.write(f'{comma}{{"post_id": "p{n}", "tag_id": "{tag}", "sort_order": 0}}\n')
        out.write(
            f'],\n"users": [{{"id": "{author}", "name": "Writer", "slug": "writer", '
            '"email": "writer@example.com"}],\n'
            f'"tags": [{{"id": "{tag}", "name": "News", "slug": "news"}}]}},\n'
            '"meta": {"exported_on": 1715000000000, "version": "5.82.0"}}]}\n'
        )
    return path


def write_wordpress_with_huge_body(path: Path, megabytes: int) -> Path:
    """A WXR file whose one post has a body of `megabytes` MB, written in slices."""
    with path.open("w", encoding="utf-8") as out:
        out.write(WXR_HEAD)
        head, tail = WXR_POST.format(n=1, body="\0").split("\0")
        out.write(head)
        for _ in range(megabytes):
            out.write("<p>" + "x" * (2**20 - 7) + "</p>")
        out.write(tail + "\t</item>\n</channel>\n</rss>\n")
    return path


# ------------------------------------------------------------ the commands, end to end
# What the tests of `flask import-wordpress` and `flask import-ghost` read back: every
# table's rows, the files written, and the report the command printed and saved.


def table_counts() -> dict[str, int]:
    """The number of rows in each of the site's tables, read afresh."""
    from sqlalchemy import func, select

    from blog.extensions import db

    db.session.rollback()  # the command committed in the same session: nothing stale
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def count_changes(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The tables whose number of rows moved, and by how much."""
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def database_text() -> str:
    """Every value of every row of every table, as text: to prove something is nowhere."""
    from sqlalchemy import select

    from blog.extensions import db

    db.session.rollback()
    return "\n".join(
        " ".join(str(value) for value in row)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table))
    )


def files_under(folder: str | Path) -> set[str]:
    """The files below a folder (none when it does not exist), by relative path."""
    root = Path(folder)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def report_path(output: str) -> Path:
    """The saved report's path, as the command printed it."""
    lines = [line for line in output.splitlines() if line.startswith("Full report: ")]
    assert len(lines) == 1, output
    return Path(lines[0].removeprefix("Full report: "))


def report_list(report: str, title: str) -> list[str]:
    """The entries of one list of a report ("Skipped", "Failed (run again to retry)"),
    without their indent; [] when the report has no such list."""
    lines = report.splitlines()
    for at, line in enumerate(lines):
        if line.startswith(f"{title} (") and line.endswith("):"):
            entries = []
            for entry in lines[at + 1 :]:
                if not entry.startswith("  "):
                    break
                entries.append(entry[2:])
            return entries
    return []


def report_counts(report: str) -> dict[str, str]:
    """The report's "Items:" lines: {"articles": "9 imported, 1 unchanged", ...}."""
    lines = report.splitlines()
    start = lines.index("Items:") + 1
    counts = {}
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        kind, outcomes = line.strip().split("  ", 1)
        counts[kind] = outcomes.strip()
    return counts


def report_redirects(report: str) -> list[tuple[str, str]]:
    """The (old address, new address) pairs of a saved report (an address that waits for
    its article or page to be published is listed with a note, left off here)."""
    entries = report_list(report, "Old addresses that now redirect")
    pairs = [tuple(entry.split(" -> ", 1)) for entry in entries]
    return [(old, new.removesuffix(HELD_BACK)) for old, new in pairs]


HELD_BACK = " (once it is published)"


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error:")]


# What a body must never show once imported: shortcodes, block markers, escaped markup,
# Ghost's placeholders and card classes.
RAW_LEFTOVERS = (
    "[caption", "[/caption]", "[gallery", "<!-- wp:", "&lt;!--", "&lt;p", "&lt;img",
    "&lt;figure", "__GHOST_URL__", "kg-card",
)  # fmt: skip


def check_refused(result, name: str) -> str:
    """The command stopped cleanly with one line naming the file; that line."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    assert "Traceback" not in result.output
    lines = error_lines(result.output)
    assert len(lines) == 1 and lines[0].startswith(f"Error: {name}: "), result.output
    return lines[0]


def check_article_page(client, slug: str, title: str, phrase: str) -> None:
    """The article answers at its address with its title, its text and its images, and
    nothing of the old platform's raw markup."""
    from bs4 import BeautifulSoup

    response = client.get(f"/articles/{slug}")
    assert response.status_code == 200, slug
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text(" ", strip=True) == title
    body = page.select_one(".article-body")
    assert phrase in body.get_text(" ", strip=True), slug
    for leftover in RAW_LEFTOVERS:
        assert leftover not in str(body), (slug, leftover)
    for image in page.select(".article-body img, figure.cover img"):
        with client.get(image["src"]) as served:  # a file response: closed when read
            assert served.status_code == 200, (slug, image["src"])


def check_old_addresses(client, redirects: list[tuple[str, str]], hidden: set[str]) -> None:
    """Each old address answers one 301 to its new address, which answers 200, with or
    without its trailing slash; one whose target is not public (`hidden`) is a 404."""
    from urllib.parse import urlsplit

    assert redirects
    for old, new in redirects:
        bare = old.rstrip("/") or "/"
        spellings = {old} if "?" in old else {bare, bare + "/"}
        for spelling in spellings:
            response = client.get(spelling)
            if new in hidden:  # as if unknown: never a hint of where the item went
                if response.status_code == 301:  # /slug/ to /slug, as for any address
                    assert response.headers["Location"] == bare, spelling
                    response = client.get(bare)
                # /?p=12 shows the front page
                assert response.status_code == (200 if spelling.startswith("/?") else 404)
                assert "Location" not in response.headers, (spelling, new)
                continue
            assert response.status_code == 301, (spelling, response.status_code)
            location = urlsplit(response.headers["Location"])
            assert location.netloc in ("", "byline.test") and location.path == new, spelling
            assert client.get(new).status_code == 200, (spelling, new)


def with_text_inserted(source: Path, target: Path, after: str, text: str) -> Path:
    """A copy of an export with `text` put right after the first `after` in it."""
    content = source.read_text(encoding="utf-8")
    at = content.index(after) + len(after)
    target.write_text(content[:at] + text + content[at:], encoding="utf-8")
    return target


def truncated(source: Path, target: Path, fraction: float = 0.5) -> Path:
    """An export cut short, as a broken download leaves it."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def ghost_2_export(path: Path) -> Path:
    """A well-formed export from Ghost 2, a version Byline does not read."""
    path.write_text(
        json.dumps(
            {
                "db": [
                    {
                        "meta": {"exported_on": 1550000000000, "version": "2.38.0"},
                        "data": {
                            "posts": [{"id": "1", "title": "Old", "slug": "old", "html": ""}],
                            "users": [],
                        },
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    return path
