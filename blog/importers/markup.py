"""HTML from a WordPress or Ghost export turned into Byline's Markdown.

A body is parsed once (BeautifulSoup's html.parser) and written out by a markdownify
converter that knows the platforms' markup: WordPress's autop, shortcodes and block
figures, Ghost's cards. What cannot come across (embeds, scripts, unusable images) becomes
one note line for the import report. Nothing here raises on bad input, and the work stays
linear in the size of the HTML: every regex is bounded, and markup nested deeper than
MAX_DEPTH comes across as its text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from markdown_it import MarkdownIt
from markdownify import (
    ATX,
    MarkdownConverter,
    chomp,
    should_remove_whitespace_inside,
    should_remove_whitespace_outside,
    strip_pre,
)

from blog.importers.records import Image
from blog.text import CONTROL_CHARACTERS

MAX_DEPTH = 40
GHOST_URL = "__GHOST_URL__"

# A <br>: a hard break where a line follows, nothing at the end of a block (see _tidy).
_BREAK = "\x00\n"
_REMOVED = frozenset(
    {"script", "style", "noscript", "form", "input", "button", "select", "textarea",
     "template", "svg", "canvas"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
     "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul"}
)  # fmt: skip
_LINE_EDGES = _BLOCKS | {"br"}
# Where WordPress's autop makes paragraphs of blank lines (elsewhere a newline is a break).
_PARAGRAPH_PARENTS = frozenset(
    {"[document]", "article", "aside", "blockquote", "dd", "details", "div", "figcaption",
     "figure", "footer", "header", "li", "main", "p", "section"}
)  # fmt: skip
_CELL_BLOCKS = ["p", "ul", "ol", "pre", "blockquote", "div", "table", "h1", "h2", "h3", "h4"]
# Hosts WordPress embeds when their address stands alone on a line of a classic post.
_OEMBED_HOSTS = (
    "youtube.com", "youtu.be", "vimeo.com", "twitter.com", "x.com", "instagram.com",
    "facebook.com", "flickr.com", "flic.kr", "soundcloud.com", "spotify.com", "tiktok.com",
    "reddit.com", "dailymotion.com", "ted.com", "tumblr.com", "wordpress.tv", "imgur.com",
    "mixcloud.com", "slideshare.net", "scribd.com", "issuu.com", "videopress.com",
)  # fmt: skip
_KNOWN_SHORTCODES = frozenset(
    {"caption", "wp_caption", "gallery", "embed", "video", "audio", "youtube", "vimeo"}
)
_ENCLOSING = frozenset({"caption", "wp_caption", "embed"})  # their content is what they show

_SPACE = re.compile(r"[ \t\r\n]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n[ \t\n]*")
_NEWLINES = re.compile(r"\n[ \t\n]*")
_URL = re.compile(r"https?://[^\s<>\"'|\\`\[\]]{1,2000}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,30}):")
_BACKTICKS = re.compile(r"`+")
_LANGUAGE = re.compile(r"\b(?:language|lang)-([\w+#.-]{1,30})|brush: ?([\w+#-]{1,30})")
# Markdown's inline syntax in text; in a link's text every bracket is escaped too.
_INLINE = r"[*`|\\]|~(?=~|\Z)|\A~|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w{1,32};)"
_TEXT_SPECIALS = re.compile(_INLINE + r"|\](?=[(\[:])")
_LABEL_SPECIALS = re.compile(_INLINE + r"|[\[\]]")
# What would start a block at the start of a line: heading, quote, list item, rule.
_LINE_START = re.compile(
    r"^([ \t]*)(#(?=#{0,5}(?:[ \t]|$))|>|[-+](?=[ \t]|$)|[-=](?=[-= \t]*$)"
    r"|\d{1,9}(?=[.)](?:[ \t]|$)))",
    re.M,
)
_FENCE = re.compile(r"^[ >]*(`{3,})")
_BLOCK_LINE = re.compile(r"^[ \t>]*(?:[-+*][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|`{3})")

# WordPress shortcodes: a lowercase name followed by a space, "=", "]" or "/]".
_SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]{0,40})((?:[ \t=][^\[\]]{0,2000})?)\]")
_ATTRIBUTE = re.compile(
    r"""([A-Za-z_][\w-]{0,40})[ \t]{0,3}=[ \t]{0,3}"""
    r"""(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s"']{1,2000}))"""
)
_PROTECTED = re.compile(r"<(pre|code)\b", re.I)
_PROTECTED_END = {"pre": re.compile(r"</pre", re.I), "code": re.compile(r"</code", re.I)}
_CAPTION = re.compile(
    r"\s{0,200}((?:<a\s[^>]{0,4000}>\s{0,200})?<img\s[^>]{0,4000}>(?:\s{0,200}</a>)?)(.*)",
    re.S | re.I,
)

_PARAGRAPHS = MarkdownIt("commonmark").enable(["table", "strikethrough"])


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
    (None: the image stays a link to where it was); `attachment` finds a WordPress
    attachment by id, for [gallery]."""
    notes: dict[str, None] = {}
    text = _clean_input(html)
    classic = False
    if platform == "wordpress":
        # Posts written in the block editor carry its comments and get no autop.
        classic = "<!-- wp:" not in text
        text = _expand_shortcodes(text, notes, attachment)
    converter = _Converter(notes=notes, image=image, autop=classic)
    return Converted(_tidy(converter.convert_soup(_parse(text))), list(notes))


def comment_markdown(html: str) -> str:
    """A WordPress comment (text with newlines and a few inline tags) as Markdown."""
    converter = _Converter(notes={}, autop=True, for_comment=True)
    return _tidy(converter.convert_soup(_parse(_clean_input(html))))


def first_paragraph(markdown: str, limit: int = 300) -> str:
    """Plain text of the first paragraph with words of its own: not a heading, not an image
    or link alone (a figure, an embed) nor the caption below one; one at the top level
    before one in a quote or list. Cut at a word boundary with "…" past `limit`."""
    depth, fallback, after_media = 0, "", False
    # The opening is enough, and Markdown parsing of long bracket runs is slow.
    tokens = _PARAGRAPHS.parse((markdown or "")[:20_000])
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            children = token.children or []
            is_media = not _has_own_text(children)
            is_caption = after_media and _is_emphasis_only(children)
            after_media = is_media
            text = "" if is_media or is_caption else _plain(children)
            if text and depth == 0:
                return _shorten(text, limit)
            fallback = fallback or text
        elif token.type.endswith("_open") and token.type != "paragraph_open":
            after_media = False
    return _shorten(fallback, limit)


def _has_own_text(children) -> bool:
    in_link = 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if not in_link and child.type in ("text", "code_inline") and child.content.strip():
            return True
    return False


def _is_emphasis_only(children) -> bool:
    kept = [c for c in children if not (c.type == "text" and not c.content.strip())]
    return len(kept) > 2 and kept[0].type == "em_open" and kept[-1].type == "em_close"


def _plain(children) -> str:
    words = (
        c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else ""
        for c in children
    )
    return _SPACE.sub(" ", "".join(words)).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > 0 else limit - 1]
    return head.rstrip(" ,;:-–—") + "…"


def _clean_input(html: str) -> str:
    text = CONTROL_CHARACTERS.sub("", html or "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # A body that is only an address or starts like XML is still a body.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "html.parser")


def _note(notes: dict[str, None], line: str) -> None:
    notes.setdefault(line if len(line) <= 200 else line[:199] + "…", None)


def _attr(value: str) -> str:
    """Text from a shortcode (HTML source already) made safe inside a quoted attribute."""
    return value.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_html(value: str) -> str:
    return _attr(value.replace("&", "&amp;"))


def _label(url: str) -> str:
    """A link's words when there is no title: the host, else the file name."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return "Link"
    return host or unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or "Link"


def _scheme(url: str) -> str:
    match = _SCHEME.match(_SPACE.sub("", url))
    return match.group(1).lower() if match else ""


def _site_url(url: str) -> str:
    """Ghost's placeholder for its own address becomes a site-relative path."""
    if url.startswith(GHOST_URL):
        rest = url[len(GHOST_URL) :]
        return rest if rest.startswith("/") else "/" + rest
    return url


def _destination(url: str) -> str:
    """A URL as a Markdown link destination: nothing in it may end or bend the syntax."""
    url = re.sub(r"[\t\r\n]", "", url.strip()).replace("\\", "%5C")
    url = re.sub(r"&(?=#?\w{1,32};)", "%26", url)
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        url = url.replace(char, code)
    return url


def _escape_label(text: str) -> str:
    return _LABEL_SPECIALS.sub(r"\\\g<0>", _SPACE.sub(" ", text).strip())


def _text(el: Tag | None) -> str:
    return _SPACE.sub(" ", el.get_text()).strip() if el is not None else ""


def _expand_shortcodes(html: str, notes: dict[str, None], attachment) -> str:
    """WordPress shortcodes turned into the HTML they stand for, or removed keeping their
    inner text. Text inside <pre> and <code>, and bare words in brackets ("[sic]"), stay."""
    spans, position = [], 0
    while match := _PROTECTED.search(html, position):
        end = _PROTECTED_END[match.group(1).lower()].search(html, match.end())
        position = end.end() if end else len(html)
        spans.append((match.start(), position))
    tokens, span = [], 0
    for token in _SHORTCODE.finditer(html):
        while span < len(spans) and spans[span][1] <= token.start():
            span += 1
        if span == len(spans) or token.start() < spans[span][0]:
            tokens.append(token)
    # For each opening tag, the first closing tag of its name after it (WordPress's rule).
    closes: list[int | None] = [None] * len(tokens)
    later: dict[str, int] = {}
    for index in range(len(tokens) - 1, -1, -1):
        slash, name = tokens[index].group(1, 2)
        if slash:
            later[name] = index
        else:
            closes[index] = later.get(name)
    out, position, index, dropped = [], 0, 0, set()
    while index < len(tokens):
        token, close = tokens[index], closes[index]
        slash, name, attrs = token.group(1, 2, 3)
        known = name in _KNOWN_SHORTCODES
        if html[token.start() - 1 : token.start()] == "[" and html[token.end() :][:1] == "]":
            # "[[gallery]]" is how WordPress writes the words "[gallery]".
            if known:
                out += [html[position : token.start() - 1], token.group()]
                position = token.end() + 1
            index += 1
            continue
        # A media shortcode with its address in its attributes encloses nothing.
        consumes = known and close is not None and (name in _ENCLOSING or not _URL.search(attrs))
        if slash or (
            not known and (close is not None or "=" in attrs or attrs.rstrip().endswith("/"))
        ):
            if index not in dropped and not (slash and known):
                _note(notes, f"unsupported shortcode [{name}] removed")
            if close is not None and not slash:
                dropped.add(close)
            replacement = ""
        elif known:
            inner = html[token.end() : tokens[close].start()] if consumes else ""
            replacement = _known_shortcode(name, attrs, inner, notes, attachment)
        else:
            index += 1  # "[sic]", "[citation needed]": words, not a shortcode
            continue
        out += [html[position : token.start()], replacement]
        position = tokens[close].end() if consumes else token.end()
        index = close + 1 if consumes else index + 1
    return "".join(out) + html[position:]


def _known_shortcode(name: str, attrs: str, inner: str, notes, attachment) -> str:
    values = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
              for m in _ATTRIBUTE.finditer(attrs)}  # fmt: skip
    if name in ("caption", "wp_caption"):
        match = _CAPTION.match(inner)
        if match is None:
            return inner
        caption = match.group(2).strip() or values.get("caption", "")
        return f"<figure>{match.group(1)}<figcaption>{caption}</figcaption></figure>"
    if name == "gallery":
        ids = re.findall(r"\d{1,20}", values.get("ids") or values.get("include") or "")
        if not ids:
            _note(notes, "gallery without image ids left out")
        figures = []
        for source_id in ids:
            found = attachment(source_id)
            if found is None:
                _note(notes, f"gallery: attachment {source_id} not found")
                continue
            caption = f"<figcaption>{_escape_html(found.caption)}</figcaption>"
            figures.append(
                f'<figure><img src="{_escape_html(found.url)}" alt="{_escape_html(found.alt)}">'
                f"{caption if found.caption else ''}</figure>"
            )
        return f"<div>{''.join(figures)}</div>"
    url = next((values[key] for key in ("src", "url", "mp4", "mp3", "m4v", "webm", "ogg")
                if values.get(key)), "")  # fmt: skip
    match = _URL.search(url or attrs) or _URL.search(inner)
    if match is None:
        _note(notes, f"[{name}] without an address removed")
        return ""
    url = match.group()
    _note(notes, f"embed kept as a link: {url.replace('&amp;', '&')}")
    return f'<a href="{_attr(url)}">{_escape_html(_label(url.replace("&amp;", "&")))}</a>'


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
        _note(self.notes, line)

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
            text = _SPACE.sub(" ", raw)
        elif self.autop and "_inline" not in tags:
            text = self.autop_text(raw, el, tags)
        else:
            text = self.escape(_SPACE.sub(" ", raw), tags)
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

    def autop_text(self, raw: str, el, tags) -> str:
        """WordPress's autop: a blank line ends a paragraph, a newline is a line break,
        and an embeddable address alone on its line is an embed."""
        in_block = el.parent is not None and el.parent.name in _PARAGRAPH_PARENTS
        paragraphs = _BLANK_LINE.split(raw) if in_block else [raw]
        out = []
        for p_index, paragraph in enumerate(paragraphs):
            lines = _NEWLINES.split(paragraph)
            rendered = []
            for l_index, line in enumerate(lines):
                starts = l_index > 0 or p_index > 0 or _starts_line(el)
                ends = l_index < len(lines) - 1 or p_index < len(paragraphs) - 1 or _ends_line(el)
                url = _URL.fullmatch(line.strip()) if in_block and starts and ends else None
                if url and _is_oembed(url.group()):
                    rendered.append(self.embed(url.group(), "", tags))
                else:
                    rendered.append(self.escape(_SPACE.sub(" ", line), tags))
            out.append(_BREAK.join(rendered))
        return "\n\n".join(out)

    def escape(self, text, parent_tags):
        if not text:
            return ""
        if "a" in parent_tags:  # a link's text: no address in it gets linked again
            return _LINE_START.sub(_escape_line_start, _LABEL_SPECIALS.sub(r"\\\g<0>", text))
        parts, position = [], 0
        for url in _URL.finditer(text):  # bare addresses stay whole for the linkifier
            parts += [_TEXT_SPECIALS.sub(r"\\\g<0>", text[position : url.start()]), url.group()]
            position = url.end()
        parts.append(_TEXT_SPECIALS.sub(r"\\\g<0>", text[position:]))
        return _LINE_START.sub(_escape_line_start, "".join(parts))

    def embed(self, url: str | None, title: str | None, tags, kind: str = "embed") -> str:
        """An embedded thing as a link to its source, with a note."""
        url = _site_url((url or "").strip())
        url = "https:" + url if url.startswith("//") else url
        if _scheme(url) not in ("http", "https") and not url.startswith("/"):
            self.note(f"{kind} without a usable address removed")
            return ""
        self.note(f"{kind} kept as a link: {url}")
        label = _escape_label(title or "") or _escape_label(_label(url))
        link = f"[{label}]({_destination(url)})"
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
            url = _URL.search(_text(node.find(class_="wp-block-embed__wrapper") or node))
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
        return _SPACE.sub(" ", text.replace("\x00", "")).strip()

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
        alt = _SPACE.sub(" ", str(el.get("alt") or "")).strip()
        if "_noformat" in parent_tags:
            return alt
        figure = _ancestor(el, "figure")
        figcaption = figure and self.owned_caption(figure)
        caption = self.caption(figcaption, parent_tags) if figcaption else ""
        below = f"\n\n*{caption}*\n\n" if caption else ""
        below = f" *{caption}*" if caption and "_inline" in parent_tags else below
        src = str(el.get("src") or "").strip()
        src = "https:" + src if src.startswith("//") else src
        scheme = _scheme(src)
        if scheme not in ("http", "https") and not src.startswith(("/", GHOST_URL)):
            reason = f"{scheme}: address" if scheme else "relative address" if src else "no address"
            self.note(f"image left out: {reason}")
            return below
        if self.for_comment:
            return f"[{_escape_label(alt or 'Image')}]({_destination(_site_url(src))})"
        new_url = self.image(Image(url=src, alt=alt, caption=_text(figcaption)))
        if new_url:
            image = f"![{_escape_label(alt)}]({_destination(new_url)})"
        else:  # never hotlinked: a link to where the image was
            image = f"[{_escape_label(alt or 'Image')}]({_destination(_site_url(src))})"
        return f"\n\n{image}{below}" if below.startswith("\n") else image + below

    def convert_figcaption(self, el, text, parent_tags):
        if el.parent is not None and el.parent.name == "figure" and self.owned_caption(el.parent):
            return ""  # written below its image
        text = _SPACE.sub(" ", text.replace("\x00", "")).strip()
        return f"\n\n*{text}*\n\n" if text else ""

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags or (el.find("img") and not el.get_text(strip=True)):
            return text  # an image in a link is just the image
        prefix, suffix, text = chomp(_BLANK_LINE.sub(" ", text))
        href = str(el.get("href") or "").strip()
        if not text or not href:
            return prefix + text + suffix
        if _scheme(href) in ("javascript", "vbscript", "data"):
            self.note(f"link removed: {_scheme(href)}: address")
            return prefix + text + suffix
        return f"{prefix}[{text}]({_destination(_site_url(href))}){suffix}"

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return "\n"
        return " " if {"_inline", "_noformat"} & parent_tags else _BREAK

    def convert_hN(self, n, el, text, parent_tags):
        text = _SPACE.sub(" ", text.replace("\x00", "")).strip()
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
            return f" {_SPACE.sub(' ', text)} "
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
    return min(1000, int(colspan)) if colspan.isascii() and colspan.isdigit() else 1


def _starts_line(el) -> bool:
    before = el.previous_sibling
    while isinstance(before, Comment):
        before = before.previous_sibling
    return before is None or (isinstance(before, Tag) and before.name in _LINE_EDGES)


def _ends_line(el) -> bool:
    after = el.next_sibling
    while isinstance(after, Comment):
        after = after.next_sibling
    return after is None or (isinstance(after, Tag) and after.name in _LINE_EDGES)


def _is_oembed(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == known or host.endswith("." + known) for known in _OEMBED_HOSTS)


def _escape_line_start(match: re.Match) -> str:
    indent, marker = match.group(1, 2)
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def _tidy(markdown: str) -> str:
    """Breaks resolved, trailing spaces gone, no more than one blank line in a row (but in
    code), one final newline."""
    lines, out, fence, blank = markdown.split("\n"), [], "", False
    for index, line in enumerate(lines):
        if "\x00" in line:
            ends_in_break = line.rstrip(" \t").endswith("\x00")
            line = line.replace("\x00", "").rstrip()
            following = lines[index + 1].replace("\x00", "") if index + 1 < len(lines) else ""
            if (ends_in_break and line.strip(" >") and following.strip(" >")
                    and not _BLOCK_LINE.match(following)):  # fmt: skip
                line += "\\"
        line = line.rstrip()
        opening = _FENCE.match(line)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
        elif not line and not fence:
            if blank:
                continue
            blank = True
            out.append(line)
            continue
        blank = False
        out.append(line)
    text = "\n".join(out).strip("\n")
    return text + "\n" if text else ""
