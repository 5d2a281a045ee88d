"""Markdown to sanitized HTML: the one place that produces HTML trusted by templates."""

import html as html_lib
import logging
import re
from functools import lru_cache

import nh3
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
    "img": ["src", "alt", "title", "width", "height", "loading"],
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
    tag_attribute_values={"a": {"rel": {ARTICLE_LINK_REL}}},
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
    """An article body or editor's comment as safe HTML."""
    return clean_article_html(_downgrade_h1(_markdown_to_html(_article_parser, markdown or "")))


def render_comment(markdown: str) -> str:
    """A reader comment: a small Markdown subset, every link nofollow/ugc."""
    return clean_comment_html(_markdown_to_html(_comment_parser, markdown or ""))


def count_words(markdown: str) -> int:
    return len(_WORD.findall(markdown or ""))


def plain_text(html: str) -> str:
    """Text of sanitized HTML, for descriptions and feeds."""
    return re.sub(r"\s+", " ", _clean(_TEXT_CLEANER, html or "")).strip()
