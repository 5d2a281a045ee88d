"""The layers hold: services know nothing of requests or forms, views hold no queries.

Read from the source with `ast`, so a new module is checked the day it is written. See
docs/architecture.md ("Layers").
"""

import ast
from pathlib import Path

import pytest

BLOG = Path(__file__).resolve().parent.parent / "blog"

# What a service may not reach for: the request, the session, per-request globals, the
# signed-in user, forms. (current_app, for configuration, is allowed.)
REQUEST_NAMES = {"request", "session", "g", "after_this_request", "abort", "flash"}
FORBIDDEN_IN_SERVICES = ("flask_login", "flask_wtf", "wtforms", "blog.forms", "blog.editor")
VIEW_MODULES = sorted(
    [
        *(BLOG / "editor").glob("*.py"),
        *(BLOG / "public").glob("*.py"),
        BLOG / "comments" / "views.py",
    ]
)
SERVICE_MODULES = sorted([*(BLOG / "services").glob("*.py"), BLOG / "permissions.py"])


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def imports(module: ast.Module) -> list[tuple[str, str | None]]:
    """(module, name) for every import; name is None for `import x`."""
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def name(path: Path) -> str:
    return str(path.relative_to(BLOG.parent))


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=name)
def test_services_do_not_reach_into_the_request_or_forms(path):
    wrong = [
        f"{module}.{imported}" if imported else module
        for module, imported in imports(tree(path))
        if module.startswith(FORBIDDEN_IN_SERVICES)
        or (module == "flask" and imported in REQUEST_NAMES)
    ]
    assert wrong == [], f"{name(path)} imports {wrong}"


def queries(module: ast.Module) -> list[str]:
    """Places that talk to the database directly: `db.session`, `db.get_or_404`-style
    helpers, and SQLAlchemy imports (but its exceptions, which a view may answer)."""
    found = []
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "db"
        ):
            found.append(f"line {node.lineno}: db.{node.attr}")
    for module_name, _ in imports(module):
        if module_name.split(".")[0] == "sqlalchemy" and module_name != "sqlalchemy.exc":
            found.append(f"imports {module_name}")
    return found


@pytest.mark.parametrize("path", VIEW_MODULES, ids=name)
def test_views_hold_no_queries(path):
    assert queries(tree(path)) == [], f"{name(path)} queries the database itself"


@pytest.mark.parametrize(
    "path", sorted([*(BLOG / "public").glob("*.py"), BLOG / "errors.py"]), ids=name
)
def test_public_pages_do_not_import_the_operations_checks(path):
    assert not any(module == "blog.checks" for module, _ in imports(tree(path)))


def test_the_checks_see_every_module():
    """The globs above find the modules they are meant to (a moved folder would make every
    check pass vacuously)."""
    assert len(VIEW_MODULES) >= 15
    assert len(SERVICE_MODULES) >= 15
    assert BLOG / "services" / "publishing.py" in SERVICE_MODULES
    assert BLOG / "public" / "views.py" in VIEW_MODULES
