"""The house's arrows point down: an app imports only the apps below it.

lib -> areas -> accounts -> network -> trust -> aid -> privacy, safety -> the features -> api
-> demo.
Every import is read from the source, at module level and inside functions alike (a lazy import is
still an import), and so is every ``apps.get_model`` by name. Tests, migrations and the project's
own modules (settings, urls, the test personas) stand above every app and are not checked.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

PACKAGE = Path(__file__).resolve().parent.parent

# Lowest first; apps on the same rung may not import each other.
LAYERS = [
    ["lib"],
    ["areas"],
    ["accounts"],
    ["network"],
    ["trust"],
    ["aid"],
    ["privacy", "safety"],
    ["notifications", "dispatch", "spreadsheets", "figures"],
    ["api"],  # the integrations' door: the same services and selectors as every page above
    ["demo"],  # plays the whole network through every app's services, the features' too
]
RUNG = {app: rung for rung, apps in enumerate(LAYERS) for app in apps}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "mutualaid" and parts[1] in RUNG:
        return parts[1]
    if parts[0] == "mutualaid":
        return "project"
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, wherever it stands, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            if node.module is None or node.module == "mutualaid":
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, f"mutualaid.{node.args[0].value.split('.')[0]}"))
    return found


def checked_files():
    for app in RUNG:
        folder = PACKAGE / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield app, path


def upward_imports() -> list[str]:
    wrong = []
    for app, path in checked_files():
        for line, module in imports_of(path):
            target = _app_of(module)
            if target is None or target == app:
                continue
            if target == "project" or RUNG[target] >= RUNG[app]:
                where = path.relative_to(PACKAGE.parent)
                wrong.append(f"{where}:{line} imports {module} ({app} -> {target})")
    return wrong


class LayersTest(SimpleTestCase):
    def test_every_import_points_down(self):
        self.assertEqual(upward_imports(), [])

    def test_it_sees_an_upward_import_inside_a_function(self):
        source = PACKAGE / "lib" / "_layers_probe.py"
        source.write_text("def f():\n    from mutualaid.aid import services\n")
        try:
            self.assertIn(
                "mutualaid/lib/_layers_probe.py:2 imports mutualaid.aid (lib -> aid)",
                upward_imports(),
            )
        finally:
            source.unlink()

    def test_it_sees_siblings_and_the_project(self):
        source = PACKAGE / "privacy" / "_layers_probe.py"
        source.write_text(
            "from ..safety import models\nfrom mutualaid import test\n"
            "apps.get_model('trust', 'Vouch')\n"
        )
        try:
            wrong = upward_imports()
        finally:
            source.unlink()
        self.assertIn(
            "mutualaid/privacy/_layers_probe.py:1 imports mutualaid.safety (privacy -> safety)",
            wrong,
        )
        self.assertIn(
            "mutualaid/privacy/_layers_probe.py:2 imports mutualaid.test (privacy -> project)",
            wrong,
        )
        self.assertNotIn("mutualaid.trust (privacy -> trust)", " ".join(wrong))
