"""The apps are layered and imports only point down (README, "How the code is laid out").

    common ← accounts ← influencers, campaigns ← partnerships ← metrics ← collectors, shop
    ← portal, today ← demo

An app may import from the apps on lower floors and from itself, never from a sibling on
its own floor or from above. Pages that gather from many apps (the portal, My day) sit
on the top floor and compose what the apps below offer. `config` (settings, URLs) is
the roof and may import anything. Checked on the source with `ast`, migrations included
(a migration is code too), so a stray import cannot slip in; dotted strings naming a
higher app's module (an `import_module("today.x")` or a task name) count as imports.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = [
    {"common"},  # plain helpers (not an app): model_update, int_or_zero, ServiceWriteAdmin
    {"accounts"},
    {"influencers", "campaigns"},
    {"partnerships"},
    {"metrics"},
    {"collectors", "shop"},
    {"portal", "today"},
    {"demo"},  # one scenario across every app: `manage.py seed_demo`
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}
PRESENT = sorted(app for app in FLOOR if (ROOT / app).is_dir())
DOTTED = re.compile(r"^([a-z_]+)\.[a-z_][a-z0-9_.]*$")


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) for every project app the module at `path` names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = DOTTED.match(node.value)
            names = [node.value] if match else []
        for name in names:
            top = name.split(".")[0]
            if top in FLOOR:
                found.add((top, node.lineno))
    return found


def violations(app: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for other, line in sorted(imported_apps(path), key=lambda found: found[1]):
            if other != app and FLOOR[other] >= FLOOR[app]:
                where = "a sibling" if FLOOR[other] == FLOOR[app] else "a higher app"
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {where}: {other}")
    return problems


@pytest.mark.parametrize("app", PRESENT)
def test_imports_point_down(app):
    assert violations(app) == []


def test_the_checker_catches_an_upward_import(tmp_path, monkeypatch):
    """The rule is only worth something if it can fail."""
    fake = tmp_path / "accounts"
    fake.mkdir()
    (fake / "bad.py").write_text(
        "from partnerships.models import Partnership\nTASK = 'today.send_digest'\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert violations("accounts") == [
        "accounts/bad.py:1 imports a higher app: partnerships",
        "accounts/bad.py:2 imports a higher app: today",
    ]


def test_every_local_app_has_a_floor():
    from django.conf import settings

    local = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert sorted([*local, "common"]) == PRESENT


@pytest.mark.parametrize("app", PRESENT)
def test_subjects_are_packages_not_filename_prefixes(app):
    """Subjects live in subpackages (partnerships/terms/, influencers/spreadsheet/), not
    in families of files named by a shared prefix (terms_*.py, shipment_*.py, csv_*.py)."""
    stems = [p.stem for p in (ROOT / app).glob("*.py") if p.stem != "__init__"]
    families: dict[str, list[str]] = {}
    for stem in stems:
        families.setdefault(stem.split("_")[0], []).append(stem)
    assert {k: v for k, v in families.items() if len(v) > 1} == {}
