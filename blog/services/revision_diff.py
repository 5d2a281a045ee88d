"""Comparing two revisions: the title, brief and body word by word, the cover, section
and topics in words.

The work is bounded whatever the texts: paragraphs the two share at the start and the
end are set aside first, the rest is matched paragraph by paragraph, and words are
compared only within a changed pair of paragraphs. Past the limits below, a stretch is
shown whole, as removed and added, and the comparison says it was coarse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy import select

from blog.extensions import db
from blog.models import Section, Topic
from blog.models.revisions import Revision
from blog.services.revisions import is_cover_deleted

# Paragraphs matched one against another, on each side, once the shared ends are set aside.
MAX_PARAGRAPHS = 2_000
# Words compared within one pair of paragraphs, on each side.
MAX_PAIR_WORDS = 2_000
# Words compared in all pairs of one body together.
MAX_TOTAL_WORDS = 40_000
# Unchanged paragraphs shown around a change; longer unchanged stretches are folded.
CONTEXT = 1

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# A word with the spaces after it (and the spaces a text may start with).
TOKEN = re.compile(r"\s+|\S+\s*")


@dataclass
class Budget:
    words_left: int = MAX_TOTAL_WORDS
    is_coarse: bool = False


@dataclass(frozen=True)
class Piece:
    """A run of text: "same", "del" or "ins"."""

    op: str
    text: str


@dataclass
class Block:
    """One paragraph of the body: "same", "changed" (word pieces), or "folded" (a count
    of unchanged paragraphs not shown)."""

    kind: str
    pieces: list[Piece] = field(default_factory=list)
    folded: int = 0


@dataclass
class Comparison:
    title: list[Piece]
    brief: list[Piece]
    body: list[Block]
    other_changes: list[str]
    is_coarse: bool

    @property
    def is_same(self) -> bool:
        return (
            all(p.op == "same" for p in self.title + self.brief)
            and all(b.kind != "changed" for b in self.body)
            and not self.other_changes
        )


def compare(old: Revision, new: Revision) -> Comparison:
    budget = Budget()
    return Comparison(
        title=words(old.title or "", new.title or "", budget),
        brief=words(old.brief or "", new.brief or "", budget),
        body=body(old.body_md or "", new.body_md or "", budget),
        other_changes=describe_other_changes(old, new),
        is_coarse=budget.is_coarse,
    )


def shared_ends(a: list, b: list) -> tuple[int, int]:
    """How many items a and b share at the start, and then at the end."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def words(old: str, new: str, budget: Budget) -> list[Piece]:
    """The two texts word by word: pieces to show in order."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    start, end = shared_ends(a, b)
    pieces = [Piece("same", "".join(a[:start]))] if start else []
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    size = max(len(middle_a), len(middle_b))
    if size > MAX_PAIR_WORDS or size > budget.words_left:
        budget.is_coarse = True
        pieces += [Piece("del", "".join(middle_a)), Piece("ins", "".join(middle_b))]
    else:
        budget.words_left -= size
        matcher = SequenceMatcher(None, middle_a, middle_b)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(Piece("same", "".join(middle_a[a1:a2])))
                continue
            if a2 > a1:
                pieces.append(Piece("del", "".join(middle_a[a1:a2])))
            if b2 > b1:
                pieces.append(Piece("ins", "".join(middle_b[b1:b2])))
    if end:
        pieces.append(Piece("same", "".join(a[len(a) - end :])))
    return [piece for piece in pieces if piece.text]


def body(old: str, new: str, budget: Budget) -> list[Block]:
    """The bodies paragraph by paragraph, changed pairs word by word, long unchanged
    stretches folded."""
    a = [p for p in PARAGRAPH_BREAK.split(old.strip()) if p]
    b = [p for p in PARAGRAPH_BREAK.split(new.strip()) if p]
    start, end = shared_ends(a, b)
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    blocks = [Block("same", [Piece("same", p)]) for p in a[:start]]
    if len(middle_a) > MAX_PARAGRAPHS or len(middle_b) > MAX_PARAGRAPHS:
        budget.is_coarse = True
        blocks += [Block("changed", [Piece("del", p)]) for p in middle_a]
        blocks += [Block("changed", [Piece("ins", p)]) for p in middle_b]
    else:
        matcher = SequenceMatcher(None, middle_a, middle_b)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                blocks += [Block("same", [Piece("same", p)]) for p in middle_a[a1:a2]]
            elif op == "replace" and a2 - a1 == b2 - b1:
                for old_p, new_p in zip(middle_a[a1:a2], middle_b[b1:b2], strict=True):
                    blocks.append(Block("changed", words(old_p, new_p, budget)))
            else:
                blocks += [Block("changed", [Piece("del", p)]) for p in middle_a[a1:a2]]
                blocks += [Block("changed", [Piece("ins", p)]) for p in middle_b[b1:b2]]
    blocks += [Block("same", [Piece("same", p)]) for p in a[len(a) - end :]]
    return fold(blocks)


def fold(blocks: list[Block]) -> list[Block]:
    """Unchanged paragraphs further than CONTEXT from a change become one folded block."""
    changed = [i for i, block in enumerate(blocks) if block.kind == "changed"]
    near = {j for i in changed for j in range(i - CONTEXT, i + CONTEXT + 1)}
    folded: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == "changed" or i in near:
            folded.append(block)
        elif folded and folded[-1].kind == "folded":
            folded[-1].folded += 1
        else:
            folded.append(Block("folded", folded=1))
    return folded


def describe_other_changes(old: Revision, new: Revision) -> list[str]:
    """The cover, section and topics changes, in words."""
    changes = []
    if (old.cover_id, old.cover_alt, old.cover_caption) != (
        new.cover_id,
        new.cover_alt,
        new.cover_caption,
    ):
        changes.append(f"Cover: {cover_words(old)} → {cover_words(new)}")
    if old.section_id != new.section_id:
        names = names_of(Section, [i for i in (old.section_id, new.section_id) if i])
        before = names.get(old.section_id, "no section")
        after = names.get(new.section_id, "no section")
        changes.append(f"Section: {before} → {after}")
    old_topics, new_topics = set(old.topic_ids or []), set(new.topic_ids or [])
    if old_topics != new_topics:
        names = names_of(Topic, list(old_topics | new_topics))
        added = sorted(names.get(i, "a deleted topic") for i in new_topics - old_topics)
        removed = sorted(names.get(i, "a deleted topic") for i in old_topics - new_topics)
        parts = []
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        changes.append("Topics: " + "; ".join(parts))
    return changes


def cover_words(revision: Revision) -> str:
    if revision.cover_id is None:
        return "an image deleted since" if is_cover_deleted(revision) else "none"
    text = f"image “{revision.cover_alt}”" if revision.cover_alt else "an image"
    if revision.cover_caption:
        text += f", caption “{revision.cover_caption}”"
    return text


def names_of(model, ids: list[int]) -> dict[int, str]:
    ids = [int(i) for i in ids][:500]
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())
