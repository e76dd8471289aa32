"""Layers (docs/architecture.md): Qt only in app/ui; app/core uses only the standard library."""

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


PURE_LIBRARIES = {"cronsim"}


def test_core_uses_only_the_standard_library_itself_and_the_error_types():
    stdlib = set(sys.stdlib_module_names)
    files = _files(APP / "core")
    assert len(files) > 3
    offenders = []
    for path in files:
        for line, module in _imports(path):
            top = module.split(".")[0]
            # app.errors is a leaf (no imports): people-facing errors start in pure logic too.
            # cronsim is pure calculation (cron expressions to datetimes), no I/O.
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
