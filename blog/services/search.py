"""Full-text search: the reader's query language, compiled for SQLite FTS5 or PostgreSQL.

A query is parsed once into a small AST (`SearchQuery` of `Term`s) and then compiled per
engine. User text never becomes SQL: on SQLite every term is an FTS5 string literal inside
a MATCH expression passed as a bound parameter; on PostgreSQL every term is a bound
argument of phraseto_tsquery(). The indexes themselves are made by migration 0002.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    not_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR

from blog.domain import NotFound
from blog.extensions import db
from blog.models import Article, Section, Topic, article_topics
from blog.pagination import Page
from blog.services.articles import (
    card_options,
    is_public,
    nav_sections,
    public_articles,
    public_topic_list,
    without_bodies,
)
from blog.services.search_highlights import Markers, plain_snippet

MAX_QUERY_LENGTH = 200
LATEST_ON_EMPTY = 6
SNIPPET_WORDS = 32
PG_CONFIG = "english"
# bm25() weights for the FTS5 columns title, brief, body, topics.
FTS_WEIGHTS = (10.0, 5.0, 1.0, 4.0)
# ts_rank_cd() weights for the labels {D, C, B, A}: body is C, brief and topics B, title A.
PG_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
PG_RANK_NORMALIZATION = 1  # divide by 1 + log(document length)

# Objects of migration 0002 that live outside the SQLAlchemy models, per engine.
FTS_TABLE = "articles_fts"
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_articles_search_vector"

# PostgreSQL's "english" stop words. Terms made only of these are dropped on both
# engines, so a search for "the" behaves the same on SQLite as on PostgreSQL.
STOP_WORDS = frozenset(
    {
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
        "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for",
        "with", "about", "against", "between", "into", "through", "during", "before", "after",
        "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under",
        "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all",
        "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
        "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don",
        "should", "now",
    }
)  # fmt: skip

_TERM = re.compile(r'(?P<sign>-?)"(?P<phrase>[^"]*)(?:"|$)|(?P<word_sign>-?)(?P<word>[^\s"]+)')
# Letters and digits: a term without any can match nothing on either engine.
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_UNWANTED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # controls (NUL...), surrogates, private use


def is_index_object(name: str | None, type_: str, parent_names: dict) -> bool:
    """True for the search objects migration 0002 keeps out of the models.

    Usable as the negation of Alembic's `include_name` hook, so autogenerate ignores them.
    """
    if type_ == "table":
        return bool(name) and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_"))
    if parent_names.get("table_name") != "articles":
        return False
    return (type_ == "column" and name == SEARCH_VECTOR_COLUMN) or (
        type_ == "index" and name == SEARCH_VECTOR_INDEX
    )


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Term:
    """A word or "quoted phrase" the reader typed, possibly -excluded."""

    text: str
    is_phrase: bool = False
    is_excluded: bool = False

    def fts5(self) -> str:
        """An FTS5 string literal: its contents go to the tokenizer, never to the parser."""
        return '"' + self.text.replace('"', '""') + '"'


@dataclass(frozen=True)
class SearchQuery:
    """What the reader asked for: the cleaned text (shown back in the box) and its terms."""

    text: str
    terms: tuple[Term, ...] = ()
    was_shortened: bool = False

    @property
    def included(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.is_excluded)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.is_excluded)

    @property
    def is_searchable(self) -> bool:
        """At least one word to look for (exclusions alone match nothing)."""
        return bool(self.included)

    def fts5_match(self) -> str:
        """The MATCH expression: terms ANDed, exclusions NOT-ed, every term a literal."""
        expression = " AND ".join(t.fts5() for t in self.included)
        if self.excluded:
            expression = f"({expression}) NOT ({' OR '.join(t.fts5() for t in self.excluded)})"
        return expression


def clean(raw: str) -> str:
    """The query as one line of printable text: controls, NUL and surrogates removed."""
    kept = (
        " " if ch.isspace() else ch
        for ch in raw
        if ch.isspace() or unicodedata.category(ch) not in _UNWANTED_CATEGORIES
    )
    return _SPACE.sub(" ", "".join(kept)).strip()


def parse(raw: str | None) -> SearchQuery:
    """Words are ANDed, "quoted phrases" kept together, -words excluded; the rest literal."""
    text = clean(raw or "")
    was_shortened = len(text) > MAX_QUERY_LENGTH
    if was_shortened:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    terms: list[Term] = []
    for match in _TERM.finditer(text):
        is_phrase = match["phrase"] is not None
        body = match["phrase"] if is_phrase else match["word"]
        is_excluded = bool(match["sign"] if is_phrase else match["word_sign"])
        words = [w.lower() for w in _WORD.findall(body)]
        if not words or all(w in STOP_WORDS for w in words):
            continue
        term = Term(body.strip(), is_phrase=len(words) > 1, is_excluded=is_excluded)
        if term not in terms:
            terms.append(term)
    return SearchQuery(text=text, terms=tuple(terms), was_shortened=was_shortened)


# -------------------------------------------------------------------------- results


@dataclass
class SearchHit:
    article: Article
    title_html: Markup
    excerpt_html: Markup  # the body around the match, else the brief
    score: float


def search(
    query: SearchQuery,
    *,
    page: int = 1,
    per_page: int = 12,
    section_id: int | None = None,
    topic_id: int | None = None,
) -> Page[SearchHit]:
    """Published articles matching the query, best first (newer first on a tie).

    Two queries whatever the page size: the page's ids with highlights and the total,
    then the articles for their cards. A page past the last (other than the first) is
    NotFound.
    """
    if not query.is_searchable:
        return Page(items=[], page=page, per_page=per_page, total=0)
    filters = [is_public()]
    if section_id is not None:
        filters.append(Article.section_id == section_id)
    if topic_id is not None:
        filters.append(
            exists().where(
                article_topics.c.article_id == Article.id, article_topics.c.topic_id == topic_id
            )
        )
    markers = Markers.new()
    rows = db.session.execute(
        _page_statement(query, filters, markers, limit=per_page, offset=(page - 1) * per_page)
    ).all()
    if not rows:
        if page > 1:
            raise NotFound()
        return Page(items=[], page=page, per_page=per_page, total=0)
    articles = {
        a.id: a
        for a in db.session.scalars(
            select(Article)
            .where(Article.id.in_([r.id for r in rows]))
            .options(*card_options(), *without_bodies())
        )
    }
    items = []
    for row in rows:
        article = articles.get(row.id)
        if article is None:  # deleted between the two queries
            continue
        excerpt = plain_snippet(row.body) if markers.has_match(row.body) else row.brief
        items.append(
            SearchHit(article, markers.to_html(row.title), markers.to_html(excerpt), row.score)
        )
    return Page(items=items, page=page, per_page=per_page, total=rows[0].total)


def _page_statement(
    query: SearchQuery, filters: list, markers: Markers, *, limit: int, offset: int
) -> Select:
    """One page of hits (id, score, title, brief, body with markers) and the total."""
    if db.engine.dialect.name == "sqlite":
        matches, highlighted = _sqlite_matches(query), _sqlite_highlights
    else:
        matches, highlighted = _postgres_matches(query), _postgres_highlights
    # Referenced twice (the page and the total), so both engines compute it once.
    public = matches.where(*filters).cte("public_matches")
    hits = (
        select(public.c.id, public.c.score, public.c.published_at)
        .order_by(*_best_first(public))
        .limit(limit)
        .offset(offset)
        .cte("hits")
    )
    total = select(func.count()).select_from(public).scalar_subquery()
    return (
        highlighted(hits, query, markers)
        .add_columns(hits.c.id, hits.c.score, total.label("total"))
        .order_by(*_best_first(hits))
    )


def _best_first(rows) -> tuple:
    """Higher score first, then the newer article."""
    return rows.c.score.desc(), rows.c.published_at.desc(), rows.c.id.desc()


# SQLite: FTS5 ----------------------------------------------------------------------

_FTS = table(FTS_TABLE, column("rowid", Integer))
_FTS_REF = literal_column(FTS_TABLE)  # FTS5 functions take the table itself as argument


def _fts_match(query: SearchQuery) -> ColumnElement[bool]:
    return _FTS_REF.op("MATCH", is_comparison=True)(bindparam("match", query.fts5_match()))


def _sqlite_matches(query: SearchQuery) -> Select:
    # bm25() is only allowed beside its MATCH, and is lower for better matches. Running
    # the full-text query first, once, keeps the planner from probing it per article.
    ranked = (
        select(_FTS.c.rowid.label("id"), (-func.bm25(_FTS_REF, *FTS_WEIGHTS)).label("score"))
        .where(_fts_match(query))
        .cte("ranked")
        .prefix_with("MATERIALIZED")
    )
    return select(Article.id, Article.published_at, ranked.c.score).join_from(
        ranked, Article, Article.id == ranked.c.id
    )


def _sqlite_highlights(hits, query: SearchQuery, markers: Markers) -> Select:
    # Highlights for the page's rows only: computing them for every match is slow.
    start, stop = markers.start, markers.stop
    return (
        select(
            func.highlight(_FTS_REF, 0, start, stop).label("title"),
            func.highlight(_FTS_REF, 1, start, stop).label("brief"),
            func.snippet(_FTS_REF, 2, start, stop, "…", SNIPPET_WORDS).label("body"),
        )
        .select_from(hits.join(_FTS, _FTS.c.rowid == hits.c.id))
        .where(_fts_match(query))
    )


# PostgreSQL: tsvector ----------------------------------------------------------------

_VECTOR = literal_column(f"articles.{SEARCH_VECTOR_COLUMN}", TSVECTOR)
_CONFIG = literal_column(f"'{PG_CONFIG}'::regconfig", REGCONFIG)


def _tsquery(term: Term) -> ColumnElement:
    return func.phraseto_tsquery(_CONFIG, bindparam(None, term.text), type_=TSQUERY)


def _wanted(query: SearchQuery) -> ColumnElement:
    """All included terms ANDed into one tsquery (for matching, ranking and headlines)."""
    wanted = _tsquery(query.included[0])
    for term in query.included[1:]:
        wanted = wanted.op("&&", return_type=TSQUERY)(_tsquery(term))
    return wanted


def _vector_matches(tsquery: ColumnElement) -> ColumnElement[bool]:
    return _VECTOR.op("@@", is_comparison=True)(tsquery)


def _postgres_matches(query: SearchQuery) -> Select:
    wanted = _wanted(query)
    score = func.ts_rank_cd(
        literal_column(f"'{PG_WEIGHTS}'::real[]"), _VECTOR, wanted, PG_RANK_NORMALIZATION
    )
    return select(Article.id, Article.published_at, score.label("score")).where(
        _vector_matches(wanted),
        *(not_(_vector_matches(_tsquery(term))) for term in query.excluded),
    )


def _postgres_highlights(hits, query: SearchQuery, markers: Markers) -> Select:
    wanted = _wanted(query)
    selectors = f"StartSel={markers.start}, StopSel={markers.stop}"
    whole = f"HighlightAll=true, {selectors}"
    excerpt = (
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, MaxFragments=2, "
        f'FragmentDelimiter=" … ", {selectors}'
    )
    return select(
        func.ts_headline(_CONFIG, Article.title, wanted, whole).label("title"),
        func.ts_headline(_CONFIG, Article.brief, wanted, whole).label("brief"),
        func.ts_headline(_CONFIG, Article.body_md, wanted, excerpt).label("body"),
    ).select_from(hits.join(Article.__table__, Article.id == hits.c.id))


def latest(limit: int = 6) -> list[Article]:
    """What an empty result offers instead: the newest public articles."""
    return list(db.session.scalars(public_articles().options(*without_bodies()).limit(limit)))


@dataclass
class SearchResults:
    """What the reader's search page shows: the hits, the filters it offers, and the
    newest stories instead when nothing matches."""

    query: SearchQuery
    hits: Page[SearchHit]
    sections: list[Section]
    topics: list[Topic]
    section: Section | None
    topic: Topic | None
    latest: list[Article]


def search_page(
    raw: str, *, section: str | None, topic: str | None, page: int, per_page: int
) -> SearchResults:
    """The search page for the query as typed and the section and topic slugs chosen.

    Only topics with a public article are offered (the others are public nowhere); an
    unknown slug (a renamed topic in an old link) is ignored rather than failing."""
    query = parse(raw)
    sections, topics = nav_sections(), public_topic_list()
    chosen = (
        next((s for s in sections if s.slug == section), None),
        next((t for t in topics if t.slug == topic), None),
    )
    section_id, topic_id = (c.id if c else None for c in chosen)
    hits = search(query, page=page, per_page=per_page, section_id=section_id, topic_id=topic_id)
    latest_stories = [] if hits.items else latest(LATEST_ON_EMPTY)
    return SearchResults(query, hits, sections, topics, *chosen, latest_stories)
