"""Every table's inserts, updates and deletes retire the cached pages its model declares:
the whole site, one article's discussion, or none."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import ForeignKey, delete, insert, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    AuditEntry,
    Comment,
    CommentReport,
    CommentStatus,
    Correction,
    CorrectionKind,
    EditorComment,
    FrontPagePick,
    ImportedItem,
    JobFailure,
    JobMark,
    Mailing,
    MenuLink,
    MenuLinkKind,
    MenuName,
    OldSlug,
    OldUrl,
    OutboxMessage,
    Passkey,
    RecoveryCode,
    Revision,
    Section,
    ShareReceipt,
    ShareTally,
    SiteSetting,
    SlugKind,
    Subscriber,
    Subscription,
    ThreadFollow,
    Topic,
    Upload,
    User,
    article_topics,
)
from blog.models.base import utcnow
from blog.models.pages import Page as StaticPage
from blog.models.pages import PageStatus
from blog.models.reach import PublicReach, Reach, UndeclaredReach, read_declarations
from blog.services import audit, counters, curation, pages, shares, users
from tests.test_pagecache import cached_twice

HOME, STORY = "/", "/articles/harbour"
SITE, ARTICLE, NOTHING = "site", "article", "nothing"
# The cached pages each kind of change must retire.
RETIRED = {SITE: {HOME, STORY}, ARTICLE: {STORY}, NOTHING: set()}


@pytest.fixture
def world(make_article, make_comment, make_section, make_topic, make_user, editor):
    """A published story with a cover, a topic, a comment, an editor's note, an old
    address, an imported site's old address and a share; a spare section, a draft and a
    user who wrote nothing."""
    w = SimpleNamespace(editor=editor, idle=make_user(name="Idle Account"))
    w.cover = Upload(path="2025/06/harbour.jpg", content_type="image/jpeg", width=800, height=600)
    w.topic = make_topic("Ports", slug="ports")
    w.story = make_article("The harbour reopens", slug="harbour", topics=[w.topic], cover=w.cover)
    w.draft = make_article("Work in progress", slug="wip", status=ArticleStatus.DRAFT)
    w.section = make_section("Spare", slug="spare")
    w.comment = make_comment(w.story, "Ferries at last!")
    w.note = new_note(w)
    w.old_slug = OldSlug(kind=SlugKind.ARTICLE, slug="harbour-closed", target_id=w.story.id)
    w.old_url = OldUrl(path="/2025/06/01/harbour", article_id=w.story.id)
    w.setting = SiteSetting(key="site_title", value="The Harbour Post")
    w.tally = ShareTally(article_id=w.story.id, network="x", day=date.today(), count=1)
    w.receipt = new_receipt(w, "reader-1")
    w.page, w.draft_page = new_page(w), new_page(w, PageStatus.DRAFT)
    db.session.add_all([w.page, w.draft_page])
    db.session.add_all([w.note, w.old_slug, w.old_url, w.setting, w.tally, w.receipt])
    w.pick = FrontPagePick(article_id=w.story.id, position=1)
    db.session.add(w.pick)
    db.session.commit()
    return w


# New rows, made from the world.


def new_article(w, status=ArticleStatus.PUBLISHED) -> Article:
    published_at = utcnow() - timedelta(minutes=1) if status == ArticleStatus.PUBLISHED else None
    return Article(
        title="Cranes return",
        slug="cranes",
        author=w.story.author,
        status=status,
        published_at=published_at,
    )


def new_comment(w, status=CommentStatus.APPROVED) -> Comment:
    comment = Comment(article_id=w.story.id, author_name="Rosa Reader", status=status)
    comment.set_body("Open at last.")
    return comment


def new_note(w) -> EditorComment:
    note = EditorComment(article_id=w.story.id, editor_id=w.editor.id)
    note.set_body("Updated with a statement from the port.")
    return note


def new_receipt(w, client_key: str = "reader-3") -> ShareReceipt:
    return ShareReceipt(article_id=w.story.id, network="x", day=date.today(), client_key=client_key)


def new_user(w) -> User:
    return User(email="new@byline.test", display_name="New Writer", slug="new-writer")


def new_upload(w) -> Upload:
    return Upload(path="2025/06/new.jpg", content_type="image/jpeg")


def new_correction(w) -> Correction:
    correction = Correction(
        article_id=w.story.id, kind=CorrectionKind.CORRECTION, editor_id=w.editor.id
    )
    correction.set_body("An earlier version named the wrong ferry.")
    return correction


def new_report(w) -> CommentReport:
    return CommentReport(comment_id=w.comment.id, reporter_key="k" * 64, reason="spam")


def new_revision(w) -> Revision:
    return Revision(article_id=w.story.id, title="The harbour reopens", editor_id=w.editor.id)


def new_recovery_code(w) -> RecoveryCode:
    return RecoveryCode(user_id=w.editor.id, code_hash="a" * 64)


def new_passkey(w) -> Passkey:
    return Passkey(user_id=w.editor.id, credential_id="abc", public_key=b"key", name="Laptop")


def credit_idle(w) -> None:
    w.story.coauthors.append(w.idle)


def credited(step: Callable) -> Callable:
    """Credit a co-author first, then change or remove the credit."""

    def action(w) -> None:
        credit_idle(w)
        db.session.commit()
        step(w)

    return action


def new_setting(w) -> SiteSetting:
    return SiteSetting(key="tagline", value="News from the quay.")


def new_old_slug(w) -> OldSlug:
    return OldSlug(kind=SlugKind.TOPIC, slug="docks", target_id=w.topic.id)


def new_old_url(w) -> OldUrl:
    return OldUrl(path="/?cat=3", section_id=w.section.id)


def new_imported_item(w) -> ImportedItem:
    return ImportedItem(source="ghost", kind="article", source_id="6f1e", target_id=w.story.id)


def new_message(w) -> OutboxMessage:
    return OutboxMessage(
        message_id="<1@byline.test>",
        kind="editor_note",
        recipient="ada@byline.test",
        subject="Your article",
        body_text="Hello",
        body_html="<p>Hello</p>",
    )


def new_pick(w) -> FrontPagePick:
    return FrontPagePick(article_id=w.draft.id, position=2)


def new_link(w) -> MenuLink:
    return MenuLink(menu=MenuName.HEADER, kind=MenuLinkKind.SECTION, section_id=w.section.id)


def new_mark(w) -> JobMark:
    return JobMark(name="worker", at=utcnow())


def new_failure(w) -> JobFailure:
    return JobFailure(job="send_outbox", error="OSError: down")


def new_subscriber(w) -> Subscriber:
    return Subscriber(email="Rosa@Readers.example", email_key="rosa@readers.example")


def new_subscription(w) -> Subscription:
    key = Subscription.key_of("topic", w.topic.id)
    return Subscription(
        subscriber=new_subscriber(w), scope="topic", list_key=key, topic_id=w.topic.id
    )


def new_thread_follow(w) -> ThreadFollow:
    return ThreadFollow(
        subscriber=new_subscriber(w), root_comment_id=w.comment.id, article_id=w.story.id
    )


def new_mailing(w) -> Mailing:
    return Mailing(kind="article", key=f"article:{w.story.id}", article_id=w.story.id)


def new_audit_entry(w) -> AuditEntry:
    return AuditEntry(actor_id=w.editor.id, action="article.publish", target="article 1")


def purge_audit(w) -> None:
    """An entry past its retention, deleted by the hourly purge's bulk statement."""
    db.session.add(AuditEntry(action="auth.sign_in", at=utcnow() - timedelta(days=400)))
    db.session.commit()
    assert audit.purge(utcnow()) == 1


def new_page(w, status=PageStatus.PUBLISHED, slug: str = "about") -> StaticPage:
    """A static page (About, ...) by the editor; its slug ends with its status."""
    page = StaticPage(title="About", slug=f"{slug}-{status}", author=w.editor, status=status)
    page.set_body("Who we are.")
    return page


def save_page(target: str) -> Callable:
    """A save through the pages service: its version claim alone retires nothing."""

    def action(w) -> None:
        page = getattr(w, target)
        changes = pages.PageChanges(title="About us", slug=page.slug, summary="Us.")
        pages.save_page(page, changes, actor=w.editor, expected_version=page.version)

    return action


# Changes to make in db.session; the test commits them.


def add(make: Callable, *args) -> Callable:
    return lambda w: db.session.add(make(w, *args))


def change(target: str, field: str, value) -> Callable:
    return lambda w: setattr(getattr(w, target), field, value)


def remove(target: str) -> Callable:
    return lambda w: db.session.delete(getattr(w, target))


def run(statement: Callable) -> Callable:
    return lambda w: db.session.execute(statement(w))


def stored(make: Callable, step: Callable) -> Callable:
    """Write a row first, then change or delete it."""

    def action(w) -> None:
        row = make(w)
        db.session.add(row)
        db.session.commit()
        step(row)

    return action


def rename_author(w) -> None:
    w.story.author.display_name = "Ada Lovelace"


def share(w) -> None:
    shares.record_share(w.story, "reddit", client_key="reader-2", day=date.today())


def recount(w) -> None:
    counters.refresh_article_counters([w.story.id])


def prune(w) -> None:
    shares.prune_receipts(date.today() + timedelta(days=1))


def tag(w) -> None:
    w.story.topics.append(Topic(name="Ferries", slug="ferries"))


# The statements the services run: moving a deleted section's articles and its old
# addresses, unlinking a deleted topic, tidying old addresses and share receipts.
MOVE_ARTICLES = run(lambda w: update(Article).values(section_id=w.section.id))
LINK = run(lambda w: insert(article_topics).values(article_id=w.draft.id, topic_id=w.topic.id))
RELINK = run(lambda w: update(article_topics).values(article_id=w.draft.id))
UNLINK = run(lambda w: delete(article_topics))
MOVE_OLD_SLUGS = run(lambda w: update(OldSlug).values(target_id=w.draft.id))
NO_SUCH_OLD_SLUG = run(lambda w: delete(OldSlug).where(OldSlug.slug == "never-there"))
SPAM_ALL = run(lambda w: update(Comment).values(status=CommentStatus.SPAM))


def expire_picks(w) -> None:
    """The worker's statement, once a pick's time has come (which itself writes nothing)."""
    db.session.execute(
        update(FrontPagePick)
        .values(expires_at=utcnow() - timedelta(minutes=1))
        .execution_options(page_cache_quiet=True)
    )
    db.session.commit()
    assert curation.expire() == 1


def expire_no_picks(w) -> None:
    assert curation.expire() == 0


@dataclass(frozen=True)
class Case:
    table: str
    change: str  # names whether it inserts, updates or deletes, and how
    action: Callable  # makes the change in db.session; the test commits it
    retires: str

    def __str__(self) -> str:
        return f"{self.table}: {self.change}"


CASES = [
    Case("articles", "insert published", add(new_article), SITE),
    Case("articles", "insert draft", add(new_article, ArticleStatus.DRAFT), NOTHING),
    Case("articles", "update title", change("story", "title", "Ferries return"), SITE),
    Case("articles", "update a draft's title", change("draft", "title", "Still a draft"), NOTHING),
    Case("articles", "update share_count", change("story", "share_count", 7), NOTHING),
    Case("articles", "update: unpublish", change("story", "status", ArticleStatus.DRAFT), SITE),
    Case("articles", "delete", remove("story"), SITE),
    Case("articles", "bulk update section", MOVE_ARTICLES, SITE),
    Case("articles", "bulk update counters", recount, NOTHING),
    Case("comments", "insert approved", add(new_comment), ARTICLE),
    Case("comments", "insert held", add(new_comment, CommentStatus.PENDING), NOTHING),
    Case("comments", "update body", lambda w: w.comment.set_body("Edited."), ARTICLE),
    Case("comments", "update status", change("comment", "status", CommentStatus.SPAM), ARTICLE),
    Case("comments", "update report_count", change("comment", "report_count", 2), NOTHING),
    Case("comments", "update held_reason", change("comment", "held_reason", "quick"), NOTHING),
    Case("comments", "update confirmed_at", change("comment", "confirmed_at", utcnow()), NOTHING),
    Case("comments", "delete", remove("comment"), ARTICLE),
    Case("comments", "bulk update status", SPAM_ALL, SITE),
    Case("editor_comments", "insert", add(new_note), SITE),
    Case("editor_comments", "update", lambda w: w.note.set_body("Corrected."), SITE),
    Case("editor_comments", "delete", remove("note"), SITE),
    Case("sections", "insert", add(lambda w: Section(name="Sea", slug="sea")), SITE),
    Case("sections", "update name", change("section", "name", "Waterfront"), SITE),
    Case("sections", "delete", remove("section"), SITE),
    Case("topics", "insert", add(lambda w: Topic(name="Ferries", slug="ferries")), SITE),
    Case("topics", "update name", change("topic", "name", "Harbours"), SITE),
    Case("topics", "delete", remove("topic"), SITE),
    Case("article_topics", "insert through the article", tag, SITE),
    Case("article_topics", "delete through the article", lambda w: w.story.topics.clear(), SITE),
    Case("article_topics", "bulk insert", LINK, SITE),
    Case("article_topics", "bulk update", RELINK, SITE),
    Case("article_topics", "bulk delete", UNLINK, SITE),
    Case("users", "insert", add(new_user), SITE),
    Case("users", "update display_name", rename_author, SITE),
    Case("users", "update last_login_at", lambda w: users.record_login(w.story.author), NOTHING),
    Case("users", "update session_version", lambda w: users.end_sessions(w.idle), NOTHING),
    Case("users", "update password_hash", change("idle", "password_hash", "changed"), NOTHING),
    Case("users", "delete", remove("idle"), SITE),
    Case("site_settings", "insert", add(new_setting), SITE),
    Case("site_settings", "update", change("setting", "value", "The Quay"), SITE),
    Case("site_settings", "delete", remove("setting"), SITE),
    Case("uploads", "insert", add(new_upload), NOTHING),
    Case("uploads", "update variants", change("cover", "variants", {"480": "2025/06/a.jpg"}), SITE),
    Case("uploads", "delete", remove("cover"), SITE),
    Case("old_slugs", "insert", add(new_old_slug), SITE),
    Case("old_slugs", "update", change("old_slug", "slug", "harbour-shut"), SITE),
    Case("old_slugs", "delete", remove("old_slug"), SITE),
    Case("old_slugs", "bulk update", MOVE_OLD_SLUGS, SITE),
    Case("old_slugs", "bulk delete", run(lambda w: delete(OldSlug)), SITE),
    Case("old_slugs", "bulk delete matching nothing", NO_SUCH_OLD_SLUG, NOTHING),
    Case("old_urls", "insert", add(new_old_url), SITE),
    Case("old_urls", "update", change("old_url", "path", "/2025/06/02/harbour"), SITE),
    Case("old_urls", "delete", remove("old_url"), SITE),
    Case("old_urls", "bulk delete", run(lambda w: delete(OldUrl)), SITE),
    Case("imported_items", "insert", add(new_imported_item), NOTHING),
    Case(
        "imported_items",
        "update",
        stored(new_imported_item, lambda r: setattr(r, "target_id", 0)),
        NOTHING,
    ),
    Case("imported_items", "delete", stored(new_imported_item, db.session.delete), NOTHING),
    Case("article_coauthors", "insert through the article", credit_idle, SITE),
    Case(
        "article_coauthors",
        "update position",
        credited(lambda w: setattr(w.story.coauthor_links[0], "position", 2)),
        SITE,
    ),
    Case("article_coauthors", "delete", credited(lambda w: w.story.coauthors.clear()), SITE),
    Case("corrections", "insert", add(new_correction), SITE),
    Case(
        "corrections",
        "update: a retraction",
        stored(new_correction, lambda c: setattr(c, "retracted_at", utcnow())),
        SITE,
    ),
    Case("corrections", "delete", stored(new_correction, db.session.delete), SITE),
    Case("comment_reports", "insert", add(new_report), NOTHING),
    Case(
        "comment_reports",
        "update: dismissed",
        stored(new_report, lambda r: setattr(r, "dismissed_at", utcnow())),
        NOTHING,
    ),
    Case("comment_reports", "delete", stored(new_report, db.session.delete), NOTHING),
    Case("revisions", "insert", add(new_revision), NOTHING),
    Case("revisions", "update", stored(new_revision, lambda r: setattr(r, "title", "X")), NOTHING),
    Case("revisions", "delete", stored(new_revision, db.session.delete), NOTHING),
    Case("recovery_codes", "insert", add(new_recovery_code), NOTHING),
    Case(
        "recovery_codes",
        "update: a code used",
        stored(new_recovery_code, lambda r: setattr(r, "used_at", utcnow())),
        NOTHING,
    ),
    Case("recovery_codes", "delete", stored(new_recovery_code, db.session.delete), NOTHING),
    Case("passkeys", "insert", add(new_passkey), NOTHING),
    Case(
        "passkeys",
        "update sign_count",
        stored(new_passkey, lambda p: setattr(p, "sign_count", 9)),
        NOTHING,
    ),
    Case("passkeys", "delete", stored(new_passkey, db.session.delete), NOTHING),
    Case("users", "update totp_secret", change("idle", "totp_secret", "JBSWY3DPEHPK3PXP"), NOTHING),
    Case(
        "users",
        "update must_change_password",
        change("idle", "must_change_password", True),
        NOTHING,
    ),
    Case("share_tallies", "insert and update: a share", share, NOTHING),
    Case("share_tallies", "update", change("tally", "count", 2), NOTHING),
    Case("share_tallies", "delete", remove("tally"), NOTHING),
    Case("share_receipts", "insert", add(new_receipt), NOTHING),
    Case("share_receipts", "update", change("receipt", "client_key", "reader-9"), NOTHING),
    Case("share_receipts", "delete", remove("receipt"), NOTHING),
    Case("share_receipts", "bulk delete: pruning", prune, NOTHING),
    Case("outbox_messages", "insert", add(new_message), NOTHING),
    Case(
        "outbox_messages",
        "update",
        stored(new_message, lambda r: setattr(r, "attempts", 1)),
        NOTHING,
    ),
    Case("outbox_messages", "delete", stored(new_message, db.session.delete), NOTHING),
    Case("job_marks", "insert", add(new_mark), NOTHING),
    Case("job_marks", "update", stored(new_mark, lambda r: setattr(r, "at", utcnow())), NOTHING),
    Case("job_marks", "delete", stored(new_mark, db.session.delete), NOTHING),
    Case("job_failures", "insert", add(new_failure), NOTHING),
    Case(
        "job_failures",
        "update",
        stored(new_failure, lambda r: setattr(r, "dismissed_at", utcnow())),
        NOTHING,
    ),
    Case("job_failures", "delete", stored(new_failure, db.session.delete), NOTHING),
    Case("subscribers", "insert", add(new_subscriber), NOTHING),
    Case(
        "subscribers",
        "update",
        stored(new_subscriber, lambda r: setattr(r, "email", "rosa@readers.example")),
        NOTHING,
    ),
    Case("subscribers", "delete", stored(new_subscriber, db.session.delete), NOTHING),
    Case("subscriptions", "insert", add(new_subscription), NOTHING),
    Case(
        "subscriptions",
        "update: confirmed",
        stored(new_subscription, lambda r: setattr(r, "confirmed_at", utcnow())),
        NOTHING,
    ),
    Case("subscriptions", "delete", stored(new_subscription, db.session.delete), NOTHING),
    Case("thread_follows", "insert", add(new_thread_follow), NOTHING),
    Case(
        "thread_follows",
        "update",
        stored(new_thread_follow, lambda r: setattr(r, "created_at", utcnow())),
        NOTHING,
    ),
    Case("thread_follows", "delete", stored(new_thread_follow, db.session.delete), NOTHING),
    Case("mailings", "insert", add(new_mailing), NOTHING),
    Case(
        "mailings",
        "update: a message sent",
        stored(new_mailing, lambda r: setattr(r, "sent_count", 1)),
        NOTHING,
    ),
    Case("mailings", "delete", stored(new_mailing, db.session.delete), NOTHING),
    Case("menu_links", "insert", add(new_link), SITE),
    Case("menu_links", "update", stored(new_link, lambda r: setattr(r, "label", "Quay")), SITE),
    Case("menu_links", "delete", stored(new_link, db.session.delete), SITE),
    Case("front_page_picks", "insert", add(new_pick), SITE),
    Case("front_page_picks", "update: made the lead", change("pick", "is_lead", True), SITE),
    Case("front_page_picks", "delete", remove("pick"), SITE),
    Case("front_page_picks", "bulk delete: expired", expire_picks, SITE),
    Case("front_page_picks", "bulk delete matching nothing", expire_no_picks, NOTHING),
    Case("pages", "insert published", add(new_page, PageStatus.PUBLISHED, "contact"), SITE),
    Case("pages", "insert draft", add(new_page, PageStatus.DRAFT, "contact"), NOTHING),
    Case("pages", "update title", change("page", "title", "About us"), SITE),
    Case("pages", "update a draft's title", change("draft_page", "title", "Soon"), NOTHING),
    Case("pages", "update: publish", change("draft_page", "status", PageStatus.PUBLISHED), SITE),
    Case("pages", "update: unpublish", change("page", "status", PageStatus.DRAFT), SITE),
    Case("pages", "update: a draft saved by the service", save_page("draft_page"), NOTHING),
    Case("pages", "update: a published page saved by the service", save_page("page"), SITE),
    Case("pages", "delete", remove("page"), SITE),
    Case("pages", "delete a draft", remove("draft_page"), NOTHING),
    Case(
        "pages",
        "delete through the service",
        lambda w: pages.delete_page(w.page, actor=w.editor),
        SITE,
    ),
    Case("audit_entries", "insert", add(new_audit_entry), NOTHING),
    Case(
        "audit_entries",
        "insert: a publication and its entry",
        lambda w: audit.record(w.editor, "article.publish", audit.describe("article", w.story)),
        NOTHING,
    ),
    Case(
        "audit_entries",
        "update",
        stored(new_audit_entry, lambda r: setattr(r, "target", "article 2")),
        NOTHING,
    ),
    Case("audit_entries", "delete", stored(new_audit_entry, db.session.delete), NOTHING),
    Case("audit_entries", "bulk delete: the purge", purge_audit, NOTHING),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_committed_change_retires_the_pages_its_model_declares(client, world, case):
    for path in (HOME, STORY):
        cached_twice(client, path)
    case.action(world)
    db.session.commit()
    served = {path: client.get(path) for path in (HOME, STORY)}
    retired = {
        path for path, response in served.items() if response.headers.get("X-Cache") != "hit"
    }
    assert retired == RETIRED[case.retires]
    for path in retired:  # rendered afresh, or gone with the story
        assert served[path].headers.get("X-Cache") == "miss" or served[path].status_code == 404


def test_the_cases_insert_update_and_delete_every_table():
    """A new table needs its own cases here, as its model needs its declaration."""
    for table in db.metadata.tables:
        changes = " ".join(case.change for case in CASES if case.table == table)
        for kind in ("insert", "update", "delete"):
            assert kind in changes, f"{table}: no case that does {kind}"


class Undeclared(DeclarativeBase):
    pass


class Page(Undeclared):
    __tablename__ = "pages"
    __public__ = PublicReach(Reach.SITE)

    id: Mapped[int] = mapped_column(primary_key=True)


class Footnote(Undeclared):
    __tablename__ = "footnotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))


def test_a_table_that_declares_no_reach_is_an_error():
    with pytest.raises(UndeclaredReach, match="footnotes"):
        read_declarations(Undeclared)
    Footnote.__public__ = PublicReach(Reach.ARTICLE, article=Footnote.page_id)
    try:
        declared = read_declarations(Undeclared)
    finally:
        del Footnote.__public__
    assert declared["footnotes"].article == "page_id"
    assert declared["pages"].reach is Reach.SITE
