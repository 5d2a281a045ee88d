"""Deterministic newsroom text for the benchmark site: names, titles, Markdown bodies, comments."""

from __future__ import annotations

import random

from blog.services.slugs import make_slug

SECTION_NAMES = (
    "News",
    "Politics",
    "Business",
    "Science",
    "Culture",
    "Sport",
    "Opinion",
    "Travel",
)
TOPIC_NAMES = (
    "Housing", "Transport", "Climate", "Health", "Schools", "Elections", "Energy", "Water",
    "Farming", "Courts", "Policing", "Budget", "Trade", "Jobs", "Tourism", "Museums",
    "Music", "Theatre", "Books", "Football", "Cycling", "Rowing", "Weather", "Rivers",
    "Forests", "Wildlife", "Space", "Medicine", "Technology", "Privacy", "Media", "Science policy",
    "Local history", "Festivals", "Markets", "Ports", "Railways", "Universities", "Libraries",
    "Elders",
)  # fmt: skip
# The search benchmark looks for one of these; each is in about 1 title in len(SUBJECTS).
SUBJECTS = (
    "harbour", "council", "library", "bridge", "tramway", "orchard", "stadium", "hospital",
    "ferry", "school board", "river port", "market hall", "water board", "museum", "airport",
    "observatory", "theatre", "archive", "lighthouse", "reservoir", "canal", "depot",
    "vineyard", "quarry", "gallery", "court", "forest", "festival", "university", "mill",
)  # fmt: skip
SEARCH_WORD = "harbour"
ADJECTIVES = (
    "New", "Old", "Quiet", "Long-awaited", "Disputed", "Costly", "Delayed", "Bold",
    "Modest", "Surprising", "Local", "Regional", "Historic", "Empty", "Crowded",
)  # fmt: skip
VERBS = (
    "reopens after a decade", "faces a budget gap", "wins a reprieve", "splits opinion",
    "draws record crowds", "plans a second phase", "is put up for sale", "gets a new director",
    "closes for repairs", "asks residents to weigh in", "misses its deadline",
    "opens its books", "turns a profit", "is saved by volunteers", "changes hands",
)  # fmt: skip
WORDS = (
    "the", "a", "of", "and", "to", "in", "that", "for", "on", "with", "as", "was", "by",
    "at", "from", "year", "city", "people", "plan", "report", "week", "money", "time",
    "residents", "officials", "said", "would", "could", "new", "first", "last", "public",
    "office", "street", "north", "south", "river", "market", "building", "project", "work",
    "families", "morning", "evening", "meeting", "vote", "agreement", "question", "answer",
    "figures", "survey", "budget", "rent", "wages", "school", "teachers", "doctors", "nurses",
    "bus", "train", "road", "station", "weather", "summer", "winter", "spring", "autumn",
    "history", "future", "community", "neighbourhood", "council", "mayor", "minister",
    "company", "workers", "union", "talks", "deal", "cost", "price", "growth", "decline",
    "record", "season", "team", "match", "audience", "stage", "book", "author", "letter",
    "editor", "reader", "evidence", "study", "scientists", "data", "energy", "heat", "light",
)  # fmt: skip
READER_FIRST = (
    "Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kofi",
    "Lena", "Marta", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tove",
)  # fmt: skip
READER_LAST = (
    "Berg", "Costa", "Dahl", "Evans", "Fischer", "Garcia", "Holm", "Ito", "Jansen", "Khan",
    "Lund", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Ueda", "Weber",
)  # fmt: skip
STAFF = (
    ("Mara Lindqvist", "admin"),
    ("Tomás Ferreira", "editor"),
    ("June Okoye", "editor"),
    ("Felix Marsh", "author"),
    ("Ines Varga", "author"),
    ("Ravi Menon", "author"),
)


def topic_names(count: int) -> list[str]:
    """`count` distinct topic names (numbered once the list runs out)."""
    names = list(TOPIC_NAMES[:count])
    for n in range(len(names), count):
        names.append(f"{TOPIC_NAMES[n % len(TOPIC_NAMES)]} {n // len(TOPIC_NAMES) + 1}")
    return names


def slugify(text: str) -> str:
    """A lower-case ASCII slug, made as Byline makes the slugs of the rows it stores."""
    return make_slug(text)


def title(rng: random.Random) -> str:
    return f"{rng.choice(ADJECTIVES)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)}"


def sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def brief(rng: random.Random) -> str:
    return " ".join(sentence(rng, 10, 18) for _ in range(2))


def article_body(rng: random.Random, words: int) -> str:
    """A Markdown article of about `words` words with the usual furniture: subheadings,
    emphasis, a link, a list and a pull quote, so rendering does its real work."""
    parts: list[str] = []
    written = 0
    section = 0
    while written < words:
        if written and written // 250 > section:
            section = written // 250
            parts.append(f"## {sentence(rng, 3, 6)[:-1]}")
        text = paragraph(rng, rng.randint(3, 6))
        if rng.random() < 0.3:
            text += " Read the [full report](https://example.org/reports/2025) for the figures."
        if rng.random() < 0.3:
            first, _, rest = text.partition(" ")
            text = f"**{first}** {rest} *{rng.choice(WORDS)} {rng.choice(WORDS)}*."
        parts.append(text)
        written += len(text.split())
        if rng.random() < 0.15:
            parts.append("\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(rng.randint(3, 5))))
        if rng.random() < 0.1:
            parts.append(f"> {sentence(rng, 10, 16)}")
    return "\n\n".join(parts)


def comment_body(rng: random.Random) -> str:
    text = paragraph(rng, rng.randint(1, 4))
    if rng.random() < 0.3:
        text += f"\n\n{paragraph(rng, rng.randint(1, 3))}"
    if rng.random() < 0.2:
        text = f"> {sentence(rng, 5, 10)}\n\n{text}"
    return text


def reader(n: int) -> tuple[str, str]:
    """A reader's display name and e-mail; `n` picks one of a stable pool."""
    first = READER_FIRST[n % len(READER_FIRST)]
    last = READER_LAST[(n // len(READER_FIRST)) % len(READER_LAST)]
    return f"{first} {last}", f"{first}.{last}.{n}@readers.example".lower()
