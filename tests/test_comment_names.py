"""Unicode tricks in reader text: the block list sees through invisible characters and
look-alike letters, names may not hide or reorder text, and pages isolate what readers
(and staff) typed so it cannot reverse what follows it."""

import re

import pytest
from sqlalchemy import func, select

from blog import textfold
from blog.extensions import db
from blog.models import Comment, CommentStatus, EditorComment
from blog.services import comments, settings
from blog.services.comments import CommentData, CommentRejected
from tests.security_helpers import signed_in
from tests.test_comments import comment_id_from, page, post_comment, set_policy

RLO_NAME = "Eve\u202eretsigeR"  # shows as "EveRegister": the header after it reversed too


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing")


def status_of(comment_id: int) -> CommentStatus:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


def unisolated(html: str, text: str) -> list[str]:
    """Where `text` appears in html outside a <bdi> of its own and outside attributes."""
    rest = html.replace(f"<bdi>{text}</bdi>", "")
    rest = re.sub(r'="[^"]*"', '=""', rest)
    return [rest[max(0, i - 60) : i + 60] for i in range(len(rest)) if rest.startswith(text, i)]


# ---------- The block list ----------

BLOCKED_SPELLINGS = [
    "Visit the cas\u200bino tonight",  # zero-width space
    "Visit the c\u0430sino tonight",  # Cyrillic a
    "Visit the cas\u00adino tonight",  # soft hyphen
    "Visit the ca\u2060sino tonight",  # word joiner
    "Visit the \uff23\uff21\uff33\uff29\uff2e\uff2f tonight",  # fullwidth
    "Visit the C\u0391SIN\u039f tonight",  # Greek capital alpha and omicron
    "Visit the \u0441\u0430s\u0456n\u043e tonight",  # mostly Cyrillic
]


def test_blocked_words_are_found_through_invisible_and_look_alike_letters(client, article):
    set_policy("none", block_list="casino")
    for n, body in enumerate(BLOCKED_SPELLINGS):
        reader = {"REMOTE_ADDR": f"192.0.2.{n + 1}"}  # no rate limit in the way
        response = post_comment(client, article, body=body, environ_base=reader)
        assert status_of(comment_id_from(response)) == CommentStatus.PENDING, ascii(body)
    fine = post_comment(client, article, body="Casinos are another word")
    assert status_of(comment_id_from(fine)) == CommentStatus.APPROVED


def test_a_blocked_name_in_look_alike_letters_holds_the_comment(client, article):
    set_policy("none", block_list="spammer")
    response = post_comment(client, article, name="Best Sp\u0430mmer")
    assert status_of(comment_id_from(response)) == CommentStatus.PENDING


def test_blocked_phrase_matches_folded_forms(app):
    # Stored as typed, not as the settings form would clean it.
    settings.save(block_list="casino\nfree money\n\u200b\nc\u0430sh")
    for text in BLOCKED_SPELLINGS:
        assert comments.blocked_phrase(text) == "casino", ascii(text)
    assert comments.blocked_phrase("Get FREE\u200b money") == "free money"
    assert comments.blocked_phrase("Get free\u00a0money") == "free money"
    assert comments.blocked_phrase("Cash only") == "c\u0430sh"  # an entry typed in Cyrillic
    # An entry of invisible characters alone matches nothing, not everything.
    assert comments.blocked_phrase("An ordinary comment") is None
    assert comments.blocked_phrase("A casinos review") is None


def test_the_block_list_is_stored_without_invisible_characters_or_repeats(app):
    typed = "cas\u200bino\nCASINO\nc\u0430sino\n\u200b\u00ad\nbuy  now"
    assert settings.normalise_block_list(typed) == "casino\nbuy now"


def test_fold_and_name_key():
    assert textfold.fold("C\u0430S\u200bINO") == "casino"
    assert textfold.fold("Stra\u00dfe") == "strasse"
    assert textfold.name_key("S\u0456te-\u0410dmin!") == textfold.name_key("site admin")
    assert textfold.hidden_characters("Eve\u202eR\u200b") == ["\u202e", "\u200b"]
    assert textfold.describe(["\u202e", "\u200b", "\u202e"]) == "U+202E, U+200B"


# ---------- Names ----------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (RLO_NAME, "U+202E"),  # right-to-left override
        ("\u2067Eve\u2069 Reader", "U+2067, U+2069"),  # isolates
        ("Eve\u200eReader", "U+200E"),  # left-to-right mark
        ("Ev\u200be Reader", "U+200B"),  # zero-width space
        ("Ev\u00ade Reader", "U+00AD"),  # soft hyphen
        ("\ufeffEve Reader", "U+FEFF"),  # byte-order mark
        ("Eve\u3164Reader", "U+3164"),  # Hangul filler
        ("Eve\u200cReader", "U+200C"),  # a joiner between Latin letters
    ],
)
def test_names_with_hidden_characters_are_refused_and_kept(client, article, name, shown):
    response = post_comment(client, article, name=name, body="Kept words.")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Names cannot contain invisible or text-direction characters" in html
    assert f"({shown})" in html
    assert f'value="{name}"' in html and "Kept words.</textarea>" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 0


@pytest.mark.parametrize(
    "name",
    [
        "\u0639\u0644\u06cc\u200c\u0631\u0636\u0627",  # a Persian name with its ZWNJ
        "Ana \u2764\ufe0f",  # an emoji with its variation selector
        "Kim \U0001f469\u200d\U0001f4bb",  # an emoji ZWJ sequence
        "Zo\u00eb Reader",
    ],
)
def test_names_that_need_joiners_are_accepted(client, article, name):
    response = post_comment(client, article, name=name)
    comment = db.session.get(Comment, comment_id_from(response))
    assert comment.author_name == name


def test_the_service_refuses_hidden_characters_in_names(article):
    with pytest.raises(CommentRejected) as refused:
        comments.submit(article, CommentData(RLO_NAME, "Hi"), client_key="k")
    assert (refused.value.reason, refused.value.field) == ("invalid", "name")
    assert "U+202E" in str(refused.value)


# ---------- Isolation on the pages ----------


def test_reader_names_are_isolated_wherever_shown(app, client, article, make_comment, editor):
    # A name stored before names were checked.
    comment = make_comment(article, "Approved words", author_name=RLO_NAME)
    make_comment(article, "Held words", author_name=RLO_NAME, status=CommentStatus.PENDING)
    public = page(client, article, f"?reply={comment.id}")
    assert f'<span class="comment-author"><bdi>{RLO_NAME}</bdi></span>' in public
    assert f"Reply to <bdi>{RLO_NAME}</bdi>" in public
    assert '<div class="comment-body" dir="auto">' in public
    assert unisolated(public, RLO_NAME) == []

    staff = signed_in(app, editor)
    for path in (
        "/editor/comments/?status=all",
        "/editor/",
        f"/editor/comments/{comment.id}/edit",
    ):
        html = staff.get(path).get_data(as_text=True)
        assert f"<bdi>{RLO_NAME}</bdi>" in html, path
        assert unisolated(html, RLO_NAME) == [], path


def test_staff_names_and_search_words_are_isolated(client, make_article, editor):
    story = make_article("Harbour news")
    note = EditorComment(article=story, editor=editor)
    note.set_body("Corrected the date.")
    db.session.add(note)
    db.session.commit()
    html = page(client, story)
    assert '<span class="byline-name" dir="auto">' in html
    assert f"— <bdi>{editor.display_name}</bdi>," in html
    assert '<span class="card-author" dir="auto">' in client.get("/").get_data(as_text=True)
    words = "\u05e2\u05d1\u05e8\u05d9\u05ea words"  # Hebrew, then Latin
    search = client.get("/search", query_string={"q": words}).get_data(as_text=True)
    assert f"“<bdi>{words}</bdi>”" in search
