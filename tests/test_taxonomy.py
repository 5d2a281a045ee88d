"""Rules for sections, topics, people and site settings, tested on the services directly."""

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, OldSlug, Role, Section, SlugKind, Topic
from blog.services import invitations, profiles, settings, slugs, taxonomy, users
from blog.services.settings import SettingsRejected
from blog.services.taxonomy import TaxonomyError
from blog.services.uploads import UploadRejected
from blog.services.users import InvitationInvalid, UserRejected
from tests.conftest import PASSWORD


def old_slugs(kind: SlugKind) -> set[tuple[str, int]]:
    return {
        (row.slug, row.target_id)
        for row in db.session.scalars(select(OldSlug).where(OldSlug.kind == kind))
    }


# Sections


def test_new_sections_go_last_with_a_slug_from_the_name(make_section):
    make_section("Existing", position=4)
    section = taxonomy.create_section("  World   News ", description=" The world. ")
    assert (section.name, section.slug, section.description) == (
        "World News",
        "world-news",
        "The world.",
    )
    assert section.position == 5
    assert taxonomy.create_section("World news!").slug == "world-news-2"


def test_section_names_and_slugs_must_be_free_and_well_formed(make_section):
    make_section("Politics", slug="politics")
    with pytest.raises(TaxonomyError) as caught:
        taxonomy.create_section("politics")
    assert caught.value.field == "name"
    with pytest.raises(TaxonomyError) as caught:
        taxonomy.create_section("Government", slug="politics")
    assert caught.value.field == "slug"
    assert taxonomy.create_section("Typed", slug=" Typed-Slug ").slug == "typed-slug"
    for bad in ("two words", "trailing-", "-leading", "double--hyphen", "ümlaut", "a/b"):
        with pytest.raises(TaxonomyError):
            taxonomy.create_section(f"Name {bad}", slug=bad)
    with pytest.raises(TaxonomyError):
        taxonomy.create_section("   ")
    assert db.session.scalar(select(Section).where(Section.name == "Government")) is None


def test_renaming_keeps_the_old_slug_and_renaming_back_drops_it(make_section):
    section = make_section("World", slug="world")
    taxonomy.update_section(section, "World news", "world-news", "")
    assert section.slug == "world-news"
    assert old_slugs(SlugKind.SECTION) == {("world", section.id)}

    taxonomy.update_section(section, "World", "world", "")
    # The live slug wins: no redirect away from it remains, the other one redirects here.
    assert old_slugs(SlugKind.SECTION) == {("world-news", section.id)}


def test_keeping_an_old_slug_never_drops_anothers_redirect(make_section):
    first, second = make_section(slug="first"), make_section(slug="second")
    slugs.keep_old_slug(SlugKind.SECTION, first.id, "first", "premier")
    slugs.keep_old_slug(SlugKind.SECTION, second.id, "second", "first")
    assert old_slugs(SlugKind.SECTION) == {("first", first.id), ("second", second.id)}


def test_renaming_without_a_slug_keeps_the_address(make_section):
    section = make_section("Sport", slug="sport")
    taxonomy.update_section(section, "Sports and games", None, "All of it.")
    assert (section.name, section.slug) == ("Sports and games", "sport")
    assert old_slugs(SlugKind.SECTION) == set()


def test_a_slug_another_section_gave_up_stays_its_old_address(make_section):
    first = make_section("First", slug="first")
    taxonomy.update_section(first, "First", "premier", "")
    with pytest.raises(TaxonomyError, match="still leads to the section") as caught:
        taxonomy.create_section("Second", slug="first")
    assert caught.value.field == "slug"
    assert taxonomy.create_section("First!").slug == "first-2"
    assert old_slugs(SlugKind.SECTION) == {("first", first.id)}

    # Once the section is gone, so are its old addresses: the slug is free again.
    taxonomy.delete_section(first)
    second = taxonomy.create_section("Second", slug="first")
    taxonomy.update_section(second, "Second", "second", "")
    assert old_slugs(SlugKind.SECTION) == {("first", second.id)}


def test_moving_sections_swaps_neighbours_and_stops_at_the_ends(make_section):
    a, b, c = (
        make_section("A", position=0),
        make_section("B", position=0),
        make_section("C", position=7),
    )
    taxonomy.move_section(c, "up")
    assert [s.name for s in taxonomy.ordered_sections()] == ["A", "C", "B"]
    taxonomy.move_section(a, "up")
    taxonomy.move_section(b, "down")
    assert [s.name for s in taxonomy.ordered_sections()] == ["A", "C", "B"]
    assert [s.position for s in taxonomy.ordered_sections()] == [0, 1, 2]
    taxonomy.move_section(a, "down")
    assert [s.name for s in taxonomy.ordered_sections()] == ["C", "A", "B"]
    with pytest.raises(TaxonomyError):
        taxonomy.move_section(a, "sideways")


def test_a_section_with_articles_is_only_deleted_by_moving_them(make_section, make_article):
    doomed, home = make_section("Doomed", slug="doomed"), make_section("Home", slug="home")
    taxonomy.update_section(doomed, "Doomed", "doomed-now", "")  # leaves an old slug
    article = make_article(section=doomed)
    with pytest.raises(TaxonomyError, match="still has 1 article") as caught:
        taxonomy.delete_section(doomed)
    assert caught.value.field == "move_to"
    with pytest.raises(TaxonomyError):
        taxonomy.delete_section(doomed, move_to=doomed)
    assert db.session.get(Section, doomed.id) is not None

    doomed_id = doomed.id
    assert taxonomy.delete_section(doomed, move_to=home) == 1
    assert db.session.get(Section, doomed_id) is None
    assert db.session.get(Article, article.id).section_id == home.id
    assert old_slugs(SlugKind.SECTION) == {("doomed", home.id), ("doomed-now", home.id)}
    assert [s.position for s in taxonomy.ordered_sections()] == [0]


def test_an_empty_section_is_deleted_with_its_old_slugs(make_section):
    section = make_section("Empty", slug="empty")
    taxonomy.update_section(section, "Empty", "vacant", "")
    assert taxonomy.delete_section(section) == 0
    assert db.session.scalars(select(Section)).all() == []
    assert old_slugs(SlugKind.SECTION) == set()


# Topics


def test_topics_are_created_renamed_and_deleted_without_their_articles(make_article, make_topic):
    topic = taxonomy.create_topic("Climate Change")
    assert topic.slug == "climate-change"
    kept = make_topic("Kept")
    article = make_article(topics=[topic, kept])
    taxonomy.update_topic(topic, "Climate", "climate", "Weather, longer.")
    assert old_slugs(SlugKind.TOPIC) == {("climate-change", topic.id)}
    with pytest.raises(TaxonomyError):
        taxonomy.update_topic(kept, "Climate", None, "")

    assert taxonomy.delete_topic(topic) == 1
    db.session.expire_all()
    assert [t.name for t in db.session.get(Article, article.id).topics] == ["Kept"]
    assert db.session.scalar(select(Topic).where(Topic.name == "Climate")) is None
    assert old_slugs(SlugKind.TOPIC) == set()


# People


def test_invitations_are_signed_expire_and_work_once(app, admin):
    user = users.invite_user("New.Person@Byline.test", "New Person", Role.AUTHOR)
    assert user.email == "new.person@byline.test"
    assert users.authenticate(user.email, "") is None and invitations.is_invitation_pending(user)
    token = invitations.invitation_token(user)
    assert invitations.invited_user(token) == user
    # Change a character that carries signature bits only (the last may be padding bits).
    forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(InvitationInvalid):
        invitations.invited_user(forged)
    with pytest.raises(UserRejected) as caught:
        invitations.accept_invitation(token, "short")
    assert caught.value.field == "password"
    db.session.rollback()

    invitations.accept_invitation(token, "a long enough password")
    assert users.authenticate("new.person@byline.test", "a long enough password") == user
    with pytest.raises(InvitationInvalid, match="already been used"):
        invitations.accept_invitation(token, "another long password")

    app.config["INVITATION_MAX_AGE"] = -1
    other = users.invite_user("other@byline.test", "", Role.EDITOR)
    assert other.display_name == "other"
    with pytest.raises(InvitationInvalid, match="expired"):
        invitations.invited_user(invitations.invitation_token(other))


def test_a_deactivated_invitee_cannot_accept(admin):
    user = users.invite_user("late@byline.test", "Late", Role.AUTHOR)
    token = invitations.invitation_token(user)
    users.deactivate(user)
    with pytest.raises(InvitationInvalid):
        invitations.invited_user(token)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(admin, make_user):
    with pytest.raises(UserRejected, match="at least one active administrator"):
        users.change_role(admin, Role.EDITOR)
    with pytest.raises(UserRejected):
        users.deactivate(admin)
    assert admin.role == Role.ADMIN and admin.active

    retired = make_user(Role.ADMIN, active=False)
    with pytest.raises(UserRejected):
        users.deactivate(admin)  # an inactive admin does not count

    second = make_user(Role.ADMIN)
    version = admin.session_version
    users.deactivate(admin)
    assert not admin.active and admin.session_version == version + 1
    with pytest.raises(UserRejected):
        users.change_role(second, Role.AUTHOR)
    users.reactivate(admin)
    users.change_role(second, Role.AUTHOR)
    assert second.role == Role.AUTHOR
    users.change_role(retired, Role.AUTHOR)  # demoting an inactive admin is always fine


def test_temporary_password_and_password_change_end_sessions(author):
    version = author.session_version
    temporary = users.issue_temporary_password(author)
    assert len(temporary) >= users.MIN_PASSWORD_LENGTH
    assert users.authenticate(author.email, temporary) == author
    assert users.authenticate(author.email, PASSWORD) is None
    assert author.session_version == version + 1

    with pytest.raises(UserRejected) as caught:
        users.change_password(author, "wrong password", "a brand new password")
    assert caught.value.field == "current_password"
    with pytest.raises(UserRejected) as caught:
        users.change_password(author, temporary, "too short")
    assert caught.value.field == "new_password"
    db.session.rollback()
    users.change_password(author, temporary, "a brand new password")
    assert users.authenticate(author.email, "a brand new password") == author
    assert author.session_version == version + 2


def test_profile_keeps_the_author_slug_unless_it_is_changed(author, make_user):
    make_user(slug="taken")
    slug = author.slug
    profiles.update_profile(author, display_name="  Ada   Lovelace ", bio=" Numbers. ")
    assert (author.display_name, author.slug, author.bio) == ("Ada Lovelace", slug, "Numbers.")
    with pytest.raises(UserRejected) as caught:
        profiles.update_profile(author, display_name="Ada", bio="", slug="taken")
    assert caught.value.field == "slug"
    db.session.rollback()
    with pytest.raises(UserRejected):
        profiles.update_profile(author, display_name="Ada", bio="", slug="Not OK")
    db.session.rollback()
    profiles.update_profile(author, display_name="Ada", bio="", slug="ada-lovelace")
    assert author.slug == "ada-lovelace"
    assert old_slugs(SlugKind.AUTHOR) == {(slug, author.id)}


def test_a_refused_avatar_keeps_nothing_of_the_change(author):
    slug = author.slug
    with pytest.raises(UploadRejected) as caught:
        profiles.update_profile(
            author,
            display_name="Someone Else",
            bio="",
            slug="someone-else",
            avatar=profiles.AvatarFile(b"not an image", "me.png"),
        )
    assert caught.value.field == "avatar_file"
    assert (author.display_name, author.slug) != ("Someone Else", "someone-else")
    assert author.slug == slug and old_slugs(SlugKind.AUTHOR) == set()


def test_a_slug_saved_under_a_longer_limit_is_kept_until_changed(make_section, make_user):
    long_slug = "-".join(["harbour"] * 12)  # 95 characters, as an earlier limit allowed
    section = make_section("Harbour", slug=long_slug)
    person = make_user(slug=long_slug)
    taxonomy.update_section(section, "Harbour news", long_slug, "")
    profiles.update_profile(person, display_name="Harbour Person", bio="", slug=long_slug)
    assert (section.name, section.slug, person.slug) == ("Harbour news", long_slug, long_slug)
    too_long = "a" * (slugs.MAX_SLUG_LENGTH + 1)
    with pytest.raises(TaxonomyError) as refused:
        taxonomy.update_section(section, "Harbour news", too_long, "")
    assert refused.value.field == "slug"
    with pytest.raises(UserRejected) as refused:
        profiles.update_profile(person, display_name="Harbour Person", bio="", slug=too_long)
    assert refused.value.field == "slug"
    assert db.session.scalar(select(Section.slug)) == long_slug  # refused, the session works


# Site settings


def test_settings_are_validated_and_normalised(app):
    with pytest.raises(SettingsRejected) as caught:
        settings.update(timezone="Mars/Olympus_Mons")
    assert caught.value.field == "timezone"
    with pytest.raises(SettingsRejected):
        settings.update(moderation_policy="sometimes")
    for days in (-1, 36_501, "7", True):
        with pytest.raises(SettingsRejected):
            settings.update(comments_close_after_days=days)
    with pytest.raises(SettingsRejected):
        settings.update(site_title="   ")
    with pytest.raises(KeyError):
        settings.update(colour="blue")
    assert settings.load() == settings.SiteSettings()

    saved = settings.update(
        site_title=" The Daily Test ",
        block_list="spam\n\n  buy   now \nSPAM\ncasino\n",
        comments_close_after_days=30,
        timezone="Europe/Berlin",
        moderation_policy="all",
    )
    assert saved.site_title == "The Daily Test"
    assert saved.block_list == "spam\nbuy now\ncasino"
    assert settings.blocked_phrases() == ["spam", "buy now", "casino"]
    assert (saved.comments_close_after_days, saved.timezone) == (30, "Europe/Berlin")
    assert settings.load().moderation_policy == "all"
