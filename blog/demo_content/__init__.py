"""The demo newsroom as data files, read and checked before `flask --app blog demo` uses them.

articles/NN-<slug>.md: one article each, in the order NN gives. The file opens with TOML
front matter between two `+++` lines (title, slug, section, author, topics, days_ago,
featured, brief, optional coauthors (staff slugs credited after the author, in order), and
optional [cover] and [shares] tables); the Markdown body follows.

newsroom.toml: the sections, topics and staff, and under [[discussions]] the editors' notes
and reader comments of each article, matched by its slug. Comments nest through `replies`.

pages/<slug>.md: the static pages (About, Contact, ...), with the same front matter fence
(title, slug, author, summary, and optional show_byline and show_updated switches).
"""

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import click

from blog.models.enums import Role

FENCE = "+++"
ARTICLE_FILE = re.compile(r"(\d+)-(.+)\.md")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")

NEWSROOM = {"sections": list, "topics": list, "people": list, "discussions": list}
SECTION = {"name": str, "slug": str, "description": str}
TOPIC = {"name": str, "slug": str}
PERSON = {"name": str, "slug": str, "email": str, "role": str, "bio": str, "color": str}
ARTICLE = {
    "title": str,
    "slug": str,
    "section": str,
    "author": str,
    "topics": list,
    "days_ago": (int, float),
    "brief": str,
}
ARTICLE_OPTIONAL = {"featured": bool, "coauthors": list, "cover": dict, "shares": dict}
COVER = {"alt": str, "caption": str}
DISCUSSION = {"article": str}
DISCUSSION_OPTIONAL = {"editor_comments": list, "comments": list}
COMMENT = {"name": str, "body": str}
COMMENT_OPTIONAL = {"replies": list}
PAGE = {"title": str, "slug": str, "author": str, "summary": str}
PAGE_OPTIONAL = {"show_byline": bool, "show_updated": bool}


class DemoContentError(click.ClickException):
    """A demo data file that cannot be used, named with what is wrong in it."""


@dataclass(frozen=True)
class DemoContent:
    sections: list[dict]
    topics: list[dict]
    people: list[dict]
    # In file order; each with its "body" (Markdown), "editor_comments" and "comments".
    articles: list[dict]
    # By slug; each with its "body" (Markdown).
    pages: list[dict]


def data_files() -> Traversable:
    return resources.files(__name__)


def read(root: Traversable | None = None) -> DemoContent:
    """The demo newsroom from `root` (this package's files unless given).

    Raises DemoContentError naming the file, as blog/demo_content/articles/NN-<slug>.md."""
    try:
        return read_folder(root or data_files())
    except DemoContentError as exc:
        folder = "blog/demo_content" if root is None else str(root)
        raise DemoContentError(f"{folder}/{exc.message}") from None


def read_folder(root: Traversable) -> DemoContent:
    newsroom = parse_toml(root / "newsroom.toml", "newsroom.toml")
    check(newsroom, "newsroom.toml", {}, NEWSROOM)
    sections = records(newsroom, "sections", SECTION)
    topics = records(newsroom, "topics", TOPIC)
    people = records(newsroom, "people", PERSON)
    for index, person in enumerate(people):
        where = f"newsroom.toml: people[{index}]"
        if person["role"] not in {role.value for role in Role}:
            raise DemoContentError(f"{where}: role must be one of {', '.join(Role)}.")
        if not COLOR.fullmatch(person["color"]):
            raise DemoContentError(f"{where}: color must look like #2b6cb0.")

    articles = read_articles(root / "articles")
    known = {
        "section": {s["slug"] for s in sections},
        "author": {p["slug"] for p in people},
        "topics": {t["slug"] for t in topics},
    }
    for article in articles:
        where = f"articles/{article['file']}"
        for key in ("section", "author"):
            if article[key] not in known[key]:
                raise DemoContentError(f"{where}: {key} '{article[key]}' is not in newsroom.toml.")
        for slug in article["topics"]:
            if not isinstance(slug, str) or slug not in known["topics"]:
                raise DemoContentError(f"{where}: topic '{slug}' is not in newsroom.toml.")
        credited = [article["author"], *article.get("coauthors", [])]
        if len(set(map(str, credited))) != len(credited) or not set(credited) <= known["author"]:
            raise DemoContentError(f"{where}: coauthors must be other people of newsroom.toml.")

    pages = read_pages(root / "pages")
    for page in pages:
        if page["author"] not in known["author"]:
            where = f"pages/{page['file']}"
            raise DemoContentError(f"{where}: author '{page['author']}' is not in newsroom.toml.")

    by_slug = {article["slug"]: article for article in articles}
    discussed = set()
    for index, discussion in enumerate(newsroom.get("discussions", [])):
        where = f"newsroom.toml: discussions[{index}]"
        check(discussion, where, DISCUSSION, DISCUSSION_OPTIONAL)
        article = by_slug.get(discussion["article"])
        if article is None:
            raise DemoContentError(f"{where}: no article has the slug '{discussion['article']}'.")
        if discussion["article"] in discussed:
            raise DemoContentError(f"{where}: a second discussion of '{discussion['article']}'.")
        discussed.add(discussion["article"])
        notes = discussion.get("editor_comments", [])
        if not all(isinstance(note, str) and note.strip() for note in notes):
            raise DemoContentError(f"{where}: editor_comments must be a list of texts.")
        check_comments(discussion.get("comments", []), f"{where}.comments")
        article["editor_comments"] = notes
        article["comments"] = discussion.get("comments", [])
    return DemoContent(
        sections=sections, topics=topics, people=people, articles=articles, pages=pages
    )


def read_articles(folder: Traversable) -> list[dict]:
    files = []
    for entry in folder.iterdir():
        if entry.name.endswith(".md"):
            match = ARTICLE_FILE.fullmatch(entry.name)
            if match is None:
                raise DemoContentError(f"articles/{entry.name}: name it NN-<slug>.md.")
            files.append((int(match[1]), entry.name, match[2], entry))
    files.sort(key=lambda item: item[:2])
    articles, numbers, slugs = [], {}, {}
    for number, name, name_slug, entry in files:
        where = f"articles/{name}"
        if number in numbers:
            raise DemoContentError(f"{where}: number {number} is also {numbers[number]}.")
        numbers[number] = name
        article = parse_article(entry, where)
        if article["slug"] != name_slug:
            raise DemoContentError(f"{where}: the file name must end in -{article['slug']}.md.")
        if article["slug"] in slugs:
            raise DemoContentError(f"{where}: slug '{name_slug}' is also {slugs[name_slug]}.")
        slugs[name_slug] = name
        articles.append(article)
    if not articles:
        raise DemoContentError("articles/: no NN-<slug>.md files.")
    return articles


def read_pages(folder: Traversable) -> list[dict]:
    """The pages in pages/<slug>.md, by slug (the folder may be missing: no pages)."""
    if not folder.is_dir():
        return []
    pages = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".md"):
            continue
        where = f"pages/{entry.name}"
        page, body = parse_front_matter(entry, where)
        check(page, where, PAGE, PAGE_OPTIONAL)
        if entry.name != f"{page['slug']}.md":
            raise DemoContentError(f"{where}: name the file {page['slug']}.md, after its slug.")
        page.update(body=body, file=entry.name)
        pages.append(page)
    return pages


def parse_front_matter(entry: Traversable, where: str) -> tuple[dict, str]:
    """The TOML between the two +++ lines, and the Markdown body after them."""
    lines = decode(entry, where).splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise DemoContentError(f"{where}: the file must open with a {FENCE} line.")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise DemoContentError(f"{where}: the front matter has no closing {FENCE} line.")
    try:
        # A blank line in place of the opening +++, so errors give the file's line numbers.
        data = tomllib.loads("".join(["\n", *lines[1:end]]))
    except tomllib.TOMLDecodeError as exc:
        raise DemoContentError(f"{where}: front matter: {exc}") from None
    body = "".join(lines[end + 1 :]).strip()
    if not body:
        raise DemoContentError(f"{where}: no Markdown body after the front matter.")
    return data, body


def parse_article(entry: Traversable, where: str) -> dict:
    article, body = parse_front_matter(entry, where)
    check(article, where, ARTICLE, ARTICLE_OPTIONAL)
    if "cover" in article:
        check(article["cover"], f"{where}: [cover]", COVER, {})
    for network, count in article.get("shares", {}).items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise DemoContentError(f"{where}: [shares] {network} must be a whole number.")
    if article["days_ago"] < 0:
        raise DemoContentError(f"{where}: days_ago cannot be negative.")
    article.update(body=body, file=entry.name, editor_comments=[], comments=[])
    return article


def check_comments(items: list, where: str) -> None:
    for index, item in enumerate(items):
        check(item, f"{where}[{index}]", COMMENT, COMMENT_OPTIONAL)
        check_comments(item.get("replies", []), f"{where}[{index}].replies")


def records(data: dict, key: str, fields: dict) -> list[dict]:
    """The list under `key`, each entry with exactly `fields`, no slug twice."""
    items = data.get(key, [])
    if not items:
        raise DemoContentError(f"newsroom.toml: no [[{key}]].")
    seen = set()
    for index, item in enumerate(items):
        where = f"newsroom.toml: {key}[{index}]"
        check(item, where, fields, {})
        if item["slug"] in seen:
            raise DemoContentError(f"{where}: slug '{item['slug']}' is used twice.")
        seen.add(item["slug"])
    return items


def check(data: object, where: str, required: dict, optional: dict) -> None:
    """Every required key present, nothing unknown, every value of its type."""
    if not isinstance(data, dict):
        raise DemoContentError(f"{where}: expected a table of keys and values.")
    for key in required:
        if key not in data:
            raise DemoContentError(f"{where}: {key} is missing.")
    types = required | optional
    for key, value in data.items():
        if key not in types:
            raise DemoContentError(f"{where}: unknown key '{key}'.")
        expected = types[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise DemoContentError(f"{where}: {key} has the wrong type.")
        if isinstance(value, str) and not value.strip():
            raise DemoContentError(f"{where}: {key} is empty.")


def parse_toml(entry: Traversable, where: str) -> dict:
    try:
        return tomllib.loads(decode(entry, where))
    except tomllib.TOMLDecodeError as exc:
        raise DemoContentError(f"{where}: {exc}") from None


def decode(entry: Traversable, where: str) -> str:
    try:
        return entry.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DemoContentError(f"{where}: the file is missing.") from None
    except UnicodeDecodeError:
        raise DemoContentError(f"{where}: not UTF-8 text.") from None
