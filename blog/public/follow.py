"""Following by e-mail, the reader's side: the forms that ask to follow the whole site
(/follow), a section or a topic, the page that says a link is on its way, and the form
that mails a link to manage one's subscriptions (/follow/manage). The pages the mailed
links open (/mail/...) are in blog/public/follow_links.py, on the same blueprint.

The forms are reader forms (blog.comments.guard): a signed token instead of a session, a
POST from this site, answers never cached. Whatever was asked, and whether or not a mail
went out, the answer is the same 303 to /follow/sent: no page says whether an address is
known. Each client network may send these forms FOLLOW_RATE_LIMIT times; over it, the
form comes back (429) with the address as typed.
"""

from flask import redirect, render_template, request, url_for
from wtforms import EmailField, RadioField, SelectChoice
from wtforms.validators import DataRequired, Length

from blog import formguard
from blog.comments.forms import ReaderForm
from blog.comments.guard import (
    check_post,
    from_another_site,
    reader_blueprint,
    refresh_token,
    refuse,
)
from blog.comments.views import wait_text
from blog.errors import render_error
from blog.extensions import limiter
from blog.forms import show_error
from blog.ratelimit import network_key, seconds_to_wait
from blog.services import subscriptions
from blog.services.subscriptions import BAD_ADDRESS, FollowList, SubscriptionRejected
from blog.text import clean_line
from blog.validators import MAX_EMAIL_LENGTH, EmailAddress

bp = reader_blueprint("follow", __name__)

FOLLOW_RATE_LIMIT = "10 per minute; 50 per day"  # every POST of these forms, per network
RATE_LIMITED_MESSAGE = (
    "This form has been sent many times from your network in a short time. Please wait "
    "{wait}, then send it again: your address is kept below."
)
FOLLOW_PAGES = {"follow.site", "follow.section", "follow.topic"}
# One count for all these forms: each is a way to have a mail sent.
follow_limit = limiter.shared_limit(
    FOLLOW_RATE_LIMIT,
    scope="follow",
    key_func=network_key,
    methods=["POST"],
    exempt_when=from_another_site,
    error_message=RATE_LIMITED_MESSAGE,
)
MANAGE_REQUEST = "follow-manage-request"


def email_field() -> EmailField:
    return EmailField(
        "Your e-mail address",
        id="follow-email",
        validators=[
            DataRequired("Give the address the mail should go to."),
            Length(max=MAX_EMAIL_LENGTH, message=f"At most {MAX_EMAIL_LENGTH} characters."),
            EmailAddress(BAD_ADDRESS),
        ],
        filters=[clean_line],
        render_kw={"maxlength": MAX_EMAIL_LENGTH, "autocomplete": "email", "required": True},
    )


class FollowForm(ReaderForm):
    email = email_field()
    cadence = RadioField(
        "How often",
        choices=[
            SelectChoice(key, words.capitalize())
            for key, words in subscriptions.CADENCE_WORDS.items()
        ],
        default="each",
        validate_choice=False,  # the service names the cadences it takes
    )


class ManageRequestForm(ReaderForm):
    email = email_field()


# ---------- Asking to follow ----------


def follow_page(listed: FollowList, form: FollowForm, message: str | None = None, status=200):
    body = render_template(
        "follow/subscribe.html",
        listed=listed,
        form=form,
        message=message,
        action=url_for(f".{listed.scope}", slug=listed.slug),
    )
    return body, status


def listed_or_404(scope: str, slug: str | None) -> FollowList:
    listed = subscriptions.followable(scope, slug)
    if listed is None:
        refuse(404)
    return listed


@bp.route("/follow", methods=["GET", "POST"], endpoint="site", defaults={"scope": "site"})
@bp.route(
    "/follow/section/<slug:slug>",
    methods=["GET", "POST"],
    endpoint="section",
    defaults={"scope": "section"},
)
@bp.route(
    "/follow/topic/<slug:slug>",
    methods=["GET", "POST"],
    endpoint="topic",
    defaults={"scope": "topic"},
)
@follow_limit
def subscribe(scope: str, slug: str | None = None):
    listed = listed_or_404(scope, slug)
    if request.method == "GET":
        form = FollowForm(formdata=None)
        refresh_token(form, "follow", listed.key)
        return follow_page(listed, form)
    form = FollowForm()
    try:
        check_post("follow", listed.key)
    except formguard.FormRejected as exc:
        refresh_token(form, "follow", listed.key)
        return follow_page(listed, form, str(exc), 400)
    if not form.validate():
        return follow_page(listed, form, status=400)
    try:
        subscriptions.subscribe(
            form.email.data, listed.scope, listed.target_id, form.cadence.data or "",
            client=network_key(),
        )  # fmt: skip
    except SubscriptionRejected as exc:
        show_error(form, exc)
        return follow_page(listed, form, status=400)
    return redirect(url_for(".sent"), code=303)


@bp.get("/follow/sent")
def sent():
    """The same answer to every request: a link may be on its way to the address given."""
    about = "manage" if request.args.get("about") == "manage" else "follow"
    return render_template("follow/sent.html", about=about)


# ---------- A link to manage one's subscriptions ----------


def manage_request_page(form: ManageRequestForm, message: str | None = None, status: int = 200):
    return render_template("follow/manage_request.html", form=form, message=message), status


@bp.route("/follow/manage", methods=["GET", "POST"], endpoint="manage_request")
@follow_limit
def manage_request():
    if request.method == "GET":
        form = ManageRequestForm(formdata=None)
        refresh_token(form, MANAGE_REQUEST, 0)
        return manage_request_page(form)
    form = ManageRequestForm()
    try:
        check_post(MANAGE_REQUEST, 0)
    except formguard.FormRejected as exc:
        refresh_token(form, MANAGE_REQUEST, 0)
        return manage_request_page(form, str(exc), 400)
    if not form.validate():
        return manage_request_page(form, status=400)
    try:
        subscriptions.ask_for_manage_link(form.email.data, client=network_key())
    except SubscriptionRejected as exc:
        show_error(form, exc)
        return manage_request_page(form, status=400)
    return redirect(url_for(".sent", about="manage"), code=303)


@bp.errorhandler(429)
def rate_limited(error):
    """Over the limit: the form again with the address as typed, and how long to wait."""
    wait = seconds_to_wait()
    message = RATE_LIMITED_MESSAGE.format(wait=wait_text(wait))
    headers = {"Retry-After": str(wait)}
    if request.endpoint in FOLLOW_PAGES:
        args = request.view_args or {}
        listed = subscriptions.followable(args.get("scope", ""), args.get("slug"))
        if listed is not None:
            form = FollowForm()
            refresh_token(form, "follow", listed.key)
            body, status = follow_page(listed, form, message, 429)
            return body, status, headers
    if request.endpoint == "follow.manage_request":
        form = ManageRequestForm()
        refresh_token(form, MANAGE_REQUEST, 0)
        body, status = manage_request_page(form, message, 429)
        return body, status, headers
    return render_error(429)
