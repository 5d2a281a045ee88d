"""Stylesheets are served minified under the hash of the minified bytes, one per family of
pages, and the pages signed-out staff see load none of the editor's tools."""

import re
import shutil
from pathlib import Path

import pytest

from blog import create_app, stylesheets
from blog.assets import asset_url

ROOT = Path(__file__).resolve().parent.parent
LINKED = re.compile(r'<link rel="stylesheet" href="/static/(css/[\w-]+)\.([0-9a-f]{12})\.css"')
# What each stylesheet the sign-in page links is made of, imports first.
SOURCES = {"css/editor-base": ("site.css", "editor-base.css"), "css/print": ("print.css",)}
SIGNED_OUT = ("/editor/login", "/editor/forgot", "/editor/reset/not-a-token")


def linked(html: str) -> list[str]:
    return [name for name, _digest in LINKED.findall(html)]


def test_the_fingerprinted_stylesheet_is_the_minified_build(client):
    html = client.get("/editor/login").get_data(as_text=True)
    for name, digest in LINKED.findall(html):
        with client.get(f"/static/{name}.{digest}.css") as response:
            served = response.get_data()
        assert response.status_code == 200
        built, built_digest = stylesheets.build(ROOT / "static" / f"{name}.css")
        assert served == built and digest == built_digest, name
        source = sum(len((ROOT / "static/css" / part).read_bytes()) for part in SOURCES[name])
        assert len(served) < 0.9 * source, name
        assert b"/*" not in served and b"\n" not in served.strip()
        assert b"@import" not in served  # the imported stylesheets are in it
    # The plain name is the hand-written source, as a browser could read it.
    with client.get("/static/css/editor-base.css") as plain:
        assert plain.get_data() == (ROOT / "static/css/editor-base.css").read_bytes()


def test_each_family_of_pages_links_one_stylesheet_of_its_own(client, make_article, editor, login):
    article = make_article()
    for path in ("/", f"/articles/{article.slug}"):
        assert linked(client.get(path).get_data(as_text=True)) == ["css/site", "css/print"]
    for path in SIGNED_OUT:
        assert linked(client.get(path).get_data(as_text=True)) == [
            "css/editor-base",
            "css/print",
        ], path
    login(editor)
    assert linked(client.get("/editor/").get_data(as_text=True)) == ["css/editor", "css/print"]


def test_the_sign_in_pages_load_no_rule_of_the_editor_tools(app):
    """editor.css holds the rules only signed-in pages use (measured with Chromium's CSS
    coverage of the sign-in pages); editor-base.css, what the sign-in pages load, has
    site.css and the editor's look, and none of them."""
    with app.test_request_context():
        base, _ = stylesheets.build(ROOT / "static/css/editor-base.css")
        editor, _ = stylesheets.build(ROOT / "static/css/editor.css")
        site, _ = stylesheets.build(ROOT / "static/css/site.css")
    assert editor.startswith(base) and base.startswith(site)
    for tool in (
        b".data-table",
        b".editor-nav{",
        b".link-button",
        b".panel{",
        b".editor-main fieldset{",
    ):
        assert tool in editor and tool not in base, tool
    assert b".auth-box{" in base and b".field-errors{" in base


def test_the_fingerprint_follows_the_source_and_what_it_imports(tmp_path):
    static, instance = tmp_path / "static", tmp_path / "instance"
    shutil.copytree(ROOT / "static" / "css", static / "css")
    app = create_app({"SECRET_KEY": "x", "TESTING": True})
    app.static_folder, app.instance_path = str(static), str(instance)

    def urls() -> dict[str, str]:
        with app.test_request_context():
            return {name: asset_url(f"css/{name}.css") for name in ("site", "editor")}

    def served(url: str) -> bytes:
        with app.test_client().get(url) as response:
            assert response.status_code == 200
            assert "immutable" in response.headers["Cache-Control"]
            return response.get_data()

    before = urls()
    old_editor = served(before["editor"])
    site = static / "css" / "site.css"
    site.write_text(site.read_text() + "\n.new-rule { color: red; }\n")
    after = urls()
    assert after["site"] != before["site"] and after["editor"] != before["editor"]
    assert b".new-rule{color:red}" in served(after["editor"])
    assert old_editor != served(after["editor"])
    # The copy the proxies serve was written again too.
    assert (instance / "minified/css/editor.css").read_bytes() == served(after["editor"])
    # Removed (a cleaned instance folder): written again at the next request.
    (instance / "minified/css/site.css").unlink()
    assert served(after["site"]) == (instance / "minified/css/site.css").read_bytes()


def test_an_import_of_a_missing_stylesheet_is_an_error(tmp_path):
    (tmp_path / "a.css").write_text('@import "b.css";\n.a { color: red; }\n')
    with pytest.raises(stylesheets.StylesheetError, match="b.css is missing"):
        stylesheets.build(tmp_path / "a.css")
    (tmp_path / "b.css").write_text('@import "a.css";\n')
    with pytest.raises(stylesheets.StylesheetError, match="imports itself"):
        stylesheets.build(tmp_path / "a.css")
