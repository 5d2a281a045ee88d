"""The name an account shows readers: chosen on first sign-in when it was never given."""

from sqlalchemy.exc import IntegrityError

from blog.extensions import db
from blog.models import SlugKind, User
from blog.services import audit
from blog.services.slugs import keep_old_slug, unique_slug
from blog.services.users import UserRejected, checked_name


def needs_name(user: User) -> bool:
    """A signed-in account that still carries a name nobody chose (the first admin's)."""
    return user.is_authenticated and not user.name_confirmed


def choose_name(user: User, *, display_name: str, bio: str = "") -> User:
    """Confirm the name readers will see, checked as profile names are. The author page
    address follows the new name; the old one, if it changes, keeps leading there."""
    display_name = checked_name(display_name)
    slug = unique_slug(User, display_name, exclude_id=user.id, fallback="author")
    keep_old_slug(SlugKind.AUTHOR, user.id, user.slug, slug)
    previous = user.display_name
    user.slug = slug
    user.display_name = display_name
    user.bio = (bio or "").strip()
    user.name_confirmed = True
    audit.record(user, "user.name", audit.describe("user", user), previous=previous)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the address was taken a moment ago
        db.session.rollback()
        raise UserRejected("That name was taken a moment ago; please try again.") from exc
    return user
