"""The trusted-commenter cookie: this device had a comment approved under an e-mail address.

Under the "first_time" policy a reader's comment is published at once only when the
device that sends it proves that an earlier comment under the same address was approved.
The proof is a long-lived signed cookie listing keyed digests of such addresses
(blog.services.commenters.email_digest; never the addresses). A device earns a digest
when one of the comments its ownership cookie lists (blog.comments.ownership) is
approved: at once when posted, or later by a moderator, learnt the next time the device
posts a comment or opens an article page; or when, on this device, its owner follows the
link mailed to the address for a comment (blog.services.reply_notices) while a comment
under it is approved. Staff addresses earn nothing.

Only the comment POSTs read the cookie. The page cache does not look at it, so it never
makes a page uncacheable, and nothing on a GET depends on it.
"""

from flask import current_app, request
from flask.wrappers import Response
from itsdangerous import BadData, URLSafeTimedSerializer

from blog.comments import ownership
from blog.services import commenters
from blog.services.commenters import Proofs

COOKIE_NAME = "byline_trusted"
SALT = "byline-trusted-commenter"
REMEMBER_FOR = 180 * 24 * 3600  # seconds; each comment published under it renews it
MAX_ADDRESSES = 5  # a shared family computer, a work and a home address


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _read() -> list[str]:
    """The digests this request's cookie carries, oldest first; none if it is not ours."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        digests = _serializer().loads(raw, max_age=REMEMBER_FOR)
    except BadData:
        return []
    if not isinstance(digests, list):
        return []
    return [d for d in digests if isinstance(d, str)][-MAX_ADDRESSES:]


def proofs() -> Proofs:
    """What this device proves: its cookie, and comments it owns that are now approved."""
    earned = commenters.earned_digests(ownership.owned())
    return Proofs(device_digests=frozenset(_read()) | earned)


def remember(response: Response, comment_ids, *, renew: bool = False) -> None:
    """Add the addresses these comments (the device's own) earned to the cookie; write it
    when that adds one, or when `renew` asks for a fresh lifetime."""
    known = _read()
    earned = commenters.earned_digests(comment_ids)
    added = [digest for digest in sorted(earned) if digest not in known]
    if not added and not (renew and earned):
        return
    _write(response, [d for d in known if d not in earned] + sorted(earned))


def remember_digest(response: Response, digest: str) -> None:
    """Add an address its owner proved from this device by following the link mailed for
    their comment (blog.services.reply_notices, which gives the digest only for an address
    with an approved comment); a fresh lifetime for the cookie."""
    if digest:
        _write(response, [d for d in _read() if d != digest] + [digest])


def _write(response: Response, digests: list[str]) -> None:
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps(digests[-MAX_ADDRESSES:]),
        max_age=REMEMBER_FOR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def learn_approvals(response: Response) -> Response:
    """After a page for a reader with comments of their own: those a moderator has approved
    since make this device trusted for their addresses."""
    remember(response, ownership.owned())
    return response
