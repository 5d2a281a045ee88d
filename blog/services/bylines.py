"""Who an article credits: the lead author and the co-authors after them, in byline order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, inspect, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from blog.extensions import db
from blog.models import Article, ArticleCoauthor, User

MAX_AUTHORS = 6  # the lead author and up to five co-authors
FIELD = "authors"  # the form field a refusal is shown beside (above the form if none)

NO_AUTHOR = "Credit at least one author."
TOO_MANY = f"An article credits at most {MAX_AUTHORS} authors."
REPEATED = "Credit each author once."
NOT_ACTIVE = "Credit active members of the newsroom only."


def credits_person(user_id: int) -> ColumnElement[bool]:
    """The article names this person as its lead author or a co-author (for the editor's
    lists; the public pages read the same two indexes through
    articles.public_ids_crediting)."""
    coauthored = select(ArticleCoauthor.article_id).where(ArticleCoauthor.user_id == user_id)
    return (Article.author_id == user_id) | Article.id.in_(coauthored)


def credited_ids(article: Article) -> set[int]:
    """Everyone the article credits now (none for a new article)."""
    if article.id is None:
        return set()
    return {article.author_id, *(link.user_id for link in article.coauthor_links)}


def chosen_authors(
    article: Article, author_ids: list[int] | None, errors: dict[str, str]
) -> list[User] | None:
    """The people the byline is to credit, lead first, or None to keep it as it is. A
    list the rules refuse puts its reason in `errors`: one to six people, each once, each
    with an active account (someone credited already keeps their credit after leaving)."""
    if author_ids is None:
        return None
    if not author_ids:
        errors[FIELD] = NO_AUTHOR
        return None
    if len(author_ids) > MAX_AUTHORS:
        errors[FIELD] = TOO_MANY
        return None
    if len(set(author_ids)) != len(author_ids):
        errors[FIELD] = REPEATED
        return None
    people = {
        user.id: user for user in db.session.scalars(select(User).where(User.id.in_(author_ids)))
    }
    kept = credited_ids(article)
    if any(
        person_id not in people or not (people[person_id].active or person_id in kept)
        for person_id in author_ids
    ):
        errors[FIELD] = NOT_ACTIVE
        return None
    return [people[person_id] for person_id in author_ids]


def credit(article: Article, people: list[User]) -> None:
    """Make the byline these people, in this order; a co-author kept keeps their row."""
    lead, *others = people
    article.author, article.author_id = lead, lead.id
    if [link.user_id for link in article.coauthor_links] == [person.id for person in others]:
        return
    kept = {link.user_id: link for link in article.coauthor_links}
    article.coauthor_links = [
        kept.get(person.id) or ArticleCoauthor(user=person) for person in others
    ]
    for position, link in enumerate(article.coauthor_links, start=1):
        link.position = position


def coauthor_links_query(article_ids: list[int]):
    return (
        select(ArticleCoauthor)
        .where(ArticleCoauthor.article_id.in_(article_ids))
        .options(joinedload(ArticleCoauthor.user).joinedload(User.avatar))
        .order_by(ArticleCoauthor.article_id, ArticleCoauthor.position)
    )


def load_coauthors(articles: Iterable[Article | None]) -> None:
    """Read the co-authors of all these articles in one query (none when every one has
    them already): a page that gathers its stories from several queries pays once."""
    pending = {
        article.id: article
        for article in articles
        if article is not None and "coauthor_links" in inspect(article).unloaded
    }
    if not pending:
        return
    found: dict[int, list[ArticleCoauthor]] = defaultdict(list)
    for link in db.session.scalars(coauthor_links_query(sorted(pending))):
        found[link.article_id].append(link)
    for article_id, article in pending.items():
        set_committed_value(article, "coauthor_links", found[article_id])
