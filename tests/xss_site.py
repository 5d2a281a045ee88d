"""A site whose every text field holds XSS payloads, written through Byline's services.

Payload i becomes author i's name and bio, section i's and topic i's name and description,
and article i (by author i, in section i, on topic i): its title, brief, body, cover alt
text and caption, an editor's comment, a correction (every other one retracted, with the
payload as its reason) and a reader's comment (name and body); and static
page i: its title, summary, body, cover alt text and caption, with its byline. Names are
cut to their field's limit and numbered, as they must be unique. The newsroom's text
goes through the editor forms' input filter first (BaseForm drops NUL and control
characters), as it does on the site; readers' comments are cleaned by the service itself.
"""

import io
from dataclasses import dataclass, field

from PIL import Image

from blog import textfold
from blog.models import Article, Page, Role, User
from blog.services import (
    comments,
    corrections,
    moderation,
    notes,
    pages,
    profiles,
    publishing,
    settings,
    taxonomy,
    uploads,
    users,
)
from blog.services.comments import CommentData
from blog.services.moderation import ModerationAction
from blog.text import strip_control_characters

SEARCH_WORD = "zebra"  # in every title and body, so one search lists every article


@dataclass
class SeededSite:
    articles: list[Article] = field(default_factory=list)
    authors: list[User] = field(default_factory=list)
    section_slugs: list[str] = field(default_factory=list)
    topic_slugs: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def public_paths(self) -> list[str]:
        """Every public page and feed that shows one of the seeded fields."""
        paths = ["/", "/feed.xml", f"/search?q={SEARCH_WORD}", "/corrections"]
        paths += [f"/articles/{a.slug}" for a in self.articles]
        paths += [f"/articles/{a.slug}/comments/feed.xml" for a in self.articles]
        paths += ["/authors", *(f"/author/{u.slug}" for u in self.authors)]
        for slug in self.section_slugs:
            paths += [f"/section/{slug}", f"/section/{slug}/feed.xml"]
        for slug in self.topic_slugs:
            paths += [f"/topic/{slug}", f"/topic/{slug}/feed.xml"]
        paths += [f"/{page.slug}" for page in self.pages]
        return paths


def numbered(payload: str, index: int, limit: int) -> str:
    suffix = f" #{index}"
    return payload[: limit - len(suffix)] + suffix


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def seed(payloads: list[str], actor: User) -> SeededSite:
    """Write the payloads everywhere; `actor` is an editor or admin who publishes."""
    site = SeededSite()
    settings.update(moderation_policy="none")
    cover = uploads.store_image(png(), "cover.png", uploaded_by_id=actor.id)
    for index, raw in enumerate(payloads):
        payload = strip_control_characters(raw)
        author = users.invite_user(f"xss{index}@byline.test", f"Author {index}", Role.AUTHOR)
        # Display names refuse invisible and bidi characters, as readers' names do.
        name = numbered(visible(payload), index, 120)
        profiles.update_profile(author, display_name=name, bio=payload)
        section = taxonomy.create_section(numbered(payload, index, 80), description=payload)
        topic = taxonomy.create_topic(numbered(payload, index, 80), description=payload)
        changes = publishing.ArticleChanges(
            title=numbered(f"{payload} {SEARCH_WORD}", index, 300),
            brief=payload,
            body=f"{SEARCH_WORD}\n\n{payload}",
            section_id=section.id,
            topic_ids=[topic.id],
            cover_id=cover.id,
            cover_alt=payload[:300],
            cover_caption=payload[:500],
            author_ids=[author.id],
        )
        article = publishing.create_article(changes, actor=actor, action=publishing.Action.PUBLISH)
        notes.add_note(article, actor, payload)
        # A correction on each article (in its JSON-LD too), every other one retracted.
        text = payload[:2000].strip() or "x"
        note = corrections.add_correction(article, actor, "correction", text)
        if index % 2 == 0:
            corrections.retract(note, actor, payload[:500].strip() or "x")
        comment = comments.submit(
            article,
            # The name form refuses invisible and bidi characters (blog.textfold); the
            # rest of the payload goes in.
            CommentData(name=visible(raw)[:80], body=raw, email=f"reader{index}@example.org"),
            client_key=f"reader-{index}",
        )
        moderation.moderate([comment.id], ModerationAction.APPROVE)
        page = pages.create_page(
            pages.PageChanges(
                title=numbered(payload, index, 300),
                slug=f"page-{index}",
                summary=payload[:300] if payload[:300].strip() else "x",
                body=payload,
                cover_id=cover.id,
                cover_alt=payload[:300],
                cover_caption=payload[:500],
                show_byline=True,
                show_updated=True,
            ),
            actor=actor,
            action=pages.PageAction.PUBLISH,
        )
        site.pages.append(page)
        site.articles.append(article)
        site.authors.append(author)
        site.section_slugs.append(section.slug)
        site.topic_slugs.append(topic.slug)
    return site


def visible(payload: str) -> str:
    """The payload without the invisible characters a reader's name may not hold."""
    return "".join(char for char in payload if not textfold.is_invisible(char)) or "x"


def text_settings(payload: str) -> dict[str, str]:
    """Every text setting that a page shows, holding the payload (as the form leaves it)."""
    payload = strip_control_characters(payload)
    return {
        "site_title": payload[:120].strip() or "x",
        "tagline": payload[:200],
        "about": payload,
        "share_prompt": payload[:300],
        "share_thanks": payload[:300],
    }
