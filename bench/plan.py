"""The benchmark site's rows, planned in Python: deterministic for a given size and seed."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bench import corpus
from blog.models import MAX_DEPTH, NETWORKS
from blog.rendering import count_words, render_article, render_comment

if TYPE_CHECKING:
    from bench.seed import SiteSize

ARTICLE_INTERVAL = timedelta(hours=2)  # one story every two hours, newest an hour ago
DRAFT_EVERY = 50  # every 50th article is a draft, every 50th (offset) waits in review
BODY_VARIANTS = 8
COMMENT_VARIANTS = 16
READERS = 3_000
REPLY_SHARE = 0.35  # of comments that answer an earlier one
RECENCY_SKEW = 0.35  # newer articles draw more comments: weight = (rank + 1) ** -skew
PAGE_ARTICLE_COMMENTS = 100  # approved, on the article the article-page run reads
PAGE_ARTICLE_ROOTS = 40
COMMENT_TARGETS = 20  # articles the mixed load posts comments to
STATUSES = (("approved", 0.90), ("pending", 0.05), ("spam", 0.03), ("deleted", 0.02))


@dataclass
class Plan:
    users: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    article_topics: list[dict] = field(default_factory=list)
    editor_comments: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    share_tallies: list[dict] = field(default_factory=list)
    share_receipts: list[dict] = field(default_factory=list)
    # For the driver:
    page_article: dict = field(default_factory=dict)  # id and slug
    listing_section: dict = field(default_factory=dict)  # slug and articles
    listing_topic: dict = field(default_factory=dict)  # slug and articles
    comment_targets: list[dict] = field(default_factory=list)  # id, slug, reply_to
    commenter_emails: list[str] = field(default_factory=list)  # readers with approved comments


def make_plan(size: SiteSize, rng: random.Random, now: datetime) -> Plan:
    plan = Plan()
    _people_and_taxonomy(plan, size, now)
    published = _articles(plan, size, rng, now)
    _comments(plan, size, rng, now, published)
    _shares(plan, rng, now, published)
    _editor_comments(plan, rng, now, published)
    _driver_facts(plan, published)
    return plan


def _people_and_taxonomy(plan: Plan, size: SiteSize, now: datetime) -> None:
    created = now - timedelta(days=3 * 365)
    for n, (name, role) in enumerate(corpus.STAFF, start=1):
        slug = corpus.slugify(name)
        plan.users.append(
            {
                "id": n,
                "email": f"{slug}@newsroom.example",
                "display_name": name,
                "slug": slug,
                "bio": f"{name} writes for the newsroom.",
                "avatar_id": None,
                "role": role,
                "password_hash": "",  # the editor's run gives its account one (inprocess)
                "active": True,
                "session_version": 1,
                "created_at": created,
                "last_login_at": None,
            }
        )
    for n, name in enumerate(corpus.SECTION_NAMES, start=1):
        plan.sections.append(
            {
                "id": n,
                "name": name,
                "slug": corpus.slugify(name),
                "description": f"{name} from the newsroom.",
                "position": n,
                "created_at": created,
            }
        )
    for n, name in enumerate(corpus.topic_names(size.topics), start=1):
        plan.topics.append(
            {
                "id": n,
                "name": name,
                "slug": corpus.slugify(name),
                "description": "",
                "created_at": created,
            }
        )


def _articles(plan: Plan, size: SiteSize, rng: random.Random, now: datetime) -> list[dict]:
    """All articles, oldest first; returns the published ones."""
    bodies = []
    for _ in range(BODY_VARIANTS):
        markdown = corpus.article_body(rng, rng.randint(600, 1100))
        bodies.append((markdown, render_article(markdown), count_words(markdown)))
    n = size.articles
    newest = now - timedelta(hours=1)
    featured = {n - 3, n - 40, n - 200}
    page_article_id = next(i for i in range(n - 5, 0, -1) if i % DRAFT_EVERY not in (0, 25))
    published = []
    for i in range(1, n + 1):
        status = "published"
        if i % DRAFT_EVERY == 0:
            status = "draft"
        elif i % DRAFT_EVERY == DRAFT_EVERY // 2:
            status = "review"
        when = newest - (n - i) * ARTICLE_INTERVAL
        title = corpus.title(rng)
        markdown, html, words = bodies[i % BODY_VARIANTS]
        row = {
            "id": i,
            "slug": f"{corpus.slugify(title)}-{i}",
            "title": title,
            "brief": corpus.brief(rng),
            "body_md": markdown,
            "body_html": html,
            "word_count": words,
            "cover_id": None,
            "cover_alt": "",
            "cover_caption": "",
            "author_id": rng.randint(1, len(plan.users)),
            "section_id": rng.randint(1, len(plan.sections)),
            "status": status,
            "is_featured": i in featured and status == "published",
            "published_at": when if status == "published" else None,
            "created_at": when - timedelta(hours=20),
            "updated_at": when,
            "comments_open": True,
            "version": 1,
            "comment_count": 0,
            "share_count": 0,
        }
        plan.articles.append(row)
        for topic_id in rng.sample(range(1, len(plan.topics) + 1), rng.randint(1, 4)):
            plan.article_topics.append({"article_id": i, "topic_id": topic_id})
        if status == "published":
            published.append(row)
        if i == page_article_id:
            plan.page_article = {"id": i, "slug": row["slug"]}
    return published


def _comments(
    plan: Plan, size: SiteSize, rng: random.Random, now: datetime, published: list[dict]
) -> None:
    variants = []
    for _ in range(COMMENT_VARIANTS):
        markdown = corpus.comment_body(rng)
        variants.append((markdown, render_comment(markdown)))
    readers = [corpus.reader(n) for n in range(READERS)]
    keys = [f"{rng.getrandbits(128):032x}" for _ in range(READERS)]
    latest = now - timedelta(minutes=1)
    by_id = {row["id"]: row for row in published}
    page_id = plan.page_article["id"]

    def add(article: dict, seq: int, parent: dict | None, status: str) -> dict:
        markdown, html = variants[rng.randrange(COMMENT_VARIANTS)]
        reader = rng.randrange(READERS)
        created = min(article["published_at"] + timedelta(minutes=4 + 7 * seq), latest)
        row = {
            "id": len(plan.comments) + 1,
            "article_id": article["id"],
            "parent_id": parent["id"] if parent else None,
            "depth": parent["depth"] + 1 if parent else 1,
            "status": status,
            "author_name": readers[reader][0],
            "author_email": readers[reader][1],
            "body_md": markdown,
            "body_html": html,
            "is_staff": False,
            "user_id": None,
            "client_key": keys[reader],
            "created_at": created,
            "updated_at": created,
        }
        plan.comments.append(row)
        if status == "approved":
            article["comment_count"] += 1
        return row

    # The article page's thread: 100 approved comments on one page (40 top-level
    # comments, 40 replies, 20 replies to replies) and a few that readers do not see.
    page_article = by_id[page_id]
    roots = [add(page_article, s, None, "approved") for s in range(PAGE_ARTICLE_ROOTS)]
    seq = PAGE_ARTICLE_ROOTS
    replies = []
    for root in roots:
        replies.append(add(page_article, seq, root, "approved"))
        seq += 1
    for reply in replies[: PAGE_ARTICLE_COMMENTS - 2 * PAGE_ARTICLE_ROOTS]:
        add(page_article, seq, reply, "approved")
        seq += 1
    for status in ("pending", "pending", "spam", "deleted"):
        add(page_article, seq, None, status)
        seq += 1

    others = [row for row in reversed(published) if row["id"] != page_id]  # newest first
    weights = [(rank + 1) ** -RECENCY_SKEW for rank in range(len(others))]
    remaining = max(0, size.comments - len(plan.comments))
    picks = Counter(rng.choices(range(len(others)), weights, k=remaining))
    statuses, status_weights = zip(*STATUSES, strict=True)
    for index in sorted(picks, reverse=True):  # oldest article first: ids follow time
        article = others[index]
        open_parents: list[dict] = []
        for seq in range(picks[index]):
            parent = None
            if open_parents and rng.random() < REPLY_SHARE:
                parent = rng.choice(open_parents[-12:])
            row = add(article, seq, parent, rng.choices(statuses, status_weights)[0])
            if row["status"] == "approved" and row["depth"] < MAX_DEPTH:
                open_parents.append(row)


def _shares(plan: Plan, rng: random.Random, now: datetime, published: list[dict]) -> None:
    """Each article is shared on a few days after publication; receipts are kept for
    today and yesterday, as Byline prunes older ones."""
    today = now.date()
    keep_from = today - timedelta(days=1)
    for article in published:
        first: date = article["published_at"].date()
        recent = (today - first).days < 7
        for offset in range(rng.randint(1, 4)):
            day = first + timedelta(days=offset)
            if day > today:
                break
            for network in rng.sample(NETWORKS, rng.randint(1, 3)):
                count = rng.randint(1, 40 if recent else 8)
                plan.share_tallies.append(
                    {"article_id": article["id"], "network": network, "day": day, "count": count}
                )
                article["share_count"] += count
                if day >= keep_from:
                    created = datetime.combine(day, now.timetz()) if day < today else now
                    for _ in range(count):
                        plan.share_receipts.append(
                            {
                                "article_id": article["id"],
                                "network": network,
                                "day": day,
                                "client_key": f"{rng.getrandbits(128):032x}",
                                "created_at": created,
                            }
                        )


def _editor_comments(plan: Plan, rng: random.Random, now: datetime, published: list[dict]) -> None:
    notes = []
    for _ in range(3):
        markdown = corpus.paragraph(rng, 2)
        notes.append((markdown, render_article(markdown)))
    editors = [u["id"] for u in plan.users if u["role"] in ("editor", "admin")]
    page_id = plan.page_article["id"]
    for article in published:
        count = 2 if article["id"] == page_id else int(article["id"] % 25 == 7)
        for n in range(count):
            markdown, html = notes[(article["id"] + n) % len(notes)]
            created = article["published_at"] + timedelta(minutes=30 + n)
            plan.editor_comments.append(
                {
                    "id": len(plan.editor_comments) + 1,
                    "article_id": article["id"],
                    "editor_id": editors[(article["id"] + n) % len(editors)],
                    "body_md": markdown,
                    "body_html": html,
                    "created_at": created,
                    "updated_at": created,
                }
            )


def _driver_facts(plan: Plan, published: list[dict]) -> None:
    """The listing and topic the driver reads, and where the mixed load comments."""
    per_section = Counter(a["section_id"] for a in published)
    section_id, section_count = per_section.most_common(1)[0]
    plan.listing_section = {
        "slug": plan.sections[section_id - 1]["slug"],
        "articles": section_count,
    }
    public = {a["id"] for a in published}
    per_topic = Counter(t["topic_id"] for t in plan.article_topics if t["article_id"] in public)
    topic_id, topic_count = per_topic.most_common(1)[0]
    plan.listing_topic = {"slug": plan.topics[topic_id - 1]["slug"], "articles": topic_count}

    first_approved: dict[int, int] = {}
    emails: list[str] = []
    for comment in plan.comments:
        if comment["status"] != "approved":
            continue
        if comment["depth"] == 1:
            first_approved.setdefault(comment["article_id"], comment["id"])
        if len(emails) < 200 and comment["author_email"] not in emails:
            emails.append(comment["author_email"])
    plan.commenter_emails = emails
    page_id = plan.page_article["id"]
    candidates = [a for a in reversed(published) if a["id"] != page_id]
    plan.comment_targets = [
        {"id": a["id"], "slug": a["slug"], "reply_to": first_approved.get(a["id"])}
        for a in candidates[:COMMENT_TARGETS]
    ]
