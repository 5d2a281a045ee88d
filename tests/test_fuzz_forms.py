"""Every form that accepts a POST, fed hostile input: it must answer, never with a 500.

The endpoints come from the URL map, so a new form fails test_every_form_is_fuzzed until
its fields are listed here. Editor forms are sent as a signed-in admin (CSRF is off in
the test app, so the payload reaches validation); reader forms carry a valid signed
token and this site's Origin; sign-in and reader requests come from a new address each
time, so rate limits do not stop the payload early. Bodies are built by hand, so a value
can be any bytes: invalid UTF-8, lone surrogates, NUL, a megabyte. Each form also gets a
multipart body with a file in every field, and JSON bodies: a form reads text fields from
the posted form only, so neither hands a text field's checks a value that is not text.
"""

import io
import json
from urllib.parse import quote_from_bytes

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from blog import create_app, formguard
from blog.extensions import db
from blog.models import ArticleStatus, Role, Subscription, Topic
from blog.models.base import utcnow
from blog.services import settings as settings_service
from blog.services import subscribers
from tests.security_helpers import ORIGIN, SITE, rule_path, signed_in, url_values
from tests.test_comments import aged_token

ARTICLE_FIELDS = [
    "title", "slug", "brief", "body", "section_id", "topic_ids", "new_topics", "author_id",
    "coauthor_1", "coauthor_5",
    "comments_open", "pending_cover_id", "cover_alt", "cover_caption", "remove_cover",
    "publish_date", "publish_time", "body_image_alt", "version", "action",
]  # fmt: skip
TAXONOMY_FIELDS = ["name", "slug", "description"]
PAGE_FIELDS = [
    "title", "slug", "summary", "body", "show_byline", "show_updated", "pending_cover_id",
    "cover_alt", "cover_caption", "remove_cover", "body_image_alt", "version", "action",
]  # fmt: skip
# endpoint -> (who sends it, its fields); "admin", "anonymous", "reader" (token + Origin),
# "newcomer" (an admin who has not chosen a name yet), "printed" (an author signed in with a
# password to replace) or "pending" (a password given, the two-factor code awaited)
FORMS = {
    "editor.login": ("anonymous", ["email", "password", "remember"]),
    "editor.login_code": ("pending", ["code"]),
    "editor.password_renew": (
        "printed",
        ["password-current_password", "password-new_password", "password-confirm"],
    ),
    "editor.two_factor_setup": ("admin", ["code", "password"]),
    "editor.two_factor_start": ("admin", []),
    "editor.two_factor_codes": ("admin", ["codes-password"]),
    "editor.two_factor_disable": ("admin", ["off-password"]),
    "editor.user_two_factor_reset": ("admin", []),
    # The passkey ceremonies take JSON: a form body is a 400 there (tests/test_passkeys.py
    # sends them hostile JSON). The admin has no passkey: renaming one redirects.
    "editor.passkey_register_options": ("admin", ["name", "password"]),
    "editor.passkey_register": ("admin", ["name", "credential"]),
    "editor.passkey_rename": ("admin", ["passkey-1-name"]),
    "editor.passkey_remove": ("admin", ["remove-1-password"]),
    "editor.passkey_sign_in_options": ("anonymous", ["second_step"]),
    "editor.passkey_sign_in": ("anonymous", ["credential"]),
    "editor.logout": ("admin", []),
    "editor.invite_accept": ("anonymous", ["password", "confirm"]),
    "editor.profile": ("admin", ["display_name", "slug", "bio", "remove_avatar"]),
    "editor.welcome": ("newcomer", ["display_name", "bio"]),
    "editor.profile_password": (
        "admin",
        ["password-current_password", "password-new_password", "password-confirm"],
    ),
    "editor.article_new": ("admin", ARTICLE_FIELDS),
    "editor.article_edit": ("admin", ARTICLE_FIELDS),
    "editor.article_preview": ("admin", ["body"]),
    "editor.image_upload": ("admin", ["body_image", "body_image_alt"]),
    "editor.note_create": ("admin", ["note_body"]),
    "editor.note_edit": ("admin", ["note_body"]),
    "editor.note_delete": ("admin", []),
    "editor.correction_create": ("admin", ["correction_kind", "correction_text"]),
    "editor.correction_retract": ("admin", ["retraction_reason"]),
    "editor.comment_edit": ("admin", ["body", "next"]),
    "editor.comment_moderate": ("admin", ["action", "next"]),
    "editor.comment_bulk": ("admin", ["bulk_action", "ids", "next"]),
    "editor.mail_action": ("anonymous", []),
    "editor.password_forgot": ("anonymous", ["email"]),
    "editor.password_reset": ("anonymous", ["password", "confirm"]),
    "editor.mail_failure_retry": ("admin", []),
    "editor.mail_failure_dismiss": ("admin", []),
    "editor.job_failure_retry": ("admin", []),
    "editor.job_failure_dismiss": ("admin", []),
    "editor.section_create": ("admin", TAXONOMY_FIELDS),
    "editor.section_edit": ("admin", TAXONOMY_FIELDS),
    "editor.section_move": ("admin", []),
    "editor.section_delete": ("admin", ["move_to"]),
    "editor.topic_create": ("admin", TAXONOMY_FIELDS),
    "editor.topic_edit": ("admin", TAXONOMY_FIELDS),
    "editor.topic_delete": ("admin", []),
    "editor.front_pick": (
        "admin",
        ["article_id", "address", "until_date", "until_time", "pin", "make_lead"],
    ),
    "editor.front_pick_update": ("admin", ["position", "until_date", "until_time"]),
    "editor.front_pick_move": ("admin", []),
    "editor.front_pick_remove": ("admin", []),
    "editor.front_breaking": ("admin", ["text", "url", "until_date", "until_time"]),
    "editor.front_breaking_clear": ("admin", []),
    "editor.page_new": ("admin", PAGE_FIELDS),
    "editor.page_edit": ("admin", PAGE_FIELDS),
    "editor.page_delete": ("admin", []),
    "editor.article_revision_restore": ("admin", ["version"]),
    "editor.page_revision_restore": ("admin", ["version"]),
    "editor.user_create": ("admin", ["email", "display_name", "role", "access"]),
    "editor.user_edit": ("admin", ["role"]),
    "editor.user_deactivate": ("admin", []),
    "editor.user_reactivate": ("admin", []),
    "editor.user_invite": ("admin", []),
    "editor.user_password_reset": ("admin", []),
    "editor.settings_edit": (
        "admin",
        [
            "site_title",
            "tagline",
            "about",
            "share_prompt",
            "share_thanks",
            "moderation_policy",
            "block_list",
            "comments_close_after_days",
            "report_hide_threshold",
            "moderation_digest_minutes",
            "timezone",
            "audit_retention_days",
        ],
    ),  # fmt: skip
    "editor.menu_link_create": (
        "admin",
        ["menu", "kind", "section", "topic", "page", "url", "label"],
    ),
    "editor.menu_link_move": ("admin", []),
    "editor.menu_link_position": ("admin", ["position"]),
    "editor.menu_link_delete": ("admin", []),
    "comments.create": ("reader", ["name", "email", "body", "parent_id", "website"]),
    "comments.edit": ("reader", ["body"]),
    "comments.delete": ("reader", []),
    "comment_reports.create": ("reader", ["reason", "detail"]),
    "comments.confirm": ("anonymous", []),  # a comment's confirmation link: only a button
    "public.share": ("reader", []),
    "follow.site": ("reader", ["email", "cadence"]),
    "follow.section": ("reader", ["email", "cadence"]),
    "follow.topic": ("reader", ["email", "cadence"]),
    "follow.manage_request": ("reader", ["email"]),
    "follow.confirm": ("reader", []),
    "follow.manage": ("reader", ["action", "subscription", "cadence"]),
    "follow.unsubscribe": ("reader", ["List-Unsubscribe"]),  # a mail program's, no token
    "follow.undo": ("reader", ["undo"]),
}
# Values a field expects, so that some examples get past the first check.
GOOD = {
    "action": ["save", "preview", "upload", "submit", "publish", "schedule", "unpublish",
               "approve", "spam", "delete", "restore"],
    "bulk_action": ["approve", "spam", "delete", "restore"],
    "role": ["author", "editor", "admin"],
    "access": ["invite", "password"],
    "moderation_policy": ["none", "first", "all"],
    "timezone": ["UTC", "Europe/Paris"],
    "publish_date": ["2030-01-01", "1-1-1", "9999-12-31"],
    "publish_time": ["09:00", "25:61"],
    "until_date": ["2030-01-01", "1-1-1", "9999-12-31", "0001-01-01"],
    "until_time": ["09:00", "25:61"],
    "position": ["1", "2", "99"],
    "url": ["/about", "https://news.example/live", "javascript:alert(1)"],
    "email": ["someone@byline.test"],
    "menu": ["header", "footer"],
    "kind": ["section", "topic", "page", "url"],
    "correction_kind": ["correction", "update"],
    "reason": ["spam", "abuse", "off_topic", "other"],
    "cadence": ["each", "daily"],
    "List-Unsubscribe": ["One-Click"],
}  # fmt: skip
MEGABYTE = b"x" * 1_000_000
EXAMPLES = 20  # random payloads per form, on each engine
# Forms that answer every POST with a redirect (a flash message says what happened).
REDIRECTING = {
    "editor.logout", "editor.note_delete", "editor.section_move", "editor.topic_delete",
    "editor.user_deactivate", "editor.user_reactivate", "editor.user_invite",
    "editor.comment_moderate", "editor.comment_bulk", "editor.profile",
    "editor.mail_failure_retry", "editor.mail_failure_dismiss", "editor.job_failure_retry",
    "editor.job_failure_dismiss", "editor.front_pick_move", "editor.front_pick_remove",
    "editor.front_breaking_clear", "editor.menu_link_move", "editor.menu_link_delete",
    "editor.user_two_factor_reset", "editor.passkey_remove", "editor.passkey_rename",
    "editor.two_factor_start",
}  # fmt: skip
NASTY: list[bytes] = [
    b"",
    b"\x00",
    b"a\x00b" * 20,
    "\u202e\u200b\ufeff".encode(),
    b"\xed\xa0\x80",  # a lone surrogate, as UTF-8 bytes
    b"\xed\xb0\x80x\xed\xa0\x80",
    b"\xff\xfe\xfd",  # not UTF-8 at all
    b"\xc0\xaf",  # an overlong slash
    "\U0001f4a5".encode() * 100,
    b"\r\n" * 50,
    b"\x1b[31m\x07\x08",
    b"-1",
    b"0",
    b"1e309",
    b"NaN",
    b"9" * 40,
    b"<script>alert(1)</script>",
    b"' OR 1=1 --",
    b"%00%ff",
    b"\\",
    b"[](javascript:alert(1))",
]
UNICODE = st.text(st.characters(codec="utf-8"), max_size=300).map(str.encode)
VALUES = st.one_of(
    UNICODE,
    st.binary(max_size=64),
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: str(n).encode()),
)


def encode_body(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(
        quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs
    )


@st.composite
def payloads(draw, fields: list[str]) -> list[tuple[bytes, bytes]]:
    """Each field missing, once, or repeated; a good, hostile or random value; extras."""
    pairs = []
    for name in fields:
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
            if name in GOOD and draw(st.booleans()):
                value = draw(st.sampled_from(GOOD[name])).encode()
            else:
                value = draw(VALUES)
            pairs.append((name.encode(), value))
    pairs += draw(st.lists(st.tuples(UNICODE, VALUES), max_size=2))
    return pairs


@pytest.fixture
def desk(app, make_user, make_article, make_comment):
    """The objects the URLs name, and a client for each kind of sender."""
    admin = make_user(Role.ADMIN, name="Fuzzy Admin")
    target = make_user(Role.AUTHOR, name="Target Writer")
    article = make_article(author=target)
    draft = make_article(author=target, status=ArticleStatus.DRAFT)
    reader = app.test_client()
    posted = reader.post(
        f"/articles/{article.slug}/comments",
        data={"name": "Rosa", "body": "Mine.", "form_token": aged_token(article)},
        headers=ORIGIN,
    )
    assert posted.status_code == 303
    own_id = int(posted.headers["Location"].rsplit("comment-", 1)[1])
    # A comment on show, for the report form (the threshold 0: reports never hide it).
    shown = make_comment(article, "On show.")
    settings_service.save(report_hide_threshold=0)
    # A comment whose poster asked for replies, and the link mailed to confirm it.
    asking = make_comment(article, "Tell me.", author_email="asks@example.org", wants_replies=True)
    asker = subscribers.address(asking.author_email)
    confirm_link = subscribers.confirm_comment_url(asker, asking.id)
    db.session.commit()
    # A topic of the article to follow, and an address following the site (its one
    # subscription waiting) for the pages the mailed links open.
    ports = Topic(name="Ports", slug="ports")
    article.topics.append(ports)
    follower = subscribers.address("follows@example.org")
    waiting = Subscription(subscriber_id=follower.id, scope="site", list_key="site")
    db.session.add(waiting)
    db.session.commit()
    values = url_values(admin, target, draft, article, direction="up")
    follow_urls = {
        "follow.section": f"/follow/section/{article.section.slug}",
        "follow.topic": "/follow/topic/ports",
        "follow.confirm": subscribers.confirm_subscription_url(follower, waiting.id),
        "follow.manage": subscribers.manage_url(follower),
        "follow.unsubscribe": subscribers.unsubscribe_url(follower, "list", [waiting.id]),
    }
    tokens = {
        "comments.create": ("form_token", lambda: aged_token(article)),
        "comments.edit": ("form_token", lambda: formguard.issue_token("comment-edit", own_id)),
        "comments.delete": ("form_token", lambda: formguard.issue_token("comment-delete", own_id)),
        "comment_reports.create": (
            "form_token",
            lambda: formguard.issue_token("comment-report", shown.id),
        ),
        "public.share": ("token", lambda: formguard.issue_token("share", article.id)),
        "comments.confirm": (
            "form_token",
            lambda: formguard.issue_token("comment-confirm", asking.id),
        ),
        "follow.site": ("form_token", lambda: formguard.issue_token("follow", "site")),
        "follow.section": (
            "form_token",
            lambda: formguard.issue_token("follow", f"section:{article.section_id}"),
        ),
        "follow.topic": (
            "form_token",
            lambda: formguard.issue_token("follow", f"topic:{ports.id}"),
        ),
        "follow.manage_request": (
            "form_token",
            lambda: formguard.issue_token("follow-manage-request", 0),
        ),
        "follow.confirm": (
            "form_token",
            lambda: formguard.issue_token("follow-confirm", waiting.id),
        ),
        "follow.manage": (
            "form_token",
            lambda: formguard.issue_token("follow-manage", follower.id),
        ),
        "follow.undo": ("form_token", lambda: formguard.issue_token("follow-undo", follower.id)),
    }
    clients = {"admin": signed_in(app, admin), "anonymous": app.test_client(), "reader": reader}
    # An admin still without a chosen name, as `init` makes one: the welcome form is theirs.
    newcomer = make_user(Role.ADMIN, name="Site Admin", name_confirmed=False)
    clients["newcomer"] = signed_in(app, newcomer)
    printed = make_user(Role.AUTHOR, name="Pat Printed", must_change_password=True)
    clients["printed"] = signed_in(app, printed)
    awaiting = make_user(
        Role.AUTHOR, name="Tia Totp", totp_secret=pyotp.random_base32(), totp_enabled_at=utcnow()
    )
    clients["pending"] = signed_in(app, awaiting)  # at the code step, not signed in yet
    values |= {"comment_id:own": own_id, "comment_id:shown": shown.id}
    values |= {f"url:{endpoint}": url.removeprefix(SITE) for endpoint, url in follow_urls.items()}
    return values | {"token:comment-confirm": confirm_link.rsplit("/", 1)[1]}, tokens, clients


def form_url(app, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    own = {"comment_id": values["comment_id:own"]} if endpoint.startswith("comments.") else {}
    if endpoint == "comment_reports.create":
        own = {"comment_id": values["comment_id:shown"]}
    if endpoint == "comments.confirm":
        own = {"token": values["token:comment-confirm"]}
    if f"url:{endpoint}" in values:  # the follow pages' own section, topic and links
        return values[f"url:{endpoint}"]
    return rule_path(rule, values | own)


_address = iter(range(1, 10**9))


def post(app, desk, endpoint: str, body: bytes, content_type: str):
    values, _, clients = desk
    sender, _ = FORMS[endpoint]
    n = next(_address)
    response = clients[sender].post(
        form_url(app, endpoint, values),
        data=body,
        content_type=content_type,
        headers=ORIGIN,
        # A network of its own each time (limits per network count a /24 as one reader).
        environ_base={"REMOTE_ADDR": f"10.{n >> 16 & 255}.{n & 255}.{n >> 8 & 255}"},
    )
    assert response.status_code < 500, (endpoint, content_type, body[:300], response.status_code)
    return response


def send(app, desk, endpoint: str, pairs: list[tuple[bytes, bytes]]):
    _, tokens, _ = desk
    if endpoint in tokens:
        name, issue = tokens[endpoint]
        pairs = [(name.encode(), issue().encode()), *pairs]
    return post(app, desk, endpoint, encode_body(pairs), "application/x-www-form-urlencoded")


def send_files(app, desk, endpoint: str, fields: list[str]):
    """Multipart, with a file part in every field (the form's token, if any, as text)."""
    _, tokens, _ = desk
    parts = MultiDict(
        (name, FileStorage(io.BytesIO(b"text, as a file"), "field.txt", content_type="text/plain"))
        for name in fields
    )
    if endpoint in tokens:
        name, issue = tokens[endpoint]
        parts.add(name, issue())
    boundary, body = encode_multipart(parts)
    return post(app, desk, endpoint, body, f"multipart/form-data; boundary={boundary}")


def json_bodies(fields: list[str]) -> list[bytes]:
    """A number, a list, an object and null in every field; then a body that is no object."""
    shapes = ({name: 5 for name in fields}, {name: ["a", "b"] for name in fields})
    shapes += ({name: {"a": 1} if index % 2 else None for index, name in enumerate(fields)},)
    return [json.dumps(shape).encode() for shape in shapes] + [b"[1, 2]", b'"x"']


def test_every_form_is_fuzzed():
    app = create_app({"SECRET_KEY": "x"})
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posted == set(FORMS)


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_hostile_payloads_never_answer_500(app, desk, endpoint):
    """A file in every field, five JSON bodies, the fixed list in every field at once, a
    megabyte, 50 repeats, nothing at all; then random payloads. A form without fields
    gets a few, in a field it does not expect."""
    _, fields = FORMS[endpoint]
    nasty = NASTY if fields else NASTY[::5]
    # First, while no rate limit (per account, say) can stop them early.
    send_files(app, desk, endpoint, fields or ["unexpected"])
    for body in json_bodies(fields or ["unexpected"]):
        post(app, desk, endpoint, body, "application/json")
    statuses = []
    for value in nasty:
        pairs = [(name.encode(), value) for name in fields or ["unexpected"]]
        statuses.append(send(app, desk, endpoint, pairs).status_code)
    if fields:
        send(app, desk, endpoint, [(name.encode(), MEGABYTE) for name in fields[:3]])
        send(app, desk, endpoint, [(name.encode(), b"1") for name in fields for _ in range(50)])
    send(app, desk, endpoint, [])
    # The payloads reached the view: not all refused by the sign-in or permission checks.
    assert any(code not in (302, 401, 403) for code in statuses) or endpoint in REDIRECTING, (
        statuses
    )

    @settings(
        max_examples=EXAMPLES if fields else 4,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(payloads(fields))
    def run(pairs):
        send(app, desk, endpoint, pairs)

    run()
