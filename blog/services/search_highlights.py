"""Search hits as readers see them: matches marked in escaped text, body snippets without
their Markdown punctuation."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from markupsafe import Markup, escape

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Markers:
    """Random start/stop markers: article text cannot forge them, escaping cannot alter them."""

    start: str
    stop: str

    @classmethod
    def new(cls) -> Markers:
        token = secrets.token_hex(8)
        return cls(f"qqs{token}", f"qqe{token}")

    def to_html(self, text: str | None) -> Markup:
        """Escape everything, then turn balanced marker pairs into <mark> elements."""
        out: list[str] = []
        is_open = False
        for piece in re.split(f"({self.start}|{self.stop})", text or ""):
            if piece == self.start:
                if not is_open:
                    out.append("<mark>")
                is_open = True
            elif piece == self.stop:
                if is_open:
                    out.append("</mark>")
                is_open = False
            else:
                out.append(str(escape(piece)))
        if is_open:
            out.append("</mark>")
        return Markup("".join(out))

    def has_match(self, text: str | None) -> bool:
        return bool(text) and self.start in text


# A snippet can hold most of an article body, so these run in time linear in its length:
# every scan stops at the next character that could start another match (a link's text at
# "[", its address at "(", a line's indent at its end, an underscore run at its first "_"),
# so a failed match never rescans the text the next attempt reads.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)")
_MD_LINK_TAIL = re.compile(r"\]\([^)\s]*\)?")
# A backslash before ASCII punctuation keeps the character literal (an image's alt text
# is written that way by the editor): readers see the character.
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_SYNTAX = re.compile(r"(?m)^[ \t]*(?:#{1,6}|>|[-+*]|\d+[.)])\s+|[*`~]+|(?<!\w)_+|(?<!_)_+(?!\w)")


def plain_snippet(markdown: str) -> str:
    """A body snippet without the Markdown punctuation readers should not see."""
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_ESCAPE.sub(r"\1", _MD_LINK_TAIL.sub("", text))
    return _SPACE.sub(" ", _MD_SYNTAX.sub("", text)).strip()
