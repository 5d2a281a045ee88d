"""Revisions of articles and pages: recorded on each save that changes the text, listed,
compared word by word (with bounded work), restored, and thinned by the worker."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from blog import jobs
from blog.extensions import db
from blog.models import Article, ArticleStatus, AuditEntry, Page, Upload
from blog.models.base import utcnow
from blog.models.revisions import Revision
from blog.services import pages, publishing, revision_diff, revision_thinning, revisions
from blog.services.pages import PageAction, PageChanges
from blog.services.publishing import Action, ArticleChanges

DRAFT = ArticleChanges(
    title="Harbour reopens",
    brief="The harbour opens again.",
    body="Ships came back on Monday.\n\nThe mayor spoke briefly.",
)


def history(item) -> list[Revision]:
    db.session.expire_all()
    column = Revision.article_id if isinstance(item, Article) else Revision.page_id
    return list(db.session.scalars(select(Revision).where(column == item.id).order_by("id")))


def fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


def save(article, actor, action=Action.SAVE, **fields) -> Article:
    article = fresh(Article, article.id)
    changes = ArticleChanges(
        title=fields.pop("title", article.title),
        brief=fields.pop("brief", article.brief),
        body=fields.pop("body", article.body_md),
        slug=article.slug,
        section_id=fields.pop("section_id", article.section_id),
        topic_ids=fields.pop("topic_ids", [t.id for t in article.topics]),
    )
    return publishing.update_article(
        article, changes, actor=actor, expected_version=article.version, action=action
    )


def text_of(response) -> str:
    return response.get_data(as_text=True)


def ids_of(item) -> list[int]:
    """The item's revision ids, oldest first (revision 1 first)."""
    return [revision.id for revision in history(item)]


# ---------- recording ----------


def test_each_changing_save_records_a_revision_and_an_unchanged_one_does_not(editor):
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, title="Harbour reopens at last")
    save(article, editor)  # nothing changed
    save(article, editor, action=Action.SUBMIT)  # a status change alone: no new text
    found = history(article)
    assert [(r.kind, r.title, r.editor_id, r.is_published) for r in found] == [
        ("save", "Harbour reopens", editor.id, False),
        ("save", "Harbour reopens at last", editor.id, False),
    ]


def test_publishing_marks_the_text_readers_see(editor, make_topic):
    topic = make_topic("Ports")
    article = publishing.create_article(replace(DRAFT, topic_ids=[topic.id]), actor=editor)
    save(article, editor, action=Action.PUBLISH)  # same text, now public
    save(article, editor, body="Ships came back on Monday.")  # a save while public
    save(article, editor, action=Action.UNPUBLISH, body="Draft again.")
    found = history(article)
    assert [(r.kind, r.is_published) for r in found] == [
        ("save", False),
        ("publish", True),
        ("save", True),
        ("save", False),
    ]
    assert found[0].topic_ids == [topic.id]


def test_an_article_older_than_revisions_first_gets_its_state_before_the_save(editor, make_article):
    article = make_article("Old story", body="As it was.", status=ArticleStatus.DRAFT)
    was_updated = fresh(Article, article.id).updated_at
    save(article, editor, body="As it is now.")
    first, second = history(article)
    assert (first.kind, first.editor_id, first.body_md) == ("save", None, "As it was.")
    assert first.created_at == was_updated
    assert (second.editor_id, second.body_md) == (editor.id, "As it is now.")


def test_the_state_before_the_first_save_of_a_public_article_is_marked_published(
    editor, make_article
):
    article = make_article("Old story", body="As readers saw it.")
    save(article, editor, body="As it is now.")
    assert [(r.body_md, r.is_published) for r in history(article)] == [
        ("As readers saw it.", True),
        ("As it is now.", True),
    ]


def schedule(article, actor, when) -> Article:
    article = fresh(Article, article.id)
    changes = replace(DRAFT, slug=article.slug, body=article.body_md)
    return publishing.update_article(
        article,
        changes,
        actor=actor,
        expected_version=article.version,
        action=Action.SCHEDULE,
        publish_at=when,
    )


def test_a_scheduled_text_is_marked_published_when_it_goes_live(app, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, body="The text to go live.")
    go_live = utcnow() + timedelta(hours=1)
    schedule(article, editor, go_live)
    assert [r.is_published for r in history(article)] == [False, False]
    assert jobs.publish_due(go_live - timedelta(minutes=1)) == 0
    assert [r.is_published for r in history(article)] == [False, False]
    assert jobs.publish_due(go_live + timedelta(minutes=1)) == 1
    assert [r.is_published for r in history(article)] == [False, True]


def test_a_text_that_went_live_unmarked_is_marked_at_the_next_save(editor):
    """Without the worker, a scheduled story goes public by its time alone: the next save
    marks the text readers saw until then."""
    article = publishing.create_article(DRAFT, actor=editor)
    schedule(article, editor, utcnow() + timedelta(hours=1))
    db.session.execute(
        Article.__table__.update()
        .where(Article.id == article.id)
        .values(published_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    save(article, editor, body="A correction of the text.")
    assert [(r.body_md, r.is_published) for r in history(article)] == [
        (DRAFT.body, True),
        ("A correction of the text.", True),
    ]


def test_a_page_save_records_its_summary_and_publish(editor):
    page = pages.create_page(
        PageChanges(title="About", slug="about", summary="Who we are.", body="Us."), actor=editor
    )
    page = fresh(Page, page.id)
    pages.save_page(
        page,
        PageChanges(title="About", slug="about", summary="Who we are.", body="Us."),
        actor=editor,
        expected_version=page.version,
        action=PageAction.PUBLISH,
    )
    found = history(page)
    assert [(r.kind, r.brief, r.is_published, r.section_id) for r in found] == [
        ("save", "Who we are.", False, None),
        ("publish", "Who we are.", True, None),
    ]


# ---------- comparing ----------


def test_compare_shows_word_level_changes_escaped(client, login, editor, make_section):
    article = publishing.create_article(DRAFT, actor=editor)
    save(
        article,
        editor,
        body="Ships came back on Tuesday.\n\nThe mayor spoke <script>x</script> briefly.",
        section_id=make_section("Ports").id,
    )
    first, second = ids_of(article)
    login(editor)
    page = text_of(
        client.get(f"/editor/articles/{article.id}/revisions/compare?a={second}&b={first}")
    )
    assert "Revision 1 → revision 2" in page
    assert "<del>Monday.</del><ins>Tuesday.</ins>" in page
    assert "Ships came back on " in page
    assert "<ins>&lt;script&gt;x&lt;/script&gt; </ins>" in page
    assert "<script>x" not in page
    assert "Section: no section → Ports" in page


def test_a_cover_deleted_since_is_named_in_the_comparison_and_left_out_of_a_restore(
    client, login, editor
):
    article = publishing.create_article(DRAFT, actor=editor)
    upload = Upload(path="2026/12/quay.jpg", content_type="image/jpeg", uploaded_by_id=editor.id)
    db.session.add(upload)
    db.session.flush()
    db.session.add(
        Revision(
            article_id=article.id,
            title=DRAFT.title,
            brief=DRAFT.brief,
            body_md=DRAFT.body,
            cover_id=upload.id,
            cover_alt="The quay at dawn",
            topic_ids=[],
            editor_id=editor.id,
        )
    )
    db.session.commit()
    first, with_cover = ids_of(article)
    db.session.delete(fresh(Upload, upload.id))
    db.session.commit()
    assert fresh(Revision, with_cover).cover_id is None
    login(editor)
    base = f"/editor/articles/{article.id}/revisions"
    page = text_of(client.get(f"{base}/compare?a={first}&b={with_cover}"))
    assert "Cover: none → an image deleted since" in page
    response = client.post(
        f"{base}/{with_cover}/restore",
        data={"version": fresh(Article, article.id).version},
        follow_redirects=True,
    )
    # The cover alone differed, and it is gone: there is nothing to bring back.
    assert "already reads like revision 2" in text_of(response)
    save(article, editor, body="Changed since.")
    response = client.post(
        f"{base}/{with_cover}/restore",
        data={"version": fresh(Article, article.id).version},
        follow_redirects=True,
    )
    assert "Revision 2 restored. Left out: a cover image deleted since." in text_of(response)
    restored = fresh(Article, article.id)
    assert (restored.body_md, restored.cover_id, restored.cover_alt) == (DRAFT.body, None, "")


def test_a_huge_body_is_compared_coarsely_and_a_small_edit_word_by_word():
    words = [f"w{i}" for i in range(200_000)]
    old = Revision(title="T", brief="", body_md=" ".join(words), topic_ids=[])
    rewritten = Revision(title="T", brief="", body_md=" ".join(reversed(words)), topic_ids=[])
    coarse = revision_diff.compare(old, rewritten)
    assert coarse.is_coarse
    assert [piece.op for piece in coarse.body[0].pieces] == ["del", "ins"]

    edited = Revision(title="T", brief="", body_md=old.body_md.replace("w100000", "x"))
    fine = revision_diff.compare(old, edited)
    assert not fine.is_coarse
    ops = [(piece.op, piece.text) for piece in fine.body[0].pieces]
    assert ("del", "w100000 ") in ops and ("ins", "x ") in ops


def test_compare_of_missing_bad_or_anothers_revisions(client, login, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    other = publishing.create_article(replace(DRAFT, title="Another"), actor=editor)
    (own,), (theirs,) = ids_of(article), ids_of(other)
    login(editor)
    base = f"/editor/articles/{article.id}/revisions"
    assert client.get(f"{base}/compare?a={own}&b={own}").status_code == 200
    assert client.get(f"{base}/compare?a={own}&b={theirs}").status_code == 404
    assert client.get(f"{base}/compare?a={own}&b=99999999999").status_code == 400
    assert client.get(f"{base}/compare?a={own}&b=9999999999").status_code == 404
    restore = client.post(f"{base}/{theirs}/restore", data={"version": 1})
    assert restore.status_code == 404
    response = client.get(f"{base}/compare?a=1&b=x")
    assert response.status_code == 400
    assert "Choose two revisions to compare." in text_of(response)


# ---------- listing and who may ----------


def test_the_list_numbers_revisions_and_links_from_the_editor(client, login, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, action=Action.PUBLISH, body="Published words here.")
    login(editor)
    assert "Revisions (2)" in text_of(client.get(f"/editor/articles/{article.id}"))
    page = text_of(client.get(f"/editor/articles/{article.id}/revisions"))
    assert '<th scope="row" class="row-title" data-label="Revision">2</th>' in page
    assert '<th scope="row" class="row-title" data-label="Revision">1</th>' in page
    assert "Eddie Editor" in page and "Published" in page


def test_the_list_reads_no_body_and_shows_lengths_in_characters(client, login, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, body="Four words in all.")
    db.session.expire_all()
    listed = revisions.listing(fresh(Article, article.id)).items
    assert [row.characters for row in listed] == [len("Four words in all."), len(DRAFT.body)]
    assert all("body_md" not in row.revision.__dict__ for row in listed)
    login(editor)
    page = text_of(client.get(f"/editor/articles/{article.id}/revisions"))
    assert '<th scope="col">Characters</th>' in page
    assert '<td data-label="Characters">18</td>' in page


def test_authors_see_only_the_revisions_of_their_own_drafts(client, login, author, make_user):
    other = make_user(name="Other Author")
    theirs = publishing.create_article(DRAFT, actor=other)
    own = publishing.create_article(DRAFT, actor=author)
    login(author)
    assert client.get(f"/editor/articles/{own.id}/revisions").status_code == 200
    (their_revision,) = ids_of(theirs)
    compare = f"revisions/compare?a={their_revision}&b={their_revision}"
    for path in ("revisions", compare):
        assert client.get(f"/editor/articles/{theirs.id}/{path}").status_code == 403
    restore = client.post(
        f"/editor/articles/{theirs.id}/revisions/{their_revision}/restore", data={"version": 1}
    )
    assert restore.status_code == 403
    assert client.get("/editor/articles/999999/revisions").status_code == 404


def test_pages_revisions_are_for_page_managers(client, login, author, editor):
    page = pages.create_page(PageChanges(title="About", slug="about", body="Us."), actor=editor)
    login(author)
    assert client.get(f"/editor/pages/{page.id}/revisions").status_code == 403


# ---------- restoring ----------


def test_restore_brings_back_the_old_text_as_a_new_revision(client, login, editor, make_topic):
    gone = make_topic("Gone")
    article = publishing.create_article(replace(DRAFT, topic_ids=[gone.id]), actor=editor)
    save(article, editor, title="A new title", body="Rewritten entirely.", topic_ids=[])
    db.session.delete(fresh(type(gone), gone.id))
    db.session.commit()
    first = ids_of(article)[0]
    login(editor)
    version = fresh(Article, article.id).version
    response = client.post(
        f"/editor/articles/{article.id}/revisions/{first}/restore", data={"version": version}
    )
    assert response.status_code == 302
    restored = fresh(Article, article.id)
    assert (restored.title, restored.brief, restored.body_md) == (
        DRAFT.title,
        DRAFT.brief,
        DRAFT.body,
    )
    assert restored.topics == [] and restored.status == ArticleStatus.DRAFT
    last = history(article)[-1]
    assert (last.kind, last.restored_from, last.editor_id) == ("restore", first, editor.id)
    audited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "article.restore"))
    assert [entry.details for entry in audited] == [{"revision": first}]
    page = text_of(client.get(f"/editor/articles/{article.id}", follow_redirects=True))
    assert "Revision 1 restored. Left out: topics deleted since." in page


def test_restore_over_a_newer_save_says_so_and_changes_nothing(client, login, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, body="Second text.")
    seen_version = fresh(Article, article.id).version
    save(article, editor, body="Someone else's text.")
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}/revisions/{ids_of(article)[0]}/restore",
        data={"version": seen_version},
    )
    assert response.status_code == 409
    assert "nothing was restored" in text_of(response)
    assert fresh(Article, article.id).body_md == "Someone else's text."
    assert len(history(article)) == 3


def test_restoring_the_current_text_is_refused_plainly(client, login, editor):
    article = publishing.create_article(DRAFT, actor=editor)
    login(editor)
    response = client.post(
        f"/editor/articles/{article.id}/revisions/{ids_of(article)[0]}/restore",
        data={"version": fresh(Article, article.id).version},
        follow_redirects=True,
    )
    assert "already reads like revision 1" in text_of(response)
    assert len(history(article)) == 1


def test_a_page_is_restored_with_its_status_and_address(client, login, editor):
    page = pages.create_page(
        PageChanges(title="About", slug="about", summary="Who.", body="First."),
        actor=editor,
        action=PageAction.PUBLISH,
    )
    page = fresh(Page, page.id)
    pages.save_page(
        page,
        PageChanges(title="About us", slug="about", summary="Who.", body="Second."),
        actor=editor,
        expected_version=page.version,
    )
    login(editor)
    listing = text_of(client.get(f"/editor/pages/{page.id}/revisions"))
    assert '<th scope="row" class="row-title" data-label="Revision">2</th>' in listing
    first = ids_of(page)[0]
    response = client.post(
        f"/editor/pages/{page.id}/revisions/{first}/restore",
        data={"version": fresh(Page, page.id).version},
    )
    assert response.status_code == 302
    restored = fresh(Page, page.id)
    assert (restored.title, restored.body_md, restored.slug, restored.status) == (
        "About",
        "First.",
        "about",
        "published",
    )
    last = history(page)[-1]
    assert (last.kind, last.restored_from, last.is_published) == ("restore", first, True)


def test_a_restore_names_the_revision_seen_even_after_thinning_renumbers(
    client, login, editor, keep_days=30
):
    """The list shows numbers, but links and forms carry ids: a revision thinned while the
    list was open is not restored in another's place, and the one chosen is."""
    article = publishing.create_article(DRAFT, actor=editor)
    save(article, editor, body="The second text.")
    save(article, editor, body="The third text.")
    first, second, third = ids_of(article)
    old_day = utcnow() - timedelta(days=keep_days + 5)
    for revision_id, hour in ((first, 9), (second, 10)):
        db.session.execute(
            Revision.__table__.update()
            .where(Revision.id == revision_id)
            .values(created_at=old_day.replace(hour=hour))
        )
    db.session.commit()
    login(editor)
    seen = text_of(client.get(f"/editor/articles/{article.id}/revisions"))
    assert f'name="a" value="{second}"' in seen  # shown as revision 2
    assert revision_thinning.thin(utcnow()) == 1  # the first is thinned: the second is now 1
    version = fresh(Article, article.id).version
    base = f"/editor/articles/{article.id}/revisions"
    assert client.post(f"{base}/{first}/restore", data={"version": version}).status_code == 404
    response = client.post(
        f"{base}/{second}/restore", data={"version": version}, follow_redirects=True
    )
    assert "Revision 1 restored." in text_of(response)
    assert fresh(Article, article.id).body_md == "The second text."
    assert history(article)[-1].restored_from == second
    audited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "article.restore"))
    assert [entry.details for entry in audited] == [{"revision": second}]
    listing = text_of(client.get(base))
    assert "Restored revision 1" in listing
    db.session.execute(Revision.__table__.delete().where(Revision.id == second))
    db.session.commit()
    assert "Restored a revision since thinned" in text_of(client.get(base))


# ---------- thinning ----------


@pytest.mark.parametrize("keep_days", [30])
def test_thinning_keeps_the_newest_of_each_day_published_ones_and_the_newest(editor, keep_days):
    article = publishing.create_article(DRAFT, actor=editor)
    db.session.execute(Revision.__table__.delete())
    now = datetime(2030, 6, 1, 12, tzinfo=UTC)
    old_day = now - timedelta(days=keep_days + 5)

    def add(at, *, published=False, **target):
        revision = Revision(
            **(target or {"article_id": article.id}),
            title=f"at {at:%d %H}",
            is_published=published,
            created_at=at,
            topic_ids=[],
        )
        db.session.add(revision)
        db.session.flush()
        return revision.id

    early = add(old_day.replace(hour=9))
    published = add(old_day.replace(hour=10), published=True)
    later = add(old_day.replace(hour=11))
    last_of_day = add(old_day.replace(hour=15))
    next_day = add(old_day.replace(hour=9) + timedelta(days=1))
    recent_a = add(now - timedelta(days=1, hours=2))
    recent_b = add(now - timedelta(days=1, hours=1))
    other = publishing.create_article(replace(DRAFT, title="Another"), actor=editor)
    db.session.execute(Revision.__table__.delete().where(Revision.article_id == other.id))
    only = add(old_day.replace(hour=8), article_id=other.id)
    db.session.commit()

    assert revision_thinning.thin(now) == 2
    kept = set(db.session.scalars(select(Revision.id)))
    assert kept == {published, last_of_day, next_day, recent_a, recent_b, only}
    assert early not in kept and later not in kept
    assert revision_thinning.thin(now) == 0  # run again: nothing more
