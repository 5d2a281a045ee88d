"""Avatars Byline draws itself: a person's initials on a circle of one of HUES colours.

No request ever leaves the site for a picture (no Gravatar), and nothing about a
person's e-mail address reaches the page: the letters come from the name shown beside
the avatar, the colour from a hash of that name (of the account id for staff, whose
name may change). The colour is a class (`avatar-hue-N`), since the CSP forbids style
attributes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

HUES = 12  # .avatar-hue-0 .. .avatar-hue-11 in static/css/site.css
MAX_WORDS = 200  # a name is short; this bounds the work on a pathological one

ZWJ = "\u200d"
VIRAMA = 9  # the canonical combining class of the viramas of Indic scripts
# Code points that belong to the character before them: skin tones, variation selectors,
# tags (subdivision flags), and the zero-width joiner that glues emoji together.
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)


@dataclass(frozen=True)
class Monogram:
    letters: str  # one or two characters (each may be several code points), or "?"
    hue: int  # 0 .. HUES - 1

    @property
    def css_class(self) -> str:
        return f"avatar-hue-{self.hue}"


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or 0xFE00 <= code <= 0xFE0F
        or code in _SKIN_TONES
        or code in _TAGS
        or char == ZWJ
    )


def _first_character(word: str) -> str:
    """The first user-perceived character of `word` that is a letter, digit or symbol
    (emoji included), with the marks and joiners that belong to it; "" if none.

    Close to a Unicode grapheme cluster for what names hold: a base and its combining
    marks ("É" written as E + U+0301, Devanagari vowel signs), emoji with skin tone or
    ZWJ sequences, and flags (two regional indicators)."""
    start = next((i for i, c in enumerate(word) if unicodedata.category(c)[0] in "LNS"), None)
    if start is None:
        return ""
    end = start + 1
    if ord(word[start]) in _REGIONAL_INDICATORS:
        if end < len(word) and ord(word[end]) in _REGIONAL_INDICATORS:
            end += 1
        return word[start:end]
    # A joiner glues the next character on, whatever it is.
    while end < len(word) and (word[end - 1] == ZWJ or _extends(word[end])):
        end += 1
    # A trailing virama would draw a half letter ("स्" of "स्मिथ"): the letter alone reads.
    while end - start > 1 and unicodedata.combining(word[end - 1]) == VIRAMA:
        end -= 1
    return word[start:end]


def _capital(character: str) -> str:
    """Upper case where that stays one character ("ß" stays, "é" becomes "É")."""
    upper = character.upper()
    return upper if len(upper) == len(character) else character


def initials(name: str) -> str:
    """The first characters of the first and last words: "Maria de la Cruz" is "MC",
    "李小龙" is "李", "🦊 Fox" is "🦊F"; "?" for a name with no letter at all."""
    text = unicodedata.normalize("NFC", name)
    firsts = [c for c in map(_first_character, text.split()[:MAX_WORDS]) if c]
    if not firsts:
        return "?"
    chosen = firsts[:1] if len(firsts) == 1 else [firsts[0], firsts[-1]]
    return "".join(map(_capital, chosen))


def hue(key: str) -> int:
    """A colour for `key` that stays the same wherever and whenever it is drawn."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % HUES


def monogram(name: str, user_id: int | None = None) -> Monogram:
    """The avatar of a person named `name`; staff (with an account id) keep their colour
    when their name changes, readers' colour follows the name they give."""
    if user_id is not None:
        key = f"user:{user_id}"
    else:
        key = "name:" + " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return Monogram(initials(name), hue(key))


def of(person) -> Monogram:
    """The avatar of a comment (its author's name; a staff comment by its account) or
    of a newsroom account."""
    if hasattr(person, "author_name"):  # a comment
        return monogram(person.author_name, person.user_id if person.is_staff else None)
    return monogram(person.display_name, person.id)
