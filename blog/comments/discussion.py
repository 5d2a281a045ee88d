"""The comments section of the article page: a page of the thread and the comment form,
as this reader sees them.

The article page and the comment POSTs that show it again build it with
`build_discussion`, pass it to the template as `discussion`, and answer with
`Discussion.respond`, which marks a page that shows the reader's own comments (or a staff
form) as private and lets the device learn that its comments were approved.
"""

from dataclasses import dataclass
from functools import cached_property

from flask import make_response, request, url_for
from flask.wrappers import Response
from flask_login import current_user

from blog import formguard, fragments
from blog.comments import ownership, trust
from blog.comments.forms import CommentForm
from blog.domain import NotFound
from blog.models import Article, Comment, CommentStatus
from blog.pagination import parse_page
from blog.services import comment_holds, comment_threads, comments, reply_notices, settings
from blog.services.comment_threads import ThreadPage
from blog.services.comments import CommentRejected

NEWEST = "newest"  # ?sort= for newest first; oldest first is the default and has no value
# "Jump to comments" at the top of an article this long, or with this many comments.
JUMP_MIN_READING_MINUTES = 5
JUMP_MIN_COMMENTS = 20


@dataclass
class Discussion:
    """What the article page's comments section shows to this reader."""

    article: Article
    thread: ThreadPage
    is_open: bool
    form: CommentForm | None
    message: str | None
    reply_to: Comment | None
    own: dict[int, int]
    is_staff_viewer: bool  # signed in: comments under their profile, with a staff badge
    policy: str  # the site's moderation policy, for the note under the form
    edit_window: str  # how long a poster may change their comment, in words
    is_newest_first: bool = False  # ?sort=newest: top-level comments newest first
    # The fragment (blog/fragments.py) the page of the thread is kept as, for a reader with
    # no comments of their own on show; None when it is rendered each time.
    thread_key: str | None = None

    @property
    def is_personal(self) -> bool:
        """The page shows this reader's own held comments or a staff form: no shared cache."""
        return bool(self.own) or self.is_staff_viewer

    @property
    def learns_approvals(self) -> bool:
        """A reader with comments of their own: those approved since may trust the device."""
        return bool(self.own) and not self.is_staff_viewer

    def respond(self, body: str, status: int = 200) -> Response:
        """The response for a page that shows this section, made right for this reader."""
        response = make_response(body, status)
        if self.is_personal:
            response.headers["Cache-Control"] = "private, no-store"
            response.vary.add("Cookie")
        if self.learns_approvals:
            trust.learn_approvals(response)
        return response

    def can_change(self, comment: Comment) -> bool:
        return (
            comment.id in self.own
            and comment.status != CommentStatus.DELETED
            and comments.within_edit_window(comment)
        )

    def held_note(self, comment: Comment) -> str:
        """Why this reader's own held comment waits, and what a link mailed for it does,
        for the note under it ("" for none)."""
        notes = (comment_holds.poster_note(comment), reply_notices.poster_note(comment))
        return " ".join(note for note in notes if note)

    def page_url(self, page: int, **values) -> str:
        """A page of this thread in the reader's sort."""
        return url_for(
            "public.article",
            slug=self.article.slug,
            comments=page if page > 1 else None,
            sort=NEWEST if self.is_newest_first else None,
            **values,
        )

    def sort_url(self, newest_first: bool) -> str:
        """The thread's first page in this order."""
        return url_for(
            "public.article",
            slug=self.article.slug,
            sort=NEWEST if newest_first else None,
            _anchor="comments",
        )

    @property
    def offers_sort(self) -> bool:
        return self.thread.roots > 1

    @property
    def offers_jump(self) -> bool:
        """A long read, or a long thread, gets a "Jump to comments" link at the top."""
        article = self.article
        is_long = (
            article.reading_minutes >= JUMP_MIN_READING_MINUTES
            or article.comment_count >= JUMP_MIN_COMMENTS
        )
        return is_long and (article.comment_count > 0 or self.is_open)

    @cached_property
    def _reply_base(self) -> str:
        return self.page_url(self.thread.page, reply=0, _anchor="comment-form")

    def reply_url(self, comment_id: int) -> str:
        """The reply link of a comment: built once per page, not once per comment."""
        return self._reply_base.replace("reply=0#", f"reply={int(comment_id)}#", 1)


def thread_page_number() -> int:
    """?comments=N on the article page; 1 after a POST. NotFound unless a positive integer."""
    if request.method != "GET":
        return 1
    number = parse_page(request.args.get("comments"))
    if number is None:
        raise NotFound("No such page of comments.")
    return number


def is_newest_first() -> bool:
    """?sort=newest on the article page; anything else (or a POST) is oldest first."""
    return request.method == "GET" and request.args.get("sort") == NEWEST


def new_comment_form(article: Article) -> CommentForm:
    form = CommentForm(formdata=None)
    if current_user.is_authenticated:
        form.for_staff()
    form.form_token.data = formguard.issue_token("comment", article.id)
    reply = request.args.get("reply", "")
    if reply.isascii() and reply.isdigit() and len(reply) <= 9:
        form.parent_id.data = reply
    return form


def reply_target(article: Article, form: CommentForm) -> Comment | None:
    """The comment the form replies to, if the reader may reply to it; else the form
    forgets it."""
    raw = form.parent_id.data or ""
    if not (raw.isascii() and raw.isdigit()) or form.parent_id.errors:
        return None
    try:
        return comments.replied_comment(article, int(raw))
    except CommentRejected:
        form.parent_id.data = ""
        return None


def build_discussion(
    article: Article, form: CommentForm | None = None, message: str | None = None
) -> Discussion:
    """The comments section for this request: a page of the thread and, while comments
    are open, the form (`form` as sent, with `message` above it, or a new one).
    NotFound for a page of comments past the end."""
    own = ownership.owned()
    newest_first = is_newest_first()
    page = thread_page_number()
    is_open = comments.comments_open(article)
    thread_key = None
    if not own and fragments.in_use():
        thread_key = fragments.key("thread", article.id, page, newest_first, is_open)
    if thread_key and fragments.prefetch(thread_key):
        thread = ThreadPage([], page, page)  # kept as shown: only its number is read
    else:
        thread = comment_threads.thread_page(article, page, own, newest_first=newest_first)
    if thread is None:
        raise NotFound("No such page of comments.")
    if is_open and form is None:
        form = new_comment_form(article)
    return Discussion(
        article=article,
        thread=thread,
        is_open=is_open,
        form=form,
        message=message,
        reply_to=reply_target(article, form) if is_open and form else None,
        own=own,
        is_staff_viewer=current_user.is_authenticated,
        policy=settings.load().moderation_policy,
        edit_window=comments.edit_window_text(),
        is_newest_first=newest_first,
        thread_key=thread_key,
    )
