"""WordPress's classic-editor markup, made plain HTML before conversion.

Shortcodes become the HTML they stand for ([caption], [gallery], embeds) or go, keeping
their inner text; autop's rules (a blank line ends a paragraph, a newline is a line break,
an embeddable address alone on its line is an embed) are applied to the converter's text.
Every regex is bounded; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from bs4 import Comment, NavigableString, Tag

from blog.importers.markdown_text import BLANK_LINE, BREAK, URL, link_label, note
from blog.importers.records import Image

_KNOWN_SHORTCODES = frozenset(
    {"caption", "wp_caption", "gallery", "embed", "video", "audio", "youtube", "vimeo"}
)
_ENCLOSING = frozenset({"caption", "wp_caption", "embed"})  # their content is what they show
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
# Hosts WordPress embeds when their address stands alone on a line of a classic post.
_OEMBED_HOSTS = (
    "youtube.com", "youtu.be", "vimeo.com", "twitter.com", "x.com", "instagram.com",
    "facebook.com", "flickr.com", "flic.kr", "soundcloud.com", "spotify.com", "tiktok.com",
    "reddit.com", "dailymotion.com", "ted.com", "tumblr.com", "wordpress.tv", "imgur.com",
    "mixcloud.com", "slideshare.net", "scribd.com", "issuu.com", "videopress.com",
)  # fmt: skip
_NEWLINES = re.compile(r"\n[ \t\n]*")


def expand_shortcodes(
    html: str, notes: dict[str, None], attachment: Callable[[str], Image | None]
) -> str:
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
        consumes = known and close is not None and (name in _ENCLOSING or not URL.search(attrs))
        if slash or (
            not known and (close is not None or "=" in attrs or attrs.rstrip().endswith("/"))
        ):
            if index not in dropped and not (slash and known):
                note(notes, f"unsupported shortcode [{name}] removed")
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
            note(notes, "gallery without image ids left out")
        figures = []
        for source_id in ids:
            found = attachment(source_id)
            if found is None:
                note(notes, f"gallery: attachment {source_id} not found")
                continue
            caption = f"<figcaption>{_escape_html(found.caption)}</figcaption>"
            figures.append(
                f'<figure><img src="{_escape_html(found.url)}" alt="{_escape_html(found.alt)}">'
                f"{caption if found.caption else ''}</figure>"
            )
        return f"<div>{''.join(figures)}</div>"
    url = next((values[key] for key in ("src", "url", "mp4", "mp3", "m4v", "webm", "ogg")
                if values.get(key)), "")  # fmt: skip
    match = URL.search(url or attrs) or URL.search(inner)
    if match is None:
        note(notes, f"[{name}] without an address removed")
        return ""
    url = match.group()
    note(notes, f"embed kept as a link: {url.replace('&amp;', '&')}")
    return f'<a href="{_attr(url)}">{_escape_html(link_label(url.replace("&amp;", "&")))}</a>'


def autop(
    raw: str, el: NavigableString, *, text: Callable[[str], str], embed: Callable[[str], str]
) -> str:
    """A text node of a classic post under WordPress's autop: a blank line ends a paragraph,
    a newline is a line break, and an embeddable address alone on its line is an embed.
    `text` writes one line as Markdown, `embed` one embeddable address."""
    in_block = el.parent is not None and el.parent.name in _PARAGRAPH_PARENTS
    paragraphs = BLANK_LINE.split(raw) if in_block else [raw]
    out = []
    for p_index, paragraph in enumerate(paragraphs):
        lines = _NEWLINES.split(paragraph)
        rendered = []
        for l_index, line in enumerate(lines):
            starts = l_index > 0 or p_index > 0 or _starts_line(el)
            ends = l_index < len(lines) - 1 or p_index < len(paragraphs) - 1 or _ends_line(el)
            url = URL.fullmatch(line.strip()) if in_block and starts and ends else None
            if url and _is_oembed(url.group()):
                rendered.append(embed(url.group()))
            else:
                rendered.append(text(line))
        out.append(BREAK.join(rendered))
    return "\n\n".join(out)


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


def _attr(value: str) -> str:
    """Text from a shortcode (HTML source already) made safe inside a quoted attribute."""
    return value.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_html(value: str) -> str:
    return _attr(value.replace("&", "&amp;"))
