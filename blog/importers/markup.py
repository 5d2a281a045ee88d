"""HTML from a WordPress or Ghost export turned into Byline's Markdown.

A body is parsed once (BeautifulSoup's html.parser) and written out by a markdownify
converter that knows the platforms' markup: WordPress's autop, shortcodes and block
figures (shortcodes.py), Ghost's cards. What cannot come across (embeds, scripts, unusable
images) becomes one note line for the import report. Nothing here raises on bad input, and
the work stays linear in the size of the HTML: every regex is bounded (markdown_text.py
holds the escaping), and markup nested deeper than MAX_DEPTH comes across as its text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from markdownify import (
    ATX,
    MarkdownConverter,
    chomp,
    should_remove_whitespace_inside,
    should_remove_whitespace_outside,
    strip_pre,
)

from blog.importers.brief import first_paragraph
from blog.importers.markdown_text import (
    BLANK_LINE,
    BREAK,
    GHOST_URL,
    SPACE,
    URL,
    destination,
    escape_label,
    escape_text,
    link_label,
    note,
    site_url,
    tidy,
    url_scheme,
)
from blog.importers.records import Image
from blog.importers.shortcodes import autop, expand_shortcodes
from blog.text import CONTROL_CHARACTERS

# The importers' one entry point for body text: first_paragraph (brief.py) comes through here.
__all__ = ["GHOST_URL", "Converted", "comment_markdown", "first_paragraph", "to_markdown"]

MAX_DEPTH = 40
MAX_SPAN = 20  # columns a table cell may span here
_REMOVED = frozenset(
    {"script", "style", "noscript", "form", "input", "button", "select", "textarea",
     "template", "svg", "canvas"}
)  # fmt: skip
_CELL_BLOCKS = ["p", "ul", "ol", "pre", "blockquote", "div", "table", "h1", "h2", "h3", "h4"]
_BACKTICKS = re.compile(r"`+")
_LANGUAGE = re.compile(r"\b(?:language|lang)-([\w+#.-]{1,30})|brush: ?([\w+#-]{1,30})")


@dataclass
class Converted:
    markdown: str
    notes: list[str]  # one line each, for the import report


def to_markdown(
    html: str,
    *,
    platform: str,
    image: Callable[[Image], str | None] = lambda image: None,
    attachment: Callable[[str], Image | None] = lambda id: None,
) -> Converted:
    """A post's HTML as Markdown. `image` gets every image and answers its new address
    (None: a link to where it was when that is a full http(s) address, else the image is
    left out with a note); `attachment` finds a WordPress attachment by id, for [gallery]."""
    notes: dict[str, None] = {}
    text = _clean_input(html)
    classic = False
    if platform == "wordpress":
        # Posts written in the block editor carry its comments and get no autop.
        classic = "<!-- wp:" not in text
        text = expand_shortcodes(text, notes, attachment)
    converter = _Converter(notes=notes, image=image, autop=classic)
    return Converted(tidy(converter.convert_soup(_parse(text))), list(notes))


def comment_markdown(html: str) -> str:
    """A WordPress comment (text with newlines and a few inline tags) as Markdown."""
    converter = _Converter(notes={}, autop=True, for_comment=True)
    return tidy(converter.convert_soup(_parse(_clean_input(html))))


def _clean_input(html: str) -> str:
    text = CONTROL_CHARACTERS.sub("", html or "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # A body that is only an address or starts like XML is still a body.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "html.parser")


def _text(el: Tag | None) -> str:
    return SPACE.sub(" ", el.get_text()).strip() if el is not None else ""


def _plain_in_captions(convert):
    def converter(self, el, text, parent_tags):
        return text if "_caption" in parent_tags else convert(self, el, text, parent_tags)

    return converter


class _Converter(MarkdownConverter):
    """markdownify taught Byline's Markdown and the two platforms' markup."""

    class Options(MarkdownConverter.DefaultOptions):
        autolinks = False
        bullets = "-"
        heading_style = ATX
        table_infer_header = True

    def __init__(self, *, notes, image=lambda image: None, autop=False, for_comment=False):
        super().__init__()
        self.notes, self.image, self.autop, self.for_comment = notes, image, autop, for_comment
        self.depth = 0
        self.items: dict[int, int] = {}  # list items numbered so far, per <ol>
        self.widths: dict[int, list[int]] = {}  # cells in each row, per <table>
        self.captions: dict[int, Tag | None] = {}  # see owned_caption

    def note(self, line: str) -> None:
        note(self.notes, line)

    def process_tag(self, node, parent_tags=None):
        tags = set() if parent_tags is None else parent_tags
        if node.name in _REMOVED:
            self.note(f"{node.name} removed")
            return ""
        if self.depth >= MAX_DEPTH:
            self.note("deeply nested markup kept as plain text")
            return f" {self.escape(_text(node), tags)} "
        card = self.card(node, tags)
        if card is not None:
            return card
        if node.name == "figcaption":
            tags = tags | {"_caption"}
        self.depth += 1
        try:
            return super().process_tag(node, tags)
        finally:
            self.depth -= 1

    def process_text(self, el, parent_tags=None):
        tags = parent_tags or set()
        raw = str(el)
        if "pre" in tags:
            return raw
        if "_noformat" in tags:
            text = SPACE.sub(" ", raw)
        elif self.autop and "_inline" not in tags:
            text = autop(
                raw,
                el,
                text=lambda line: self.escape(SPACE.sub(" ", line), tags),
                embed=lambda url: self.embed(url, "", tags),
            )
        else:
            text = self.escape(SPACE.sub(" ", raw), tags)
        if text.endswith("!") and isinstance(el.next_sibling, Tag):
            text = text[:-1] + "\\!"  # not an image: "Wow!" then a link
        # markdownify's rule: no space at the edge of a block.
        if should_remove_whitespace_outside(el.previous_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.previous_sibling
        ):
            text = text.lstrip(" \t\r\n")
        if should_remove_whitespace_outside(el.next_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.next_sibling
        ):
            text = text.rstrip()
        return text

    def escape(self, text, parent_tags):
        return escape_text(text, in_link="a" in parent_tags) if text else ""

    def embed(self, url: str | None, title: str | None, tags, kind: str = "embed") -> str:
        """An embedded thing as a link to its source, with a note."""
        url = site_url((url or "").strip())
        url = "https:" + url if url.startswith("//") else url
        if url_scheme(url) not in ("http", "https") and not url.startswith("/"):
            self.note(f"{kind} without a usable address removed")
            return ""
        self.note(f"{kind} kept as a link: {url}")
        label = escape_label(title or "") or escape_label(link_label(url))
        link = f"[{label}]({destination(url)})"
        return link if "_inline" in tags else f"\n\n{link}\n\n"

    def card(self, node, tags) -> str | None:
        """Ghost cards and WordPress embed blocks: their own Markdown, or None."""
        classes = set(node.get("class") or ()) if node.name in ("figure", "div") else ()
        if not classes:
            return None
        if "kg-bookmark-card" in classes:
            link = node.find("a", href=True)
            title = _text(node.find(class_="kg-bookmark-title"))
            return self.embed(link and link["href"], title, tags) + self.loose_caption(node, tags)
        if classes & {"kg-video-card", "kg-audio-card"}:
            media = node.find(["video", "audio"])
            title = _text(node.find(class_="kg-audio-title"))
            return self.embed(media and media.get("src"), title, tags) + self.loose_caption(
                node, tags
            )
        if "kg-file-card" in classes:
            link = node.find("a", href=True)
            title = _text(node.find(class_="kg-file-card-title"))
            return self.embed(link and link["href"], title, tags, kind="file")
        if "wp-block-embed" in classes and node.find("iframe") is None:
            url = URL.search(_text(node.find(class_="wp-block-embed__wrapper") or node))
            return self.embed(url and url.group(), "", tags) + self.loose_caption(node, tags)
        if "kg-callout-card" in classes:
            body = node.find(class_="kg-callout-text")
            emoji = self.escape(_text(node.find(class_="kg-callout-emoji")), tags)
            text = self.process_tag(body, tags).strip() if body else self.escape(_text(node), tags)
            return self.convert_blockquote(node, f"{emoji} {text}".strip(), tags)
        if "kg-toggle-card" in classes:
            heading = self.escape(_text(node.find(class_="kg-toggle-heading-text")), tags)
            body = node.find(class_="kg-toggle-content")
            parts = [
                f"**{heading}**" if heading else "",
                self.process_tag(body, tags) if body else "",
            ]
            return self.convert_blockquote(node, "\n\n".join(p.strip() for p in parts if p), tags)
        return None

    def caption(self, figcaption, tags) -> str:
        tags = tags | {"_inline", "_caption", "figcaption"}
        text = "".join(self.process_element(child, tags) for child in figcaption.children)
        return SPACE.sub(" ", text.replace("\x00", "")).strip()

    def owned_caption(self, figure: Tag) -> Tag | None:
        """A figure's caption when it holds one image: the caption goes below that image."""
        if id(figure) not in self.captions:
            figcaption = figure.find("figcaption", recursive=False)
            alone = figcaption is not None and len(figure.find_all("img", limit=2)) == 1
            self.captions[id(figure)] = figcaption if alone else None
        return self.captions[id(figure)]

    def loose_caption(self, figure, tags, name="figcaption") -> str:
        figcaption = figure.find(name, recursive=False)
        text = self.caption(figcaption, tags) if figcaption is not None else ""
        return f"\n\n*{text}*\n\n" if text else ""

    def convert_img(self, el, text, parent_tags):
        alt = SPACE.sub(" ", str(el.get("alt") or "")).strip()
        if "_noformat" in parent_tags:
            return alt
        figure = _ancestor(el, "figure")
        figcaption = figure and self.owned_caption(figure)
        caption = self.caption(figcaption, parent_tags) if figcaption else ""
        below = f"\n\n*{caption}*\n\n" if caption else ""
        below = f" *{caption}*" if caption and "_inline" in parent_tags else below
        src = str(el.get("src") or "").strip()
        src = "https:" + src if src.startswith("//") else src
        scheme = url_scheme(src)
        if scheme not in ("http", "https") and not src.startswith(("/", GHOST_URL)):
            reason = f"{scheme}: address" if scheme else "relative address" if src else "no address"
            self.note(f"image left out: {reason}")
            return below
        if self.for_comment:
            return f"[{escape_label(alt or 'Image')}]({destination(site_url(src))})"
        new_url = self.image(Image(url=src, alt=alt, caption=_text(figcaption)))
        if new_url:
            image = f"![{escape_label(alt)}]({destination(new_url)})"
        elif scheme in ("http", "https"):  # never hotlinked: a link to where the image was
            image = f"[{escape_label(alt or 'Image')}]({destination(src)})"
        else:  # a path on the old site: here it would answer 404
            self.note(f"image left out: {SPACE.sub(' ', site_url(src))}")
            return below
        return f"\n\n{image}{below}" if below.startswith("\n") else image + below

    def convert_figcaption(self, el, text, parent_tags):
        if el.parent is not None and el.parent.name == "figure" and self.owned_caption(el.parent):
            return ""  # written below its image
        text = SPACE.sub(" ", text.replace("\x00", "")).strip()
        return f"\n\n*{text}*\n\n" if text else ""

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags or (el.find("img") and not el.get_text(strip=True)):
            return text  # an image in a link is just the image
        prefix, suffix, text = chomp(BLANK_LINE.sub(" ", text))
        href = str(el.get("href") or "").strip()
        if not text or not href:
            return prefix + text + suffix
        if url_scheme(href) in ("javascript", "vbscript", "data"):
            self.note(f"link removed: {url_scheme(href)}: address")
            return prefix + text + suffix
        return f"{prefix}[{text}]({destination(site_url(href))}){suffix}"

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return "\n"
        return " " if {"_inline", "_noformat"} & parent_tags else BREAK

    def convert_hN(self, n, el, text, parent_tags):
        text = SPACE.sub(" ", text.replace("\x00", "")).strip()
        if "_inline" in parent_tags or not text:
            return text
        if self.for_comment:
            return f"\n\n{text}\n\n"
        # The headline is the page's h1: a body's h1 becomes ##.
        return f"\n\n{'#' * min(6, max(2, n))} {text}\n\n"

    def convert_hr(self, el, text, parent_tags):
        return "" if self.for_comment else "\n\n---\n\n"

    def convert_li(self, el, text, parent_tags):
        parent, bullet = el.parent, "-"
        if parent is not None and parent.name == "ol":
            count = self.items[id(parent)] = self.items.get(id(parent), 0) + 1
            start = str(parent.get("start") or "1")
            start_at = int(start) if start.isascii() and start.isdigit() and len(start) < 9 else 1
            bullet = f"{start_at + count - 1}."
        lines = (text or "").strip().split("\n")
        if not lines[0]:
            return "\n"
        indent = " " * (len(bullet) + 1)
        rest = "".join("\n" + (indent + line if line else "") for line in lines[1:])
        return f"{bullet} {lines[0]}{rest}\n"

    def convert_pre(self, el, text, parent_tags):
        text = strip_pre(text)
        if "pre" in parent_tags or not text.strip():
            return text
        if "_inline" in parent_tags:
            return f" {SPACE.sub(' ', text)} "
        code = el.find("code", recursive=False)
        classes = " ".join([*el.get("class", ()), *(code.get("class", ()) if code else ())])
        language = _LANGUAGE.search(classes)
        info = (language.group(1) or language.group(2)) if language else ""
        fence = "`" * max(3, 1 + max(map(len, _BACKTICKS.findall(text)), default=0))
        return f"\n\n{fence}{info}\n{text}\n{fence}\n\n"

    def convert_table(self, el, text, parent_tags):
        widths = self.widths.pop(id(el), [])
        if "_inline" in parent_tags:
            self.note("table simplified: a table inside a table kept as text")
            return f" {self.escape(_text(el), parent_tags)} "
        for cell in el.find_all(["td", "th"]):
            merged = str(cell.get("colspan", "1")) != "1" or str(cell.get("rowspan", "1")) != "1"
            if merged or any(getattr(child, "name", None) in _CELL_BLOCKS for child in cell):
                self.note("table simplified: merged cells or blocks inside cells")
                break
        lines = [line for line in text.split("\n") if line.strip()]
        rows = [line for line in lines if line.startswith("|")]
        if len(rows) < len(lines):  # text outside any cell comes after the table
            self.note("table simplified: merged cells or blocks inside cells")
        caption = self.loose_caption(el, parent_tags, name="caption")
        if not rows:
            return self.convert_div(el, text, parent_tags) + caption
        # The first row is the header, as wide as the widest row so that no cell is lost.
        width = max(widths, default=1)
        header = rows[0] + " |" * (width - (widths or [width])[0])
        rule = "| " + " | ".join(["---"] * width) + " |"
        outside = "\n\n".join(line for line in lines if not line.startswith("|"))
        return "\n\n" + "\n".join([header, rule, *rows[1:]]) + f"\n\n{outside}\n\n{caption}"

    def convert_td(self, el, text, parent_tags):
        # A cell's span is capped (MAX_SPAN): a span of 1,000 would make one short cell
        # two thousand characters, and a body of such cells hundreds of megabytes.
        return " " + text.strip().replace("\n", " ") + " |" * _span(el)

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags):
        cells = [child for child in el.children if getattr(child, "name", None) in ("td", "th")]
        width = sum(_span(cell) for cell in cells)
        self.widths.setdefault(id(_ancestor(el, "table")), []).append(max(1, width))
        return f"|{text}\n" if cells else f"| {text.strip()} |\n"

    def convert_caption(self, el, text, parent_tags):
        return ""  # written below its table

    def convert_iframe(self, el, text, parent_tags):
        return self.embed(el.get("src") or el.get("data-src"), el.get("title"), parent_tags)

    def convert_embed(self, el, text, parent_tags):
        return self.embed(el.get("src"), el.get("title"), parent_tags)

    def convert_object(self, el, text, parent_tags):
        return self.embed(el.get("data"), el.get("title"), parent_tags)

    def convert_video(self, el, text, parent_tags):
        source = el.get("src") or (el.find("source", src=True) or {}).get("src")
        return self.embed(source, el.get("title"), parent_tags)

    convert_audio = convert_video
    convert_em = convert_i = _plain_in_captions(MarkdownConverter.convert_em)
    convert_strong = convert_b = _plain_in_captions(MarkdownConverter.convert_strong)
    convert_strike = MarkdownConverter.convert_del
    convert_figure = convert_aside = convert_header = convert_footer = MarkdownConverter.convert_div
    convert_main = convert_nav = convert_details = convert_summary = MarkdownConverter.convert_div
    convert_address = convert_center = convert_fieldset = MarkdownConverter.convert_div


def _ancestor(el: Tag, name: str) -> Tag | None:
    parent = el.parent
    while parent is not None and parent.name != name:
        parent = parent.parent
    return parent


def _span(cell: Tag) -> int:
    colspan = str(cell.get("colspan", ""))
    return max(1, min(MAX_SPAN, int(colspan))) if colspan.isascii() and colspan.isdigit() else 1
