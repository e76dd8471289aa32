"""Layers (docs/architecture.md, "Layers"): who may import whom, Qt only in app/ui, and app/core
using nothing but the standard library and pure calculation."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
QT_MODULES = {"PySide6", "shiboken6", "qasync"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _imports_of(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import, function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _imports(path: Path) -> list[tuple[int, str]]:
    return _imports_of(path.read_text("utf-8"), _package(path))


def _files(under: Path) -> list[Path]:
    return sorted(under.rglob("*.py"))


def test_only_the_ui_imports_qt():
    offenders, ui_uses_qt = [], False
    for path in _files(APP):
        in_ui = (APP / "ui") in path.parents
        for line, module in _imports(path):
            if module.split(".")[0] in QT_MODULES:
                if in_ui:
                    ui_uses_qt = True
                else:
                    offenders.append(f"{path.relative_to(APP.parent)}:{line} imports {module}")
    assert offenders == []
    assert ui_uses_qt  # the check does see Qt imports where they belong


PURE_LIBRARIES = {"cronsim", "sqlglot"}


def test_core_uses_only_the_standard_library_itself_and_the_error_types():
    stdlib = set(sys.stdlib_module_names)
    files = _files(APP / "core")
    assert len(files) > 3
    offenders = []
    for path in files:
        for line, module in _imports(path):
            top = module.split(".")[0]
            # app.errors is a leaf (no imports): people-facing errors start in pure logic too.
            # cronsim is pure calculation (cron expressions to datetimes), no I/O; so is sqlglot
            # (SQL text to a syntax tree), which the SQL gate uses to refuse writes.
            if top in stdlib or top in PURE_LIBRARIES or module in ("app.core", "app.errors") or \
                    module.startswith("app.core."):
                continue
            offenders.append(f"{path.relative_to(APP.parent)}:{line} imports {module}")
    assert offenders == []


def test_the_import_reader_sees_every_kind_of_import():
    # Guards the checks above against passing because an import form went unseen.
    source = (
        "import os, json\n"
        "from . import ids\n"
        "from .. import errors\n"
        "from .redact import redact\n"
        "def later():\n"
        "    from PySide6.QtCore import QObject\n"
    )
    assert [m for _line, m in _imports_of(source, "app.core")] == [
        "os", "json", "app.core", "app", "app.core.redact", "PySide6.QtCore"]
    assert _package(APP / "core" / "__init__.py") == "app.core"
    assert _package(APP / "core" / "timefmt.py") == "app.core"


# Which of our layers each layer may import (its own always). A module at the top of app/ is a
# layer of its own: the composition roots build everything, the platform helpers are leaves.
LAYERS: dict[str, set[str]] = {
    "core": set(),
    "db": {"core"},
    "sources": {"core"},
    "bridge": {"core"},
    "services": {"db", "core"},
    "runtime": {"services", "sources", "bridge", "core"},
    "ui": {"runtime", "services", "core"},
}
PLATFORM = {"paths", "logs"}  # file locations and logging: anyone but core may use them
ROOTS = {"cli", "bootstrap", "selfcheck", "composition", "__main__"}  # wire the layers together


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "app" or len(parts) < 2:
        return None
    name = parts[1]
    return "core" if name == "errors" else name  # app.errors: the people-facing error types


def layer_violations() -> list[str]:
    found = []
    for path in _files(APP):
        own = _layer_of(_module_name(path))
        if own is None or own in ROOTS:
            continue
        allowed = LAYERS.get(own, set()) | {own}
        if own not in LAYERS:  # a platform helper: core and its own module only
            allowed = {"core", own}
        for line, module in _imports(path):
            other = _layer_of(module)
            if other is None or other in allowed:
                continue
            if other in PLATFORM and own != "core":
                continue
            found.append(f"{path.relative_to(APP.parent)}:{line} ({own}) imports {module} "
                         f"({other}); {own} may import only {', '.join(sorted(allowed))}")
    return found


def test_every_layer_imports_only_what_the_table_allows():
    assert layer_violations() == []


def test_every_module_belongs_to_a_known_layer():
    known = set(LAYERS) | PLATFORM | ROOTS
    unknown = sorted(str(path.relative_to(APP.parent)) for path in _files(APP)
                     if (_layer_of(_module_name(path)) or "app") not in known | {"app"})
    assert unknown == []


