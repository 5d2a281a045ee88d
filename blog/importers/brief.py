"""An imported article's brief when the export gives none: the first paragraph of its
Markdown that has words of its own, as plain text cut to length."""

from __future__ import annotations

from markdown_it import MarkdownIt

from blog.importers.markdown_text import SPACE

_PARAGRAPHS = MarkdownIt("commonmark").enable(["table", "strikethrough"])


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
    return SPACE.sub(" ", "".join(words)).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > 0 else limit - 1]
    return head.rstrip(" ,;:-–—") + "…"
