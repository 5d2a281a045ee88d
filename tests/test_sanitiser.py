"""The sanitiser on its own, fed HTML directly.

The Markdown parsers show raw HTML as text (html=False) and refuse javascript: links
themselves, so tests through render_article/render_comment would pass even with no
sanitiser at all. These hand it hostile HTML as if the parser had let it through."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from blog.rendering import (
    ARTICLE_ATTRIBUTES,
    ARTICLE_LINK_REL,
    ARTICLE_TAGS,
    COMMENT_ATTRIBUTES,
    COMMENT_LINK_REL,
    COMMENT_TAGS,
    PROTOCOLS,
    clean_article_html,
    clean_comment_html,
    plain_text,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<p onclick="alert(1)">x</p>',
    '<img src="x" onerror="alert(1)">',
    "<img src=x oNeRrOr=alert(1)>",
    '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
    '<img src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<svg onload=alert(1)><circle r=5/></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p title="x" id="login" class="admin">x</p>',
    "<b>unclosed <i>nested <a href='https://example.org'>link",
    "<p>an <em>unclosed</p> paragraph <script>alert(1)",
    "<!--<script>alert(1)</script>--><p>after a comment</p>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    '<img src="https://example.org/x.png" srcset="javascript:alert(1) 1x">',
    '<td background="javascript:alert(1)">x</td>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    '<video src="x" poster="javascript:alert(1)"></video><audio src=x onerror=alert(1)>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "<template><script>alert(1)</script></template>",
    "\x00<script>alert(1)</script>",
]


class Elements(HTMLParser):
    """Every start tag of the output with its attributes, and the text in between."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def problems(html: str, tags: frozenset, attributes: dict, link_rel: str) -> list[str]:
    """What in `html` is not on the allow-list: tags, attributes, URL schemes, rel values."""
    found = []
    for tag, attrs in Elements(html).tags:
        if tag not in tags:
            found.append(f"tag <{tag}>")
        for name, value in attrs.items():
            if name == "rel" and tag == "a":
                if value != link_rel:
                    found.append(f"<a rel={value!r}>")
            elif name not in attributes.get(tag, ()):
                found.append(f"<{tag} {name}>")
            elif name in ("href", "src"):
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in PROTOCOLS:
                    found.append(f"<{tag} {name}={value!r}>")
    return found


@pytest.mark.parametrize("html", HOSTILE)
def test_article_html_keeps_only_its_allow_list(html):
    cleaned = clean_article_html(html)
    assert problems(cleaned, ARTICLE_TAGS, ARTICLE_ATTRIBUTES, ARTICLE_LINK_REL) == []
    assert "<script" not in cleaned.lower() and "javascript:" not in cleaned.lower()


@pytest.mark.parametrize("html", HOSTILE)
def test_comment_html_keeps_only_its_allow_list(html):
    cleaned = clean_comment_html(html)
    assert problems(cleaned, COMMENT_TAGS, COMMENT_ATTRIBUTES, COMMENT_LINK_REL) == []
    assert "<script" not in cleaned.lower() and "javascript:" not in cleaned.lower()


@pytest.mark.parametrize("clean", [clean_article_html, clean_comment_html])
def test_script_and_style_text_goes_with_the_tag(clean):
    cleaned = clean("<p>kept</p><script>alert(1)</script><style>p{}</style>")
    assert cleaned == "<p>kept</p>"


@pytest.mark.parametrize("clean", [clean_article_html, clean_comment_html])
def test_escaped_markup_stays_text(clean):
    assert clean("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize("clean", [clean_article_html, clean_comment_html])
def test_unclosed_tags_are_closed(clean):
    cleaned = clean("<p>one <em>two <strong>three")
    assert cleaned == "<p>one <em>two <strong>three</strong></em></p>"


def test_article_markup_survives():
    html = (
        "<h2>Harbour</h2><p>The <strong>tide</strong> and <em>wind</em>, "
        '<a href="https://example.org/tide" title="Tide table" rel="noopener">the table</a>, '
        '<abbr title="Harbour Authority">HA</abbr>, H<sub>2</sub>O, x<sup>2</sup>, '
        "<del>old</del> <s>gone</s>.</p>"
        '<figure><img src="/uploads/a/b.png" alt="Quay" title="Quay" width="640" '
        'height="480" loading="lazy"><figcaption>The quay</figcaption></figure>'
        '<ol start="3"><li>three</li></ol><ul><li>point</li></ul><hr>'
        "<blockquote><p>Quoted</p></blockquote>"
        '<pre><code class="language-python">print(1)</code></pre>'
        '<table><thead><tr><th align="left">A</th></tr></thead>'
        '<tbody><tr><td align="right">1</td></tr></tbody></table>'
        '<p><a href="mailto:desk@example.org">desk</a> <a href="/about">about</a></p>'
    )
    assert clean_article_html(html) == html


def test_article_links_keep_only_the_renderers_rel():
    cleaned = clean_article_html('<a href="https://example.org" rel="nofollow opener">x</a>')
    assert cleaned == '<a href="https://example.org">x</a>'


def test_comment_markup_survives_and_links_are_marked():
    html = (
        "<p>I <em>agree</em>, <strong>mostly</strong>.<br>"
        '<a href="https://example.org/source">source</a> <code>x = 1</code></p>'
        "<blockquote><p>quote</p></blockquote><pre><code>block</code></pre>"
        "<ul><li>a</li></ul><ol><li>b</li></ol>"
    )
    expected = html.replace(
        '<a href="https://example.org/source">',
        f'<a href="https://example.org/source" rel="{COMMENT_LINK_REL}">',
    )
    assert clean_comment_html(html) == expected


def test_comments_lose_the_article_only_markup():
    cleaned = clean_comment_html(
        '<h2>Big</h2><img src="https://example.org/x.png"><table><tr><td>cell</td></tr></table>'
        '<a href="https://example.org" title="t">x</a>'
    )
    assert cleaned == f'Bigcell<a href="https://example.org" rel="{COMMENT_LINK_REL}">x</a>'


def test_control_characters_become_question_marks():
    """The HTML also goes into the Atom feed, where XML allows no C0 controls."""
    assert clean_article_html("<p>a\x01b\x1fc\td</p>") == "<p>a?b?c\td</p>"


def test_plain_text_has_no_markup_and_no_script_text():
    assert plain_text('<p onclick="x">Hello <b>there</b></p><script>alert(1)</script>') == (
        "Hello there"
    )
