"""Why a reader's comment waits for a moderator: the names of the holds
(`Comment.held_reason`), what the queue and the poster are told, and the time-to-submit
check. The rules that choose a hold are in blog.services.comments (hold_reason)."""

from blog.models import Comment, CommentStatus
from blog.services import settings

MAX_LINKS = 2  # more than this and a comment waits for a moderator
# A person needs a few seconds to write, and a form kept for more than a day may be a
# replay; but a fast typist or an old tab is a person too, so either only holds the
# comment (the honeypot alone files spam silently). The form token is stamped in whole
# seconds, so the measured time can be up to a second longer than the real one.
MIN_SECONDS_TO_SUBMIT = 3
MAX_SECONDS_TO_SUBMIT = 24 * 3600
# The hold blog.services.comment_reports sets when enough readers report an approved comment.
REPORTED = "reported"

# Each hold, as the moderation queue names it.
HELD_REASONS = {
    "quick": "Sent within seconds of the page loading",
    "stale": "Sent from a page opened more than a day earlier",
    "staff_email": "A reader's comment under a newsroom e-mail address",
    "links": f"More than {MAX_LINKS} links",
    "blocked": "A word on the block list",
    "policy": "The site holds every comment",
    "first_time": "A first comment under this e-mail address, or from a new device",
    REPORTED: "Hidden after readers' reports",
}
# Holds for how the form was sent rather than for its text: an edit does not lift them.
SENDING_HOLDS = frozenset({"quick", "stale"})
# Nor does it lift readers' reports: only a moderator does.
KEPT_THROUGH_EDITS = SENDING_HOLDS | {REPORTED}

_WAITS = "so an editor will read it before it appears."
# What the poster reads under their held comment. A hold not listed ("blocked",
# "staff_email") is not named: naming it would teach a spammer which word to misspell, or
# tell anyone whether an address is the newsroom's. Its poster reads what the site's
# policy says of any comment (POLICY_HOLDS), as a held comment under another address would.
POSTER_NOTES = {
    "quick": f"It was sent very soon after the page loaded, {_WAITS}",
    "stale": f"It was sent from a page opened more than a day ago, {_WAITS}",
    "links": f"It has more than {MAX_LINKS} links, {_WAITS}",
    "policy": "Every comment is read by an editor before it appears.",
    "first_time": "A first comment is read by an editor before it appears.",
    REPORTED: "Readers reported it, so an editor will read it before it appears again.",
}
# The hold each moderation policy puts on a comment ("none" holds none).
POLICY_HOLDS = {"all": "policy", "first_time": "first_time"}


def sending_hold(seconds_to_submit: float | None) -> str:
    """ "quick" or "stale" when the form came back too soon or too late, else ""
    (also when the time was not measured: None)."""
    if seconds_to_submit is None:
        return ""
    if seconds_to_submit < MIN_SECONDS_TO_SUBMIT:
        return "quick"
    if seconds_to_submit > MAX_SECONDS_TO_SUBMIT:
        return "stale"
    return ""


def poster_note(comment: Comment) -> str:
    """Why the poster's own held comment waits, in words for them ("" to say no more).
    A hold not named, and spam the honeypot caught, get the site policy's note: they look
    like any held comment."""
    if comment.status not in (CommentStatus.PENDING, CommentStatus.SPAM):
        return ""
    if comment.status == CommentStatus.PENDING and comment.held_reason in POSTER_NOTES:
        return POSTER_NOTES[comment.held_reason]
    policy_hold = POLICY_HOLDS.get(settings.load().moderation_policy, "")
    return POSTER_NOTES.get(policy_hold, "")
