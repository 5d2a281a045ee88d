"""Authors: the card after each article, author pages only for people with a public
story, the newsroom at /authors, and the name a first admin chooses on first sign-in."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.avatars import monogram
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    AuditEntry,
    OldSlug,
    Role,
    SlugKind,
    Upload,
    User,
)
from blog.models.base import utcnow
from blog.services import articles, profiles, users
from tests.conftest import PASSWORD


def html(response) -> str:
    return response.get_data(as_text=True)


def fresh(model, item_id):
    """The row as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, item_id)


def avatar_upload(name: str = "face") -> Upload:
    """An avatar row with a smaller rendition (pages link to the files, never open them)."""
    return Upload(
        path=f"2026/01/{name}.png",
        content_type="image/png",
        width=1200,
        height=1200,
        variants={"480": f"2026/01/{name}-480.png", "960": f"2026/01/{name}-960.png"},
    )


def section_of(page: str, css_class: str) -> str:
    """The markup of the first <section> (or <ul>/<article>) carrying this class."""
    match = re.search(rf'<(section|ul|article) class="{css_class}"', page)
    assert match, f"no .{css_class}"
    tag = match.group(1)
    return page[match.start() : page.index(f"</{tag}>", match.start())]


# ---------------------------------------------------------------- the author card


def test_the_author_card_follows_the_story_and_links_to_the_author(client, make_article, make_user):
    writer = make_user(
        name="Maria de la Cruz", bio="Covers the port.\nFormerly at the Gazette.",
        avatar=avatar_upload(),
    )  # fmt: skip
    story = make_article("Ferries return", author=writer)
    page = html(client.get(f"/articles/{story.slug}"))

    card = section_of(page, "author-card")
    assert "Maria de la Cruz" in card
    assert "Covers the port.\nFormerly at the Gazette." in card  # plain text, lines kept
    assert f'href="/author/{writer.slug}"' in card
    assert "More stories by <bdi>Maria de la Cruz</bdi>" in card
    # The avatar in responsive sizes: the browser picks a small rendition for a small box.
    assert 'src="/uploads/2026/01/face.png"' in card
    assert "/uploads/2026/01/face-480.png 480w" in card
    assert 'sizes="(min-width: 40rem) 4.5rem, 3.5rem"' in card  # .author-card .avatar
    # After the body, topics and editor's comments; before the share block.
    assert page.index('class="article-body"') < page.index('class="author-card"')
    assert page.index('class="author-card"') < page.index('id="share"')


def test_an_author_without_avatar_gets_initials(client, make_article, make_user):
    writer = make_user(name="Maria de la Cruz")
    single = make_user(name="Plato")
    story = make_article(author=writer)
    card = section_of(html(client.get(f"/articles/{story.slug}")), "author-card")
    hue = monogram(writer.display_name, writer.id).css_class  # coloured by the account
    assert f'<span class="avatar avatar-initial {hue}" aria-hidden="true">MC</span>' in card
    assert "<img" not in card
    other = make_article(author=single)
    card = section_of(html(client.get(f"/articles/{other.slug}")), "author-card")
    hue = monogram(single.display_name, single.id).css_class
    assert f'<span class="avatar avatar-initial {hue}" aria-hidden="true">P</span>' in card


def test_the_card_leaves_out_an_empty_bio(client, make_article, make_user):
    story = make_article(author=make_user(name="Quiet Writer", bio=""))
    card = section_of(html(client.get(f"/articles/{story.slug}")), "author-card")
    assert "author-card-bio" not in card and "Quiet Writer" in card


# ---------------------------------------------------------------- author pages


def test_only_people_with_a_public_story_have_an_author_page(client, make_article, make_user):
    published = make_user(name="Pia Published")
    make_article(author=published)
    drafter = make_user(name="Dora Drafter")
    make_article(author=drafter, status=ArticleStatus.DRAFT)
    scheduled = make_user(name="Sam Scheduled")
    make_article(author=scheduled, published_at=utcnow() + timedelta(days=1))
    never = make_user(Role.EDITOR, name="Ned Neverwrote")

    assert client.get(f"/author/{published.slug}").status_code == 200
    for person in (drafter, scheduled, never):
        assert client.get(f"/author/{person.slug}").status_code == 404, person.display_name
    assert articles.listing_owner(SlugKind.AUTHOR, drafter.slug) is None


def test_a_deactivated_author_keeps_the_page_and_the_credit(client, make_article, make_user):
    gone = make_user(name="Former Staffer", active=False)
    story = make_article("An old scoop", author=gone)
    assert "An old scoop" in html(client.get(f"/author/{gone.slug}"))
    assert "Former Staffer" in section_of(
        html(client.get(f"/articles/{story.slug}")), "author-card"
    )
    assert "Former Staffer" in html(client.get("/authors"))


def test_unpublishing_the_last_story_closes_the_page(client, make_article, make_user):
    writer = make_user(name="Una Once")
    story = make_article(author=writer)
    assert client.get(f"/author/{writer.slug}").status_code == 200
    story.status = ArticleStatus.DRAFT
    db.session.commit()
    assert client.get(f"/author/{writer.slug}").status_code == 404
    assert "Una Once" not in html(client.get("/authors"))


def test_an_old_author_address_leads_only_to_a_public_page(client, make_article, make_user):
    writer = make_user(name="Rita Renamed", slug="rita-new")
    quiet = make_user(name="Quentin Quiet", slug="quentin-new")
    make_article(author=writer)
    db.session.add_all(
        [
            OldSlug(kind=SlugKind.AUTHOR, slug="rita-old", target_id=writer.id),
            OldSlug(kind=SlugKind.AUTHOR, slug="quentin-old", target_id=quiet.id),
        ]
    )
    db.session.commit()
    moved = client.get("/author/rita-old?page=1")
    assert moved.status_code == 301 and moved.headers["Location"] == "/author/rita-new?page=1"
    assert client.get("/author/quentin-old").status_code == 404  # not where the page went


def test_the_author_page_breadcrumb_leads_to_the_newsroom(client, make_article, make_user):
    writer = make_user(name="Bea Crumb")
    make_article(author=writer)
    page = html(client.get(f"/author/{writer.slug}"))
    start = page.index('<nav class="breadcrumb"')
    trail = page[start : page.index("</nav>", start)]
    assert re.search(
        r'<a href="/">Home</a> › <a href="/authors">Authors</a> › '
        r'<span aria-current="page">Bea Crumb</span>',
        trail,
    ), trail


def test_the_sitemap_lists_only_public_authors(client, make_article, make_user):
    public = make_user(name="In Sitemap", slug="in-sitemap")
    make_article(author=public)
    hidden = make_user(name="Not In Sitemap", slug="not-in-sitemap")
    make_article(author=hidden, status=ArticleStatus.DRAFT)
    xml = html(client.get("/sitemap.xml"))
    assert "/author/in-sitemap</loc>" in xml and "/authors</loc>" in xml
    assert "/topics</loc>" in xml  # the other index of the site
    assert "/author/not-in-sitemap" not in xml


# ---------------------------------------------------------------- the newsroom


def test_the_newsroom_lists_people_with_public_stories_and_counts(
    client, make_article, make_user, count_queries
):
    zed = make_user(name="zed Zimmer", bio="Night desk. " * 40, avatar=avatar_upload("zed"))
    amy = make_user(name="Amy Adler", bio="Courts.")
    make_article(author=zed)
    make_article(author=amy)
    make_article(author=amy)
    make_article(author=amy, status=ArticleStatus.DRAFT)  # not counted
    make_article(author=amy, published_at=utcnow() + timedelta(hours=2))  # nor this
    make_user(Role.EDITOR, name="Edna Editor")  # never wrote: not listed
    drafter = make_user(name="Dan Drafts")
    make_article(author=drafter, status=ArticleStatus.REVIEW)

    response = client.get("/authors")
    assert response.status_code == 200
    page = html(response)
    newsroom = section_of(page, "newsroom")
    people = re.findall(r'<a href="/author/([^"]+)" dir="auto">([^<]+)</a>', newsroom)
    assert people == [(amy.slug, "Amy Adler"), (zed.slug, "zed Zimmer")]  # by name, any case
    assert "Edna Editor" not in page and "Dan Drafts" not in page
    amy_entry, zed_entry = newsroom.split('<li class="newsroom-person">')[1:]
    assert "2 stories" in amy_entry and "Courts." in amy_entry
    hue = monogram(amy.display_name, amy.id).css_class
    assert f'class="avatar avatar-initial {hue}" aria-hidden="true">AA<' in amy_entry
    assert "1 story" in zed_entry
    assert 'src="/uploads/2026/01/zed.png"' in zed_entry
    bio = re.search(r'class="newsroom-bio" dir="auto">([^<]*)</p>', zed_entry).group(1)
    assert len(bio) < 200 and bio.endswith("…")  # a short bio on the index
    assert '<span aria-current="page">Authors</span>' in page

    assert len(articles.newsroom()) == 2
    with count_queries() as counter:
        entries = articles.newsroom()
        [entry.person.avatar for entry in entries]  # eager-loaded
    assert counter.count == 1
    assert [(e.person.display_name, e.article_count) for e in entries] == [
        ("Amy Adler", 2),
        ("zed Zimmer", 1),
    ]


def test_the_newsroom_is_linked_from_every_public_page(client, make_article):
    story = make_article()
    for path in ("/", f"/articles/{story.slug}", "/authors"):
        footer = html(client.get(path)).split('<footer class="site-footer">')[1]
        assert re.search(r'<a href="/authors"[^>]*>Authors</a>', footer), path


def test_the_newsroom_changes_at_once(client, make_article, make_user):
    empty = html(client.get("/authors"))
    assert "No stories have been published yet." in empty
    writer = make_user(name="Newly Published")
    make_article(author=writer)
    assert "Newly Published" in html(client.get("/authors"))  # not the cached copy


# ---------------------------------------------------------------- choosing a name


@pytest.fixture
def newcomer(make_user) -> User:
    """The first admin as `flask init` leaves it: a placeholder name nobody chose."""
    return make_user(
        Role.ADMIN, name=users.PLACEHOLDER_NAME, slug="site-admin", name_confirmed=False
    )


def editor_get_paths(app) -> list[str]:
    """Every editor page a browser may open (arguments filled with any value: the welcome
    check runs before the view looks anything up)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("editor.") or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("editor.welcome", "editor.logout"):
            continue
        values = {arg: "up" if arg == "direction" else "1" for arg in rule.arguments}
        paths.append(rule.build(values)[1])
    return paths


def test_an_unconfirmed_admin_is_sent_to_choose_a_name_from_every_editor_page(
    app, client, login, newcomer
):
    response = login(newcomer)
    assert response.headers["Location"] == "/editor/"
    assert client.get("/editor/").headers["Location"] == "/editor/welcome?next=/editor/"
    paths = editor_get_paths(app)
    assert "/editor/profile" in paths and "/editor/login" in paths and len(paths) > 15
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/editor/welcome"), path
    # A form sent anyway does nothing.
    response = client.post("/editor/articles/new", data={"title": "Sneaky", "body": "x"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/welcome"
    assert db.session.scalar(select(Article).where(Article.title == "Sneaky")) is None

    page = html(client.get("/editor/welcome"))
    assert "Choose the name readers will see" in page
    assert re.search(r'<input[^>]*id="display_name"[^>]*value=""', page), "starts empty"
    assert users.PLACEHOLDER_NAME not in page.split('id="display_name"')[1].split(">")[0]


def test_signing_out_works_before_a_name_is_chosen(client, login, newcomer):
    login(newcomer)
    response = client.post("/editor/logout")
    assert response.status_code == 302 and "/editor/login" in response.headers["Location"]
    assert "/editor/login" in client.get("/editor/").headers["Location"]


def test_choosing_a_name_confirms_it_and_the_editor_opens(client, login, newcomer):
    login(newcomer)
    response = client.get("/editor/articles/?status=draft")
    assert response.headers["Location"] == ("/editor/welcome?next=/editor/articles/?status%3Ddraft")
    response = client.post(
        response.headers["Location"],
        data={"display_name": "  Maria   Lopez ", "bio": "Editor-in-chief."},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/articles/?status=draft"  # where they went

    admin = fresh(User, newcomer.id)
    assert (admin.display_name, admin.bio, admin.name_confirmed) == (
        "Maria Lopez",
        "Editor-in-chief.",
        True,
    )
    assert admin.slug == "maria-lopez"  # the page address follows the chosen name
    assert db.session.scalar(select(OldSlug.target_id).where(OldSlug.slug == "site-admin")) == (
        admin.id
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.name"))
    assert entry.actor_id == admin.id and entry.actor_name == "Maria Lopez"
    assert entry.target == f"user {admin.id}: Maria Lopez"
    assert entry.details == {"previous": users.PLACEHOLDER_NAME}

    # Afterwards the editor is as usual, and the welcome page is no longer asked for.
    assert client.get("/editor/").status_code == 200
    assert client.get("/editor/profile").status_code == 200
    assert client.get("/editor/welcome").headers["Location"] == "/editor/"


def test_a_refused_name_is_shown_again_with_what_was_typed(client, login, newcomer):
    login(newcomer)
    for name, message in (
        ("   ", "This field is required."),
        ("Maria\u202e Lopez", "invisible or text-direction"),
        ("x" * 121, "120"),
    ):
        response = client.post("/editor/welcome", data={"display_name": name, "bio": "My bio."})
        assert response.status_code == 200, name
        page = html(response)
        assert message in page, (name, page[page.find("field-errors") :][:300])
        assert "My bio." in page
    assert fresh(User, newcomer.id).name_confirmed is False
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.name")) is None


def test_the_next_page_must_be_on_this_site(client, login, newcomer):
    login(newcomer)
    response = client.post(
        "/editor/welcome?next=//evil.example/x", data={"display_name": "Maria Lopez"}
    )
    assert response.headers["Location"] == "/editor/"


def test_the_service_checks_names_as_profiles_do(newcomer):
    with pytest.raises(users.UserRejected) as refused:
        profiles.choose_name(newcomer, display_name="\u200b")
    assert refused.value.field == "display_name"
    assert profiles.needs_name(newcomer)
    profiles.choose_name(newcomer, display_name="Site Admin")  # chosen, even if unchanged
    assert not profiles.needs_name(fresh(User, newcomer.id))
    assert fresh(User, newcomer.id).slug == "site-admin"
    assert db.session.scalars(select(OldSlug)).all() == []  # nothing to redirect


# ---------------------------------------------------------------- who is asked


def test_init_creates_an_admin_who_is_asked_for_a_name(runner):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "asked for the name readers will see" in result.output
    admin = db.session.scalar(select(User))
    assert admin.role == Role.ADMIN and admin.display_name == users.PLACEHOLDER_NAME
    assert admin.name_confirmed is False


def test_invited_and_created_people_with_a_name_are_confirmed(client, login, make_user):
    invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
    created = users.create_user(
        "carl@byline.test", "Carl Created", Role.EDITOR, PASSWORD, must_change_password=False
    )
    nameless = users.create_user("nobody@byline.test", "  ", Role.AUTHOR, PASSWORD)
    assert invited.name_confirmed and created.name_confirmed
    assert nameless.display_name == "nobody" and not nameless.name_confirmed

    admin = make_user(Role.ADMIN, name="Alma Admin")
    login(admin)
    response = client.post(
        "/editor/users/new",
        data={"email": "fay@byline.test", "display_name": "Fay Form", "role": "author",
              "access": "invite"},
    )  # fmt: skip
    assert response.status_code < 400
    fay = db.session.scalar(select(User).where(User.email == "fay@byline.test"))
    assert fay is not None and fay.name_confirmed

    # A confirmed account signs straight in to the editor.
    other = client.application.test_client()
    signed = other.post("/editor/login", data={"email": created.email, "password": PASSWORD})
    assert signed.headers["Location"] == "/editor/"
    assert other.get("/editor/").status_code == 200
