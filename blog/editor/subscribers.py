"""The editors' page of readers who follow by e-mail: counts per list, followed comment
threads and the latest mailings; never an address."""

from flask import render_template
from flask_login import current_user

from blog.editor.access import requires
from blog.editor.blueprint import bp
from blog.permissions import can_read_follower_counts
from blog.services import follower_counts


@bp.get("/subscribers")
@requires(can_read_follower_counts)
def subscribers():
    followers = follower_counts.overview(current_user._get_current_object())
    return render_template("editor/subscribers.html", followers=followers)
