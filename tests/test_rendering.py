"""Markdown rendering: the one place trusted HTML is made."""

from html.parser import HTMLParser

import pytest

from blog.rendering import count_words, plain_text, render_article, render_comment

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '"><script>alert(1)</script>',
    "![x](javascript:alert(1))",
    "<style>body{display:none}</style>",
]


class ActiveContentFinder(HTMLParser):
    """Collects every element and attribute that could run code."""

    DANGEROUS_TAGS = {"script", "style", "iframe", "svg", "math", "object", "embed", "form"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            url = (value or "").strip().lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    finder = ActiveContentFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("payload", ATTACKS)
@pytest.mark.parametrize("render", [render_article, render_comment])
def test_no_active_content_survives(render, payload):
    assert active_content(render(payload)) == []


def test_the_finder_sees_active_content():
    assert active_content('<a href="javascript:x" onclick="y">a</a><script></script>') == [
        "a[href=javascript:x]",
        "a[onclick=y]",
        "script",
    ]


def test_article_markdown_features():
    html = render_article(
        "# Title\n\n## Sub\n\nText with **bold**, *em*, `code` and ~~old~~.\n\n"
        "> quoted\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![Alt text](/uploads/2025/06/x.jpg)\n\nSee https://example.org/page"
    )
    assert "<h2>Title</h2>" in html and "<h1>" not in html  # the page has one h1
    for fragment in ("<strong>bold</strong>", "<em>em</em>", "<code>code</code>", "<s>old</s>"):
        assert fragment in html
    assert "<blockquote>" in html and "<li>one</li>" in html and "<table>" in html
    assert '<img src="/uploads/2025/06/x.jpg" alt="Alt text">' in html
    assert '<a href="https://example.org/page" rel="noopener">' in html


def test_comment_subset_and_links():
    html = render_comment(
        "# Big\n\n**hi** [site](https://example.org) www.example.com\n\n![i](x.png)"
    )
    assert "<h1>" not in html and "<img" not in html
    assert "<strong>hi</strong>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in html
    assert 'href="http://www.example.com" rel="nofollow ugc noopener"' in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in render_comment("<b>bold</b>")


def test_word_count_and_plain_text():
    assert count_words("It's a well-known fact, isn't it?") == 6
    assert count_words("") == 0
    assert plain_text("<p>Hello <em>there</em>\n world</p>") == "Hello there world"


# markdown-it-py 4.3.0's linkify rule raises "inline rule didn't increment state.pos" here.
LINKIFY_CRASH = "co.uk[//z.p://"


@pytest.mark.parametrize("render", [render_article, render_comment])
def test_text_that_breaks_the_linkify_rule_still_renders(render):
    assert render(LINKIFY_CRASH) == f"<p>{LINKIFY_CRASH}</p>\n"
    html = render(f"See https://example.org and {LINKIFY_CRASH}")
    assert LINKIFY_CRASH in html and "<p>" in html


def test_a_long_table_renders():
    rows = 3000
    markdown = "| n | word |\n|---|---|\n" + "".join(f"| {i} | w{i} |\n" for i in range(rows))
    html = render_article(markdown)
    assert html.count("<tr>") == rows + 1  # the header row too
    assert html.count("<td>") == 2 * rows and "<td>2999</td>" in html


def test_article_links_get_noopener_only_to_the_web():
    html = render_article(
        '[t](https://e.org "Title") [r](/about) [m](mailto:a@e.org) [u](HTTP://E.ORG) x.org'
    )
    assert '<a href="https://e.org" title="Title" rel="noopener">t</a>' in html
    assert '<a href="/about">r</a>' in html
    assert '<a href="mailto:a@e.org">m</a>' in html
    assert '<a href="HTTP://E.ORG" rel="noopener">u</a>' in html
    assert '<a href="http://x.org" rel="noopener">x.org</a>' in html


def test_comment_links_carry_no_title_and_all_get_the_same_rel():
    html = render_comment('[t](https://e.org "Title") [r](/about) [m](mailto:a@e.org)')
    assert "title=" not in html
    assert html.count('rel="nofollow ugc noopener"') == 3


@pytest.mark.parametrize("render", [render_article, render_comment])
def test_no_attribute_is_allowed_on_every_tag(render):
    # nh3 allows lang and title on any tag unless told otherwise.
    assert render("*x*") == "<p><em>x</em></p>\n"
    assert render('`<b>` & "quoted"').count("&lt;b&gt;") == 1  # escaped once, in code too


def test_control_characters_become_question_marks():
    # The HTML goes into the Atom feed, where C0 controls are not allowed.
    assert render_article("a\x01b\x0bc\x1fd") == "<p>a?b?c?d</p>\n"
    assert render_comment("`a\x08b`") == "<p><code>a?b</code></p>\n"


def test_plain_text_keeps_entities_escaped():
    assert plain_text("<p>a &amp; b &lt;c&gt; “q”</p>") == "a &amp; b &lt;c&gt; “q”"
