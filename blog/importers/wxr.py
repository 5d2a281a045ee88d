"""A WordPress export's XML read as a bounded stream.

The file is checked by its first bytes (`sniff`), then parsed by a parser that refuses
DTDs and entities; `children` yields each child of <channel> once complete and lets it go.
Every text is bounded while it is parsed and nesting is capped, so memory stays flat
however long or hostile the file. What the elements mean is wordpress.py's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from blog.importers.records import ExportRejected

# Namespace addresses (without their scheme: WordPress.com writes https) -> prefix.
NAMESPACES = {
    **{f"wordpress.org/export/1.{n}/": "wp" for n in range(3)},
    **{f"wordpress.org/export/1.{n}/excerpt/": "excerpt" for n in range(3)},
    "purl.org/rss/1.0/modules/content/": "content",
    "purl.org/dc/elements/1.1/": "dc",
}
# The most text kept of one element; beyond it the item is held back or noted.
BODY_LIMIT = 5_000_000
LIMITS = {
    "content:encoded": BODY_LIMIT,
    "wp:comment_content": 1_000_000,
    "wp:meta_value": 1_000_000,
}
FIELD_LIMIT = 65_536
# A WXR nests six deep; anything far deeper is an attack on the parser, not an export.
MAX_DEPTH = 32
MAGIC = {b"PK\x03\x04": "a zip archive", b"\x1f\x8b": "a gzip archive", b"%PDF": "a PDF"}

_names: dict[str, str] = {}


def local_name(tag: str) -> str:
    """A tag's short name ("wp:post_id") in any WXR namespace (http or https, 1.0 to 1.2)."""
    name = _names.get(tag)
    if name is None:
        name = tag
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            prefix = NAMESPACES.get(uri.removeprefix("https://").removeprefix("http://"))
            name = f"{prefix}:{local}" if prefix else tag
        if len(_names) < 1000:
            _names[tag] = name
    return name


class BoundedBuilder(TreeBuilder):
    """Builds the tree keeping at most each element's limit of text, plus one character so
    the reader can tell a text was cut, and refusing absurd nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.room = FIELD_LIMIT + 1

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExportRejected(f"refused: the XML nests deeper than {MAX_DEPTH} levels")
        self.room = LIMITS.get(local_name(tag), FIELD_LIMIT) + 1
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        self.room = FIELD_LIMIT + 1
        return super().end(tag)

    def data(self, text: str) -> None:
        if len(text) > self.room:
            text = text[: self.room]
        self.room -= len(text)
        if text:
            super().data(text)


@dataclass
class Item:
    """An <item> flattened: the first text of each field, its categories, its postmeta and
    its comments, with the names of the fields that were over their limit."""

    fields: dict[str, str]
    cut: set[str]
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[tuple[dict[str, str], set[str]]] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def read_fields(element: Element) -> tuple[dict[str, str], set[str]]:
    """Child name -> text (the first of each name), and the names cut at their limit."""
    fields: dict[str, str] = {}
    cut: set[str] = set()
    for child in element:
        name = local_name(child.tag)
        text = child.text or ""
        limit = LIMITS.get(name, FIELD_LIMIT)
        if len(text) > limit:
            cut.add(name)
            text = text[:limit]
        fields.setdefault(name, text)
    return fields, cut


def read_item(element: Element) -> Item:
    fields, cut = read_fields(element)
    item = Item(fields, cut)
    for child in element:
        name = local_name(child.tag)
        if name == "category":
            nicename = child.get("nicename", "")[:FIELD_LIMIT]
            item.categories.append((child.get("domain", ""), nicename, child.text or ""))
        elif name == "wp:postmeta":
            meta, _ = read_fields(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item.comments.append(read_fields(child))
    return item


def sniff(path: Path) -> None:
    """Refuse, before parsing, what is plainly not a WXR file, with a reason that helps."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError as error:
        raise ExportRejected(f"cannot read the file: {error.strerror}") from None
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise ExportRejected("the file is empty")
    for magic, what in MAGIC.items():
        if start.startswith(magic):
            raise ExportRejected(f"this is {what}, not a WordPress export (.xml)")
    if start[:1] in (b"{", b"["):
        raise ExportRejected("this looks like a JSON file; use import-ghost")
    if b"\x00" in head:
        raise ExportRejected("this is a binary file, not a WordPress export (.xml)")
    if not start.startswith(b"<"):
        raise ExportRejected("the file is not XML, so not a WordPress export (.xml)")
    if re.match(rb"<(?:!doctype\s+html|html)\b", start[:40], re.IGNORECASE):
        raise ExportRejected("this is a web page, not a WordPress export (.xml)")


def children(path: Path) -> Iterator[tuple[str, Element]]:
    """Each child of <channel> with its short name, once complete; it is then cleared and
    let go."""
    parser = DefusedXMLParser(target=BoundedBuilder(), forbid_dtd=True)
    depth, channel = 0, None
    try:
        with path.open("rb") as file:
            for event, element in iterparse(file, ("start", "end"), parser=parser):
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != "rss":
                        root = element.tag.rpartition("}")[2][:40]
                        raise ExportRejected(f"not a WordPress export: its root is <{root}>")
                    if depth == 2 and element.tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth == 2 and channel is not None:
                    yield local_name(element.tag), element
                    element.clear()
                    del channel[:]
    except ParseError as error:
        raise ExportRejected(f"the XML is malformed: {error}") from None
    except DefusedXmlException:
        raise ExportRejected("refused: the file declares a DTD") from None
    except OSError as error:
        raise ExportRejected(f"cannot read the file: {error.strerror}") from None
