"""No app imports one above it, and sibling apps never import each other.

    core ← directory ← assets ← {inventory, operations.*, helpdesk, telework, telephony}
         ← field ← continuity
    core ← accounts (beside directory)

What several apps contribute to is a registry in ``core`` (rounds, readiness criteria,
continuity sections, panels, events) that each app fills in its ``AppConfig.ready()``. The
project-level modules (``home``, ``navigation``, ``urls``, ``settings``, ``cli``, ``conftest``,
``api``, ``demo``, ``bench``, ``backup`` and the project's own ``tests/``) assemble the apps
and may import anything.

Test code follows the same rule, with these differences: it may import ``regie.core.testing``
(the shared API client, ports, SMTP recorder…) and the project's URLconf, and it never imports
another app's ``test_*`` module or ``conftest``. Tests that need several sibling apps at once
(readiness end to end, compliance from real agent reports, the server-level durability tests)
live in the project's ``tests/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # src/regie

MIDDLE = (
    "inventory",
    "helpdesk",
    "telework",
    "telephony",
    "operations.alerts",
    "operations.checks",
    "operations.compliance",
    "operations.daily",
)
LEVELS: dict[str, int] = {
    "core": 0,
    "directory": 1,
    "accounts": 1,
    "assets": 2,
    **dict.fromkeys(MIDDLE, 3),
    "field": 4,
    "continuity": 5,
}
ASSEMBLERS = frozenset(
    {
        "home",
        "navigation",
        "urls",
        "settings",
        "cli",
        "conftest",
        "wsgi",
        "api",
        "demo",
        "bench",
        "backup",
        "tests",
        "__init__",
    }
)
# What anyone may import besides lower apps: the settings module (configuration, e.g. a test
# settings file that extends it) and the package itself (for its path).
ANYONE_MAY_IMPORT = frozenset({"settings", ""})
# Test code may also read the project's URLconf (to walk its routes, or extend it with a view
# that fails on purpose).
TESTS_MAY_IMPORT = frozenset({"urls"})


def app_of(module: str) -> str | None:
    """``regie.operations.checks.models`` → ``operations.checks``; None outside ``regie``."""
    parts = module.split(".")
    if parts[0] != "regie":
        return None
    if len(parts) == 1:
        return ""
    if parts[1] == "operations" and len(parts) > 2 and parts[2] != "tests":
        return f"operations.{parts[2]}"
    return parts[1].removesuffix(".py")


def module_name(path: Path, root: Path = ROOT) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for each absolute import of a ``regie`` module in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # ``from regie.x.tests import test_y`` names a module too.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return [(line, module) for line, module in found if module.split(".")[0] == "regie"]


def is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest"


def another_apps_test_module(importer: str, imported: str) -> bool:
    """A ``test_*`` module or a ``conftest`` of an app other than the importer's."""
    parts = imported.split(".")
    if "tests" not in parts and parts[-1] != "conftest":
        return False
    last = parts[-1]
    return (last.startswith("test_") or last == "conftest") and app_of(imported) != app_of(importer)


def violation(importer: str, imported: str) -> str | None:
    """Why ``importer`` may not import ``imported``, or None when it may."""
    source, target = app_of(importer), app_of(imported)
    assert source is not None  # noqa: S101  # only regie modules are checked
    if target is None or source in ASSEMBLERS:
        return None
    if is_test_code(importer) and another_apps_test_module(importer, imported):
        return "imports another app's test module"
    if source == target or target in ANYONE_MAY_IMPORT:
        return None
    if is_test_code(importer) and target in TESTS_MAY_IMPORT:
        return None
    if imported == "regie.core.testing" or imported.startswith("regie.core.testing."):
        return None
    if target in ASSEMBLERS:
        return f"imports the project-level {target!r}"
    if source not in LEVELS:
        return f"belongs to no layer ({source!r}): add it to LEVELS"
    if target not in LEVELS:
        return f"imports {target!r}, which belongs to no layer"
    if LEVELS[target] < LEVELS[source]:
        return None
    kind = "a sibling" if LEVELS[target] == LEVELS[source] else "a higher app"
    return f"imports {kind} ({target})"


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = module_name(path, root)
        if app_of(importer) in ASSEMBLERS and importer.count(".") <= 1:
            continue  # a project-level module (home.py, urls.py…)
        for line, imported in imported_modules(path):
            if why := violation(importer, imported):
                found.append(f"{path.relative_to(root.parent)}:{line}: {imported} — {why}")
    return sorted(set(found))


def test_no_app_imports_a_sibling_or_a_higher_app():
    assert violations() == []


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("regie.telework.readiness", "regie.telephony.models", False),
        ("regie.telework.readiness", "regie.operations.compliance.models", False),
        ("regie.operations.compliance.rules", "regie.inventory.report", False),
        ("regie.assets.models", "regie.telework.models", False),
        ("regie.core.readiness", "regie.directory.models", False),
        ("regie.field.forms", "regie.helpdesk.models", True),
        ("regie.telework.readiness", "regie.core.readiness", True),
        ("regie.continuity.views", "regie.field.models", True),
        ("regie.telework.tests.test_api", "regie.core.testing", True),
        ("regie.telework.tests.test_api", "regie.directory.tests.factories", True),
        ("regie.telework.tests.test_api", "regie.assets.tests.test_views_assets", False),
        ("regie.telework.tests.test_api", "regie.api.tests.clients", False),
        ("regie.helpdesk.tests.test_mail", "regie.conftest", False),
        ("regie.tests.test_readiness", "regie.telephony.tests.factories", True),
        ("regie.home", "regie.inventory.coverage", True),
        ("regie.core.tests.urls_with_error", "regie.urls", True),
        ("regie.core.views", "regie.urls", False),
        ("regie.field.tests.conftest", "regie.demo.territory", False),
    ],
)
def test_the_rule_itself(importer, imported, allowed):
    assert (violation(importer, imported) is None) == allowed


def test_a_real_violation_is_caught(tmp_path):
    """A sibling import written in a module is found by the scan, with its line."""
    app = tmp_path / "regie" / "telework"
    app.mkdir(parents=True)
    (app / "bad.py").write_text(
        "from regie.assets.models import Asset\nfrom regie.telephony.models import Line\n"
    )
    found = violations(tmp_path / "regie")
    assert found == [
        "regie/telework/bad.py:2: regie.telephony.models — imports a sibling (telephony)",
        "regie/telework/bad.py:2: regie.telephony.models.Line — imports a sibling (telephony)",
    ]
