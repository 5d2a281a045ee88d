"""Sharing: each network's share URL for an article, and counting the shares readers make.

Counts live in daily buckets (ShareTally: article, network, day -> count), with the
article's share_count kept equal to the sum of its tallies. A reader counts once per
article, network and day: a ShareReceipt (holding the hashed client key, never an
address) is inserted first, and only when that insert is new do the counters move.
Every write is a single statement that is safe when server processes race: an INSERT
... ON CONFLICT for the receipt and the tally, an UPDATE ... SET n = n + 1 for the
article, all in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote, urlencode, urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from blog.database import dialect_insert
from blog.extensions import db
from blog.models import NETWORKS, Article, ShareReceipt, ShareTally, SlugKind
from blog.models.base import utcnow
from blog.services.articles import public_article_query
from blog.services.slugs import renamed_target

# The buttons that lead to a network's own share page, in the order they are shown.
NETWORK_LABELS = {
    "x": "X",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "email": "Email",
}
# Shares made in the page by JavaScript: copying the link, the browser's share sheet.
IN_PAGE_NETWORKS = ("copy", "native")
COUNTED_NETWORKS = frozenset(NETWORKS)

# Receipts only dedupe within their day; older ones are deleted as new days begin.
RECEIPT_RETENTION_DAYS = 2

# Where a share form's 303 may lead, for the Content-Security-Policy's form-action.
# Chromium applies form-action to every redirect that follows a form POST (including
# the networks' own redirects, e.g. wa.me -> api.whatsapp.com), so a policy with
# `form-action 'self'` must also list these, or the no-JavaScript share buttons break.
FORM_ACTION_SOURCES = (
    "https://x.com",
    "https://twitter.com",
    "https://www.facebook.com",
    "https://m.facebook.com",
    "https://www.linkedin.com",
    "https://www.reddit.com",
    "https://wa.me",
    "https://api.whatsapp.com",
    "https://t.me",
    "mailto:",
)


def find_article(slug: str) -> Article | None:
    """The public article a share button names: under this slug, or under a slug it had
    before a rename."""
    article = db.session.scalar(public_article_query(slug))
    return article or renamed_target(SlugKind.ARTICLE, slug)


def _query(params: dict[str, str]) -> str:
    # %20 rather than "+" for spaces: every network (and mail client) reads it right.
    return urlencode(params, quote_via=quote)


def share_url(network: str, url: str, title: str) -> str:
    """The network's own share page (or a mailto:) for this URL and title, fully encoded.

    Every value is percent-encoded, so no title (quotes, &, #, CR/LF, NUL) can change
    the URL's structure or break out of a Location header. Copy and native shares have
    no network page: their target is the article's URL itself.
    """
    if network == "x":
        return "https://x.com/intent/post?" + _query({"url": url, "text": title})
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + _query({"url": url})
    if network == "reddit":
        return "https://www.reddit.com/submit?" + _query({"url": url, "title": title})
    if network == "whatsapp":
        return "https://wa.me/?" + _query({"text": f"{title} {url}"})
    if network == "telegram":
        return "https://t.me/share/url?" + _query({"url": url, "text": title})
    if network == "email":
        return f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}"
    if network in IN_PAGE_NETWORKS:
        return url
    raise KeyError(network)


def form_action_sources() -> str:
    """The sources a form-action directive needs besides 'self' for the share buttons."""
    return " ".join(FORM_ACTION_SOURCES)


def share_origin(target: str) -> str:
    """The CSP source a share URL belongs to: `https://host`, or `mailto:`."""
    parts = urlsplit(target)
    return f"{parts.scheme}:" if not parts.netloc else f"{parts.scheme}://{parts.netloc}"


def record_share(article: Article, network: str, *, client_key: str, day: date) -> bool:
    """Count one share of `article` on `network` by this reader today; commits.

    `client_key` is the reader's hashed client key (never an address). Returns False,
    changing nothing, when this reader already counted this article, network and day
    (or the article vanished meanwhile).
    """
    if network not in COUNTED_NETWORKS:
        raise ValueError(f"unknown share network {network!r}")
    session = db.session
    article_id = article.id
    receipt = (
        dialect_insert(ShareReceipt)
        .values(
            article_id=article_id,
            network=network,
            day=day,
            client_key=client_key,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["article_id", "network", "day", "client_key"])
        .returning(ShareReceipt.id)
    )
    tally = dialect_insert(ShareTally).values(
        article_id=article_id, network=network, day=day, count=1
    )
    tally = tally.on_conflict_do_update(
        index_elements=["article_id", "network", "day"],
        set_={"count": ShareTally.count + 1},
    ).returning(ShareTally.count)
    try:
        if session.execute(receipt).first() is None:  # already counted for this reader
            session.rollback()
            return False
        day_count = session.execute(tally).scalar_one()
        session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(share_count=Article.share_count + 1)
            # Cached pages may show a count up to PAGE_CACHE_TTL old: no new generation.
            .execution_options(synchronize_session=False, page_cache_quiet=True)
        )
        if day_count == 1:  # the first share of a new bucket: a good moment to tidy up
            prune_receipts(day - timedelta(days=RECEIPT_RETENTION_DAYS))
        session.commit()
    except IntegrityError:  # the article was deleted while we counted
        session.rollback()
        return False
    except Exception:
        session.rollback()
        raise
    return True


def prune_receipts(before: date) -> int:
    """Delete receipts of days before `before` (they no longer dedupe anything); no commit."""
    result = db.session.execute(
        delete(ShareReceipt)
        .where(ShareReceipt.day < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def share_count(article_id: int) -> int:
    """The article's current total, read fresh from the database."""
    return db.session.scalar(select(Article.share_count).where(Article.id == article_id)) or 0
