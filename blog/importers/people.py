"""An export's people as Byline accounts: each invited, or matched to an existing one.

An account with the same e-mail address is used as it is. Everyone else gets an account
with their name, bio and old author slug (when free) and no password, invited by e-mail
in the same commit; one suspended on the old site comes across deactivated, uninvited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from blog.importers.records import Entry, Person
from blog.importers.report import Author
from blog.rendering import plain_text
from blog.services import users
from blog.templating import external_url

if TYPE_CHECKING:
    from blog.importers.loader import Loader

MAX_BIO = 2000


class PeopleLoader:
    def __init__(self, loader: Loader):
        self.loader = loader
        self.report = loader.report

    def person(self, person: Person) -> None:
        if self.loader.imported("author", person.source_id):
            self.report.count("author", "unchanged")
            return
        with self.loader.item(f"author {person.display_name}"):
            user = users.find_by_email(person.email) if person.email else None
            if user is not None:
                self.report.count("author", "unchanged")
                self.report.problem(
                    "author", person.display_name, f"matched the account {user.email}"
                )
            else:
                try:
                    user, token = users.invite_imported(
                        person.email,
                        person.display_name,
                        person.role,
                        slug_hint=person.slug,
                        active=person.active,
                    )
                except users.UserRejected as error:
                    fallback = self.loader.fallback_author.display_name
                    self.report.skip(
                        "author",
                        person.display_name or person.source_id,
                        f"{error.message} Their posts go to {fallback}.",
                    )
                    return
                user.bio = plain_text(person.bio)[:MAX_BIO]
                self.report.count("author", "imported")
                invitation, link = self.invitation(token)
                self.report.authors.append(
                    Author(user.display_name, user.email, user.role.value, invitation, link)
                )
            self.loader.remember("author", person.source_id, user.id)
            self.loader.old_paths(person.old_paths, user)

    def invitation(self, token: str | None) -> tuple[str, str]:
        """What became of an author's invitation, and its link (for the report file)."""
        if token is None:
            return "suspended on the old site: deactivated here, not invited", ""
        if self.loader.options.dry_run:
            return "would be invited by e-mail", ""
        if not current_app.config.get("SITE_URL") and not current_app.config.get("SERVER_NAME"):
            return (
                "not e-mailed (SITE_URL is not set); an admin can send the invitation from "
                "Editor › People",
                "",
            )
        link = external_url("editor.invite_accept", token=token)
        return "(e-mailed; the link is also in the report file)", link

    def author_ids(self, entry: Entry, limit: int = 1) -> list[int]:
        """Who the entry credits here, in order: its first `limit` authors (an article
        credits several, a page one), or the fallback author when none came across."""
        found = [self.loader.imported("author", source_id) for source_id in entry.author_ids]
        ids = list(dict.fromkeys(i for i in found if i))
        if not ids:
            self.report.problem(
                entry.kind.value,
                entry.title,
                f"author unknown: credited to {self.loader.fallback_author.display_name}",
            )
            return [self.loader.fallback_author.id]
        if len(ids) > limit:
            credited = "the first is credited" if limit == 1 else f"the first {limit} are credited"
            self.report.problem(entry.kind.value, entry.title, f"{len(ids)} authors: {credited}")
        return ids[:limit]
