"""What an account shows readers: its name, chosen on first sign-in when it was never
given, and its own profile (name, bio, author page address, avatar)."""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from blog.extensions import db
from blog.models import SlugKind, User
from blog.services import audit, uploads
from blog.services.slugs import (
    MAX_SLUG_LENGTH,
    is_old_slug_of_another,
    is_slug_in_use,
    keep_old_slug,
    unique_slug,
)
from blog.services.taxonomy import SLUG_PATTERN
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


@dataclass
class AvatarFile:
    data: bytes
    filename: str = ""


def update_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    slug: str | None = None,
    avatar: AvatarFile | None = None,
    remove_avatar: bool = False,
) -> User:
    """Name, bio, author page address and avatar. The address changes only when typed.

    Raises UserRejected, or uploads.UploadRejected (beside the form's avatar_file) for an
    avatar that is not a usable image; nothing of a refused change is kept.
    """
    display_name = checked_name(display_name)
    slug = (slug or "").strip().lower() or user.slug
    if slug != user.slug:
        if len(slug) > MAX_SLUG_LENGTH or not SLUG_PATTERN.fullmatch(slug):
            raise UserRejected(
                "Use only lower-case letters, digits and single hyphens between them.",
                field="slug",
            )
        if is_slug_in_use(User, slug, owner_id=user.id):
            raise UserRejected(f"The address “{slug}” is already someone's.", field="slug")
        if is_old_slug_of_another(User, slug, owner_id=user.id):
            raise UserRejected(
                f"The address “{slug}” still leads to the person who used to have it.",
                field="slug",
            )
        keep_old_slug(SlugKind.AUTHOR, user.id, user.slug, slug)
        user.slug = slug
    if avatar is not None:
        try:
            user.avatar = uploads.store_image(
                avatar.data, avatar.filename, uploaded_by_id=user.id, field="avatar_file"
            )
        except uploads.UploadRejected:
            db.session.rollback()  # the new address with it
            raise
    elif remove_avatar:
        user.avatar = None
    user.display_name = display_name
    user.bio = (bio or "").strip()
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise UserRejected("That address was taken a moment ago.", field="slug") from exc
    return user
