"""Markdown to sanitized HTML: the one place that produces HTML trusted by templates."""

import html as html_lib
import logging
import re
from functools import lru_cache

import nh3
from flask import has_app_context
from markdown_it import MarkdownIt

log = logging.getLogger(__name__)

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height", "loading"],  # and decoding="async"
    "ol": ["start"],
    "td": ["align"],
    "th": ["align"],
    "code": ["class"],
}
COMMENT_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
)
COMMENT_ATTRIBUTES = {"a": ["href"]}
PROTOCOLS = frozenset({"http", "https", "mailto"})
ARTICLE_LINK_REL = "noopener"
COMMENT_LINK_REL = "nofollow ugc noopener"

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Bare addresses are linked by the Markdown parser (its linkify); the sanitiser (nh3, linear
# in its input) has no address finder of its own. An article link to http(s) gets its
# rel="noopener" from the Markdown renderer below; nh3 keeps that one value of rel and no
# other. Every comment link gets its rel from nh3 (link_rel).
# "*": no attribute on every tag (nh3 would otherwise allow lang and title everywhere).
_ARTICLE_CLEANER = nh3.Cleaner(
    tags=set(ARTICLE_TAGS),
    attributes={"*": set()} | {tag: set(names) for tag, names in ARTICLE_ATTRIBUTES.items()},
    tag_attribute_values={"a": {"rel": {ARTICLE_LINK_REL}}, "img": {"decoding": {"async"}}},
    link_rel=None,
    url_schemes=set(PROTOCOLS),
    strip_comments=True,
)
_COMMENT_CLEANER = nh3.Cleaner(
    tags=set(COMMENT_TAGS),
    attributes={"*": set()} | {tag: set(names) for tag, names in COMMENT_ATTRIBUTES.items()},
    link_rel=COMMENT_LINK_REL,
    url_schemes=set(PROTOCOLS),
    strip_comments=True,
)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), attributes={"*": set()}, link_rel=None)
# An <img> of sanitised HTML (every attribute value is quoted, and a quote inside one is
# written &quot;), its src when it names a file of Byline's uploads folder, and its
# attributes by name.
_IMG_TAG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_UPLOAD_SRC = re.compile(r'\ssrc="/uploads/([^"?#]+)"')
_ATTRIBUTE_NAME = re.compile(r"\s([a-z]+)=")
_QUOTED = re.compile(r'"[^"]*"')
# C0 controls (but tab and newlines) are not allowed in XML, and the HTML goes into the Atom
# feed: each becomes "?", as the HTML parser of the earlier sanitiser made it.
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def _clean(cleaner: nh3.Cleaner, html: str) -> str:
    return _CONTROL_CHARACTERS.sub("?", cleaner.clean(html))


def clean_article_html(html: str) -> str:
    """HTML cut down to what an article may hold: the tags and attributes of
    ARTICLE_TAGS/ARTICLE_ATTRIBUTES, links and images to http(s) and mailto only."""
    return _clean(_ARTICLE_CLEANER, html)


def clean_comment_html(html: str) -> str:
    """HTML cut down to what a reader comment may hold; every link gets COMMENT_LINK_REL."""
    return _clean(_COMMENT_CLEANER, html)


def _article_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    if str(token.attrGet("href") or "").lower().startswith(("http://", "https://")):
        token.attrSet("rel", ARTICLE_LINK_REL)
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=2)
def _article_parser(linkify: bool = True) -> MarkdownIt:
    # html=False: raw HTML in Markdown is shown as text, not passed through.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": linkify, "typographer": True})
    parser.enable(["table", "strikethrough", "replacements", "smartquotes"])
    if linkify:
        parser.enable("linkify")
    parser.add_render_rule("link_open", _article_link_open)
    return parser


@lru_cache(maxsize=2)
def _comment_parser(linkify: bool = True) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": linkify, "breaks": True})
    if linkify:
        parser.enable("linkify")
    parser.disable(["heading", "lheading", "image", "table", "hr", "html_block", "html_inline"])
    return parser


def _markdown_to_html(parser_for, markdown: str) -> str:
    """Render with linkify, or without it if the parser fails on this text: rendering must
    not raise on any input (markdown-it-py 4.3.0's linkify rule raises "inline rule didn't
    increment state.pos" on text such as `co.uk[//z.p://`)."""
    try:
        return parser_for(True).render(markdown)
    except RuntimeError:
        log.debug("Markdown linkify failed; rendering without it")
    try:
        return parser_for(False).render(markdown)
    except Exception:  # last resort: the text itself, escaped, never a 500
        log.warning("Markdown rendering failed; showing the text as is", exc_info=True)
        return f"<p>{html_lib.escape(markdown, quote=False)}</p>\n"


def _downgrade_h1(html: str) -> str:
    # The headline is the page's only h1; body headings start at h2.
    return re.sub(r"<(/?)h1>", r"<\1h2>", html)


def render_article(markdown: str) -> str:
    """An article body or editor's comment as safe HTML, each image of Byline's uploads
    with its size (size_upload_images)."""
    html = clean_article_html(_downgrade_h1(_markdown_to_html(_article_parser, markdown or "")))
    return size_upload_images(html)


def size_upload_images(html: str) -> str:
    """Sanitised article HTML with each <img> that shows one of Byline's uploads
    (`/uploads/...`) given its width and height, so the page keeps its place before the
    file arrives, and loading="lazy" decoding="async" unless it says otherwise. The sizes
    come from the uploads' rows, in one query for the whole body, made when the body is
    rendered and stored, never when it is served. An image from elsewhere, or a file no
    upload holds, is left as it is; so is everything without an app (no database)."""
    wanted = {match[1] for tag in _IMG_TAG.findall(html) if (match := _UPLOAD_SRC.search(tag))}
    if not wanted or not has_app_context():
        return html
    from blog.services.image_sizes import sizes_of  # the models import this module

    sizes = sizes_of(wanted)
    if not sizes:
        return html

    def sized(tag: re.Match) -> str:
        text = tag[0]
        source = _UPLOAD_SRC.search(text)
        if source is None or source[1] not in sizes:
            return text
        present = set(_ATTRIBUTE_NAME.findall(_QUOTED.sub('""', text)))
        width, height = sizes[source[1]]
        added = "" if {"width", "height"} & present else f' width="{width}" height="{height}"'
        added += "" if "loading" in present else ' loading="lazy"'
        added += "" if "decoding" in present else ' decoding="async"'
        return f"{text[:-1].rstrip('/').rstrip()}{added}>"

    return _IMG_TAG.sub(sized, html)


def render_comment(markdown: str) -> str:
    """A reader comment: a small Markdown subset, every link nofollow/ugc."""
    return clean_comment_html(_markdown_to_html(_comment_parser, markdown or ""))


def count_words(markdown: str) -> int:
    return len(_WORD.findall(markdown or ""))


def plain_text(html: str) -> str:
    """Text of sanitized HTML, for descriptions and feeds."""
    return re.sub(r"\s+", " ", _clean(_TEXT_CLEANER, html or "")).strip()
