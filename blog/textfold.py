r"""Unicode tricks in short text: the folded form look-alikes share, and hidden characters.

Rules that compare what a reader typed with something known (the comment block list,
staff names and e-mail addresses) compare folded forms: Unicode NFKC, invisible
characters dropped, a letter of another script that imitates an ASCII character replaced
by it, then case-folded. So `cas\u200bino`, `c\u0430sino` (Cyrillic a), `cas\u00adino` and
`ＣＡＳＩＮＯ` all fold to `casino`. The look-alike table is the Unicode consortium's
confusables data (UTS #39) as shipped by the confusable_homoglyphs package.
"""

import unicodedata
from functools import lru_cache

# Default-ignorable code points that are not format characters (those, category Cf, are
# all invisible): the combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
# Mongolian and other variation selectors, and the ranges Unicode reserves as ignorable
# (Default_Ignorable_Code_Point in DerivedCoreProperties.txt).
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),
)
_VARIATION_SELECTORS = frozenset(map(chr, range(0xFE00, 0xFE10)))
_ZWJ, _ZWNJ = "\u200d", "\u200c"


def is_invisible(char: str) -> bool:
    """A format character (bidi controls, zero-width spaces and joiners, the soft hyphen,
    the byte-order mark...) or another code point Unicode says to draw as nothing."""
    if unicodedata.category(char) == "Cf":
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


def hidden_characters(text: str) -> list[str]:
    """The invisible characters of text that can hide or reorder what it shows, in order.

    Joiners (ZWJ, ZWNJ) and variation selectors right after a visible non-ASCII character
    are left out: Persian and Indic names need them, and so do emoji sequences (a ZWJ may
    also follow an emoji's variation selector). They reorder nothing, and folding drops
    them.
    """
    found = []
    previous = ""
    for char in text:
        if is_invisible(char):
            after_letter = (
                bool(previous)
                and not previous.isascii()
                and not previous.isspace()
                and not is_invisible(previous)
            )
            after_selector = previous in _VARIATION_SELECTORS and char == _ZWJ
            is_joiner = char in _VARIATION_SELECTORS or char in (_ZWJ, _ZWNJ)
            if not (is_joiner and (after_letter or after_selector)):
                found.append(char)
        previous = char
    return found


def hidden_characters_problem(name: str) -> str | None:
    """Why a name shown to readers may not be used as typed, or None."""
    hidden = hidden_characters(name)
    if not hidden:
        return None
    return (
        f"Names cannot contain invisible or text-direction characters ({describe(hidden)}). "
        "Please type the name without them."
    )


def describe(chars: list[str]) -> str:
    """`U+202E, U+200B`: code points for a message, each once, at most five."""
    unique = list(dict.fromkeys(chars))
    shown = ", ".join(f"U+{ord(char):04X}" for char in unique[:5])
    return shown + (" and others" if len(unique) > 5 else "")


@lru_cache(maxsize=1)
def _lookalikes() -> dict[str, str]:
    """Non-ASCII character -> the one ASCII character it imitates, case-folded.

    The confusables data is loaded here, when text other than ASCII is first folded: it
    takes some 15 MiB, which a process that never meets such text does without."""
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_twins = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()]
        if ascii_twins:
            table[char] = ascii_twins[0].casefold()
    return table


def fold(text: str) -> str:
    """The form that look-alike spellings of the same text share (see the module note)."""
    if text.isascii():  # most text: nothing to normalise, drop or replace
        return text.lower()
    table = _lookalikes()
    folded = []
    for char in unicodedata.normalize("NFKC", text):
        if is_invisible(char):
            continue
        lower = char.casefold()
        # Case-fold first, so that Greek capital iota (whose twin is a lower-case l) meets
        # Latin I as i; fall back on the capital's twin (Cyrillic Т imitates T, т does not).
        folded.append(table.get(lower) or table.get(char) or lower)
    return "".join(folded)


def name_key(text: str) -> str:
    """Letters and digits of the folded text: `Site-Admin` and `site admin` are one name."""
    return "".join(char for char in fold(text) if char.isalnum())
