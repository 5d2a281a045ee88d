"""What each test needs, as markers (registered in pyproject.toml) put on it at collection:

- browser: the tests under tests/browser (Chromium and the demo site);
- live_server: a test that starts gunicorn, itself or through a fixture or a helper;
- deploy: tests/test_deploy*.py (nginx, Caddy, systemd and openssl), and a test that
  runs nginx or Caddy itself, through a fixture or a helper;
- postgresql: a test run on PostgreSQL (a "postgresql" parameter) or one that creates
  a PostgreSQL database of its own;
- slow: a test that takes seconds of its own, listed in SLOW from `--durations`.

`make test-fast` leaves all five out. What a test reaches is read from its code: the
names its function and its fixtures use, followed through the helpers in tests/.
"""

import inspect
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# What starts a gunicorn, and what creates a PostgreSQL database: (file in tests/, name).
STARTS_A_SERVER = {("live_server.py", "running_server"), ("browser/demo_site.py", "demo_site")}
CREATES_A_DATABASE = {("conftest.py", "TemporaryPostgres")}
RUNS_A_PROXY = {("deploy_helpers.py", "loopback_nginx"), ("deploy_helpers.py", "loopback_caddy")}
# Tests (file::function, with all their parameters) of over about two and a half seconds,
# measured with `pytest -n 2 --durations=0` on two cores.
SLOW = {
    "test_xss_fields.py::test_every_field_holds_the_corpus_inert_on_every_page",
    "test_startup.py::test_pending_migrations_stop_gunicorn_until_init_applies_them",
    "test_startup.py::test_the_secret_key_is_created_once_by_racing_processes",
    "test_startup.py::test_gunicorn_refuses_to_start_on_a_bad_setting",
    "test_accounts_security.py::test_unknown_email_and_wrong_password_take_the_same_time",
    "test_accounts_security.py::test_an_email_identity_is_stable_and_ignores_invisible_characters",
    "test_validators_redos.py::test_a_request_sized_sign_in_is_refused_with_the_form_again",
    "test_fuzz_forms.py::test_hostile_payloads_never_answer_500",
    "test_cli.py::test_demo_fills_an_empty_site_once",
    "test_input_security.py::test_sql_looking_values_in_every_public_parameter",
    "test_import_wordpress_reader.py::test_memory_stays_flat_on_a_large_export",
    "test_import_ghost_reader.py::test_reading_a_60_mb_export_keeps_memory_flat",
    "test_proxy_page_races.py::test_a_copy_retired_as_the_proxy_opens_it_is_answered_by_byline",
}


def _where(obj) -> tuple[str, str] | None:
    """(file relative to tests/, qualified name) of a function or class defined in tests/.
    The file is read from the code, not the module: the two conftest.py files are both
    imported as the module "conftest"."""
    files = [Path(body.co_filename) for body, _ in _bodies(obj)]
    path = next((file.resolve() for file in files if file.is_file()), None)
    if path is None or not path.is_relative_to(TESTS):
        return None
    return path.relative_to(TESTS).as_posix(), getattr(obj, "__qualname__", "")


def _bodies(obj) -> Iterator[tuple[types.CodeType, dict]]:
    """The code of a function, or of every method of a class, with its module's names."""
    for member in vars(obj).values() if inspect.isclass(obj) else [obj]:
        if isinstance(member, staticmethod | classmethod):
            member = member.__func__
        elif isinstance(member, property):
            member = member.fget
        member = inspect.unwrap(member) if callable(member) else member
        if inspect.isfunction(member):
            yield member.__code__, member.__globals__


def _reaches(code: types.CodeType, names: dict, targets: set, seen: set) -> bool:
    """Whether this code uses a target, directly or through functions and classes of tests/."""
    for name in code.co_names:
        obj = names.get(name)
        where = None if obj is None or id(obj) in seen else _where(obj)
        if where is None:
            continue
        seen.add(id(obj))
        if where in targets:
            return True
        if any(_reaches(body, space, targets, seen) for body, space in _bodies(obj)):
            return True
    return any(
        _reaches(const, names, targets, seen)
        for const in code.co_consts
        if isinstance(const, types.CodeType)
    )


def _uses(item: pytest.Function, targets: set, *, parametrized_fixtures: bool) -> bool:
    """Whether the test or one of its fixtures reaches a target. A fixture parametrised
    over the engines picks PostgreSQL by its parameter, so the caller may leave those out."""
    functions = [item.function]
    for fixturedefs in item._fixtureinfo.name2fixturedefs.values():
        functions += [
            fixturedef.func
            for fixturedef in fixturedefs
            if parametrized_fixtures or fixturedef.params is None
        ]
    seen: set = set()
    return any(
        _reaches(body, space, targets, seen)
        for function in functions
        for body, space in _bodies(function)
    )


def needs(item: pytest.Item) -> set[str]:
    """The markers this test earns."""
    path = item.path.resolve().relative_to(TESTS)
    marks = set()
    if path.parts[0] == "browser":
        marks.add("browser")
    if path.name.startswith("test_deploy"):
        marks.add("deploy")
    if f"{path.name}::{getattr(item, 'originalname', item.name)}" in SLOW:
        marks.add("slow")
    if not isinstance(item, pytest.Function):
        return marks
    callspec = getattr(item, "callspec", None)
    on_postgresql = callspec is not None and "postgresql" in callspec.params.values()
    if on_postgresql or _uses(item, CREATES_A_DATABASE, parametrized_fixtures=False):
        marks.add("postgresql")
    if _uses(item, STARTS_A_SERVER, parametrized_fixtures=True):
        marks.add("live_server")
    if _uses(item, RUNS_A_PROXY, parametrized_fixtures=True):
        marks.add("deploy")
    return marks


def module_scheduler(config: pytest.Config, log):
    """xdist's loadscope (each module's tests on one worker, so its module-scoped fixtures
    are made once), with all of tests/browser as one unit, for the one demo site. The
    xdist_group marker cannot say this: pytest 9.2 ignores the node id xdist rewrites
    (pytest-xdist issue 1386)."""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser"
            return super()._split_scope(nodeid)

    return ModuleScheduling(config, log)


def apply(config: pytest.Config, items: list[pytest.Item], databases: list[str]) -> None:
    """Mark every test; leave out (deselect, not skip) PostgreSQL tests when
    BYLINE_TEST_DATABASES names SQLite alone."""
    kept, left_out = [], []
    for item in items:
        for name in sorted(needs(item)):
            item.add_marker(getattr(pytest.mark, name))
        if "postgresql" not in databases and item.get_closest_marker("postgresql"):
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
