"""Hostile text for the XSS tests, and the checker that finds active content in a page.

Every payload, if a browser ever ran it, sets `window.__xss` (the browser test reads it).
The checker is strict on purpose: it knows the few scripts, links, forms and meta tags
Byline's own templates produce and reports anything else that could run code.
"""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

RUN = "window.__xss=1"
# `javascript:` spelled the ways browsers still accept.
_JS = f"javascript:{RUN}"

SCRIPT_TAGS = [
    f"<script>{RUN}</script>",
    f"<SCRIPT>{RUN}</SCRIPT>",
    f"<script >{RUN}</script >",
    f"<script src=data:text/javascript,{RUN}></script>",
    f"<script/src=data:,{RUN}></script>",
    f"<script>{RUN}<!--",
    f'<script type="text/javascript">{RUN}</script>',
    f'<script type="module">{RUN}</script>',
    f"<<script>{RUN};//<</script>",
    f"</title><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"</script><script>{RUN}</script>",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
]
EVENT_HANDLERS = [
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    f"<IMG SRC=x OnErRoR={RUN}>",
    f"<img src=x onerror\n={RUN}>",
    f'<img/src="x"/onerror={RUN}>',
    f"<body onload={RUN}>",
    f"<svg onload={RUN}>",
    f"<svg/onload={RUN}>",
    f"<div onmouseover={RUN}>hover</div>",
    f"<input autofocus onfocus={RUN}>",
    f"<select autofocus onfocus={RUN}></select>",
    f"<textarea autofocus onfocus={RUN}></textarea>",
    f"<details open ontoggle={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f"<audio src=x onerror={RUN}>",
    f"<marquee onstart={RUN}>x</marquee>",
    f'<a href="#" onclick="{RUN}">click</a>',
    f"<p onpointerenter={RUN}>x</p>",
    "<img src=x onerror=&#119;indow.__xss=1>",
    f"<img src=`x` onerror=`{RUN}`>",
    f"<image src=x onerror={RUN}>",
    f"<style onload={RUN}></style>",
]
URLS = [
    f'<a href="{_JS}">link</a>',
    f"<a href='{_JS}'>link</a>",
    f"<a href={_JS}>link</a>",
    f'<a href="JaVaScRiPt:{RUN}">link</a>',
    f'<a href=" javascript:{RUN}">link</a>',
    f'<a href="java\tscript:{RUN}">link</a>',
    f'<a href="java\nscript:{RUN}">link</a>',
    f'<a href="jav&#x09;ascript:{RUN}">link</a>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{RUN}">link</a>',
    f'<a href="javascript&colon;{RUN}">link</a>',
    f'<a href="vbscript:{RUN}">link</a>',
    f'<a href="data:text/html,<script>{RUN}</script>">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">link</a>',
    f'<img src="{_JS}">',
    f'<img src="data:image/svg+xml,<svg onload={RUN}>">',
    f'<iframe src="{_JS}"></iframe>',
    f'<form action="{_JS}"><button>go</button></form>',
    f'<button formaction="{_JS}">go</button>',
    f'<math><a xlink:href="{_JS}">x</a></math>',
    f'<a href="\x01javascript:{RUN}">link</a>',
]
SVG_MATHML = [
    f"<svg><script>{RUN}</script></svg>",
    f'<svg><a xlink:href="{_JS}"><text x="20" y="20">x</text></a></svg>',
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f'<svg><set attributeName="onmouseover" to="{RUN}"/></svg>',
    f"<svg><foreignObject><img src=x onerror={RUN}></foreignObject></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<math href="{_JS}">x</math>',
    f"<svg><style><img src=x onerror={RUN}></style></svg>",
]
EMBEDS = [
    f'<iframe srcdoc="<script>{RUN}</script>"></iframe>',
    f'<iframe srcdoc="&lt;img src=x onerror={RUN}&gt;"></iframe>',
    f'<object data="{_JS}"></object>',
    '<object data="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg=="></object>',
    f'<embed src="{_JS}">',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9d2luZG93Ll9feHNzPTE+">',
    '<base href="https://evil.example/">',
    f'<meta http-equiv="refresh" content="0;url={_JS}">',
    '<meta http-equiv="Content-Security-Policy" content="script-src *">',
    f'<link rel="import" href="data:text/html,<script>{RUN}</script>">',
    f"<frameset onload={RUN}>",
    f'<applet code="x" onerror="{RUN}"></applet>',
]
STYLES = [
    f"<style>body{{background:url('{_JS}')}}</style>",
    f'<div style="width:expression({RUN})">x</div>',
    f"<div style=\"background:url('{_JS}')\">x</div>",
    '<p style="behavior:url(x.htc)">x</p>',
    f"<style>@import '{_JS}';</style>",
    f"<style>*{{x:expression({RUN})}}</style>",
    f"<div style=\"-moz-binding:url('{_JS}')\">x</div>",
]
BROKEN_MARKUP = [
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<img src=x onerror={RUN}",
    f"<script>{RUN}",
    f'<a href="{_JS}',
    f"<img src='x' onerror='{RUN}'",
    f"<<img src=x onerror={RUN}>>",
    f'<img src="x" alt=""onerror="{RUN}">',
    f"<p <script>{RUN}</script>>",
    f"<img src=x onerror={RUN}//",
]
BREAKOUTS = [
    f'"><script>{RUN}</script>',
    f"'><script>{RUN}</script>",
    f'" onmouseover="{RUN}" x="',
    f"' onmouseover='{RUN}' x='",
    f"` onmouseover=`{RUN}`",
    f'" autofocus onfocus="{RUN}" x="',
    f'"><img src=x onerror={RUN}>',
    f"</p><script>{RUN}</script><p>",
    f'</a><a href="{_JS}">',
    f'";{RUN};//',
    f"';{RUN};//",
    f"</script><img src=x onerror={RUN}>",
    f'{{"a":"</script><script>{RUN}</script>"}}',
]
COMMENT_CDATA = [
    f"<!--<script>{RUN}</script>-->",
    f"<!-- --><script>{RUN}</script><!-- -->",
    f"<!--><img src=x onerror={RUN}>-->",
    f"<![CDATA[<script>{RUN}</script>]]>",
    f"<!--[if gte IE 4]><script>{RUN}</script><![endif]-->",
    f"<? xml ?><script>{RUN}</script>",
    f"<!DOCTYPE html><script>{RUN}</script>",
]
MARKDOWN = [
    f"[click]({_JS})",
    f"[click](JAVASCRIPT:{RUN})",
    f"[click](<{_JS}>)",
    f"[click](javascript&#58;{RUN})",
    f"[click](&#x6A;avascript:{RUN})",
    f"[click](java%0ascript:{RUN})",
    f"[click](vbscript:{RUN})",
    "[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    f"[ref]\n\n[ref]: {_JS}",
    f'[ref][x]\n\n[x]: <{_JS}> "title"',
    f"<{_JS}>",
    f"<vbscript:{RUN}>",
    f"![x]({_JS})",
    f"![x](data:image/svg+xml,<svg/onload={RUN}>)",
    f'![x](x.png "title\\" onerror=\\"{RUN}")',
    f'[x](https://example.org "t\\" onmouseover=\\"{RUN}")',
    f"<div>\n<script>{RUN}</script>\n</div>",
    f"<details>\n\n<img src=x onerror={RUN}>\n\n</details>",
    f"&lt;script&gt;{RUN}&lt;/script&gt;",
    f"&#60;script&#62;{RUN}&#60;/script&#62;",
    f"```\n</code></pre><script>{RUN}</script>\n```",
    f'```html" onmouseover="{RUN}\n<x>\n```',
    f"`<script>{RUN}</script>`",
    f"> <img src=x onerror={RUN}>",
    f"- [x]({_JS})\n- <svg onload={RUN}>",
    f"| a |\n|---|\n| <img src=x onerror={RUN}> |",
    f'**<a href="{_JS}">bold</a>**',
    f"# <script>{RUN}</script>",
    f'[a](https://example.org/"onmouseover="{RUN})',
    f'www.example.org/"><script>{RUN}</script>',
    f"https://example.org/<script>{RUN}</script>",
    f"[x]( {_JS} )",
]
UNICODE = [
    f"＜script＞{RUN}＜/script＞",
    f"\u202e>tpircs/<{RUN}>tpircs<",
    f"<scr\u200dipt>{RUN}</scr\u200dipt>",
    f"<scr\x00ipt>{RUN}</scr\x00ipt>",
    f"<img src=x \x00onerror={RUN}>",
    f'<a href="java\u200bscript:{RUN}">link</a>',
    f"\ufeff<script>{RUN}</script>",
    f"<img src=x onerror\u00a0={RUN}>",
    f"[click](\u202ejavascript:{RUN})",
    f"\u2028<script>{RUN}</script>\u2029",
    f"<ſcript>{RUN}</ſcript>",
    f"<script\x0c>{RUN}</script>",
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *URLS,
    *SVG_MATHML,
    *EMBEDS,
    *STYLES,
    *BROKEN_MARKUP,
    *BREAKOUTS,
    *COMMENT_CDATA,
    *MARKDOWN,
    *UNICODE,
]

# Pieces the property tests combine into random documents.
FRAGMENTS: list[str] = [
    "<", ">", "\"", "'", "`", "=", "/", "&", "#", ";", ":", "\n", "\n\n", "\t", " ", "\x00",
    "<script>", "</script>", "<img", " src=x", " onerror=", RUN, "javascript:", "java\tscript:",
    "&#106;", "&colon;", "<svg", "<math>", "<a href=", "<iframe", "srcdoc=", "<style>",
    "style=", "expression(", "url(", "<!--", "-->", "<![CDATA[", "]]>", "[", "]", "(", ")",
    "![", "](", "<http://x.org>", "```", "`", "*", "**", "> ", "- ", "# ", "|", "---",
    "\\", "%0a", "\u202e", "\u200d", "＜", "＞", "data:", "vbscript:", "<base href=",
    "<meta http-equiv=refresh>", "<form action=", "formaction=", "xlink:href=", "<object",
    "<embed", "&lt;", "&gt;", "&#60;", "www.example.org", "https://example.org/",
]  # fmt: skip

# --------------------------------------------------------------------------- checker

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
     "cite", "codebase", "dynsrc", "lowsrc", "ping", "longdesc", "manifest", "to", "from",
     "values", "by"}
)  # fmt: skip
FORBIDDEN_ELEMENTS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "svg",
     "math", "portal", "xml", "import", "template", "noscript", "param", "isindex"}
)  # fmt: skip
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "xmlns", "autofocus"})
OWN_LINK_RELS = frozenset({"stylesheet", "icon", "canonical", "alternate", "prev", "next"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def scheme_of(url: str) -> str:
    """The URL the way a browser reads its scheme: control and blank characters dropped."""
    return _IGNORED_IN_SCHEME.sub("", url or "").lower()


class ActiveContentFinder(HTMLParser):
    """Everything in a page that could run code and is not one of Byline's own elements."""

    def __init__(self, *, is_fragment: bool):
        super().__init__(convert_charrefs=True)
        self.is_fragment = is_fragment
        self.found: list[str] = []
        self._script: str | None = None  # the type of the <script> being read

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        label = f"<{tag} {' '.join(f'{n}={v!r}' for n, v in attrs)}>"
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"element {label}")
        for name, value in attrs:
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                self.found.append(f"attribute {name} in {label}")
            if name in URL_ATTRIBUTES and self._bad_url(value or "", tag):
                self.found.append(f"URL {name} in {label}")
            if name == "srcset" and any(
                self._bad_url(part.strip(), tag) for part in (value or "").split(",")
            ):
                self.found.append(f"URL srcset in {label}")
        if tag == "script":
            self._script = self._check_script(attributes, label)
        elif self._is_foreign_page_element(tag, attributes):
            self.found.append(f"element {label}")
        for name in ("action", "formaction"):
            if name in attributes and not self._is_own_path(attributes[name] or ""):
                self.found.append(f"foreign {name} in {label}")

    def _is_foreign_page_element(self, tag: str, attributes: dict) -> bool:
        """Meta, link and form elements: only Byline's own, never inside content."""
        if tag == "meta":
            return self.is_fragment or "http-equiv" in attributes
        if tag == "link":
            rels = set((attributes.get("rel") or "").split())
            return self.is_fragment or not rels <= OWN_LINK_RELS
        return self.is_fragment and tag in ("form", "input", "button", "textarea", "select")

    def _check_script(self, attributes: dict, label: str) -> str | None:
        src, kind = attributes.get("src"), attributes.get("type")
        if (
            not self.is_fragment
            and src
            and src.startswith("/static/")
            and set(attributes)
            <= {
                "src",
                "defer",
            }
        ):
            return "own"
        if not self.is_fragment and kind == "application/ld+json" and set(attributes) == {"type"}:
            return "ld+json"
        self.found.append(f"element {label}")
        return "foreign"

    def handle_data(self, data):
        if self._script == "ld+json":
            lowered = data.lower()
            if "</script" in lowered or "<!--" in lowered:
                self.found.append("markup inside the JSON-LD block")
            try:
                json.loads(data)
            except ValueError:
                self.found.append("JSON-LD block is not JSON")
        elif self._script == "own" and data.strip():
            self.found.append("inline code in an external script")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_pi(self, data):
        self.found.append(f"processing instruction {data!r}")

    @staticmethod
    def _bad_url(value: str, tag: str) -> bool:
        url = scheme_of(value)
        return url.startswith(BAD_SCHEMES) and not (
            tag == "img" and url.startswith("data:image/") and not url.startswith("data:image/svg")
        )

    @staticmethod
    def _is_own_path(value: str) -> bool:
        url = value.strip()
        return url == "" or (url.startswith("/") and not url.startswith(("//", "/\\")))


def active_content(html: str, *, is_fragment: bool = False) -> list[str]:
    """What could run code in an HTML page (or, with is_fragment, in sanitised content,
    where no script, form, meta or link is ever allowed)."""
    finder = ActiveContentFinder(is_fragment=is_fragment)
    finder.feed(html)
    finder.close()
    return finder.found


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_active_content(xml: str) -> list[str]:
    """Active content in an Atom feed: the XML must parse, text constructs must be text,
    and the escaped HTML of `type="html"` elements is checked like sanitised content."""
    found = []
    root = ET.fromstring(xml)  # a payload that broke the XML fails here
    for element in root.iter():
        kind = element.get("type", "text")
        if element.tag.startswith(ATOM) and element.tag[len(ATOM) :] in (
            "title",
            "subtitle",
            "summary",
            "content",
            "rights",
        ):
            if len(element):
                found.append(f"child elements inside {element.tag}")
            if kind == "html":
                found += active_content(element.text or "", is_fragment=True)
            elif kind != "text":
                found.append(f"{element.tag} of type {kind}")
        for name, value in element.attrib.items():
            if name in ("href", "uri", "src") and scheme_of(value).startswith(BAD_SCHEMES):
                found.append(f"URL {name} in {element.tag}")
    return found
