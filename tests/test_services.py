"""Rules owned by the services: related stories, front page, slugs, settings, uploads."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import update

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    OldSlug,
    Section,
    ShareTally,
    SiteSetting,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.services import articles, frontpage, settings, uploads
from blog.services.slugs import MAX_SLUG_LENGTH, unique_slug


def test_related_prefers_shared_topics_then_section_then_recency(
    make_article, make_section, make_topic
):
    home, away = make_section(), make_section()
    t1, t2, t3 = make_topic(), make_topic(), make_topic()
    article = make_article(section=home, topics=[t1, t2, t3])
    two_topics = make_article(
        "two topics", section=away, topics=[t1, t2], published_at=utcnow() - timedelta(days=9)
    )
    one_topic_same_section = make_article(
        "one topic, same section",
        section=home,
        topics=[t3],
        published_at=utcnow() - timedelta(days=8),
    )
    one_topic = make_article(
        "one topic", section=away, topics=[t1], published_at=utcnow() - timedelta(days=1)
    )
    make_article("same section only", section=home, published_at=utcnow() - timedelta(days=5))
    make_article("newest unrelated", section=away)
    make_article("draft on topic", section=home, topics=[t1, t2, t3], status=ArticleStatus.DRAFT)
    make_article("scheduled", topics=[t1, t2, t3], published_at=utcnow() + timedelta(days=1))

    related = articles.related_articles(article)
    assert [a.title for a in related] == [
        two_topics.title,
        one_topic_same_section.title,
        one_topic.title,
        "same section only",
    ]
    assert article not in related


def test_related_falls_back_to_recency(make_article, make_section):
    article = make_article(section=make_section())
    others = [
        make_article(section=make_section(), published_at=utcnow() - timedelta(hours=h))
        for h in range(1, 7)
    ]
    assert articles.related_articles(article) == others[:4]


def test_related_on_a_lone_article_is_empty(make_article):
    assert articles.related_articles(make_article()) == []


def test_front_page_lead_prefers_a_recent_featured_story(make_article):
    newest = make_article("newest", published_at=utcnow())
    featured = make_article(
        "featured", is_featured=True, published_at=utcnow() - timedelta(hours=3)
    )
    page = frontpage.front_page(articles.nav_sections())
    assert page.lead == featured
    assert page.latest[0] == newest and featured not in page.latest


def test_front_page_without_featured_leads_with_the_newest(make_article):
    make_article("older", published_at=utcnow() - timedelta(hours=3))
    newest = make_article("newest", published_at=utcnow())
    assert frontpage.front_page([]).lead == newest


def test_section_blocks_hold_the_newest_four_not_shown_above(make_article, make_section):
    section = make_section()
    made = [
        make_article(section=section, published_at=utcnow() - timedelta(hours=h))
        for h in range(frontpage.LATEST_SIZE + 6)
    ]
    blocks = frontpage.front_page([section]).section_blocks
    # The lead and the latest are above the block: it goes on with the next four.
    shown = frontpage.LATEST_SIZE + 1
    assert blocks == [(section, made[shown : shown + 4])]


def test_most_shared_counts_only_this_week(make_article):
    old_hit, week_hit, quiet = make_article(), make_article(), make_article()
    today = utcnow().date()
    db.session.add_all(
        [
            ShareTally(
                article_id=old_hit.id, network="x", day=today - timedelta(days=10), count=500
            ),
            ShareTally(article_id=week_hit.id, network="x", day=today - timedelta(days=2), count=5),
            ShareTally(article_id=week_hit.id, network="email", day=today, count=3),
            ShareTally(article_id=quiet.id, network="x", day=today, count=1),
        ]
    )
    db.session.commit()
    assert frontpage.most_shared_this_week() == [week_hit, quiet]


def test_most_discussed(make_article):
    busy = make_article(comment_count=9)
    calm = make_article(comment_count=2)
    make_article(comment_count=0)
    make_article(comment_count=50, published_at=utcnow() - timedelta(days=90))
    assert frontpage.most_discussed() == [busy, calm]


def test_unique_slugs(make_article):
    make_article(slug="harbour-news")
    make_article(slug="harbour-news-2")
    assert unique_slug(Article, "Harbour News!") == "harbour-news-3"
    assert unique_slug(Article, "Ünïcode & Ça va") == "unicode-ca-va"
    assert unique_slug(Article, "!!!", fallback="article") == "article"


def test_every_slug_byline_makes_fits_every_slug_column(make_article):
    # Room for the longest slug plus the "-N" unique_slug() appends, in every kind's column.
    for model in (Article, Section, Topic, User, OldSlug):
        assert model.__table__.c.slug.type.length >= MAX_SLUG_LENGTH + 20, model
    title = "Harbour " * 40
    make_article(slug=unique_slug(Article, title))
    longest = unique_slug(Article, title)
    assert longest.endswith("-2") and len(longest) <= MAX_SLUG_LENGTH + 2


def test_settings_defaults_and_saving(app):
    assert settings.load().site_title == "Byline"
    settings.save(site_title="Harbour Herald", comments_close_after_days=30)
    db.session.remove()
    loaded = settings.load()
    assert (loaded.site_title, loaded.comments_close_after_days) == ("Harbour Herald", 30)
    with pytest.raises(KeyError):
        settings.save(nonsense=1)


def test_settings_are_read_once_per_session_and_again_after_a_save(app):
    settings.save(tagline="Read once")
    first = settings.load()
    assert settings.load() is first
    # A change this session did not make through save() shows in the next session.
    db.session.execute(
        update(SiteSetting).where(SiteSetting.key == "tagline").values(value="Elsewhere")
    )
    db.session.commit()
    assert settings.load() is first
    db.session.remove()
    assert settings.load().tagline == "Elsewhere"
    assert settings.save(tagline="Saved here").tagline == "Saved here"
    assert settings.load().tagline == "Saved here"


def image_bytes(fmt="PNG", size=(2000, 1000), mode="RGB", color=(200, 40, 40)):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def test_store_image_makes_renditions(app):
    upload = uploads.store_image(image_bytes("JPEG"), "photo.jpg")
    db.session.commit()
    assert (upload.width, upload.height, upload.content_type) == (2000, 1000, "image/jpeg")
    assert sorted(int(w) for w in upload.variants if w.isdigit()) == [480, 960, 1600]
    root = uploads.uploads_root()
    for path, width in upload.srcset_items():
        with Image.open(root / path) as stored:
            assert stored.width == width


@pytest.mark.parametrize(
    "data",
    [b"not an image", b"GIF89a" + b"\x00" * 20, b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_store_image_rejects_non_images(app, data):
    with pytest.raises(uploads.UploadRejected):
        uploads.store_image(data, "x.png")


def test_store_image_rejects_decompression_bombs(app):
    with pytest.raises(uploads.UploadRejected):
        uploads.store_image(image_bytes("PNG", size=(7000, 7000), mode="1", color=0), "bomb.png")
