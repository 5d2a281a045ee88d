"""Loads the demo newsroom into an empty site, with locally generated images."""

import io
import random
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import func, select

from blog import demo_content
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    EditorComment,
    Page,
    PageStatus,
    Role,
    Section,
    ShareTally,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.services import counters, uploads, users
from blog.services.slugs import unique_slug

COVER_SIZE = (1600, 900)
AVATAR_SIZE = 256


def _font(size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def avatar_image(name: str, color: str) -> bytes:
    """A round-friendly square with the person's initials."""
    image = Image.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), _hex_rgb(color))
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2), initials, fill="white", font=_font(104), anchor="mm"
    )
    return _png(image)


def cover_image(seed: int) -> bytes:
    """Abstract art: a soft gradient with overlapping translucent shapes."""
    rng = random.Random(seed)
    width, height = COVER_SIZE
    base = [rng.randint(20, 90) for _ in range(3)]
    accent = [rng.randint(120, 235) for _ in range(3)]
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(COVER_SIZE)
    image = Image.composite(
        Image.new("RGB", COVER_SIZE, tuple(accent)),
        Image.new("RGB", COVER_SIZE, tuple(base)),
        gradient,
    )
    overlay = Image.new("RGBA", COVER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(5, 9)):
        radius = rng.randint(80, 420)
        x, y = rng.randint(0, width), rng.randint(0, height)
        fill = tuple(rng.randint(40, 255) for _ in range(3)) + (rng.randint(60, 140),)
        if rng.random() < 0.5:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        else:
            draw.rectangle((x - radius, y - radius // 3, x + radius, y + radius // 3), fill=fill)
    overlay = overlay.filter(ImageFilter.GaussianBlur(6))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def load() -> int:
    """Create the demo site; returns the number of articles, 0 when articles already exist.

    Raises DemoContentError, naming the file, when the demo data cannot be used."""
    if db.session.scalar(select(func.count(Article.id))):
        return 0
    content = demo_content.read()
    now = utcnow()

    sections = {
        data["slug"]: _find(Section, Section.slug, data["slug"])
        or _add(Section(position=position, **data))
        for position, data in enumerate(content.sections)
    }
    topics = {
        data["slug"]: _find(Topic, Topic.slug, data["slug"]) or _add(Topic(**data))
        for data in content.topics
    }
    people = {
        data["slug"]: _find(User, User.email, data["email"]) or _add(_person(data))
        for data in content.people
    }
    editors = [p for p in people.values() if p.role in (Role.EDITOR, Role.ADMIN)]
    db.session.flush()

    today = utcnow().date()
    for index, data in enumerate(content.articles):
        published_at = now - timedelta(days=data["days_ago"])
        article = Article(
            title=data["title"],
            slug=unique_slug(Article, data["slug"]),
            brief=data["brief"],
            author=people[data["author"]],
            coauthors=[people[slug] for slug in data.get("coauthors", [])],
            section=sections[data["section"]],
            topics=[topics[slug] for slug in data["topics"]],
            status=ArticleStatus.PUBLISHED,
            is_featured=data.get("featured", False),
            published_at=published_at,
            created_at=published_at - timedelta(hours=3),
            updated_at=published_at,
        )
        article.set_body(data["body"])
        if data.get("cover"):
            article.cover = uploads.store_image(cover_image(index), f"cover-{index}.jpg")
            article.cover_alt = data["cover"]["alt"]
            article.cover_caption = data["cover"]["caption"]
        db.session.add(article)
        db.session.flush()

        for offset, note in enumerate(data["editor_comments"]):
            when = published_at + timedelta(hours=6 + offset * 20)
            comment = EditorComment(
                article=article,
                editor=editors[(index + offset) % len(editors)],
                created_at=when,
                updated_at=when,
            )
            comment.set_body(note)
            db.session.add(comment)

        _add_comments(article, data["comments"], None, published_at, random.Random(index))

        for network, count in data.get("shares", {}).items():
            # Spread each network's shares over the days since publication.
            days = max(1, min(7, int(data["days_ago"]) + 1))
            for day_offset in range(days):
                share = count // days + (1 if day_offset < count % days else 0)
                if share:
                    db.session.add(
                        ShareTally(
                            article_id=article.id,
                            network=network,
                            day=today - timedelta(days=day_offset),
                            count=share,
                        )
                    )

    for data in content.pages:
        if _find(Page, Page.slug, data["slug"]) is None:  # never over an editor's own page
            _add(_page(data, people[data["author"]], now))

    db.session.flush()
    counters.refresh_article_counters()
    db.session.commit()
    return len(content.articles)


def _find(model, column, value):
    return db.session.scalar(select(model).where(column == value))


def _add(row):
    db.session.add(row)
    return row


def _page(data: dict, author: User, now) -> Page:
    """A published static page (About, Contact, ...)."""
    page = Page(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        author=author,
        status=PageStatus.PUBLISHED,
        show_byline=data.get("show_byline", False),
        show_updated=data.get("show_updated", False),
        published_at=now,
        created_at=now,
        updated_at=now,
    )
    page.set_body(data["body"])
    return page


def _person(data: dict) -> User:
    person = User(
        email=data["email"],
        display_name=data["name"],
        slug=unique_slug(User, data["name"]),
        bio=data["bio"],
        role=Role(data["role"]),
    )
    users.set_password(person, users.generate_password())
    person.avatar = uploads.store_image(
        avatar_image(data["name"], data["color"]), f"{data['slug']}.png"
    )
    return person


def _add_comments(article, items, parent, after, rng, depth=1) -> None:
    for item in items:
        created = min(after + timedelta(minutes=rng.randint(20, 600)), utcnow())
        comment = Comment(
            article=article,
            parent=parent,
            depth=min(depth, 3),
            status=CommentStatus.APPROVED,
            author_name=item["name"],
            author_email=f"{item['name'].split()[0].lower()}@readers.example",
            created_at=created,
            updated_at=created,
        )
        comment.set_body(item["body"])
        db.session.add(comment)
        _add_comments(article, item.get("replies", []), comment, created, rng, depth + 1)
