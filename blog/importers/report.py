"""What an import did, item by item, for the editor who ran it.

Every item of the export is counted once under its kind: imported, already there from an
earlier run (unchanged), or skipped with the reason. Problems that did not stop an item
(a missing image, an embed kept as a link) are listed with the item they belong to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The order kinds are reported in.
KINDS = (
    "author", "section", "topic", "article", "page", "comment", "image", "attachment",
    "pingback", "trackback",
)  # fmt: skip
OUTCOMES = ("imported", "unchanged", "skipped")
PLURALS = {"category": "categories", "nav_menu_item": "menu items", "wp_block": "reusable blocks"}
# A list longer than this is summed up on the terminal; the report file has it whole.
SHOWN = 25


@dataclass
class Author:
    name: str
    email: str
    role: str
    invitation: str  # what became of the invitation
    link: str = ""  # the invitation link: in the report file only, never on the screen


@dataclass
class Report:
    source: str
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)  # (kind, outcome) -> n
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, what, why
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # kind, where, what
    authors: list[Author] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # old path, new address
    failed: list[tuple[str, str]] = field(default_factory=list)  # item, error
    stopped: str = ""  # why the run ended early, if it did

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind, outcome] += n

    def skip(self, kind: str, what: str, why: str) -> None:
        self.count(kind, "skipped")
        self.skipped.append((kind, what, why))

    def problem(self, kind: str, where: str, what: str) -> None:
        self.problems.append((kind, where, what))

    def mark(self) -> tuple:
        """Where the report stands, to go back to when an item is rolled back."""
        lists = (self.skipped, self.problems, self.authors, self.redirects)
        return self.counts.copy(), tuple(len(items) for items in lists)

    def restore(self, mark: tuple) -> None:
        counts, lengths = mark
        self.counts = counts
        for items, length in zip(
            (self.skipped, self.problems, self.authors, self.redirects), lengths, strict=True
        ):
            del items[length:]

    @property
    def changed(self) -> bool:
        return any(n for (_, outcome), n in self.counts.items() if outcome == "imported")

    def count_lines(self) -> list[str]:
        kinds = [k for k in KINDS if any(self.counts[k, o] for o in OUTCOMES)]
        kinds += sorted({k for k, _ in self.counts} - set(kinds))
        lines = []
        for kind in kinds:
            parts = [f"{self.counts[kind, o]} {o}" for o in OUTCOMES if self.counts[kind, o]]
            lines.append(f"  {PLURALS.get(kind, kind + 's'):<16} " + ", ".join(parts))
        return lines

    def lines(self, *, whole: bool) -> list[str]:
        """The report; `whole` lists everything, else long lists are summed up."""
        verb = "would be" if self.dry_run else "were"
        head = f"Import from {self.source}" + (
            " (dry run: nothing was written)" if self.dry_run else ""
        )
        out = [head, ""]
        if self.stopped:
            out += [self.stopped, ""]
        elif not self.changed and not self.failed:
            out += ["Nothing new to import: every item is already here from an earlier run.", ""]
        out += ["Items:", *self.count_lines(), ""]
        sections = (
            (
                f"Authors who {verb} created and invited",
                [self._author(a, whole=whole) for a in self.authors],
            ),
            ("Skipped", [f"  {kind}: {what}: {why}" for kind, what, why in self.skipped]),
            ("To check", [f"  {kind}: {where}: {what}" for kind, where, what in self.problems]),
            (f"Old addresses that {'would' if self.dry_run else 'now'} redirect",
             [f"  {old} -> {new}" for old, new in self.redirects]),
            ("Failed (run again to retry)", [f"  {item}: {error}" for item, error in self.failed]),
        )  # fmt: skip
        for title, items in sections:
            if not items:
                continue
            out.append(f"{title} ({len(items)}):")
            shown = items if whole or len(items) <= SHOWN else items[:SHOWN]
            out += shown
            if len(shown) < len(items):
                out.append(f"  ... and {len(items) - len(shown)} more in the report file")
            out.append("")
        return out

    @staticmethod
    def _author(author: Author, *, whole: bool) -> str:
        link = f"{author.link} " if whole and author.link else ""
        return f"  {author.name} <{author.email}>, {author.role}: {link}{author.invitation}"
