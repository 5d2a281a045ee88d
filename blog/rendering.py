"""Markdown to sanitized HTML: the one place that produces HTML trusted by templates."""

import re
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

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

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Bare addresses are linked by the Markdown parser (its linkify); the bleach pass after
# sanitising only sets each link's rel. bleach's own address finder stays off: its pattern
# takes time quadratic in a run such as "a-a-a-…" or "((((…", minutes for an article body.
_NO_BARE_ADDRESSES = re.compile(r"(?!)")


@lru_cache(maxsize=1)
def _article_parser() -> MarkdownIt:
    # html=False: raw HTML in Markdown is shown as text, not passed through.
    return MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": True}).enable(
        ["table", "strikethrough", "linkify", "replacements", "smartquotes"]
    )


@lru_cache(maxsize=1)
def _comment_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    parser.enable("linkify")
    parser.disable(["heading", "lheading", "image", "table", "hr", "html_block", "html_inline"])
    return parser


def _article_link_attrs(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "noopener"
    return attrs


def _comment_link_attrs(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def _downgrade_h1(html: str) -> str:
    # The headline is the page's only h1; body headings start at h2.
    return re.sub(r"<(/?)h1>", r"<\1h2>", html)


def render_article(markdown: str) -> str:
    """An article body or editor's comment as safe HTML."""
    html = _downgrade_h1(_article_parser().render(markdown or ""))
    cleaned = bleach.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        protocols=PROTOCOLS,
        strip=True,
    )
    return _link_attributes(cleaned, _article_link_attrs)


def render_comment(markdown: str) -> str:
    """A reader comment: a small Markdown subset, every link nofollow/ugc."""
    html = _comment_parser().render(markdown or "")
    cleaned = bleach.clean(
        html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, protocols=PROTOCOLS, strip=True
    )
    return _link_attributes(cleaned, _comment_link_attrs)


def _link_attributes(html: str, callback) -> str:
    linker = Linker(callbacks=[callback], skip_tags=["pre", "code"], url_re=_NO_BARE_ADDRESSES)
    return linker.linkify(html)


def count_words(markdown: str) -> int:
    return len(_WORD.findall(markdown or ""))


def plain_text(html: str) -> str:
    """Text of sanitized HTML, for descriptions and feeds."""
    return re.sub(r"\s+", " ", bleach.clean(html or "", tags=set(), strip=True)).strip()
