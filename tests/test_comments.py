"""Reader comments: the form on the article page, posting, spam traps, moderation rules,
threading, the poster's edit window, closing, rate limits and paging."""

import re
import time
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from blog import formguard
from blog.comments import ownership
from blog.extensions import db
from blog.models import Article, ArticleStatus, Comment, CommentStatus, Role
from blog.models.base import utcnow
from blog.services import comment_threads, comments, moderation, settings
from blog.services.comments import CommentData, CommentRejected

ORIGIN = {"Origin": "http://byline.test"}
TOKEN_FIELD = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def clock_back(seconds: float):
    """formguard's clock, `seconds` in the past: a form the reader opened that long ago."""
    real = formguard.time
    formguard.time = SimpleNamespace(time=lambda: real.time() - seconds)
    try:
        yield
    finally:
        formguard.time = real


def aged_token(article: Article, seconds: float = 60, purpose: str = "comment") -> str:
    with clock_back(seconds):
        return formguard.issue_token(purpose, article.id)


def post_comment(client, article, *, headers=ORIGIN, token=None, environ_base=None, **fields):
    data = {"name": "Rosa Reader", "email": "", "body": "Well argued.", **fields}
    data.setdefault("form_token", aged_token(article) if token is None else token)
    return client.post(
        f"/articles/{article.slug}/comments",
        data=data,
        headers=headers,
        environ_base=environ_base or {},
    )


def comment_id_from(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.search(r"#comment-(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def approved_count(article: Article) -> int:
    return db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED
        )
    )


def stored_count(article: Article) -> int:
    db.session.expire_all()
    return db.session.get(Article, article.id).comment_count


def page(client, article, query: str = "") -> str:
    response = client.get(f"/articles/{article.slug}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def set_policy(policy: str, **more) -> None:
    settings.save(moderation_policy=policy, **more)


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing")


# ---------- The form ----------


def test_article_page_carries_a_cacheable_comment_form(client, article):
    response = client.get(f"/articles/{article.slug}")
    html = response.get_data(as_text=True)
    assert f'action="/articles/{article.slug}/comments#comment-form"' in html
    token = TOKEN_FIELD.search(html).group(1)
    assert formguard.token_age(token, "comment", article.id) < 60
    assert 'name="name"' in html and 'name="email"' in html and 'name="body"' in html
    assert '<div class="comment-honeypot" hidden aria-hidden="true">' in html
    # Nothing personal in the page of an anonymous reader: a cache may share it.
    assert 'name="csrf_token"' not in html
    assert response.headers.getlist("Set-Cookie") == []
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_cached_page_still_takes_a_new_readers_comment(app, client, article):
    set_policy("none")
    with clock_back(120):  # the page went into the cache two minutes ago
        cached = page(client, article)
    token = TOKEN_FIELD.search(cached).group(1)
    newcomer = app.test_client()
    response = post_comment(newcomer, article, token=token, body="Fresh reader here.")
    comment = db.session.get(Comment, comment_id_from(response))
    assert comment.status == CommentStatus.APPROVED
    assert "Fresh reader here." in page(app.test_client(), article)


# ---------- Posting and moderation ----------


def test_a_first_comment_waits_and_only_its_poster_sees_it(app, client, article):
    response = post_comment(client, article, email="Rosa@Example.org", body="My *first* words.")
    comment_id = comment_id_from(response)
    assert response.headers["Location"].endswith(f"/articles/{article.slug}#comment-{comment_id}")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if ownership.COOKIE_NAME in c)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    comment = db.session.get(Comment, comment_id)
    assert comment.status == CommentStatus.PENDING
    assert comment.author_email == "rosa@example.org"
    assert comment.body_html == "<p>My <em>first</em> words.</p>\n"
    assert comment.depth == 1 and not comment.is_staff
    assert comment.client_key and "127.0.0.1" not in comment.client_key
    assert stored_count(article) == 0

    own_response = client.get(f"/articles/{article.slug}")
    assert own_response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in own_response.headers["Vary"]
    own = own_response.get_data(as_text=True)
    assert "My <em>first</em> words." in own and "awaiting moderation" in own
    assert f'id="comment-{comment_id}"' in own
    stranger = page(app.test_client(), article)
    assert "first</em> words" not in stranger and "No comments yet." in stranger
    assert "rosa@example.org" not in own and "Rosa@Example.org" not in own


def test_a_returning_commenter_is_published_at_once(client, article):
    # Returning means from the browser whose earlier comment was approved (test_comment_trust).
    first = comment_id_from(post_comment(client, article, email="ana@example.org"))
    assert db.session.get(Comment, first).status == CommentStatus.PENDING
    moderation.moderate([first], moderation.ModerationAction.APPROVE)
    page(client, article)  # the browser learns that its comment was approved
    comment_id = comment_id_from(
        post_comment(client, article, email="ANA@example.org", body="Back again.")
    )
    assert db.session.get(Comment, comment_id).status == CommentStatus.APPROVED
    assert stored_count(article) == 2 == approved_count(article)
    assert "2 Comments" in page(client, article)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("none", CommentStatus.APPROVED), ("all", CommentStatus.PENDING)],
)
def test_the_site_policy_decides(client, article, make_comment, policy, expected):
    make_comment(article, "Earlier words", author_email="ana@example.org")
    set_policy(policy)
    comment_id = comment_id_from(post_comment(client, article, email="ana@example.org"))
    assert db.session.get(Comment, comment_id).status == expected
    assert stored_count(article) == approved_count(article)


def test_links_and_blocked_words_hold_a_comment(client, article):
    set_policy("none", block_list="casino\nbuy now")
    two = "See https://a.example and https://b.example"
    three = two + " and [this](https://c.example)"
    cases = [
        (two, CommentStatus.APPROVED),
        (three, CommentStatus.PENDING),
        ("Visit the CASINO tonight", CommentStatus.PENDING),
        ("Please buy   now!", CommentStatus.APPROVED),  # the phrase needs its one space
        ("Please buy now!", CommentStatus.PENDING),
        ("Casinos are a word of their own", CommentStatus.APPROVED),
    ]
    for n, (body, expected) in enumerate(cases):
        reader = {"REMOTE_ADDR": f"192.0.2.{n + 1}"}  # six readers: no rate limit in the way
        response = post_comment(client, article, body=body, environ_base=reader)
        comment = db.session.get(Comment, comment_id_from(response))
        assert comment.status == expected, body
        # Every link in a comment is marked as user content.
        assert comment.body_html.count('rel="nofollow ugc noopener"') == comment.body_html.count(
            "<a "
        )
    assert stored_count(article) == 3


def test_a_blocked_name_holds_the_comment_too(client, article):
    set_policy("none", block_list="spammer")
    comment_id = comment_id_from(post_comment(client, article, name="Best Spammer"))
    assert db.session.get(Comment, comment_id).status == CommentStatus.PENDING


# ---------- Spam traps ----------


def test_the_honeypot_stores_spam_silently(client, article):
    # A form sent too soon or too late is held instead, and says so (test_comment_posting).
    set_policy("none")
    response = post_comment(client, article, website="http://spam.example", body="Cheap pills")
    comment_id = comment_id_from(response)  # the same answer as for anyone else
    assert db.session.get(Comment, comment_id).status == CommentStatus.SPAM
    assert stored_count(article) == 0
    html = page(client, article)
    assert "Cheap pills" in html and "awaiting moderation" in html


# ---------- Refused forms keep the text ----------


@pytest.mark.parametrize(
    ("headers", "token", "message"),
    [
        ({"Origin": "https://evil.example"}, None, "not sent from a page of this site"),
        ({"Referer": "https://evil.example/page"}, None, "not sent from a page of this site"),
        (ORIGIN, "forged", "This form has expired"),
        (ORIGIN, "", "This form has expired"),
    ],
)
def test_a_bad_origin_or_token_is_400_and_keeps_the_text(client, article, headers, token, message):
    response = post_comment(
        client, article, headers=headers, token=token, body="Words I spent an hour on."
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "Words I spent an hour on.</textarea>" in html and 'value="Rosa Reader"' in html
    assert formguard.token_age(TOKEN_FIELD.search(html).group(1), "comment", article.id) < 60
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_a_token_for_another_article_is_refused(client, article, make_article):
    other = make_article()
    response = post_comment(client, article, token=aged_token(other))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Comment.id))) == 0


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "   "}, "Tell us your name."),
        ({"body": ""}, "Write your comment first."),
        ({"body": "\x00\x00 \x07"}, "Write your comment first."),
        ({"name": "N" * 81}, "At most 80 characters."),
        ({"email": "not-an-address"}, "does not look like an e-mail address"),
        ({"email": "a@b.co" + "m" * 250}, "At most 254 characters."),
        ({"body": "x" * 5001}, "at most 5,000 characters"),
        ({"parent_id": "12abc"}, "could not be found"),
    ],
)
def test_bad_fields_come_back_with_errors_and_the_text_kept(client, article, fields, error):
    data = {"body": "Kept text.", "name": "Kept Name", **fields}
    response = post_comment(client, article, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error in html
    assert "nothing you typed has been lost" in html or "Send yours again" in html
    kept = "Kept text." if data["body"] == "Kept text." else None
    if kept:
        assert f"{kept}</textarea>" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_a_huge_body_is_an_error_not_a_crash(client, article):
    response = post_comment(client, article, body="x" * 2_000_000)
    assert response.status_code == 400
    assert "at most 5,000 characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_exact_limits_are_accepted(client, article):
    set_policy("none")
    name, body = "N" * 80, "b" * 5000
    comment = db.session.get(
        Comment, comment_id_from(post_comment(client, article, name=name, body=body))
    )
    assert comment.author_name == name and comment.body_md == body


def test_nul_and_control_characters_are_stripped(client, article):
    set_policy("none")
    response = post_comment(
        client,
        article,
        name="Ann\x00ie\x1b Reader",
        email="ann\x00@example.org",
        body="Line one\x00\r\nLine\x07 two\x0b",
    )
    comment = db.session.get(Comment, comment_id_from(response))
    assert comment.author_name == "Annie Reader"
    assert comment.author_email == "ann@example.org"
    assert comment.body_md == "Line one\nLine two"


def test_text_that_breaks_the_markdown_linkifier_is_a_comment_not_a_500(client, article):
    set_policy("none")
    response = post_comment(client, article, body="co.uk[//z.p://")
    comment = db.session.get(Comment, comment_id_from(response))
    assert comment.body_html == "<p>co.uk[//z.p://</p>\n"
    assert "co.uk[//z.p://" in page(client, article)


def test_unknown_and_draft_articles_are_404(client, make_article):
    draft = make_article(status=ArticleStatus.DRAFT)
    scheduled = make_article(published_at=utcnow() + timedelta(days=1))
    for target in (draft, scheduled, SimpleNamespace(slug="no-such-story", id=0)):
        response = client.post(
            f"/articles/{target.slug}/comments",
            data={"name": "X", "body": "Y", "form_token": formguard.issue_token("comment", 0)},
            headers=ORIGIN,
        )
        assert response.status_code == 404
    assert client.post("/articles/bad%20slug!/comments", headers=ORIGIN).status_code == 404


# ---------- Closing ----------


def test_closed_articles_hide_the_form_and_refuse_comments(client, make_article):
    closed = make_article(comments_open=False)
    html = page(client, closed)
    assert "Comments are closed" in html and 'id="comment-form"' not in html
    response = post_comment(client, closed)
    assert response.status_code == 403
    assert "Comments are closed for this article" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_comments_close_automatically_after_the_sites_days(client, make_article):
    settings.save(comments_close_after_days=7)
    old = make_article(published_at=utcnow() - timedelta(days=8))
    recent = make_article(published_at=utcnow() - timedelta(days=6))
    assert "Comments are closed" in page(client, old)
    assert post_comment(client, old).status_code == 403
    assert 'id="comment-form"' in page(client, recent)
    assert post_comment(client, recent).status_code == 303


# ---------- Threads ----------


def test_replies_thread_to_depth_three_then_become_siblings(app, client, article, make_comment):
    set_policy("none")
    top = make_comment(article, "Top")
    second = db.session.get(
        Comment, comment_id_from(post_comment(client, article, parent_id=top.id, body="Two"))
    )
    third = db.session.get(
        Comment, comment_id_from(post_comment(client, article, parent_id=second.id, body="Three"))
    )
    deeper = db.session.get(
        Comment, comment_id_from(post_comment(client, article, parent_id=third.id, body="Four"))
    )
    assert (second.depth, second.parent_id) == (2, top.id)
    assert (third.depth, third.parent_id) == (3, second.id)
    # A reply to a depth-3 comment answers it as its sibling, listed after it.
    assert (deeper.depth, deeper.parent_id) == (3, second.id)

    html = page(app.test_client(), article)
    top_item = html[html.index(f'id="comment-{top.id}"') :]
    assert top_item.index("Two") < top_item.index("Three") < top_item.index("Four")
    assert html.count('class="comment depth-3') == 2
    assert stored_count(article) == 4


def test_a_reply_link_fills_in_the_parent(client, article, make_comment):
    top = make_comment(article, "Top", author_name="Olga")
    html = page(client, article)
    assert f'href="/articles/{article.slug}?reply={top.id}#comment-form"' in html
    replying = page(client, article, f"?reply={top.id}")
    assert f'name="parent_id" type="hidden" value="{top.id}"' in replying
    assert "Reply to <bdi>Olga</bdi>" in replying
    unknown = page(client, article, "?reply=999999")
    assert 'name="parent_id" type="hidden" value=""' in unknown
    assert "Leave a comment" in unknown


def test_a_parent_from_another_article_is_400_and_keeps_the_text(
    client, article, make_article, make_comment
):
    elsewhere = make_comment(make_article(), "Elsewhere")
    response = post_comment(client, article, parent_id=elsewhere.id, body="My reply text.")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "does not belong to this article" in html and "My reply text.</textarea>" in html
    assert 'name="parent_id" type="hidden" value=""' in html
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.depth > 1)) == 0


def test_a_reply_to_a_hidden_comment_is_refused(client, article, make_comment):
    held = make_comment(article, "Held", status=CommentStatus.PENDING)
    response = post_comment(client, article, parent_id=held.id, body="Reply")
    assert response.status_code == 400
    assert "no longer shown" in response.get_data(as_text=True)


def test_a_deleted_comment_with_replies_keeps_the_thread(client, article, make_comment):
    top = make_comment(article, "Doomed words", status=CommentStatus.DELETED)
    make_comment(article, "A surviving reply", parent=top)
    lonely = make_comment(article, "Lonely deleted", status=CommentStatus.DELETED)
    spam = make_comment(article, "Spam parent", status=CommentStatus.SPAM)
    make_comment(article, "Reply to spam", parent=spam)
    html = page(client, article)
    assert "This comment was deleted." in html and "Doomed words" not in html
    assert "A surviving reply" in html and "Reply to spam" in html
    assert "This comment was removed." in html and "Spam parent" not in html
    assert f'id="comment-{lonely.id}"' not in html
    assert "2 Comments" in html


# ---------- Staff ----------


def test_signed_in_staff_comment_with_a_badge_and_csrf(app, client, login, article, author):
    login(author)
    app.config["WTF_CSRF_ENABLED"] = True
    html = page(client, article)
    assert "your comment appears under your profile’s name, with a staff badge" in html
    assert 'name="name"' not in html
    csrf_token = CSRF_FIELD.search(html).group(1)
    form_token = TOKEN_FIELD.search(html).group(1)

    refused = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": "Without the session token.", "form_token": aged_token(article)},
        headers=ORIGIN,
    )
    assert refused.status_code == 400
    assert "Without the session token.</textarea>" in refused.get_data(as_text=True)

    response = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": "From the newsroom.", "form_token": form_token, "csrf_token": csrf_token},
        headers=ORIGIN,
    )
    comment = db.session.get(Comment, comment_id_from(response))
    assert comment.is_staff and comment.user_id == author.id
    assert comment.status == CommentStatus.APPROVED  # even just after the page was served
    assert comment.author_name == "Ada Author"
    public = page(app.test_client(), article)
    item = public[public.index(f'id="comment-{comment.id}"') :]
    assert item.index("Ada Author") < item.index('<span class="staff-badge">Staff</span>')


def test_staff_with_a_first_sign_in_step_left_cannot_comment_as_staff(
    app, client, login, article, author
):
    author.must_change_password = True  # a printed password, not yet replaced
    db.session.commit()
    login(author)
    refused = post_comment(client, article, body="Signed with a printed password.")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Finish signing in" in html and "Signed with a printed password.</textarea>" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 0

    author.must_change_password = False
    settings.update(require_two_factor=True)  # a second factor the site requires, not set up
    assert post_comment(client, article, body="Still no second factor.").status_code == 400
    author.name_confirmed = False  # and a name nobody chose
    settings.update(require_two_factor=False)
    assert post_comment(client, article, body="Still no chosen name.").status_code == 400
    with pytest.raises(CommentRejected):
        comments.submit(article, CommentData("", "As staff?"), client_key="k", user=author)
    assert db.session.scalar(select(func.count(Comment.id))) == 0

    author.name_confirmed = True
    db.session.commit()
    comment = db.session.get(Comment, comment_id_from(post_comment(client, article)))
    assert comment.is_staff and comment.user_id == author.id


def test_reader_comments_carry_no_staff_badge(client, article):
    set_policy("none")
    comment_id_from(post_comment(client, article, name="Staff"))
    assert "staff-badge" not in page(client, article)


# ---------- The edit window ----------


def test_the_poster_edits_their_comment(app, client, article):
    set_policy("none")
    comment_id = comment_id_from(post_comment(client, article, body="Teh typo."))
    html = page(client, article)
    assert f'href="/comments/{comment_id}/edit"' in html
    assert f'href="/comments/{comment_id}/edit"' not in page(app.test_client(), article)

    form = client.get(f"/comments/{comment_id}/edit")
    assert form.status_code == 200 and "Teh typo.</textarea>" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    token = TOKEN_FIELD.search(form.get_data(as_text=True)).group(1)
    response = client.post(
        f"/comments/{comment_id}/edit",
        data={"body": "The **fixed** text.", "form_token": token},
        headers=ORIGIN,
    )
    assert comment_id_from(response) == comment_id
    comment = db.session.get(Comment, comment_id)
    assert comment.body_html == "<p>The <strong>fixed</strong> text.</p>\n"
    assert comment.updated_at > comment.created_at
    assert stored_count(article) == 1


def test_someone_else_cannot_edit_or_delete(app, client, article):
    comment_id = comment_id_from(post_comment(client, article))
    other = app.test_client()
    assert other.get(f"/comments/{comment_id}/edit").status_code == 403
    token = formguard.issue_token("comment-delete", comment_id)
    response = other.post(
        f"/comments/{comment_id}/delete", data={"form_token": token}, headers=ORIGIN
    )
    assert response.status_code == 403
    assert "first 15 minutes" in response.get_data(as_text=True)
    assert db.session.get(Comment, comment_id).status == CommentStatus.PENDING


def test_a_forged_cookie_owns_nothing(app, client, article):
    comment_id = comment_id_from(post_comment(client, article))
    other = app.test_client()
    other.set_cookie(
        ownership.COOKIE_NAME, f"[[{comment_id}, {int(time.time())}]]", domain="byline.test"
    )
    assert other.get(f"/comments/{comment_id}/edit").status_code == 403


def test_the_edit_window_closes_after_fifteen_minutes(client, article):
    comment_id = comment_id_from(post_comment(client, article))
    comment = db.session.get(Comment, comment_id)
    comment.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert client.get(f"/comments/{comment_id}/edit").status_code == 403
    assert f'href="/comments/{comment_id}/edit"' not in page(client, article)


def test_an_edit_is_moderated_afresh(client, article):
    set_policy("none")
    links = "https://a.example https://b.example https://c.example"
    comment_id = comment_id_from(post_comment(client, article, body=links))
    assert db.session.get(Comment, comment_id).status == CommentStatus.PENDING
    token = formguard.issue_token("comment-edit", comment_id)
    edit = {"form_token": token}
    client.post(f"/comments/{comment_id}/edit", data={**edit, "body": "No links."}, headers=ORIGIN)
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).status == CommentStatus.APPROVED
    assert stored_count(article) == 1
    client.post(f"/comments/{comment_id}/edit", data={**edit, "body": links}, headers=ORIGIN)
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).status == CommentStatus.PENDING
    assert stored_count(article) == 0


def test_a_bad_edit_keeps_the_text(client, article):
    comment_id = comment_id_from(post_comment(client, article))
    response = client.post(
        f"/comments/{comment_id}/edit",
        data={"body": "New words", "form_token": "forged"},
        headers=ORIGIN,
    )
    assert response.status_code == 400
    assert "New words</textarea>" in response.get_data(as_text=True)
    token = formguard.issue_token("comment-edit", comment_id)
    empty = client.post(
        f"/comments/{comment_id}/edit", data={"body": " ", "form_token": token}, headers=ORIGIN
    )
    assert empty.status_code == 400 and "Write your comment first." in empty.get_data(as_text=True)


def test_the_poster_deletes_their_comment_and_replies_stay(app, client, article, make_comment):
    set_policy("none")
    comment_id = comment_id_from(post_comment(client, article, body="Regrettable."))
    make_comment(article, "A reply to it", parent=db.session.get(Comment, comment_id))
    assert stored_count(article) == 2
    token = formguard.issue_token("comment-delete", comment_id)
    response = client.post(
        f"/comments/{comment_id}/delete", data={"form_token": token}, headers=ORIGIN
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/articles/{article.slug}#comments")
    assert db.session.get(Comment, comment_id).status == CommentStatus.DELETED
    assert stored_count(article) == 1
    html = page(app.test_client(), article)
    assert "This comment was deleted." in html and "Regrettable." not in html
    assert "A reply to it" in html
    assert client.get(f"/comments/{comment_id}/edit").status_code == 404


# ---------- Rate limit ----------


def test_the_rate_limit_answers_429_and_keeps_the_text(client, article):
    set_policy("none")
    for n in range(5):
        comment_id_from(post_comment(client, article, body=f"Comment {n}"))
    response = post_comment(client, article, body="The sixth, carefully written.")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60  # until the minute's window ends
    assert "The sixth, carefully written.</textarea>" in html
    assert "wait a minute" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 5
    # Another reader is not affected.
    other = post_comment(client, article, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 303


# ---------- Paging ----------


def test_long_threads_paginate(client, article, make_comment, monkeypatch):
    monkeypatch.setattr(comment_threads, "PAGE_SIZE", 3)
    tops = [make_comment(article, f"Top {n:02d}") for n in range(7)]
    make_comment(article, "Reply on page two", parent=tops[4])
    first, second, third = (page(client, article, f"?comments={n}") for n in (1, 2, 3))
    assert "Top 00" in first and "Top 02" in first and "Top 03" not in first
    assert "Top 03" in second and "Reply on page two" in second and "Top 06" not in second
    assert "Top 06" in third and "Top 05" not in third
    assert "Comments page 1 of 3" in first
    assert f'rel="next" href="/articles/{article.slug}?comments=2#comments"' in first
    assert f'rel="prev" href="/articles/{article.slug}#comments"' in second
    assert "8 Comments" in first
    for bad in ("?comments=4", "?comments=0", "?comments=abc", "?comments=%C2%B2"):
        assert client.get(f"/articles/{article.slug}{bad}").status_code == 404
    set_policy("none")
    response = post_comment(client, article, body="Late to the party")
    assert "?comments=3#comment-" in response.headers["Location"]
    reply = post_comment(client, article, parent_id=tops[4].id, body="Reply")
    assert "?comments=2#comment-" in reply.headers["Location"]


# ---------- The service, directly ----------


def test_submit_refuses_closed_articles_and_foreign_parents(article, make_article, make_comment):
    data = CommentData(name="Ann", body="Hello")
    closed = make_article(comments_open=False)
    with pytest.raises(CommentRejected) as refused:
        comments.submit(closed, data, client_key="k")
    assert refused.value.reason == "closed"
    foreign = make_comment(make_article(), "Elsewhere")
    with pytest.raises(CommentRejected) as refused:
        comments.submit(
            article, CommentData(name="Ann", body="Hi", parent_id=foreign.id), client_key="k"
        )
    assert refused.value.reason == "parent"
    with pytest.raises(CommentRejected) as refused:
        comments.submit(article, CommentData(name="", body="Hi"), client_key="k")
    assert (refused.value.reason, refused.value.field) == ("invalid", "name")
    assert db.session.scalar(select(func.count(Comment.id))) == 1


def test_submit_applies_the_spam_traps(article):
    set_policy("none")
    human = comments.submit(article, CommentData("Ann", "Hi", seconds_to_submit=5), client_key="k")
    quick = comments.submit(article, CommentData("Bob", "Hi", seconds_to_submit=1), client_key="k")
    trap = comments.submit(article, CommentData("Cy", "Hi", honeypot="x"), client_key="k")
    assert [human.status, quick.status, trap.status] == [
        CommentStatus.APPROVED,
        CommentStatus.PENDING,  # held, not spam: a fast typist is a person too
        CommentStatus.SPAM,
    ]
    assert [human.held_reason, quick.held_reason, trap.held_reason] == ["", "quick", ""]
    assert stored_count(article) == 1


def test_staff_comments_skip_moderation(article, make_user):
    set_policy("all", block_list="forbidden")
    editor = make_user(Role.EDITOR, name="E" * 100)
    comment = comments.submit(
        article,
        CommentData("ignored", "forbidden words", seconds_to_submit=0),
        client_key="k",
        user=editor,
    )
    assert comment.status == CommentStatus.APPROVED and comment.is_staff
    assert comment.author_name == "E" * 80 and comment.author_email == editor.email


def test_comments_open_follows_the_article_and_the_site(make_article):
    now = utcnow()
    article = make_article(published_at=now - timedelta(days=3))
    assert comments.comments_open(article)
    settings.save(comments_close_after_days=3)
    assert not comments.comments_open(article)
    assert comments.comments_open(article, now=now - timedelta(hours=1))
    settings.save(comments_close_after_days=0)
    article.comments_open = False
    assert not comments.comments_open(article)


def test_blocked_phrases_match_whole_words_only(app):
    settings.save(block_list="ass\nfree money")
    assert comments.blocked_phrase("A classic passage") is None
    assert comments.blocked_phrase("What an ASS.") == "ass"
    assert comments.blocked_phrase("free\nmoney") is None
    assert comments.blocked_phrase("Get FREE money") == "free money"


def test_thread_page_pages_and_placeholders(article, make_comment):
    top = make_comment(article, "Top")
    held = make_comment(article, "Held", parent=top, status=CommentStatus.PENDING)
    make_comment(article, "Approved under held", parent=held)
    thread = comment_threads.thread_page(article)
    assert [n.comment.id for n in thread.nodes] == [top.id]
    (middle,) = thread.nodes[0].replies
    assert middle.placeholder == "This comment is awaiting moderation."
    assert [r.comment.body_md for r in middle.replies] == ["Approved under held"]
    own = comment_threads.thread_page(article, own_ids=[held.id])
    assert own.nodes[0].replies[0].placeholder is None
    assert own.nodes[0].replies[0].is_pending_for_poster
    assert comment_threads.thread_page(article, 2) is None
    assert comment_threads.page_of(held) == 1
