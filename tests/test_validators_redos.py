"""Checks on typed text stay bounded: every form field's checks stop at the first failure,
a length cap runs before any pattern, and the worst inputs we could build get a clear
message at the largest size a request can carry. No timings here: bench/redos.py measures
the same inputs (docs/security.md, "Bounded checks on typed text")."""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms.validators import Email, Length, Regexp

from blog import validators
from blog.comments.views import PARENT_NOT_FOUND_MESSAGE
from blog.extensions import db
from blog.forms import BaseForm
from blog.models import Comment
from blog.rendering import render_article, render_comment
from blog.services import search, taxonomy
from blog.services.taxonomy import TaxonomyError
from blog.validators import Pattern, StopOnFailure, is_email_address
from tests.conftest import PASSWORD
from tests.security_helpers import signed_in
from tests.test_comments import post_comment

# The catastrophic shape for the old e-mail pattern ^[^@\s]+@[^@\s]+\.[^@\s]+$: every dot
# is a place to split the domain, and the final "@" makes each split fail at the end.
EMAIL_UNIT = "a."
ARTICLE_BODY_LIMIT = 200_000  # ArticleForm.body
REQUEST_LINE_ROOM = 8000  # gunicorn.conf.py: limit_request_line = 8190


def request_sized(app, build, other_fields: dict) -> str:
    """The longest `build(n)` that still fits in one request body (MAX_CONTENT_LENGTH):
    Werkzeug reads an urlencoded form whole, so one field may fill nearly all of it."""
    room = app.config["MAX_CONTENT_LENGTH"] - len(urlencode(other_fields)) - 1024
    probe = build(1000)
    cost_per_unit = len(urlencode({"x": probe})) / len(probe)
    value = build(int(room / cost_per_unit))
    while len(urlencode({"x": value})) > room:
        value = value[: len(value) * 9 // 10]
    return value


def hostile_email(n: int) -> str:
    return "a@" + EMAIL_UNIT * (n // 2) + "@"


class Recorder:
    """Wraps a validator or compiled pattern and notes each call with the value's length."""

    def __init__(self, inner):
        self.inner = inner
        self.lengths: list[int] = []

    def __call__(self, form, field):
        self.lengths.append(len(field.data or ""))
        return self.inner(form, field)

    def fullmatch(self, value):
        self.lengths.append(len(value))
        return self.inner.fullmatch(value)

    def finditer(self, value):
        self.lengths.append(len(value))
        return self.inner.finditer(value)


@pytest.fixture
def email_parses(monkeypatch) -> list[int]:
    """The lengths of the values email-validator was asked to parse."""
    lengths: list[int] = []
    real = validators.validate_email

    def recording(value, **options):
        lengths.append(len(value))
        return real(value, **options)

    monkeypatch.setattr(validators, "validate_email", recording)
    return lengths


def form_classes() -> list[type[BaseForm]]:
    found, todo = [], [BaseForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("blog.")]


def unwrapped(check):
    return check.validator if isinstance(check, StopOnFailure) else check


def length_cap(check) -> int | None:
    """The most characters a check lets through before any other work, if it caps them."""
    inner = unwrapped(check)
    if isinstance(inner, Length) and inner.max >= 0:
        return inner.max
    if isinstance(inner, Pattern):
        return inner.max_length
    return None


def capped_text_fields(app):
    """(form class, field name, index of the length check) for every capped text field."""
    with app.test_request_context(method="POST"):
        for cls in form_classes():
            form = cls(formdata=MultiDict())
            for field in form:
                for index, check in enumerate(field.validators):
                    if length_cap(check) is not None:
                        yield cls, field.name, index
                        break


# ---------- Every form: the chain stops, patterns sit behind a cap ----------


def test_every_form_field_stops_its_checks_at_the_first_failure(app):
    fields = 0
    with app.test_request_context(method="POST"):
        for cls in form_classes():
            for field in cls(formdata=MultiDict()):
                for check in field.validators:
                    assert isinstance(check, StopOnFailure), (cls.__name__, field.name, check)
                    fields += 1
    assert fields > 40  # the walk found the editor and reader forms


def test_every_pattern_check_is_behind_a_length_cap(app):
    """WTForms' Regexp and Email run on whatever they are given: a cap must come first.
    Byline's own Pattern, Digits and EmailAddress measure the value before anything else."""
    with app.test_request_context(method="POST"):
        for cls in form_classes():
            for field in cls(formdata=MultiDict()):
                is_capped = False
                for check in field.validators:
                    inner = unwrapped(check)
                    if isinstance(inner, Regexp | Email) or hasattr(inner, "regex"):
                        assert is_capped, f"{cls.__name__}.{field.name}: a pattern before a cap"
                    is_capped = is_capped or length_cap(check) is not None


def test_a_value_over_a_cap_reaches_no_later_check(app):
    """For every capped text field of every form: a value past the cap, built to be the
    worst case for the e-mail and slug patterns, stops at the cap with its one message."""
    checked = []
    for cls, name, index in capped_text_fields(app):
        with app.test_request_context(method="POST"):
            form = cls(formdata=MultiDict())
            cap = length_cap(form[name].validators[index])
            value = hostile_email(cap + 10_000)
            form = cls(formdata=MultiDict({name: value}))
            field = form[name]
            later = [Recorder(check) for check in field.validators[index + 1 :]]
            field.validators = [*field.validators[: index + 1], *later]
            inner = unwrapped(field.validators[index])
            if isinstance(inner, Pattern):
                inner.pattern = Recorder(inner.pattern)
            field.validate(form)
            assert all(not check.lengths for check in later), (cls.__name__, name)
            if isinstance(inner, Pattern):
                assert inner.pattern.lengths == [], (cls.__name__, name)
            assert len(field.errors) == 1, (cls.__name__, name, field.errors)
            checked.append(f"{cls.__name__}.{name}")
    assert {"CommentForm.email", "ArticleForm.slug", "LoginForm.email"} <= set(checked)


# ---------- E-mail addresses ----------


@pytest.mark.parametrize(
    "address",
    ["rosa@example.org", "Ana.Lopez+news@mail.example.co.uk", "jürgen@bücher.example"],
)
def test_real_addresses_are_accepted(address):
    assert is_email_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "a@b",
        "two@@example.org",
        "a@localhost",
        "a b@example.org",
        hostile_email(240),
        "a@example." + "a" * 250,
    ],
)
def test_malformed_or_over_long_addresses_are_refused(address, email_parses):
    assert not is_email_address(address)
    assert all(length <= validators.MAX_EMAIL_LENGTH for length in email_parses)


def test_a_request_sized_hostile_email_gets_the_length_message_only(
    app, client, make_article, email_parses
):
    article = make_article("A story worth discussing")
    fields = {"name": "Kept Name", "body": "Kept text."}
    email = request_sized(app, hostile_email, fields)
    assert len(email) > 15_000_000
    response = post_comment(client, article, email=email, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "At most 254 characters." in html
    assert "does not look like an e-mail address" not in html
    assert "Kept text.</textarea>" in html and 'value="Kept Name"' in html
    assert 'value="a@a.a.a.a.a.' in html  # what was typed comes back
    assert email_parses == []
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_a_hostile_email_within_the_cap_is_parsed_and_refused(client, make_article, email_parses):
    article = make_article("A story worth discussing")
    email = hostile_email(validators.MAX_EMAIL_LENGTH - 4)
    response = post_comment(client, article, email=email, body="Kept text.")
    assert response.status_code == 400
    assert "does not look like an e-mail address" in response.get_data(as_text=True)
    assert email_parses and max(email_parses) <= validators.MAX_EMAIL_LENGTH


# ---------- The other reader fields ----------


@pytest.mark.parametrize(
    ("field", "build", "message"),
    [
        ("name", lambda n: "N" * n, "At most 80 characters."),
        ("body", lambda n: "a-" * (n // 2) + "!", "at most 5,000 characters"),
        ("parent_id", lambda n: "1" * n + "x", PARENT_NOT_FOUND_MESSAGE),
        ("form_token", lambda n: "a." * (n // 2), "This form has expired"),
    ],
)
def test_request_sized_reader_fields_get_a_clear_message(
    app, client, make_article, field, build, message
):
    article = make_article("A story worth discussing")
    fields = {"name": "Kept Name", "body": "Kept text."}
    fields[field] = request_sized(app, build, fields)
    response = post_comment(client, article, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    if field != "name":
        assert 'value="Kept Name"' in html
    if field != "body":
        assert "Kept text.</textarea>" in html
    assert db.session.scalar(select(func.count(Comment.id))) == 0


# ---------- Sign-in and the editor ----------


@pytest.mark.parametrize(
    ("field", "message"),
    [("email", "At most 254 characters."), ("password", "At most 1,024 characters.")],
)
def test_a_request_sized_sign_in_is_refused_with_the_form_again(
    app, client, editor, email_parses, field, message
):
    fields = {"email": editor.email, "password": "wrong"}
    fields[field] = request_sized(app, hostile_email, fields)
    response = client.post("/editor/login", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    if field == "email":
        assert 'value="a@a.a.a.a.a.' in html
    assert "/editor/logout" not in html
    assert email_parses == []


def test_a_request_sized_slug_gets_the_length_message_only(app, editor):
    client = signed_in(app, editor)
    fields = {"title": "Harbour trams return", "body": "Kept body.", "action": "save"}
    fields["slug"] = request_sized(app, lambda n: "a-" * (n // 2) + "!", fields)
    response = client.post("/editor/articles/new", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "At most 80 characters." in html
    assert "lowercase letters, digits and single hyphens" not in html
    assert 'value="Harbour trams return"' in html and "Kept body.</textarea>" in html


def test_an_over_long_new_password_is_called_too_long(app, author):
    client = signed_in(app, author)
    long_password = "x" * 100_000
    change = {
        "password-current_password": PASSWORD,
        "password-new_password": long_password,
        "password-confirm": long_password,
    }
    html = client.post("/editor/profile/password", data=change).get_data(as_text=True)
    assert "At most 1,024 characters." in html
    assert "Please use at least" not in html


def test_service_slugs_are_measured_before_the_pattern(app, monkeypatch):
    spy = Recorder(taxonomy.SLUG_PATTERN)
    monkeypatch.setattr(taxonomy, "SLUG_PATTERN", spy)
    with pytest.raises(TaxonomyError, match="at most 80 characters"):
        taxonomy.clean_slug("a-" * 500_000 + "!")
    assert spy.lengths == []
    assert taxonomy.clean_slug("harbour-trams") == "harbour-trams"
    assert spy.lengths == [len("harbour-trams")]


# ---------- Search, addresses and Markdown ----------


def test_a_hostile_search_is_cut_before_it_is_parsed(client, monkeypatch):
    spy = Recorder(search._TERM)
    monkeypatch.setattr(search, "_TERM", spy)
    for query in ('-"' * (REQUEST_LINE_ROOM // 2), "a-" * (REQUEST_LINE_ROOM // 2)):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200
        assert "Your search was shortened" in response.get_data(as_text=True)
    assert spy.lengths and max(spy.lengths) <= search.MAX_QUERY_LENGTH


def test_a_long_hostile_slug_in_the_address_is_a_404(client):
    assert client.get("/articles/" + "a-" * (REQUEST_LINE_ROOM // 2) + "!").status_code == 404


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("[" * ARTICLE_BODY_LIMIT, "[" * ARTICLE_BODY_LIMIT),
        ("](" * (ARTICLE_BODY_LIMIT // 2), ""),
        ("[](" * (ARTICLE_BODY_LIMIT // 3), "["),
        ("word" + "\n" * ARTICLE_BODY_LIMIT + "word", "word word"),
        ("a" + "_" * ARTICLE_BODY_LIMIT + "b", "a" + "_" * ARTICLE_BODY_LIMIT + "b"),
        ("1" * ARTICLE_BODY_LIMIT, "1" * ARTICLE_BODY_LIMIT),
    ],
)
def test_search_snippets_of_a_whole_hostile_body_come_back(snippet, expected):
    """A search snippet may hold most of an article body: each of these took minutes when
    a failed match rescanned the rest of the text."""
    assert search.plain_snippet(snippet) == expected


def test_a_link_with_parentheses_in_its_address_leaves_only_its_text():
    snippet = "see [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) and [x](y)"
    assert search.plain_snippet(snippet) == "see Foo and x"


def test_bare_addresses_are_linked_by_the_markdown_parser_alone():
    """No address finder but the Markdown parser's (bleach's, quadratic on "a-a-a-…" and
    "((((…", is gone with bleach): what it does not take for an address stays text."""
    assert 'href="http://x.org" rel="nofollow ugc noopener"' in render_comment("see x.org")
    assert 'href="http://x.org" rel="noopener"' in render_article("see x.org")
    for text in ("#fa_b.com", "mailto:fa_b.com", "x.co.uk-.museum"):
        assert "<a" not in render_comment(text), text
        assert "<a" not in render_article(text), text


@pytest.mark.parametrize(
    "body", ["a-" * (ARTICLE_BODY_LIMIT // 2) + "!", "http://a.co/" + "(" * ARTICLE_BODY_LIMIT]
)
def test_article_bodies_at_the_limit_that_stalled_the_address_finder(body):
    html = render_article(body)
    assert html.startswith("<p>") and html.count("<a ") <= 1
