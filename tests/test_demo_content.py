"""The demo newsroom's data files: consistent, shipped with the package, named when broken."""

import shutil
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog import create_app, demo_content
from blog.demo_content import DemoContentError
from blog.extensions import db
from blog.models import Page, PageStatus
from blog.services import pages
from blog.services.publishing import is_well_formed
from blog.services.slugs import make_slug

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "blog" / "demo_content"
FIRST = "articles/01-council-approves-two-year-trial-of-car-free-saturdays-on-quay-street.md"
ABOUT = "pages/about.md"


def data_files_on_disk() -> set[str]:
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    }


def comments_in(items: list) -> list:
    return [item for c in items for item in [c, *comments_in(c.get("replies", []))]]


def test_the_demo_newsroom_hangs_together():
    content = demo_content.read()
    sections = {s["slug"] for s in content.sections}
    topics = {t["slug"] for t in content.topics}
    people = {p["slug"]: p for p in content.people}
    articles = content.articles

    assert len(articles) >= 40
    assert len({a["slug"] for a in articles}) == len(articles)
    assert len({p["email"] for p in people.values()}) == len(people)
    assert {p["role"] for p in people.values()} == {"admin", "editor", "author"}
    for number, article in enumerate(articles, 1):
        assert article["file"] == f"{number:02d}-{article['slug']}.md"
        assert article["slug"] == make_slug(article["title"])
        assert article["section"] in sections
        assert article["author"] in people
        assert article["topics"] and set(article["topics"]) <= topics
        assert article["brief"] and len(article["body"].split()) >= 300
        assert article["days_ago"] >= 0
        assert all(c["name"] and c["body"] for c in comments_in(article["comments"]))
    # Every section and topic has stories, and the demo shows every kind of content.
    assert {a["section"] for a in articles} == sections
    assert {t for a in articles for t in a["topics"]} == topics
    assert any(a.get("featured") for a in articles)
    assert any(a.get("cover") for a in articles) and any(a.get("shares") for a in articles)
    assert any(a["editor_comments"] for a in articles)
    assert any(c.get("replies") for a in articles for c in a["comments"])


def test_every_demo_file_is_package_data_that_importlib_finds():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["blog.demo_content"]
    shipped = {
        path.relative_to(PACKAGE).as_posix()
        for pattern in patterns
        for path in PACKAGE.glob(pattern)
    }
    on_disk = data_files_on_disk()
    assert "newsroom.toml" in on_disk and len(on_disk) > 40
    assert on_disk <= shipped

    root = resources.files("blog.demo_content")
    found = {entry.name for entry in root.iterdir() if entry.is_file()}
    found |= {f"articles/{entry.name}" for entry in (root / "articles").iterdir()}
    found |= {f"pages/{entry.name}" for entry in (root / "pages").iterdir()}
    assert on_disk <= found


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def break_front_matter(root):
    rewrite(root / FIRST, "featured = true", "featured = yes")


def drop_closing_fence(root):
    rewrite(root / FIRST, "+++\n\nHarborview", "\nHarborview")


def name_a_missing_section(root):
    rewrite(root / FIRST, 'section = "city"', 'section = "gardening"')


def misspell_a_key(root):
    rewrite(root / FIRST, "featured = true", "featurd = true")


def repeat_an_article(root):
    shutil.copy(root / FIRST, root / FIRST.replace("/01-", "/99-"))


def discuss_a_missing_article(root):
    rewrite(root / "newsroom.toml", 'article = "council-approves', 'article = "council-rejects')


def give_an_unknown_role(root):
    rewrite(root / "newsroom.toml", 'role = "editor"', 'role = "publisher"')


def break_the_newsroom_file(root):
    rewrite(root / "newsroom.toml", "[[sections]]", "[[sections]")


def credit_a_page_to_a_stranger(root):
    rewrite(root / ABOUT, 'author = "helen-ashdown"', 'author = "nobody"')


def rename_a_page_file(root):
    (root / ABOUT).rename(root / "pages" / "about-us.md")


@pytest.mark.parametrize(
    ("damage", "named", "said"),
    [
        (break_front_matter, FIRST, "front matter: Invalid value (at line 8, column 12)"),
        (drop_closing_fence, FIRST, "no closing +++ line"),
        (name_a_missing_section, FIRST, "section 'gardening' is not in newsroom.toml"),
        (misspell_a_key, FIRST, "unknown key 'featurd'"),
        (repeat_an_article, FIRST.replace("/01-", "/99-"), "slug 'council-approves"),
        (discuss_a_missing_article, "newsroom.toml: discussions[0]", "no article has the slug"),
        (give_an_unknown_role, "newsroom.toml: people[1]", "role must be one of"),
        (break_the_newsroom_file, "newsroom.toml", "line 5"),
        (credit_a_page_to_a_stranger, ABOUT, "author 'nobody' is not in newsroom.toml"),
        (rename_a_page_file, "pages/about-us.md", "name the file about.md"),
    ],
)
def test_a_damaged_data_file_is_named(tmp_path, damage, named, said):
    root = tmp_path / "demo_content"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    assert demo_content.read(root).articles  # the copy reads as it is
    damage(root)
    with pytest.raises(DemoContentError) as caught:
        demo_content.read(root)
    assert caught.value.message.startswith(f"{root}/{named}:")
    assert said in caught.value.message


def test_the_demo_has_the_newsroom_s_own_pages():
    content = demo_content.read()
    people = {p["slug"] for p in content.people}
    by_slug = {page["slug"]: page for page in content.pages}
    assert set(by_slug) == {"about", "contact", "corrections-policy", "privacy"}
    app = create_app({"SECRET_KEY": "x"})
    with app.app_context():
        for slug, page in by_slug.items():
            assert page["author"] in people and page["summary"] and page["title"]
            assert is_well_formed(slug)
            assert pages.route_holding(slug) is None, f"/{slug} would hide a route"
            assert len(page["summary"]) <= pages.MAX_SUMMARY_LENGTH
    # Written for Byline: what it stores and what it does not.
    privacy = by_slug["privacy"]["body"]
    for promise in ("no analytics", "**never shown**", "keyed", "byline_comments", "two days"):
        assert promise in privacy, promise
    assert "Editor's Comments" in by_slug["corrections-policy"]["body"]
    assert "/corrections-policy" in by_slug["contact"]["body"]


def test_the_demo_publishes_its_pages_once(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    published = db.session.scalars(select(Page).order_by(Page.slug)).all()
    assert [p.slug for p in published] == ["about", "contact", "corrections-policy", "privacy"]
    assert all(p.status == PageStatus.PUBLISHED and p.body_html for p in published)
    about = client.get("/about")
    assert about.status_code == 200 and "<h1>About Byline</h1>" in about.get_data(as_text=True)
    assert "/privacy" in client.get("/sitemap.xml").get_data(as_text=True)

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "already has articles" in again.output
    assert db.session.scalar(select(func.count(Page.id))) == 4
