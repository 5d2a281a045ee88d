"""One-click moderation from a moderator's e-mail: approve a held comment or mark it as
spam. Opening the link shows the comment and asks for confirmation; the button acts.

No sign-in is needed: the signed link is the permission, for one comment and one action,
while the comment waits in the queue and for a week at most. The page shows what the
queue shows of the comment but the reader's e-mail address, since a link can be forwarded.
"""

from flask import render_template

from blog.editor.blueprint import bp
from blog.editor.forms import ActionForm
from blog.links import LinkExpired, LinkRejected
from blog.services import notifications
from blog.services.moderation import ModerationAction
from blog.services.notifications import LinkUsed

ACTION_WORDS = {
    ModerationAction.APPROVE: ("Approve", "Approved: the comment is on the article now."),
    ModerationAction.SPAM: ("Mark as spam", "Marked as spam: the comment stays hidden."),
}


def refused(error: LinkRejected | LinkUsed):
    """The page for a link that cannot act: 410 once it has expired or been used (it was
    genuine), 400 when it was never ours."""
    status = 410 if isinstance(error, LinkExpired | LinkUsed) else 400
    return render_template("editor/mail_action.html", error=error.message), status


@bp.route("/mail-action/<token>", methods=["GET", "POST"])
def mail_action(token: str):
    form = ActionForm()
    try:
        if form.validate_on_submit():
            comment, action = notifications.moderate_by_link(token)
            done = True
        else:
            comment, action = notifications.linked_comment(token)
            done = False
    except (LinkRejected, LinkUsed) as error:
        return refused(error)
    label, outcome = ACTION_WORDS[action]
    return render_template(
        "editor/mail_action.html",
        comment=comment,
        action=action,
        label=label,
        outcome=outcome if done else None,
        form=form,
        error=None,
    )
