"""Random hostile documents, built from HTML and Markdown pieces, against every renderer."""

import json

from flask import render_template_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.rendering import plain_text, render_article, render_comment
from blog.services.search import Markers, plain_snippet
from tests.xss_corpus import FRAGMENTS, PAYLOADS, active_content, feed_active_content

EXAMPLES = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.sampled_from(PAYLOADS),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=4),
    ),
    max_size=24,
).map("".join)

# How templates output a plain field: as text, in a quoted attribute, in JSON-LD, in Atom.
FIELD_TEMPLATE = """<!doctype html><html><head><title>{{ value }} — site</title>
<meta name="description" content="{{ value }}">
<script type="application/ld+json">{{ {"headline": value}|tojson }}</script></head>
<body><h1>{{ value }}</h1><a href="/x" title="{{ value }}">{{ value[:1] }}</a>
<form action="/search"><input name="q" value="{{ value }}"></form>
<p class="x" data-share-title="{{ value }}">{{ value }}</p></body></html>"""
FEED_TEMPLATE = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{{ value }}</title>
<entry><title>{{ value }}</title><summary>{{ value }}</summary>
<category term="x" label="{{ value }}"/><content type="html">{{ html }}</content></entry></feed>"""


@EXAMPLES
@given(hostile_text)
def test_articles_never_carry_active_content(text):
    html = render_article(text)
    assert active_content(html, is_fragment=True) == [], (text, html)
    assert "<" not in plain_text(html).replace("&lt;", "")


@EXAMPLES
@given(hostile_text)
def test_comments_never_carry_active_content(text):
    html = render_comment(text)
    assert active_content(html, is_fragment=True) == [], (text, html)


@EXAMPLES
@given(hostile_text)
def test_plain_fields_stay_text_in_every_template_context(app, text):
    # Feed text cannot hold NUL and control characters; the forms drop them on input.
    value = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)
    with app.test_request_context():
        page = render_template_string(FIELD_TEMPLATE, value=value)
        feed = render_template_string(FEED_TEMPLATE, value=value, html=render_article(value))
    assert active_content(page) == [], (text, page)
    ld_json = page.split('application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(ld_json) == {"headline": value}
    assert feed_active_content(feed) == [], (text, feed)


@EXAMPLES
@given(hostile_text, hostile_text)
def test_search_highlights_escape_everything_but_their_marks(app, before, after):
    markers = Markers.new()
    snippet = plain_snippet(f"{before} {markers.start}match{markers.stop} {after}")
    html = str(markers.to_html(snippet))
    assert active_content(html, is_fragment=True) == [], (snippet, html)
    without_marks = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks, html
