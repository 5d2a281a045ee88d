"""Sharing: the share buttons' POST, counting, dedupe, limits and the rankings."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import func, select

from blog import formguard
from blog.extensions import db
from blog.models import (
    NETWORKS,
    Article,
    ArticleStatus,
    OldSlug,
    ShareReceipt,
    ShareTally,
    SlugKind,
)
from blog.models.base import utcnow
from blog.ratelimit import keyed_hash
from blog.services import counters, frontpage, shares

ROOT = Path(__file__).resolve().parent.parent
NASTY_TITLE = "Q&A: #1 \"quotes\" 'n' <b> 100% — Ünïcode 🚀?\r\nBcc: victim@example.org"
LINK_NETWORKS = list(shares.NETWORK_LABELS)
JSON = {"Accept": "application/json"}


def reader(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def token_for(article: Article) -> str:
    return formguard.issue_token("share", article.id)


def share(client, article, network, *, address="198.51.100.7", json=False, token=None, **kw):
    data = {"token": token_for(article) if token is None else token}
    return client.post(
        f"/articles/{article.slug}/share/{network}",
        data=data,
        headers=JSON if json else kw.pop("headers", None),
        environ_base=reader(address),
        **kw,
    )


def tallies(article: Article) -> dict[tuple[str, object], int]:
    rows = db.session.execute(
        select(ShareTally.network, ShareTally.day, ShareTally.count).where(
            ShareTally.article_id == article.id
        )
    )
    return {(network, day): count for network, day, count in rows}


def stored_share_count(article: Article) -> int:
    return db.session.scalar(select(Article.share_count).where(Article.id == article.id))


def tally_sum(article: Article) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ShareTally.count), 0)).where(
            ShareTally.article_id == article.id
        )
    )


def article_url(article: Article) -> str:
    return f"http://byline.test/articles/{article.slug}"


# --- Share URLs -------------------------------------------------------------------------


@pytest.mark.parametrize("network", LINK_NETWORKS)
def test_share_url_encodes_title_and_url_exactly(network):
    url = "https://news.example.org/articles/q-and-a?x=1&y=2#frag"
    target = shares.share_url(network, url, NASTY_TITLE)
    # Nothing in the title can change the URL's structure or split a header.
    assert not re.search(r"[\s\"'<>#\x00-\x1f\x7f]", target)
    assert "\r" not in target and "\n" not in target
    parts = urlsplit(target)
    values = [v for vs in parse_qs(parts.query, strict_parsing=True).values() for v in vs]
    if network == "email":
        assert parts.scheme == "mailto" and parts.path == ""
        assert parse_qs(parts.query) == {"subject": [NASTY_TITLE], "body": [url]}
        # RFC 6068: spaces are %20, never "+".
        assert "+" not in parts.query and "%20" in parts.query
        return
    assert parts.scheme == "https"
    assert url in values or any(url in v for v in values)
    if network in ("x", "reddit", "telegram"):
        assert NASTY_TITLE in values
    if network == "whatsapp":
        assert values == [f"{NASTY_TITLE} {url}"]
    assert "+" not in parts.query  # spaces travel as %20, which every network reads


def test_share_url_targets():
    url, title = "https://n.example/a", "Hello world"
    assert shares.share_url("x", url, title) == (
        "https://x.com/intent/post?url=https%3A%2F%2Fn.example%2Fa&text=Hello%20world"
    )
    assert shares.share_url("facebook", url, title) == (
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fn.example%2Fa"
    )
    assert shares.share_url("linkedin", url, title).startswith(
        "https://www.linkedin.com/sharing/share-offsite/?url="
    )
    assert shares.share_url("reddit", url, title).startswith("https://www.reddit.com/submit?")
    assert shares.share_url("whatsapp", url, title) == (
        "https://wa.me/?text=Hello%20world%20https%3A%2F%2Fn.example%2Fa"
    )
    assert shares.share_url("telegram", url, title).startswith("https://t.me/share/url?")
    assert shares.share_url("email", url, title) == (
        "mailto:?subject=Hello%20world&body=https%3A%2F%2Fn.example%2Fa"
    )
    assert shares.share_url("copy", url, title) == url
    assert shares.share_url("native", url, title) == url
    with pytest.raises(KeyError):
        shares.share_url("myspace", url, title)


def test_form_action_sources_cover_every_share_target():
    """A CSP `form-action 'self' <these>` lets every no-JavaScript share redirect through."""
    sources = shares.form_action_sources().split()
    for network in LINK_NETWORKS:
        assert shares.share_origin(shares.share_url(network, "https://n.example/", "t")) in sources
    assert "mailto:" in sources
    assert not any(source in ("*", "https:", "http:") for source in sources)


# --- The share button without JavaScript ------------------------------------------------


@pytest.mark.parametrize("network", LINK_NETWORKS)
def test_share_button_counts_and_redirects_to_the_network(client, make_article, network):
    article = make_article(NASTY_TITLE)
    response = share(client, article, network)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == shares.share_url(network, article_url(article), NASTY_TITLE)
    assert "\r" not in location and "\n" not in location
    assert "Bcc" not in response.headers  # no header smuggled in through the title
    assert response.headers["Cache-Control"] == "no-store"
    assert tallies(article) == {(network, utcnow().date()): 1}
    assert stored_share_count(article) == 1


def test_no_javascript_flow_from_the_rendered_page(client, make_article):
    """The page's own forms post where they say, with a token that is accepted."""
    article = make_article("Trams return")
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    section = html[
        html.index('<section id="share"') : html.index("</section>", html.index('id="share"'))
    ]
    forms = re.findall(r'<form class="share-form" method="post" action="([^"]+)"', section)
    assert forms == [
        f"/articles/{article.slug}/share/{network}"
        for network in [*LINK_NETWORKS, "copy", "native"]
    ]
    tokens = set(re.findall(r'name="token" value="([^"]+)"', section))
    assert len(tokens) == 1
    (token,) = tokens
    response = client.post(forms[0], data={"token": token})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://x.com/intent/post?")
    assert 'target="_blank" rel="noopener"' in section  # network pages open in a new tab
    # The script that adds the in-page extras: our own file, no inline code.
    assert re.search(r'<script src="/static/js/share\.[0-9a-f]{12}\.js" defer></script>', html)
    assert "onclick" not in section and "style=" not in section


def test_a_cached_page_token_works_for_another_reader(app, make_article):
    """The page cache serves one rendering to everyone: its token is not tied to a reader."""
    article = make_article()
    first, second = app.test_client(), app.test_client()
    html = first.get(f"/articles/{article.slug}", environ_base=reader("203.0.113.1"))
    token = re.search(r'name="token" value="([^"]+)"', html.get_data(as_text=True))[1]
    response = share(second, article, "reddit", address="203.0.113.2", token=token, json=True)
    assert response.status_code == 200 and response.get_json()["counted"] is True


def test_share_works_with_csrf_protection_on(app, client, make_article):
    app.config["WTF_CSRF_ENABLED"] = True
    article = make_article()
    assert share(client, article, "x").status_code == 303
    assert stored_share_count(article) == 1


def test_copy_and_native_without_javascript_return_to_the_article(client, make_article):
    article = make_article()
    for network in ("copy", "native"):
        response = share(client, article, network)
        assert response.status_code == 303
        assert response.headers["Location"] == article_url(article) + "#share"
    assert tallies(article) == {("copy", utcnow().date()): 1, ("native", utcnow().date()): 1}


def test_renamed_article_still_counts_under_its_old_slug(client, make_article):
    article = make_article(slug="new-name")
    db.session.add(OldSlug(kind=SlugKind.ARTICLE, slug="old-name", target_id=article.id))
    db.session.commit()
    response = client.post(
        "/articles/old-name/share/x",
        data={"token": token_for(article)},
        environ_base=reader("198.51.100.1"),
    )
    assert response.status_code == 303
    assert "new-name" in unquote(response.headers["Location"])
    assert stored_share_count(article) == 1


# --- The JavaScript path ----------------------------------------------------------------


def test_json_answer_for_the_script(client, make_article):
    article = make_article("Harbour & trams")
    response = share(client, article, "telegram", json=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {
        "counted": True,
        "count": 1,
        "network": "telegram",
        "url": shares.share_url("telegram", article_url(article), "Harbour & trams"),
    }
    again = share(client, article, "telegram", json=True).get_json()
    assert again["counted"] is False and again["count"] == 1
    other = share(client, article, "copy", json=True).get_json()
    assert other == {
        "counted": True,
        "count": 2,
        "network": "copy",
        "url": article_url(article),
    }


def test_article_page_shows_the_count_and_the_hidden_extras(client, make_article):
    article = make_article()
    for n, network in enumerate(("x", "email", "whatsapp")):
        share(client, article, network, address=f"192.0.2.{n + 1}")
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert re.search(
        r'<span class="share-total">3</span> <span class="share-noun"[^>]*>shares<', html
    )
    assert '<p class="share-thanks" role="status" hidden>' in html
    assert html.count('<li class="share-js-only" hidden>') == 2  # copy link, share sheet
    assert 'data-network="email"' in html and 'data-share-url="mailto:?subject=' in html
    single = make_article()
    share(client, single, "x")
    html = client.get(f"/articles/{single.slug}").get_data(as_text=True)
    assert re.search(
        r'<span class="share-total">1</span> <span class="share-noun"[^>]*>share<', html
    )


def test_share_script_is_served_and_self_contained(client):
    response = client.get("/static/js/share.js")
    assert response.status_code == 200
    source = response.get_data(as_text=True)
    response.close()
    assert "navigator.clipboard" in source and "navigator.share" in source
    assert '"noopener"' in source and "application/json" in source
    # No third-party code or requests.
    assert not re.search(r"https?://", source)
    assert not re.search(r"\b(eval|innerHTML|document\.write)\b", source)


# --- Counting ---------------------------------------------------------------------------


def test_counts_in_daily_buckets(app, make_article):
    article = make_article()
    today = utcnow().date()
    yesterday = today - timedelta(days=1)
    for day, key in [(yesterday, "a"), (yesterday, "b"), (today, "a"), (today, "c")]:
        assert shares.record_share(article, "x", client_key=key, day=day) is True
    assert shares.record_share(article, "email", client_key="a", day=today) is True
    assert tallies(article) == {("x", yesterday): 2, ("x", today): 2, ("email", today): 1}
    assert stored_share_count(article) == 5 == tally_sum(article)


def test_one_count_per_reader_article_network_and_day(client, make_article):
    article, other = make_article(), make_article()
    assert share(client, article, "x", json=True).get_json()["counted"] is True
    # The same reader again: still sent to the network, not counted.
    repeat = share(client, article, "x")
    assert repeat.status_code == 303 and repeat.headers["Location"].startswith("https://x.com/")
    assert share(client, article, "x", json=True).get_json()["counted"] is False
    # Another network, another article, another reader: each counts.
    assert share(client, article, "facebook", json=True).get_json()["counted"] is True
    assert share(client, other, "x", json=True).get_json()["counted"] is True
    another_reader = share(client, article, "x", address="198.51.100.8", json=True)
    assert another_reader.get_json() == {
        "counted": True,
        "count": 3,
        "network": "x",
        "url": shares.share_url("x", article_url(article), article.title),
    }
    assert tallies(article) == {("x", utcnow().date()): 2, ("facebook", utcnow().date()): 1}
    # The next day the same reader counts again.
    tomorrow = utcnow().date() + timedelta(days=1)
    key = keyed_hash("198.51.100.7", "client")
    assert shares.record_share(article, "x", client_key=key, day=tomorrow) is True
    assert shares.record_share(article, "x", client_key=key, day=tomorrow) is False
    assert stored_share_count(article) == 4 == tally_sum(article)


def test_share_count_stays_equal_to_the_sum_of_tallies(client, make_article):
    article = make_article()
    for n in range(4):
        for network in ("x", "reddit", "copy"):
            share(client, article, network, address=f"203.0.113.{n}", json=True)
            share(client, article, network, address=f"203.0.113.{n}", json=True)  # repeat
    assert stored_share_count(article) == 12 == tally_sum(article)
    counters.refresh_article_counters([article.id])  # recomputing changes nothing
    db.session.commit()
    assert stored_share_count(article) == 12


def test_receipts_hold_no_raw_address(client, make_article):
    article = make_article()
    share(client, article, "x", address="203.0.113.99")
    receipt = db.session.scalars(select(ShareReceipt)).one()
    assert receipt.client_key != "203.0.113.99"
    assert "203.0.113.99" not in receipt.client_key
    assert re.fullmatch(r"[0-9a-f]{32}", receipt.client_key)
    assert receipt.client_key == keyed_hash("203.0.113.99", "client")
    assert (receipt.article_id, receipt.network, receipt.day) == (
        article.id,
        "x",
        utcnow().date(),
    )


def test_old_receipts_are_pruned_when_a_new_day_starts(app, make_article):
    article = make_article()
    today = utcnow().date()
    for age in (5, 3, 2, 1):
        shares.record_share(article, "x", client_key="k", day=today - timedelta(days=age))
    shares.record_share(article, "x", client_key="k", day=today)
    days = set(db.session.scalars(select(ShareReceipt.day)))
    assert days == {today - timedelta(days=age) for age in (2, 1, 0)}
    # Tallies are history and stay.
    assert len(tallies(article)) == 5 and stored_share_count(article) == 5


def test_a_vanished_article_is_not_counted(app, make_article):
    gone = Article(id=987654, slug="gone", title="Gone")
    assert shares.record_share(gone, "x", client_key="k", day=utcnow().date()) is False
    assert db.session.scalar(select(func.count(ShareReceipt.id))) == 0


def test_record_share_refuses_unknown_networks(app, make_article):
    article = make_article()
    with pytest.raises(ValueError):
        shares.record_share(article, "myspace", client_key="k", day=utcnow().date())
    assert set(NETWORKS) == set(shares.NETWORK_LABELS) | {"copy", "native"}


# --- Rate limit -------------------------------------------------------------------------


def test_over_the_rate_limit_the_reader_still_reaches_the_network(app, client, make_article):
    app.config["SHARE_RATE_LIMIT"] = "3 per minute"
    article = make_article()
    networks = ["x", "facebook", "linkedin", "reddit", "whatsapp"]
    answers = [share(client, article, network, json=True).get_json() for network in networks]
    assert [a["counted"] for a in answers] == [True, True, True, False, False]
    limited = share(client, article, "telegram")
    assert limited.status_code == 303
    assert limited.headers["Location"].startswith("https://t.me/share/url?")
    assert stored_share_count(article) == 3 == tally_sum(article)
    # The limit is per client: another reader is counted.
    assert share(client, article, "x", address="192.0.2.50", json=True).get_json()["counted"]


def test_rate_limit_can_be_switched_off(app, client, make_article):
    app.config["SHARE_RATE_LIMIT"] = "1 per minute"
    app.config["RATELIMIT_ENABLED"] = False
    article = make_article()
    results = [share(client, article, n, json=True).get_json()["counted"] for n in LINK_NETWORKS]
    assert all(results)


# --- Bad input --------------------------------------------------------------------------


def test_unknown_network_draft_scheduled_and_missing_articles_are_404(client, make_article):
    article = make_article()
    draft = make_article(status=ArticleStatus.DRAFT)
    scheduled = make_article(published_at=utcnow() + timedelta(days=1))
    assert share(client, article, "myspace").status_code == 404
    assert share(client, article, "X").status_code == 404
    assert share(client, draft, "x", token=token_for(draft)).status_code == 404
    assert share(client, scheduled, "x", token=token_for(scheduled)).status_code == 404
    response = client.post("/articles/no-such-story/share/x", data={"token": "t"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ShareTally.id))) == 0


def test_get_on_the_share_url_is_405(client, make_article):
    article = make_article()
    response = client.get(f"/articles/{article.slug}/share/x")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/share/x%00",
        "/share/%0d%0aLocation:%20https://evil.example",
        "/share/x%01",
        "/share/%C3%A9",
        "/share/" + "x" * 5000,
    ],
)
def test_control_characters_in_the_network_are_404_not_500(client, make_article, path):
    article = make_article()
    response = client.post(f"/articles/{article.slug}{path}", data={"token": token_for(article)})
    assert response.status_code == 404


def test_control_characters_in_the_slug_or_token_are_never_500(client, make_article):
    article = make_article()
    assert client.post("/articles/a%00b/share/x", data={"token": "t"}).status_code == 404
    for bad in ("\x00", "abc\x00def", "\r\n", "😀" * 100, token_for(article) + "\x00"):
        response = share(client, article, "x", token=bad)
        assert response.status_code == 400
    assert stored_share_count(article) == 0


def test_bad_or_missing_token_is_400_and_counts_nothing(client, make_article):
    article, other = make_article(), make_article()
    cases = {
        "missing": "",
        "forged": "not-a-token",
        "another article": token_for(other),
        "another purpose": formguard.issue_token("comment", article.id),
    }
    for label, token in cases.items():
        response = share(client, article, "x", token=token)
        assert response.status_code == 400, label
        page = response.get_data(as_text=True)
        assert "This share button has expired" in page and "reload it" in page
        assert response.headers["Cache-Control"] == "no-store"
        as_json = share(client, article, "x", token=token, json=True)
        assert as_json.status_code == 400 and "expired" in as_json.get_json()["error"]
    assert stored_share_count(article) == 0
    assert db.session.scalar(select(func.count(ShareReceipt.id))) == 0


def test_cross_origin_post_is_400(client, make_article):
    article = make_article()
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "http://byline.test.evil.example"},
    ):
        response = share(client, article, "x", headers=headers)
        assert response.status_code == 400, headers
        assert "not on a page of this site" in response.get_data(as_text=True)
    assert stored_share_count(article) == 0
    same_site = share(client, article, "x", headers={"Origin": "http://byline.test"})
    assert same_site.status_code == 303
    assert stored_share_count(article) == 1


# --- Rankings on the front page ---------------------------------------------------------


def add_tally(article, network, days_ago, count):
    db.session.add(
        ShareTally(
            article_id=article.id,
            network=network,
            day=utcnow().date() - timedelta(days=days_ago),
            count=count,
        )
    )


def test_most_shared_this_week_orders_by_the_weeks_total(app, make_article):
    steady, burst, old_hit, edge, draft = (make_article() for _ in range(5))
    draft.status = ArticleStatus.DRAFT
    add_tally(steady, "x", 0, 4)
    add_tally(steady, "email", 3, 4)  # 8 this week, over two networks
    add_tally(burst, "reddit", 1, 6)
    add_tally(old_hit, "x", 7, 500)  # eight days ago counting today: outside the week
    add_tally(old_hit, "x", 0, 1)
    add_tally(edge, "copy", 6, 7)  # the seventh day back is still in the week
    add_tally(draft, "x", 0, 99)
    db.session.commit()
    assert frontpage.most_shared_this_week() == [steady, edge, burst, old_hit]
    assert frontpage.most_shared_this_week(limit=2) == [steady, edge]


def test_most_shared_ties_go_to_the_newer_article(app, make_article):
    newer, older = make_article(), make_article()  # each made a minute older than the last
    add_tally(older, "x", 0, 3)
    add_tally(newer, "x", 1, 3)
    db.session.commit()
    assert frontpage.most_shared_this_week() == [newer, older]


def test_front_page_shows_most_shared_and_most_discussed(client, make_article, make_comment):
    lead = make_article("Lead story", is_featured=True)
    shared = make_article("Shared the most")
    runner_up = make_article("Shared a little")
    talked = make_article("Talked about")
    for n in range(3):
        share(client, shared, LINK_NETWORKS[n], json=True)
    share(client, runner_up, "x", json=True)
    for _ in range(2):
        make_comment(talked)
    make_comment(lead)
    html = client.get("/").get_data(as_text=True)
    shared_block = html[
        html.index('id="most-shared"') : html.index("</section>", html.index('id="most-shared"'))
    ]
    assert re.findall(r"<li><a href=\"/articles/[^\"]+\">([^<]+)</a></li>", shared_block) == [
        "Shared the most",
        "Shared a little",
    ]
    discussed_block = html[html.index('id="most-discussed"') :]
    discussed_block = discussed_block[: discussed_block.index("</section>")]
    # The lead story, discussed too, is shown once on the page: in the lead, not here.
    assert re.findall(r"<li><a href=\"/articles/[^\"]+\">([^<]+)</a></li>", discussed_block) == [
        "Talked about"
    ]


def test_share_javascript_and_css_files_exist():
    assert (ROOT / "static" / "js" / "share.js").is_file()
    css = (ROOT / "static" / "css" / "site.css").read_text()
    assert "/* Shares */" in css and ".share-form" in css
