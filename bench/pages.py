"""What the benchmark requests: the pages it measures one by one, the mixed load's
requests, and the self-checks that prove those requests are answered as a reader's are."""

from __future__ import annotations

import http.client
import json
import math
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from bench import BenchError, corpus
from bench.plan import Plan
from blog import formguard
from blog.comments import trust
from blog.services import commenters

COMMENT_SHARE = 0.02  # of the mixed load's requests: comment POSTs
SHARE_SHARE = 0.04  # share POSTs; the rest are GETs
MIXED_DESCRIPTION = (
    f"{1 - COMMENT_SHARE - SHARE_SHARE:.0%} GETs, {COMMENT_SHARE:.0%} comment POSTs, "
    f"{SHARE_SHARE:.0%} share POSTs"
)
SHARE_NETWORKS = ("x", "facebook", "whatsapp", "email", "copy")
DEEP_PAGE = 50
# A comment token this old is past the 3-second "too fast" check, so comments are kept.
COMMENT_TOKEN_AGE = 60
SHOWN_COMMENT = re.compile(r'<li class="comment depth-')
# What only a signed-in member of staff sees on an article: the staff comment form.
SIGNED_IN = "You are signed in: your comment appears under your profile"
CSRF_FIELD = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"
CODINGS = ("gzip", "br")  # asked for one at a time, for the bytes a reader is sent


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str


def measured_pages(plan: Plan, page_size: int) -> list[Page]:
    section = plan.listing_section
    deep = min(DEEP_PAGE, math.ceil(section["articles"] / page_size))
    return [
        Page("front", "Front page", "/"),
        article_page(plan),
        Page("section-1", "Section page 1", f"/section/{section['slug']}"),
        Page(f"section-{deep}", f"Section page {deep}", f"/section/{section['slug']}?page={deep}"),
        Page("topic", "Topic page", f"/topic/{plan.listing_topic['slug']}"),
        Page("search", "Search", f"/search?q={corpus.SEARCH_WORD}"),
        Page("feed", "Atom feed", "/feed.xml"),
    ]


def article_path(plan: Plan) -> str:
    return f"/articles/{plan.page_article['slug']}"


def article_page(plan: Plan) -> Page:
    return Page("article", "Article page, 100 comments", article_path(plan))


def uncached_article_page(plan: Plan) -> Page:
    return Page("article-uncached", "Article page, no page cache", article_path(plan))


def uncached_pages(plan: Plan) -> list[Page]:
    """The pages measured on the server without the page cache (its fragments warm)."""
    return [
        Page("front-uncached", "Front page, no page cache", "/"),
        uncached_article_page(plan),
        Page("search-uncached", "Search, no page cache", f"/search?q={corpus.SEARCH_WORD}"),
    ]


def first_render_page(plan: Plan) -> Page:
    label = "Article page, first render after a change"
    return Page("article-first-render", label, article_path(plan))


def editor_page(plan: Plan) -> Page:
    return Page("article-editor", "Article page, signed-in editor", article_path(plan))


def bench_editor(plan: Plan) -> dict:
    """The seeded editor whose signed-in view is measured: an editor, not the admin, and
    with no second factor (the seed gives none), so a password signs in."""
    return next(user for user in plan.users if user["role"] == "editor")


def _keyed_app(secret: str) -> Flask:
    """An app holding only the site's secret, for Byline's own signing functions."""
    keyed = Flask(__name__)
    keyed.config["SECRET_KEY"] = secret
    return keyed


def form_token(secret: str, purpose: str, subject: int, age_s: int = 0) -> str:
    """The signed token Byline's reader forms carry, issued by blog.formguard itself with
    the site's secret rather than scraped from a page."""
    with _keyed_app(secret).app_context():
        return formguard.issue_token(purpose, subject, issued_at=time.time() - age_s)


def _mixed_gets(plan: Plan, page_size: int) -> list[str]:
    """GET paths, repeated to weight them: mostly articles and the front page."""
    section = plan.listing_section
    last = math.ceil(section["articles"] / page_size)
    gets = ["/"] * 15 + [article_path(plan)] * 10
    gets += [f"/articles/{t['slug']}" for t in plan.comment_targets for _ in range(2)]
    archive = [a for a in plan.articles if a["status"] == "published"]
    gets += [f"/articles/{a['slug']}" for a in archive[:: max(1, len(archive) // 30)]]
    gets += [f"/section/{section['slug']}"] * 5 + [f"/section/{section['slug']}?page=2"] * 2
    gets += [f"/section/{section['slug']}?page={min(DEEP_PAGE, last)}"] * 2
    gets += [f"/section/{s['slug']}" for s in plan.sections]
    gets += [f"/topic/{plan.listing_topic['slug']}"] * 4
    gets += [f"/topic/{t['slug']}" for t in plan.topics[:5]]
    gets += [f"/search?q={corpus.SEARCH_WORD}"] * 3 + ["/search?q=council+budget"] * 2
    gets += ["/feed.xml"] * 4 + [f"/section/{section['slug']}/feed.xml"]
    gets += [f"/author/{u['slug']}" for u in plan.users[:2]]
    return gets


def trusted_cookie(secret: str, email: str) -> str:
    """The Cookie header of a device that had a comment under email approved (see
    blog.comments.trust), issued here with the site's secret."""
    with _keyed_app(secret).app_context():
        digest = commenters.email_digest(email)
    return f"{trust.COOKIE_NAME}={URLSafeTimedSerializer(secret, salt=trust.SALT).dumps([digest])}"


def comment_posts(plan: Plan, secret: str) -> list[dict]:
    """Comment forms as the article page's form sends them, from the devices of readers
    with approved comments (so, under the default "first-time commenters" policy, they
    are published at once and the counters move)."""
    posts = []
    for n, target in enumerate(plan.comment_targets):
        token = form_token(secret, "comment", target["id"], COMMENT_TOKEN_AGE)
        for variant in range(3):
            reply_to = target["reply_to"] if variant == 2 else None
            email = plan.commenter_emails[(3 * n + variant) % len(plan.commenter_emails)]
            fields = {
                "form_token": token,
                "name": f"Bench Reader {n}",
                "email": email,
                "body": f"Comment {n}.{variant} from the benchmark. {corpus.WORDS[n]} indeed.",
                "parent_id": str(reply_to or ""),
                "website": "",
            }
            posts.append(
                {
                    "path": f"/articles/{target['slug']}/comments",
                    "body": urlencode(fields),
                    "cookie": trusted_cookie(secret, email),
                }
            )
    return posts


def share_posts(plan: Plan, secret: str) -> list[dict]:
    return [
        {
            "path": f"/articles/{target['slug']}/share/{network}",
            "body": urlencode({"token": form_token(secret, "share", target["id"])}),
        }
        for target in plan.comment_targets
        for network in SHARE_NETWORKS
    ]


def _lua(value) -> str:
    """A Lua literal for strings, numbers, lists and string-keyed tables (ASCII only)."""
    if isinstance(value, str):
        if not value.isascii():
            raise ValueError(f"not ASCII: {value!r}")
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "{" + ", ".join(_lua(item) for item in value) + "}"
    return "{" + ", ".join(f"{key} = {_lua(item)}" for key, item in value.items()) + "}"


def write_mixed_data(path: Path, plan: Plan, origin: str, secret: str, page_size: int) -> None:
    """The data file mixed.lua loads."""
    data = {
        "origin": origin,
        "gets": _mixed_gets(plan, page_size),
        "comments": comment_posts(plan, secret),
        "shares": share_posts(plan, secret),
        "comment_share": COMMENT_SHARE,
        "share_share": SHARE_SHARE,
    }
    path.write_text("return " + _lua(data) + "\n")


# ---------- Self-checks before measuring ----------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        """The cookies the answer sets, by name (an emptied one as "")."""
        jar: dict[str, str] = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                jar[name] = morsel.value
        return jar


def fetch(port: int, method: str, path: str, body: str = "", headers=None) -> Answer:
    """One request, redirects not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def request(port: int, method: str, path: str, body: str = "", headers=None):
    """One request, redirects not followed: (status, body bytes)."""
    answer = fetch(port, method, path, body, headers)
    return answer.status, answer.body


def page_bytes(port: int, path: str, headers=None) -> dict[str, int | None]:
    """The bytes of the page's body as sent without Accept-Encoding (as wrk asks), then
    asking for gzip alone and Brotli alone; None where the answer came uncompressed."""
    sizes: dict[str, int | None] = {}
    for coding in ("plain", *CODINGS):
        asked = {} if coding == "plain" else {"Accept-Encoding": coding}
        answer = fetch(port, "GET", path, headers={**(headers or {}), **asked})
        if answer.status != 200:
            raise BenchError(f"GET {path} ({coding}) answered {answer.status}, not 200")
        sent = answer.headers.get("Content-Encoding", "identity")
        sizes[coding] = len(answer.body) if coding in ("plain", sent) else None
    return sizes


def check_pages(port: int, paths: list[str]) -> None:
    """Every page the bench reads answers 200 before it is measured."""
    for path in dict.fromkeys(paths):
        status, body = request(port, "GET", path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}, not 200:\n{body[:500]!r}")


def check_uncached(port: int, paths: list[str]) -> None:
    """Each page answers 200 twice, and never from the page cache."""
    for path in paths:
        for _ in range(2):
            answer = fetch(port, "GET", path)
            if answer.status != 200 or "X-Cache" in answer.headers:
                raise BenchError(
                    f"GET {path} on the server without the page cache answered "
                    f"{answer.status} with X-Cache {answer.headers.get('X-Cache')!r}"
                )


def article_html(port: int, plan: Plan) -> bytes:
    """The article page as a reader gets it; it must show the thread's 100 comments."""
    status, body = request(port, "GET", article_path(plan))
    shown = len(SHOWN_COMMENT.findall(body.decode("utf-8", "replace")))
    if status != 200 or shown != 100:
        raise BenchError(f"the article page answered {status} showing {shown} comments, not 100")
    return body


def check_posts(port: int, plan: Plan, secret: str, origin: str) -> None:
    """One comment and one share, sent as the mixed load sends them, answer 303."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "X-Forwarded-For": "10.255.255.254",
    }
    for post in (comment_posts(plan, secret)[0], share_posts(plan, secret)[0]):
        cookie = {"Cookie": post["cookie"]} if "cookie" in post else {}
        status, body = request(port, "POST", post["path"], post["body"], headers | cookie)
        if status != 303:
            raise BenchError(
                f"POST {post['path']} answered {status}, not 303:\n"
                f"{body.decode('utf-8', 'replace')[:800]}"
            )


# ---------- A signed-in editor ----------


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items() if value)


def editor_cookie(port: int, plan: Plan, password: str, origin: str) -> str:
    """The Cookie header of a browser signed in as the bench's editor: the sign-in form
    fetched, sent back with its CSRF token and the editor's password, then the article
    page opened once (it keeps its forms' CSRF token in the session)."""
    editor = bench_editor(plan)
    form = fetch(port, "GET", "/editor/login")
    token = CSRF_FIELD.search(form.body.decode("utf-8", "replace"))
    if form.status != 200 or token is None:
        raise BenchError(f"GET /editor/login answered {form.status} without a CSRF token")
    jar = form.cookies()
    fields = {"csrf_token": token.group(1), "email": editor["email"], "password": password}
    headers = {"Content-Type": FORM, "Origin": origin, "Cookie": _cookie_header(jar)}
    answer = fetch(port, "POST", "/editor/login", urlencode(fields), headers)
    where = urlsplit(answer.headers.get("Location", "")).path
    if answer.status not in (302, 303) or not where.startswith("/editor") or "login" in where:
        raise BenchError(
            f"signing in as {editor['email']} answered {answer.status} to {where!r}, not the "
            f"dashboard:\n{answer.body.decode('utf-8', 'replace')[:800]}"
        )
    jar.update(answer.cookies())
    page = fetch(port, "GET", article_path(plan), headers={"Cookie": _cookie_header(jar)})
    jar.update(page.cookies())
    return _cookie_header(jar)


def check_editor_view(port: int, plan: Plan, cookie: str) -> None:
    """With the cookie, the article page is the signed-in view (the staff comment form,
    the 100 comments) and never the page cache's copy, twice over."""
    for _ in range(2):
        answer = fetch(port, "GET", article_path(plan), headers={"Cookie": cookie})
        text = answer.body.decode("utf-8", "replace")
        shown = len(SHOWN_COMMENT.findall(text))
        if answer.status != 200 or SIGNED_IN not in text or shown != 100:
            raise BenchError(
                f"the editor's article page answered {answer.status}, signed in: "
                f"{SIGNED_IN in text}, showing {shown} comments, not 100"
            )
        if "X-Cache" in answer.headers:
            raise BenchError(
                f"the editor's article page came through the page cache "
                f"(X-Cache: {answer.headers['X-Cache']})"
            )
