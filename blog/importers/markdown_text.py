"""Markdown written safely from imported text: escaping, link labels and destinations, and
the last tidy of a converted body.

Shared by the converter (markup.py) and WordPress's shortcodes (shortcodes.py). Every regex
here is bounded, so the work stays linear in the size of the text.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

GHOST_URL = "__GHOST_URL__"
# A <br>: a hard break where a line follows, nothing at the end of a block (see tidy).
BREAK = "\x00\n"

SPACE = re.compile(r"[ \t\r\n]+")
BLANK_LINE = re.compile(r"\n[ \t]*\n[ \t\n]*")
URL = re.compile(r"https?://[^\s<>\"'|\\`\[\]]{1,2000}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,30}):")
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


def note(notes: dict[str, None], line: str) -> None:
    """One line for the import report, once, cut to a readable length."""
    notes.setdefault(line if len(line) <= 200 else line[:199] + "…", None)


def link_label(url: str) -> str:
    """A link's words when there is no title: the host, else the file name."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return "Link"
    return host or unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or "Link"


def url_scheme(url: str) -> str:
    match = _SCHEME.match(SPACE.sub("", url))
    return match.group(1).lower() if match else ""


def site_url(url: str) -> str:
    """Ghost's placeholder for its own address becomes a site-relative path."""
    if url.startswith(GHOST_URL):
        rest = url[len(GHOST_URL) :]
        return rest if rest.startswith("/") else "/" + rest
    return url


def destination(url: str) -> str:
    """A URL as a Markdown link destination: nothing in it may end or bend the syntax."""
    url = re.sub(r"[\t\r\n]", "", url.strip()).replace("\\", "%5C")
    url = re.sub(r"&(?=#?\w{1,32};)", "%26", url)
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        url = url.replace(char, code)
    return url


def escape_label(text: str) -> str:
    return _LABEL_SPECIALS.sub(r"\\\g<0>", SPACE.sub(" ", text).strip())


def escape_text(text: str, *, in_link: bool) -> str:
    """Text that Markdown shows as written. In a link's text no address gets linked again;
    elsewhere bare addresses stay whole for the linkifier."""
    if in_link:
        return _LINE_START.sub(_escape_line_start, _LABEL_SPECIALS.sub(r"\\\g<0>", text))
    parts, position = [], 0
    for url in URL.finditer(text):
        parts += [_TEXT_SPECIALS.sub(r"\\\g<0>", text[position : url.start()]), url.group()]
        position = url.end()
    parts.append(_TEXT_SPECIALS.sub(r"\\\g<0>", text[position:]))
    return _LINE_START.sub(_escape_line_start, "".join(parts))


def _escape_line_start(match: re.Match) -> str:
    indent, marker = match.group(1, 2)
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def tidy(markdown: str) -> str:
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
