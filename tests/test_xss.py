"""The XSS corpus against the sanitiser, and the checker that the other XSS tests rely on."""

import base64
import html
import re

import pytest

from blog.rendering import plain_text, render_article, render_comment
from tests.xss_corpus import (
    EMBEDS,
    EVENT_HANDLERS,
    PAYLOADS,
    RUN,
    SCRIPT_TAGS,
    STYLES,
    SVG_MATHML,
    URLS,
    active_content,
    feed_active_content,
)

# Raw payloads that plainly run when pasted into a page: the checker must see each.
PLAINLY_ACTIVE = [*SCRIPT_TAGS, *EVENT_HANDLERS, *URLS, *SVG_MATHML, *EMBEDS, *STYLES]
PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
    '<link rel="stylesheet" href="/static/css/site.css">'
    '<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script></head>'
    '<body><form action="/search"><input name="q"><button formaction="/x">Go</button></form>'
    'CONTENT<script src="/static/js/share.js" defer></script></body></html>'
)


def page(content: str) -> str:
    return PAGE.replace("CONTENT", content)


# Payloads that attack the page without script of their own: they are still refused.
WITHOUT_SCRIPT = {
    '<base href="https://evil.example/">',
    '<meta http-equiv="Content-Security-Policy" content="script-src *">',
    '<p style="behavior:url(x.htc)">x</p>',
}


def sets_the_flag(payload: str) -> bool:
    decoded = [base64.b64decode(part) for part in re.findall(r"base64,([\w+/=]+)", payload)]
    return RUN in html.unescape(payload) or any(RUN.encode() in part for part in decoded)


def test_the_corpus_is_large_distinct_and_each_payload_would_set_the_flag():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert {p for p in PAYLOADS if not sets_the_flag(p)} == WITHOUT_SCRIPT


@pytest.mark.parametrize("payload", PLAINLY_ACTIVE)
def test_the_checker_sees_every_plainly_active_payload(payload):
    assert active_content(payload, is_fragment=True)
    assert active_content(page(payload))


def test_the_checker_accepts_bylines_own_page_elements():
    assert active_content(page("<p>Hello <a href='/x'>there</a></p>")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script type="application/ld+json">{"a": "</script><script>x</script>"}</script>',
        '<script type="application/ld+json">{"a": "<!--"}</script>',
        '<script src="/static/js/share.js">inline()</script>',
        '<script src="//evil.example/x.js"></script>',
        '<form action="//evil.example/"></form>',
        '<button formaction="https://evil.example/">x</button>',
        '<link rel="import" href="/x">',
        '<meta http-equiv="refresh" content="0">',
        '<img src="data:image/svg+xml,x">',
        '<a href="java&#x0A;script:x">x</a>',
        '<a href="\u200bjavascript:x">x</a>',
        '<p style="color:red">x</p>',
        '<input autofocus onfocus="x">',
    ],
)
def test_the_checker_refuses_in_a_page(snippet):
    assert active_content(page(snippet))


def test_sanitised_content_may_not_carry_page_elements():
    for snippet in ('<form action="/x"></form>', '<meta name="x">', '<script src="/static/x.js">'):
        assert active_content(snippet, is_fragment=True)
        assert active_content(page("")) == []
    assert active_content('<img src="data:image/png;base64,AAAA" alt="">', is_fragment=True) == []


def test_the_feed_checker_reads_escaped_html_and_text_constructs():
    entry = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lt;script&gt;</title>'
        '<entry><content type="html">{}</content></entry></feed>'
    )
    assert feed_active_content(entry.format("&lt;p&gt;fine&lt;/p&gt;")) == []
    assert feed_active_content(entry.format("&lt;img src=x onerror=x&gt;"))
    assert feed_active_content(entry.format('<p xmlns="http://www.w3.org/1999/xhtml">x</p>'))
    xhtml = entry.replace('type="html"', 'type="xhtml"').format("x")
    assert feed_active_content(xhtml)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_article_sanitiser(payload):
    html = render_article(payload)
    assert active_content(html, is_fragment=True) == [], html
    assert active_content(page(html)) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_comment_sanitiser(payload):
    html = render_comment(payload)
    assert active_content(html, is_fragment=True) == [], html
    assert "<img" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_of_sanitised_html_holds_no_markup(payload):
    text = plain_text(render_article(payload))
    assert "<" not in text.replace("&lt;", "")


def test_harmless_markdown_still_renders():
    html = render_article("[site](https://example.org) ![pic](/uploads/a.png) <b>raw</b>")
    assert '<a href="https://example.org" rel="noopener">site</a>' in html
    assert '<img src="/uploads/a.png" alt="pic">' in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html
