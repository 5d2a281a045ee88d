"""Reading a thread: its order (oldest or newest first, threads kept whole), the avatars
Byline draws, the ways to the thread from the top of the article, and the Atom feed of
an article's approved comments."""

import hashlib
import re
from datetime import timedelta

import pytest

from blog.avatars import HUES, initials, monogram
from blog.extensions import db
from blog.models import ArticleStatus, CommentStatus, Role
from blog.models.base import utcnow
from blog.services import comment_threads, moderation
from blog.services.moderation import ModerationAction
from tests.test_comments import ORIGIN, aged_token, page
from tests.test_feeds import parse


def shown_ids(html: str) -> list[int]:
    """The comments of the page, in the order they are drawn."""
    return [int(n) for n in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing", slug="discussed")


@pytest.fixture
def thread(article, make_comment):
    """Three top-level comments an hour apart; the first has two replies, the second
    written after every top-level comment, and a reply to the first reply."""
    start = utcnow() - timedelta(days=1)

    def at(hours: float, **fields):
        return make_comment(article, created_at=start + timedelta(hours=hours), **fields)

    first = at(0, author_name="First")
    reply = at(1.5, parent=first, author_name="Reply")
    second = at(1, author_name="Second")
    third = at(2, author_name="Third")
    late_reply = at(5, parent=first, author_name="Late reply")
    nested = at(6, parent=reply, author_name="Nested")
    return first, reply, nested, late_reply, second, third


# ---------- Order ----------


def test_oldest_first_is_the_default(client, article, thread):
    first, reply, nested, late_reply, second, third = thread
    expected = [first.id, reply.id, nested.id, late_reply.id, second.id, third.id]
    assert shown_ids(page(client, article)) == expected
    assert shown_ids(page(client, article, "?sort=oldest")) == expected
    assert shown_ids(page(client, article, "?sort=bogus")) == expected


def test_newest_first_keeps_each_thread_whole(client, article, thread):
    first, reply, nested, late_reply, second, third = thread
    # The top-level comments newest first; under the first, its replies in the order
    # they were written, though one is newer than every top-level comment.
    expected = [third.id, second.id, first.id, reply.id, nested.id, late_reply.id]
    assert shown_ids(page(client, article, "?sort=newest")) == expected
    nodes = comment_threads.thread_page(article, newest_first=True).nodes
    assert [n.comment.id for n in nodes] == [third.id, second.id, first.id]
    assert [r.comment.id for r in nodes[2].replies] == [reply.id, late_reply.id]
    assert [r.comment.id for r in nodes[2].replies[0].replies] == [nested.id]


def test_the_sort_links_say_which_order_is_shown(client, article, thread):
    def current(html: str) -> list[str]:
        return re.findall(r'<a href="([^"]+)" rel="nofollow" aria-current="true">', html)

    oldest = page(client, article)
    assert current(oldest) == ["/articles/discussed#comments"]
    assert 'href="/articles/discussed?sort=newest#comments" rel="nofollow">Newest first' in oldest
    newest = page(client, article, "?sort=newest")
    assert current(newest) == ["/articles/discussed?sort=newest#comments"]
    assert 'href="/articles/discussed#comments" rel="nofollow">Oldest first' in newest


def test_a_single_comment_has_no_order_to_choose(client, article, make_comment):
    make_comment(article)
    assert "comment-sort" not in page(client, article)


def test_the_thread_links_keep_the_order(client, article, thread, monkeypatch):
    monkeypatch.setattr(comment_threads, "PAGE_SIZE", 2)
    first, reply, nested, late_reply, second, third = thread
    newest = page(client, article, "?sort=newest")
    assert shown_ids(newest) == [third.id, second.id]
    assert 'href="/articles/discussed?comments=2&amp;sort=newest#comments"' in newest
    assert f'href="/articles/discussed?sort=newest&amp;reply={third.id}#comment-form"' in newest
    later = page(client, article, "?sort=newest&comments=2")
    assert shown_ids(later) == [first.id, reply.id, nested.id, late_reply.id]
    assert 'rel="prev" href="/articles/discussed?sort=newest#comments"' in later
    replying = page(client, article, f"?sort=newest&comments=2&reply={reply.id}")
    assert (
        'href="/articles/discussed?comments=2&amp;sort=newest#comment-form">Write a new comment'
        in replying
    )
    # The canonical address stays the article's, whatever the order.
    assert '<link rel="canonical" href="http://byline.test/articles/discussed">' in newest
    assert comment_threads.page_of(nested, newest_first=True) == 2
    assert comment_threads.page_of(nested) == 1
    assert comment_threads.page_of(third, newest_first=True) == 1


def test_posting_from_a_newest_first_page_lands_in_that_order(client, article, thread, monkeypatch):
    monkeypatch.setattr(comment_threads, "PAGE_SIZE", 2)
    newest = page(client, article, "?sort=newest")
    assert 'action="/articles/discussed/comments?sort=newest#comment-form"' in newest
    response = client.post(
        "/articles/discussed/comments?sort=newest",
        data={"name": "Rosa Reader", "body": "Newest of all.", "form_token": aged_token(article)},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    landing = response.headers["Location"]
    assert re.fullmatch(r"/articles/discussed\?sort=newest#comment-\d+", landing), landing
    # From an oldest-first page it lands where oldest first puts it: the last page.
    response = client.post(
        "/articles/discussed/comments",
        data={"name": "Rosa Reader", "body": "Oldest order.", "form_token": aged_token(article)},
        headers=ORIGIN,
    )
    assert re.fullmatch(
        r"/articles/discussed\?comments=3#comment-\d+", response.headers["Location"]
    )


def test_each_order_is_a_page_of_its_own_in_the_cache(client, article, thread):
    oldest_order = shown_ids(page(client, article))
    assert client.get("/articles/discussed").headers["X-Cache"] == "hit"
    assert shown_ids(page(client, article, "?sort=newest")) != oldest_order
    assert shown_ids(page(client, article)) == oldest_order


# ---------- Avatars ----------


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Maria de la Cruz", "MC"),
        ("plato", "P"),
        ("E\u0301mile Zola", "ÉZ"),  # a combining accent stays on its letter
        ("李小龙", "李"),
        ("محمد علي", "مع"),
        ("\u202eevil\u202c name", "EN"),  # bidi controls are not letters
        ("👩\u200d🔬 Ada", "👩\u200d🔬A"),  # one emoji, joined by a zero-width joiner
        ("👍🏽 Thumb", "👍🏽T"),  # with its skin tone
        ("🇫🇷 Jean", "🇫🇷J"),  # a flag is two code points
        ("(anonymous)", "A"),
        ("Straße ßig", "Sß"),  # "ß" has no one-letter capital: kept as is
        ("जॉन स्मिथ", "जॉस"),  # no half letter from a virama
        ("  ", "?"),
        ("!!!", "?"),
    ],
)
def test_initials_read_any_script(name, letters):
    assert initials(name) == letters


def test_avatar_colours_are_stable_and_spread():
    # A hash of the name, the same in every process (not Python's salted hash()).
    assert monogram("Maria de la Cruz").hue == 5
    assert monogram("maria  de la CRUZ").hue == monogram("Maria de la Cruz").hue
    hues = {monogram(f"Reader {n}").hue for n in range(200)}
    assert hues == set(range(HUES))
    # Staff are coloured by their account, whatever name a comment carries.
    assert monogram("Old name", 7).hue == monogram("New name", 7).hue


def test_comments_carry_their_avatar_and_no_trace_of_an_email(
    client, article, make_comment, make_user
):
    email = "Reader.One@Example.org"
    reader = make_comment(article, author_name="Émile Zola", author_email=email)
    staff = make_user(Role.EDITOR, name="Eddie Editor")
    said = make_comment(article, author_name="Eddie Editor", is_staff=True, user_id=staff.id)
    html = page(client, article)
    hue = monogram("Émile Zola").css_class
    header = html.split(f'id="comment-{reader.id}"')[1].split("</header>")[0]
    assert (
        f'<span class="avatar avatar-initial {hue} comment-avatar" aria-hidden="true">ÉZ</span>'
    ) in header
    staff_hue = monogram("Eddie Editor", staff.id).css_class  # by account, not by name
    assert (
        f'<span class="avatar avatar-initial {staff_hue} comment-avatar" aria-hidden="true">EE'
        in html.split(f'id="comment-{said.id}"')[1]
    )
    for leaked in (
        email,
        email.lower(),
        hashlib.md5(email.strip().lower().encode()).hexdigest(),  # noqa: S324  (Gravatar's)
        hashlib.sha256(email.strip().lower().encode()).hexdigest(),
        "gravatar",
    ):
        assert leaked.lower() not in html.lower()


# ---------- The way to the thread ----------


def test_the_byline_links_its_comment_count_to_the_thread(client, make_article, make_comment):
    story = make_article()
    assert '<a class="byline-comments" href="#comments">No comments yet</a>' in page(client, story)
    make_comment(story)
    assert '<a class="byline-comments" href="#comments">1 comment</a>' in page(client, story)
    make_comment(story)
    make_comment(story, status=CommentStatus.PENDING)  # not counted: nobody sees it
    assert '<a class="byline-comments" href="#comments">2 comments</a>' in page(client, story)
    closed = make_article(comments_open=False)
    assert "byline-comments" not in page(client, closed)


JUMP = '<p class="jump-to-comments"><a href="#comments">Jump to comments'


def test_long_reads_and_long_threads_offer_a_jump_to_the_comments(
    client, make_article, make_comment
):
    long_body = "word " * 1200  # six minutes' reading
    assert JUMP not in page(client, make_article(body="A short story."))
    assert JUMP in page(client, make_article(body=long_body))
    busy = make_article(body="A short story.")
    for _ in range(19):
        make_comment(busy)
    assert JUMP not in page(client, busy)
    make_comment(busy)
    assert JUMP in page(client, busy)
    # Closed and silent: nothing to jump to.
    assert JUMP not in page(client, make_article(body=long_body, comments_open=False))


# ---------- The comment feed ----------


def feed_of(client, slug: str):
    """The article's comment feed, checked as valid Atom, and its text."""
    path = f"/articles/{slug}/comments/feed.xml"
    return parse(client, path), client.get(path)


def test_the_comment_feed_holds_the_newest_approved_comments(
    client, article, make_comment, monkeypatch
):
    monkeypatch.setattr(comment_threads, "PAGE_SIZE", 2)
    start = utcnow() - timedelta(days=1)
    roots = [
        make_comment(article, f"Comment {n}", created_at=start + timedelta(minutes=n))
        for n in range(3)
    ]
    reply = make_comment(
        article,
        "A *reply* <script>alert(1)</script>",
        parent=roots[2],
        author_name="Rita <Replier>",
        author_email="rita@example.org",
        created_at=start + timedelta(minutes=10),
    )
    make_comment(article, "Still held", status=CommentStatus.PENDING)
    make_comment(article, "Spam", status=CommentStatus.SPAM)
    feed, response = feed_of(client, article.slug)
    body = response.get_data(as_text=True)
    assert [e.id for e in feed.entries] == [
        f"http://byline.test/#comment-{c.id}" for c in (reply, *reversed(roots))
    ]
    newest = feed.entries[0]
    assert newest.author == "Rita <Replier>"
    assert "<em>reply</em>" in newest.content[0].value
    assert "<script" not in newest.content[0].value
    # Each permalink finds its comment: the third top-level comment is on page 2 of a
    # thread two to a page, and its reply with it.
    assert newest.link == f"http://byline.test/articles/discussed?comments=2#comment-{reply.id}"
    assert feed.entries[-1].link == f"http://byline.test/articles/discussed#comment-{roots[0].id}"
    assert "rita@example.org" not in body and "Still held" not in body and "Spam" not in body
    assert feed.feed.links[0].href == "http://byline.test/articles/discussed/comments/feed.xml"
    assert client.get(newest.link.removeprefix("http://byline.test")).status_code == 200


def test_the_comment_feed_stops_at_fifty(client, article, make_comment):
    start = utcnow() - timedelta(days=1)
    for n in range(52):
        make_comment(article, f"Comment {n}", created_at=start + timedelta(minutes=n))
    feed, _ = feed_of(client, article.slug)
    assert len(feed.entries) == 50
    assert "<p>Comment 51</p>" in feed.entries[0].content[0].value
    assert "<p>Comment 1</p>" not in [e.content[0].value.strip() for e in feed.entries]


def test_an_article_without_comments_has_an_empty_feed(client, article):
    feed, _ = feed_of(client, article.slug)
    assert feed.entries == []


def test_the_comment_feed_is_only_for_public_articles(client, make_article, make_comment):
    draft = make_article(status=ArticleStatus.DRAFT, slug="a-draft")
    scheduled = make_article(slug="later", published_at=utcnow() + timedelta(days=1))
    for story in (draft, scheduled):
        make_comment(story)
    for slug in ("a-draft", "later", "no-such-story", "bad%20slug"):
        assert client.get(f"/articles/{slug}/comments/feed.xml").status_code == 404, slug


def test_the_article_page_links_its_comment_feed(client, article):
    html = page(client, article)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Comments on “A story worth'
        ' discussing”" href="http://byline.test/articles/discussed/comments/feed.xml">'
    ) in html
    assert 'class="comment-feed" href="/articles/discussed/comments/feed.xml"' in html


def test_a_newly_approved_comment_shows_in_the_feed_at_once(client, article, make_comment, editor):
    make_comment(article, "Already there")
    path = f"/articles/{article.slug}/comments/feed.xml"
    client.get(path)
    assert client.get(path).headers["X-Cache"] == "hit"
    held = make_comment(article, "Just approved", status=CommentStatus.PENDING)
    moderation.moderate([held.id], ModerationAction.APPROVE, actor=editor)
    db.session.commit()
    response = client.get(path)
    assert response.headers["X-Cache"] == "miss"
    assert "Just approved" in response.get_data(as_text=True)
