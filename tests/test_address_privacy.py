"""Readers' e-mail addresses stay private: no public page, feed or header shows a
commenter's or a follower's address, while a backup and a site export hold them and say
so."""

import json
import tarfile

import pytest

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    Mailing,
    PageStatus,
    Subscriber,
    Subscription,
    ThreadFollow,
)
from blog.models import Page as StaticPage
from blog.models.base import utcnow
from blog.services import counters
from blog.sitedata.commands import PRIVATE_DATA_NOTE

# Each address carries a marker of its own; the test looks for the markers in any case.
COMMENTER = "Qx7Commenter@Readers.example"
REPLIER = "qx7replier@readers.example"
HELD = "qx7held@readers.example"
FOLLOWER = "Qx7Follower@Readers.example"
WAITING = "qx7waiting@readers.example"
THREAD_FOLLOWER = "qx7thread@readers.example"
ADDRESSES = (COMMENTER, REPLIER, HELD, FOLLOWER, WAITING, THREAD_FOLLOWER)
MARKERS = ("qx7", "readers.example")
WORD = "lighthouse"  # a word of the article, to find it by search

# GET endpoints that serve no page of their own, and why.
NOT_PAGES = {
    "static": "files from static/",
    "public.upload": "stored image files",
}


@pytest.fixture
def followed_site(make_article, make_section, make_topic, make_user):
    """An article with approved comments and a reply by readers who gave their addresses,
    a held one, a static page, and readers following the site, a section, a topic and a
    thread, one of them unconfirmed."""
    section, topic = make_section("Coast", slug="coast"), make_topic("Tides", slug="tides")
    author = make_user(name="Mara Writer", slug="mara-writer")
    article = make_article(
        f"The {WORD} keeper retires",
        slug="keeper",
        body=f"After forty years at the {WORD}, the keeper hands over the keys.",
        section=section,
        topics=[topic],
        author=author,
    )
    top = comment(article, "Thank you for the years of light.", "Ines Ward", COMMENTER)
    reply = comment(article, "Seconded, from the harbour.", "Tomas Hale", REPLIER, parent=top)
    comment(article, "Held for a moderator.", "Held Reader", HELD, status=CommentStatus.PENDING)
    page = StaticPage(
        title="About",
        slug="about",
        author=author,
        status=PageStatus.PUBLISHED,
        published_at=utcnow(),
    )
    page.set_body("A small newsroom on the coast.")
    db.session.add(page)
    follower, waiting = subscriber(FOLLOWER), subscriber(WAITING)
    thread_follower = subscriber(THREAD_FOLLOWER)
    now = utcnow()
    for scope, target in (("site", None), ("section", section), ("topic", topic)):
        target_id = target.id if target else None
        db.session.add(
            Subscription(
                subscriber=follower,
                scope=scope,
                list_key=Subscription.key_of(scope, target_id),
                section_id=target_id if scope == "section" else None,
                topic_id=target_id if scope == "topic" else None,
                confirmed_at=now,
            )
        )
    db.session.add_all(
        [
            Subscription(subscriber=waiting, scope="site", list_key="site", cadence="daily"),
            ThreadFollow(subscriber=thread_follower, root_comment_id=top.id, article_id=article.id),
            Mailing(
                kind="article",
                key=f"article:{article.id}",
                article_id=article.id,
                started_at=now,
                finished_at=now,
                sent_count=1,
            ),
        ]
    )
    db.session.flush()
    counters.refresh_article_counters([article.id])
    db.session.commit()
    return {
        "article": article.slug,
        "section": section.slug,
        "topic": topic.slug,
        "author": author.slug,
        "page": page.slug,
        "comment_id": reply.id,
    }


def comment(article, body, name, email, *, parent=None, status=CommentStatus.APPROVED):
    made = Comment(
        article=article,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        status=status,
        author_name=name,
        author_email=email,
        wants_replies=True,
        confirmed_at=utcnow(),
    )
    made.set_body(body)
    db.session.add(made)
    db.session.flush()
    return made


def subscriber(email: str) -> Subscriber:
    found = Subscriber(email=email, email_key=email.lower())
    db.session.add(found)
    return found


def public_urls(app, site: dict) -> dict[str, str]:
    """A URL for every public GET endpoint of the URL map (a link's token made up), and
    the variants of the pages that list comments and stories."""
    urls = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "GET" not in rule.methods
            or rule.endpoint.startswith("editor.")
            or rule.endpoint in NOT_PAGES
        ):
            continue
        values = {"comment_id": site["comment_id"], "token": "not-a-real-token"}
        values = {name: value for name, value in values.items() if name in rule.arguments}
        if "slug" in rule.arguments:
            kind = rule.rule.strip("/").split("/")
            kind = kind[1] if kind[0] == "follow" else kind[0]
            values["slug"] = site[{"articles": "article", "<slug:slug>": "page"}.get(kind, kind)]
        urls[rule.endpoint] = rule.build(values)[1]
    urls["public.search"] = f"/search?q={WORD}"
    urls["article, newest first"] = f"/articles/{site['article']}?sort=newest"
    return urls


def assert_no_address(response, url: str) -> None:
    texts = [response.get_data(as_text=True)] + [f"{k}: {v}" for k, v in response.headers.items()]
    for text in texts:
        lowered = text.lower()
        for marker in MARKERS:
            assert marker not in lowered, (url, marker, text[:200])


def test_no_public_page_feed_or_header_shows_a_readers_address(app, client, followed_site):
    urls = public_urls(app, followed_site)
    # The pages that list what readers wrote and follow are among them.
    for endpoint in (
        "public.front",
        "public.article",
        "public.section",
        "public.topic",
        "public.author",
        "public.search",
        "public.page",
        "feeds.site_feed",
        "feeds.section_feed",
        "feeds.topic_feed",
        "feeds.comment_feed",
        "feeds.sitemap",
        "feeds.robots",
    ):
        assert endpoint in urls, endpoint
    seen = {}
    for name, url in urls.items():
        for _ in range(2):  # rendered, then (where it is cached) from the page cache
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            assert_no_address(response, url)
        seen[name] = response.get_data(as_text=True)
    # Not vacuous: the comments and their posters' names are there.
    article = seen["public.article"]
    assert "Thank you for the years of light." in article and "Tomas Hale" in article
    assert "Seconded, from the harbour." in seen["feeds.comment_feed"]
    assert f"/articles/{followed_site['article']}" in seen["feeds.site_feed"]


def test_a_site_export_holds_the_addresses_and_says_so(app, runner, followed_site, tmp_path):
    target = tmp_path / "site.tar.gz"
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == PRIVATE_DATA_NOTE
    assert "e-mail addresses" in PRIVATE_DATA_NOTE and "keep it private" in PRIVATE_DATA_NOTE
    with tarfile.open(target, "r:gz") as tar:

        def rows(table: str) -> list[dict]:
            lines = tar.extractfile(f"tables/{table}.jsonl").read().decode().splitlines()
            return [json.loads(line) for line in lines]

        held = {row["email"] for row in rows("subscribers")}
        held |= {row["author_email"] for row in rows("comments")}
        names = set(tar.getnames())
    assert set(ADDRESSES) <= held
    assert "tables/subscriptions.jsonl" in names and "tables/thread_follows.jsonl" in names
    assert "tables/mailings.jsonl" not in names  # the worker's progress stays behind


def test_a_backup_says_it_holds_the_addresses(app, runner, followed_site, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Backup written to ")
    assert result.stderr.strip() == PRIVATE_DATA_NOTE
