"""Pages cost a fixed number of SQL queries, whatever the amount of content."""

from blog.extensions import db
from blog.models import EditorComment, Role


def populate(make_article, make_topic, make_comment, make_user, *, comments, topics, notes):
    tags = [make_topic() for _ in range(topics)]
    article = make_article(body="Words. " * 300, topics=tags)
    for _ in range(6):
        make_article(topics=tags[:1], section=article.section)
    editor = make_user(Role.EDITOR)
    for n in range(notes):
        note = EditorComment(article=article, editor=editor)
        note.set_body(f"Note {n}")
        db.session.add(note)
    db.session.commit()
    parent = None
    for n in range(comments):
        parent = make_comment(article, f"Comment {n}", parent=parent if n % 3 else None)
    return article


def page_cost(client, count_queries, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_article_page_cost_does_not_grow(
    client, count_queries, make_article, make_topic, make_comment, make_user
):
    small = populate(
        make_article, make_topic, make_comment, make_user, comments=3, topics=1, notes=1
    )
    large = populate(
        make_article, make_topic, make_comment, make_user, comments=300, topics=8, notes=5
    )
    small_cost = page_cost(client, count_queries, f"/articles/{small.slug}")
    large_cost = page_cost(client, count_queries, f"/articles/{large.slug}")
    assert small_cost == large_cost
    assert large_cost <= 10
    # The second page of a long thread (past the first 50 top-level comments) costs the same.
    assert page_cost(client, count_queries, f"/articles/{large.slug}?comments=2") == large_cost


def test_listing_and_front_page_cost_does_not_grow(
    client, count_queries, make_article, make_section, make_topic, make_user
):
    section, topic, author = make_section(), make_topic(), make_user()
    urls = ["/", f"/section/{section.slug}", f"/topic/{topic.slug}", f"/author/{author.slug}"]
    make_article(section=section, topics=[topic], author=author)
    costs_small = [page_cost(client, count_queries, url) for url in urls]
    for _ in range(3):
        make_section()
    for _ in range(30):
        make_article(section=section, topics=[topic, make_topic()], author=author)
    costs_large = [page_cost(client, count_queries, url) for url in urls]
    # The front page runs one more query once a section has stories of its own.
    assert costs_small[1:] == costs_large[1:]
    assert costs_large[0] <= costs_small[0] + 1
    assert max(costs_large) <= 10


def test_feed_and_sitemap_cost_does_not_grow(client, count_queries, make_article):
    make_article()
    small = [page_cost(client, count_queries, u) for u in ("/feed.xml", "/sitemap.xml")]
    for _ in range(20):
        make_article()
    assert [page_cost(client, count_queries, u) for u in ("/feed.xml", "/sitemap.xml")] == small
