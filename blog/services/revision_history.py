"""The revisions of one article or page as the newsroom reaches them: the list, a
comparison of two, and restoring one, each revision named by its id within the article or
page (the numbers shown are counted when drawn, so a revision thinned meanwhile never
makes another stand in for it). Whoever may edit the article (a page: whoever may manage
pages) may do all three; others get NotFound or NotAllowed as on the editor page."""

from __future__ import annotations

from dataclasses import dataclass

from blog.domain import DomainError
from blog.models import Article, Page, User
from blog.models.revisions import Revision
from blog.pagination import Page as ListPage
from blog.services import pages, publishing, revision_diff, revisions
from blog.services.publishing import ArticleChanges
from blog.services.revisions import Listed

ARTICLE_CONFLICT = (
    "Someone saved this article after you opened its revisions, so nothing was restored. "
    "Look at the revisions again (the newest is theirs) and restore if you still want to."
)
PAGE_CONFLICT = ARTICLE_CONFLICT.replace("article", "page")


class RestoreConflict(DomainError):
    """Someone saved the target after the restore began: nothing was restored."""


@dataclass(frozen=True)
class Listing:
    item: Article | Page
    listed: ListPage[Listed]
    newest_id: int | None  # the target's newest revision, whichever page is shown


@dataclass(frozen=True)
class Compared:
    """Two revisions, older first, with the numbers they are shown by."""

    a: int
    b: int
    old: Revision
    new: Revision
    comparison: revision_diff.Comparison


def target(kind: str, target_id: int, actor: User) -> Article | Page:
    """The article or page, checked as its editor page checks it."""
    if kind == "article":
        return publishing.editable_article(target_id, actor)
    return pages.editable_page(target_id, actor)


def listing(kind: str, target_id: int, actor: User, page: int = 1) -> Listing:
    """The target and one page of its revisions, newest first."""
    found = target(kind, target_id, actor)
    listed = revisions.listing(found, page)
    newest_id = listed.items[0].revision.id if page == 1 and listed.items else None
    if newest_id is None and listed.items:
        newest_id = revisions.counted(found)[1]
    return Listing(item=found, listed=listed, newest_id=newest_id)


def revision_count(item: Article | Page) -> int:
    """For the editor page's link; the caller already may edit the item."""
    return revisions.count(item)


def compare(kind: str, target_id: int, actor: User, a: int, b: int) -> tuple:
    """(the target, the comparison of its revisions with ids a and b, older first)."""
    found = target(kind, target_id, actor)
    a, b = sorted((a, b))
    old, new = revisions.by_id(found, a), revisions.by_id(found, b)
    numbers = revisions.numbers_of(found, {a, b})
    return found, Compared(
        a=numbers[a],
        b=numbers[b],
        old=old,
        new=new,
        comparison=revision_diff.compare(old, new),
    )


def restore(kind: str, target_id: int, revision_id: int, *, actor: User, expected_version: int):
    """Save the fields of the target's revision `revision_id` over it through its save
    service, status and address unchanged, as a new revision of kind "restore". Returns
    (the target, what was left out, the number the restored revision was shown by).
    RestoreConflict when someone saved after `expected_version`."""
    found = target(kind, target_id, actor)
    revision = revisions.by_id(found, revision_id)
    number = revisions.number_of(found, revision)
    chosen = revisions.restorable(revision)
    revisions.check_changes_something(found, chosen.snapshot, number)
    old = chosen.snapshot
    try:
        if isinstance(found, Article):
            publishing.update_article(
                found,
                ArticleChanges(
                    title=old.title,
                    body=old.body_md,
                    brief=old.brief,
                    slug=found.slug,
                    section_id=old.section_id,
                    topic_ids=list(old.topic_ids),
                    cover_id=old.cover_id,
                    cover_alt=old.cover_alt,
                    cover_caption=old.cover_caption,
                    comments_open=found.comments_open,
                ),
                actor=actor,
                expected_version=expected_version,
                restored_from=revision.id,
            )
        else:
            pages.save_page(
                found,
                pages.PageChanges(
                    title=old.title,
                    slug=found.slug,
                    summary=old.brief,
                    body=old.body_md,
                    cover_id=old.cover_id,
                    cover_alt=old.cover_alt,
                    cover_caption=old.cover_caption,
                    show_byline=found.show_byline,
                    show_updated=found.show_updated,
                ),
                actor=actor,
                expected_version=expected_version,
                restored_from=revision.id,
            )
    except publishing.EditConflict:
        raise RestoreConflict(ARTICLE_CONFLICT if kind == "article" else PAGE_CONFLICT) from None
    return found, chosen.left_out, number
