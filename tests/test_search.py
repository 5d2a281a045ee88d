"""Full-text search on SQLite FTS5 and PostgreSQL: ranking, query language, sync, bad input."""

import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from blog.extensions import db
from blog.models import ArticleStatus, Upload
from blog.models.base import utcnow
from blog.services import search
from blog.services.search import MAX_QUERY_LENGTH, Markers, Term, parse, plain_snippet
from blog.services.uploads import image_markdown
from tests.harness import rebuilt

RESULT_LINK = re.compile(r'<h2 class="card-title"><a href="/articles/([^"]+)">')


def result_slugs(client, q: str, **params) -> list[str]:
    response = client.get("/search", query_string={"q": q, **params})
    assert response.status_code == 200
    return RESULT_LINK.findall(response.get_data(as_text=True))


def found(q: str, **filters) -> list[str]:
    """Slugs the search service returns, best first."""
    return [hit.article.slug for hit in search.search(parse(q), per_page=50, **filters).items]


def assert_index_consistent() -> None:
    """The engine's index holds exactly what the triggers should have put there."""
    if db.engine.dialect.name == "sqlite":
        # With rank 1, FTS5 also compares the index with its external content.
        db.session.execute(
            text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        )
    else:
        stale = db.session.scalar(
            text(
                "SELECT count(*) FROM articles WHERE search_vector IS DISTINCT FROM "
                "articles_search_vector(id, title, brief, body_md)"
            )
        )
        assert stale == 0
    db.session.rollback()


def search_objects() -> list[str]:
    """Names of the tables, views, triggers, columns and functions migration 0002 makes."""
    if db.engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE name LIKE '%search%' OR name LIKE '%fts%'"
    else:
        sql = (
            "SELECT column_name FROM information_schema.columns WHERE column_name LIKE 'search%' "
            "UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE '%search_vector%' "
            "UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE '%search%' "
            "UNION ALL SELECT indexname FROM pg_indexes WHERE indexname LIKE '%search%'"
        )
    names = list(db.session.scalars(text(sql)))
    db.session.rollback()
    return names


# ----------------------------------------------------------------- query language


def test_parse_builds_terms_and_never_interprets_syntax():
    query = parse('ferry "harbour master" -strike -"night bus" NEAR(a b) col:x * ^')
    assert query.terms == (
        Term("ferry"),
        Term("harbour master", is_phrase=True),
        Term("strike", is_excluded=True),
        Term("night bus", is_phrase=True, is_excluded=True),
        Term("NEAR(a", is_phrase=True),
        Term("b)"),
        Term("col:x", is_phrase=True),
    )
    assert query.fts5_match() == (
        '("ferry" AND "harbour master" AND "NEAR(a" AND "b)" AND "col:x") '
        'NOT ("strike" OR "night bus")'
    )


def test_parse_drops_what_cannot_match():
    assert parse('the AND or NOT "of the" - -- "" * 😀').terms == ()
    assert parse('"unbalanced quote').terms == (Term("unbalanced quote", is_phrase=True),)
    assert parse('say "hi').terms == (Term("say"), Term("hi"))
    assert parse('a "b""c"').terms == (Term("b"), Term("c"))
    assert not parse("-ferry").is_searchable
    assert parse('he said "x"" y').fts5_match() == '"said" AND "x" AND "y"'


def test_parse_cleans_and_shortens():
    query = parse("  ferry\x00 \t\nharbour\ud800\x07 ")
    assert query.text == "ferry harbour"
    assert not query.was_shortened
    long = parse("ferry " + "x" * 2000)
    assert long.was_shortened
    assert len(long.text) <= MAX_QUERY_LENGTH
    assert long.terms[0] == Term("ferry")


def test_markers_make_balanced_escaped_html():
    markers = Markers.new()
    s, e = markers.start, markers.stop
    html = markers.to_html(f"<b>{s}ferry{e} & {e}x{s}{s}open")
    assert str(html) == "&lt;b&gt;<mark>ferry</mark> &amp; x<mark>open</mark>"
    other = Markers.new()
    assert other.start != s
    assert "<mark>" not in str(other.to_html(f"{s}forged{e}"))


def test_plain_snippet_hides_markdown():
    assert plain_snippet("## Head\n\n**bold** and [a link](https://x.org/a_b) `code` _em_") == (
        "Head bold and a link code em"
    )
    assert plain_snippet("…k text](https://x.org) snake_case stays") == "…k text snake_case stays"


def test_plain_snippet_shows_an_escaped_alt_text_as_typed(app):
    """The editor writes a body image's alt text with every punctuation mark escaped."""
    with app.test_request_context():
        line = image_markdown(Upload(path="a.jpg", variants={}), "Mary's dog, asleep (at home).")
    assert "\\," in line
    assert plain_snippet(f"Before {line} after.") == "Before Mary's dog, asleep (at home). after."


# ------------------------------------------------------------------------- ranking


def test_title_beats_brief_beats_body_then_newest_first(app, make_article):
    body = make_article("Weekly roundup", brief="Notes.", body="The ferry timetable changes.")
    brief = make_article("Council notes", brief="A new ferry timetable.", body="Other words.")
    title = make_article("Ferry timetable changes", brief="Short.", body="Details inside.")
    for n in range(3):
        make_article(f"Filler {n}", body="Unrelated text about buses.")
    assert found("ferry timetable") == [title.slug, brief.slug, body.slug]

    # Equal matches: the newer article first.
    older = make_article("Lighthouse open day", body="Same text.")
    newer = make_article(
        "Lighthouse open day", body="Same text.", published_at=utcnow() - timedelta(seconds=5)
    )
    assert found("lighthouse") == [newer.slug, older.slug]


def test_words_are_anded_and_stemmed(app, client, make_article):
    both = make_article("Harbour ferries", body="The ferries leave the harbour at dawn.")
    ferry = make_article("Ferry news", body="Only one of the words.")
    make_article("Harbour news", body="Only the other word.")
    assert result_slugs(client, "harbour ferry") == [both.slug]
    assert set(found("ferry")) == {both.slug, ferry.slug}


def test_quoted_phrases_keep_words_together(app, client, make_article):
    phrase = make_article("Meet the harbour master", body="An interview.")
    apart = make_article("Master plan", body="A plan for the harbour.")
    assert set(found("harbour master")) == {phrase.slug, apart.slug}
    assert result_slugs(client, '"harbour master"') == [phrase.slug]
    assert result_slugs(client, '"master harbour"') == []


def test_minus_excludes_words_and_phrases(app, client, make_article):
    kept = make_article("Ferry timetable", body="Boats run every hour.")
    cut = make_article("Ferry strike", body="Boats cancelled by the strike.")
    night = make_article("Ferry at night", body="The night bus meets the boat.")
    assert set(result_slugs(client, "ferry -strike")) == {kept.slug, night.slug}
    assert set(result_slugs(client, 'ferry -"night bus"')) == {kept.slug, cut.slug}
    assert result_slugs(client, "ferry -strike -night") == [kept.slug]


def test_topic_names_are_searched(app, make_article, make_topic):
    topic = make_topic("Lighthouses")
    tagged = make_article("Keepers remember", body="Stories from the coast.", topics=[topic])
    make_article("Coastal walks", body="Stories from the coast.")
    assert found("lighthouse") == [tagged.slug]


# ------------------------------------------------------------ filters and paging


def test_filters_by_section_and_topic(app, client, make_article, make_section, make_topic):
    news, sport = make_section("News", slug="news"), make_section("Sport", slug="sport")
    rowing = make_topic("Rowing", slug="rowing")
    in_news = make_article("Regatta road closures", section=news)
    in_sport = make_article("Regatta results", section=sport, topics=[rowing])
    other_sport = make_article("Regatta crews", section=sport)
    assert set(result_slugs(client, "regatta")) == {in_news.slug, in_sport.slug, other_sport.slug}
    assert result_slugs(client, "regatta", section="news") == [in_news.slug]
    assert set(result_slugs(client, "regatta", section="sport")) == {
        in_sport.slug,
        other_sport.slug,
    }
    assert result_slugs(client, "regatta", topic="rowing") == [in_sport.slug]
    assert result_slugs(client, "regatta", section="news", topic="rowing") == []

    html = client.get("/search?q=regatta&section=sport").get_data(as_text=True)
    assert '<option value="sport" selected>Sport</option>' in html
    assert '<option value="rowing">Rowing</option>' in html
    # An unknown slug (an old link) is ignored rather than an error.
    assert len(result_slugs(client, "regatta", section="gone", topic="gone")) == 3


def test_pagination(app, client, make_article, make_section):
    app.config["PAGE_SIZE"] = 2
    section = make_section("News", slug="news")
    made = [make_article(f"Regatta day {n}", section=section) for n in range(5)]
    make_article("Regatta elsewhere")
    pages = [result_slugs(client, "regatta", section="news", page=n) for n in (1, 2, 3)]
    assert pages == [[a.slug for a in made[0:2]], [a.slug for a in made[2:4]], [made[4].slug]]

    html = client.get("/search?q=regatta&section=news&page=2").get_data(as_text=True)
    assert "5 results" in html
    assert "Page 2 of 3" in html
    assert 'href="/search?q=regatta&amp;section=news"' in html  # page 1 has no page=
    assert 'href="/search?q=regatta&amp;page=3&amp;section=news"' in html
    for page in ("4", "0", "-1", "x", "2\x00"):
        assert client.get("/search", query_string={"q": "regatta", "page": page}).status_code == 404


# ------------------------------------------------------------------ what is public


def test_drafts_scheduled_and_unpublished_never_appear(app, client, make_article):
    public = make_article("Regatta live", body="secretword")
    make_article("Regatta draft", body="secretword", status=ArticleStatus.DRAFT)
    make_article("Regatta in review", body="secretword", status=ArticleStatus.REVIEW)
    make_article(
        "Regatta tomorrow",
        body="secretword",
        status=ArticleStatus.PUBLISHED,
        published_at=utcnow() + timedelta(days=1),
    )
    assert result_slugs(client, "secretword") == [public.slug]
    assert result_slugs(client, "regatta") == [public.slug]
    assert_index_consistent()


# ------------------------------------------------------------------- index sync


def test_index_follows_edits(app, client, make_article):
    article = make_article("Old headline", brief="Old brief.", body="The zebra crossing.")
    assert found("zebra") == [article.slug]

    article.set_body("The giraffe crossing.")
    article.title = "New headline"
    article.brief = "Pelican brief."
    db.session.commit()
    assert_index_consistent()
    assert found("zebra") == []
    assert found("old") == []
    assert result_slugs(client, "giraffe") == [article.slug]
    assert found("new headline") == [article.slug]
    assert found("pelican") == [article.slug]

    # Columns the index does not hold leave it alone.
    article.comment_count = 3
    db.session.commit()
    assert_index_consistent()
    assert found("giraffe") == [article.slug]


def test_index_follows_publish_unpublish_and_delete(app, client, make_article, make_topic):
    topic = make_topic("Tides")
    draft = make_article("Tide tables", body="okapi", status=ArticleStatus.DRAFT, topics=[topic])
    assert found("okapi") == []

    draft.status = ArticleStatus.PUBLISHED
    draft.published_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert_index_consistent()
    assert result_slugs(client, "okapi") == [draft.slug]
    assert found("tides") == [draft.slug]

    draft.status = ArticleStatus.DRAFT
    db.session.commit()
    assert_index_consistent()
    assert result_slugs(client, "okapi") == []

    draft.status = ArticleStatus.PUBLISHED
    db.session.commit()
    assert found("okapi") == [draft.slug]

    db.session.delete(draft)
    db.session.commit()
    assert_index_consistent()
    assert result_slugs(client, "okapi") == []
    assert found("tides") == []


def test_index_follows_topics(app, client, make_article, make_topic):
    quokka = make_topic("Quokka")
    other = make_topic("Bilby")
    article = make_article("Island life", body="Small animals.", topics=[other])
    assert found("quokka") == []

    article.topics.append(quokka)
    db.session.commit()
    assert_index_consistent()
    assert found("quokka") == [article.slug]

    quokka.name = "Wombat"
    db.session.commit()
    assert_index_consistent()
    assert found("quokka") == []
    assert result_slugs(client, "wombat") == [article.slug]

    article.topics.remove(quokka)
    db.session.commit()
    assert_index_consistent()
    assert found("wombat") == []
    assert found("bilby") == [article.slug]

    db.session.delete(other)
    db.session.commit()
    assert_index_consistent()
    assert found("bilby") == []
    assert found("island") == [article.slug]


def test_index_follows_an_edit_of_everything_at_once(app, make_article, make_topic):
    first, second, third = make_topic("Alpha"), make_topic("Beta"), make_topic("Gamma")
    article = make_article("Before", body="Old body.", topics=[first, second])
    article.title = "After"
    article.set_body("Fresh body.")
    article.topics = [third, first]
    second.name = "Delta"
    db.session.commit()
    assert_index_consistent()
    assert found("after fresh gamma alpha") == [article.slug]
    assert found("beta") == found("delta") == found("before") == []


def test_migration_backfills_existing_articles(app, make_article, make_topic):
    slug = make_article("Harbour seals", body="Counted.", topics=[make_topic("Wildlife")]).slug
    make_article("Seal draft", body="Counted.", status=ArticleStatus.DRAFT)
    db.session.remove()
    downgrade(revision="0001")
    assert search_objects() == []
    upgrade()
    assert search_objects()
    assert found("seals counted") == [slug]
    assert found("wildlife") == [slug]
    assert_index_consistent()


# -------------------------------------------------------------------- the page


def test_results_highlight_matches_and_escape_article_text(app, client, make_article):
    make_article(
        'Ferry <b>"news"</b>',
        brief="A brief with <i>tags</i>.",
        body="The **ferry** carried <script>alert('x')</script> cargo.",
    )
    html = client.get("/search?q=ferry").get_data(as_text=True)
    assert "<mark>Ferry</mark> &lt;b&gt;&#34;news&#34;&lt;/b&gt;" in html
    assert "<mark>ferry</mark>" in html
    assert "<script>alert" not in html
    assert "**" not in html

    html = client.get("/search?q=cargo").get_data(as_text=True)
    assert "<mark>cargo</mark>" in html
    assert "<script>" not in html


def test_brief_is_shown_when_the_body_does_not_match(app, make_article):
    make_article("Ferry times", brief="When the ferry sails.", body="Nothing relevant here.")
    [hit] = search.search(parse("ferry")).items
    assert str(hit.title_html) == "<mark>Ferry</mark> times"
    assert str(hit.excerpt_html) == "When the <mark>ferry</mark> sails."
    assert hit.score > 0


def test_no_results_keep_the_query_and_offer_latest(app, client, make_article):
    latest = make_article("Latest regatta report")
    html = client.get("/search?q=unfindable+words").get_data(as_text=True)
    assert 'value="unfindable words"' in html
    assert "No stories match “<bdi>unfindable words</bdi>”" in html
    assert "Latest stories" in html
    assert f'href="/articles/{latest.slug}"' in html

    html = client.get("/search?q=the+and+of").get_data(as_text=True)
    assert "Nothing to search for" in html
    assert 'value="the and of"' in html

    html = client.get("/search").get_data(as_text=True)
    assert "Type a few words" in html
    assert f'href="/articles/{latest.slug}"' in html


def test_overlong_query_is_cut_with_a_notice(app, client, make_article):
    article = make_article("Regatta report")
    response = client.get("/search", query_string={"q": "regatta " + "?" * 2000})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"shortened to the first {MAX_QUERY_LENGTH} characters" in html
    assert 'value="regatta ' + "?" * (MAX_QUERY_LENGTH - len("regatta ")) + '"' in html
    assert RESULT_LINK.findall(html) == [article.slug]

    html = client.get("/search", query_string={"q": "regatta ?"}).get_data(as_text=True)
    assert "shortened" not in html


def test_search_box_in_the_masthead_of_every_page(app, client, make_article):
    article = make_article("Regatta report")
    for url in ("/", f"/articles/{article.slug}", "/search?q=x", "/no-such-page"):
        html = client.get(url).get_data(as_text=True)
        assert '<form class="site-search" role="search" action="/search" method="get">' in html
        assert 'name="q"' in html


def test_search_page_cost_does_not_grow(app, count_queries, make_article, make_topic):
    # Nothing kept between requests (page cache, fragments): every page renders everything.
    with rebuilt(app, PAGE_CACHE=False, FRAGMENT_CACHE=False) as uncached:
        client = uncached.test_client()

        def cost(url):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            return counter.count

        make_article("Regatta one", topics=[make_topic()])
        small = cost("/search?q=regatta")
        for n in range(15):
            make_article(f"Regatta {n}", topics=[make_topic(), make_topic()])
        assert cost("/search?q=regatta") == small
        assert cost("/search?q=regatta&page=2") == small
        assert small <= 8


# ------------------------------------------------------------------ bad input

BAD_QUERIES = [
    "NEAR(ferry harbour, 2)",
    "NEAR(",
    "ferry*",
    "*",
    "^ferry",
    "ferry^",
    '"unbalanced',
    'ferry"',
    '"',
    '""',
    '"""',
    "AND",
    "OR NOT",
    "ferry AND OR NOT harbour",
    "ferry NOT",
    "title:ferry",
    "{title brief}: ferry",
    ":",
    "ferry:",
    "-",
    "--ferry",
    "- -",
    "(",
    "(ferry",
    "ferry)",
    "+ferry",
    "ferry & harbour | !x <-> y",
    "'; DROP TABLE articles; --",
    "1' OR '1'='1",
    "ferry') OR 1=1 --",
    "%",
    "_",
    "\\",
    "ferry\\",
    "a" * 2000,
    "ferry " * 400,
    '"' * 500,
    "\x00",
    "ferry\x00harbour",
    "\x01\x1f\x7f",
    "\t\n\r",
    " ",
    "مرحبا بالعالم",
    "שלום ferry",
    "\u202eferry\u202c",
    "🚢⛴️ ferry 👍🏽",
    "👨‍👩‍👧",
    "\ufeff\u200b",
    "ﬃ ẞ İ",
]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_queries_are_safe(app, client, make_article, q):
    article = make_article("Ferry harbour news")
    response = client.get("/search", query_string={"q": q, "section": q, "topic": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<form class="search-form"' in html
    assert "\x00" not in html
    for slug in RESULT_LINK.findall(html):
        assert slug == article.slug


QUERY_PIECES = [*'"-*^:() ', "NEAR", "AND", "OR", "NOT", "ferry", "harbour", "x", "\x00", "é", "🚢"]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    q=st.one_of(
        st.text(max_size=300),
        # Mostly query syntax, so quotes, minus signs and operators meet real words.
        st.lists(st.sampled_from(QUERY_PIECES), max_size=40).map("".join),
    )
)
def test_any_text_is_a_safe_query(app, client, make_article, q):
    # Examples share the test's database: the articles are made for the first one.
    if not found("ferry"):
        make_article("Ferry harbour news", body="The **ferry** <script>x</script> sails.")
        make_article("Draft ferry", body="ferry", status=ArticleStatus.DRAFT)
    query = parse(q)
    assert len(query.text) <= MAX_QUERY_LENGTH
    for term in query.terms:
        assert re.search(r"[^\W_]", term.text)
    page = search.search(query)
    assert page.total == len(page.items)
    for hit in page.items:
        assert hit.article.status == ArticleStatus.PUBLISHED
        assert re.sub(r"</?mark>", "", str(hit.title_html)) == "Ferry harbour news"
        assert "<script>" not in str(hit.excerpt_html)

    response = client.get("/search", query_string={"q": q.encode("utf-8", "surrogatepass")})
    assert response.status_code == 200
