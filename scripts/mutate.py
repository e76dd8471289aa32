"""Mutation testing of a few modules: does the test suite notice when the code is wrong?

    python scripts/mutate.py app/core/routing.py app/core/spam.py
    python scripts/mutate.py app/runtime/outbox.py --tests tests/integration/test_outbox.py

For each module it makes small changes ("mutants") one at a time, runs that module's test files
with `pytest -x -q` under a timeout, and counts the mutant killed when the tests fail (or time
out). A mutant that survives is a change no test notices. The mutations:

- comparisons: `<`↔`<=`, `>`↔`>=`, `==`↔`!=`, `in`↔`not in`, `is`↔`is not`
- boolean operators: `and`↔`or`; `not x` → `x`
- numbers: n → n + 1; `True`↔`False`
- return values: `return x` → `return None` (`return True` by the rule above)
- slice bounds: `a[i:j]` → `a[i + 1:j]`, `a[i:j + 1]`

Strings, docstrings, annotations and logging calls are left alone (a changed log line is no
fault). Modules are mutated in a copy of the repository in a temporary folder, never in place,
so an interrupted run leaves the checkout as it was; the copy also serves child processes the
tests start.

The test files of a module: `--tests` if given, else those in TESTS below for the module's file
name, else every `tests/**/test_<name>.py`. Known equivalent mutants (the code behaves the same,
so no test can kill them) are listed with their reason in scripts/equivalent_mutants.txt; the
report marks them. The score counts them as survivors all the same.

Ctrl+C (or `kill` of a run in the background) stops a run and prints the figures so far: the
score then counts the mutants tried.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "scripts" / "equivalent_mutants.txt"

# The test files that exercise each module, by the module's file name (so a module that moves to
# another package keeps its tests). Keep each selection small: every mutant runs all of it.
TESTS: dict[str, list[str]] = {
    "routing.py": ["tests/unit/test_routing.py"],
    "spam.py": ["tests/unit/test_spam.py"],
    "variables.py": ["tests/unit/test_variables.py"],
    "access.py": ["tests/unit/test_access.py"],
    "render.py": ["tests/unit/test_render.py"],
    "alarms.py": ["tests/unit/test_alarm_logic.py"],
    # The quickest files first: with -x a mutant they kill costs seconds, not the whole run.
    "outbox.py": ["tests/unit/test_outbox_recovery.py", "tests/integration/test_outbox_clock.py",
                  "tests/integration/test_outbox.py", "tests/integration/test_outbox_locked.py"],
    "sql_gate.py": ["tests/unit/test_sql_gate.py"],
}

_COMPARE_SWAP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_LOG_NAMES = {"log", "logger", "logging", "_log"}


@dataclass(frozen=True)
class Mutant:
    line: int
    col: int
    end_line: int
    end_col: int
    replacement: str  # source text put in place of the node's text
    what: str  # how a person reads the mutation: "`a < b` → `a <= b`"
    function: str  # the enclosing function's qualified name, "" at module level


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


class _Finder(ast.NodeVisitor):
    """Walks one module and lists the mutants it allows."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.mutants: list[Mutant] = []
        self._scope: list[str] = []

    # -- where not to look -----------------------------------------------------------------
    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-string internals: positions are unreliable and a change is only text

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # docstring
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in _LOG_NAMES:
            return  # a log line
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._scope.append(node.name)
        for item in node.decorator_list:
            self.visit(item)
        self.visit(node.args)
        for statement in node.body:
            self.visit(statement)
        self._scope.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope.append(node.name)
        self.generic_visit(node)
        self._scope.pop()

    # -- mutations -------------------------------------------------------------------------
    def _add(self, node: ast.AST, replacement: ast.AST | str, what: str | None = None) -> None:
        if isinstance(replacement, str):
            text = shown_new = replacement
        else:
            shown_new = ast.unparse(replacement)
            text = f"({shown_new})"
        original = ast.get_source_segment(self.source, node) or ast.unparse(node)
        shown = what or f"`{_short(original)}` → `{_short(shown_new)}`"
        self.mutants.append(Mutant(node.lineno, node.col_offset, node.end_lineno,
                                   node.end_col_offset, text, shown, ".".join(self._scope)))

    def visit_Compare(self, node: ast.Compare) -> None:
        for index, op in enumerate(node.ops):
            swapped = _COMPARE_SWAP.get(type(op))
            if swapped is None:
                continue
            ops = list(node.ops)
            ops[index] = swapped()
            self._add(node, ast.Compare(node.left, ops, node.comparators))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._add(node, ast.BoolOp(other, node.values))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add(node, ast.Call(ast.Name("bool"), [node.operand], []),
                      f"`{_short(ast.unparse(node))}` → `{_short(ast.unparse(node.operand))}`")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(node, ast.Constant(not value))
        elif isinstance(value, int | float):
            self._add(node, ast.Constant(value + 1))

    def visit_Return(self, node: ast.Return) -> None:
        # `return None` stays; `return True` changes by the True↔False rule instead.
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and (
                value.value is None or isinstance(value.value, bool))):
            self._add(node, "return None",
                      f"`return {_short(ast.unparse(node.value), 40)}` → `return None`")
        self.generic_visit(node)

    def visit_Slice(self, node: ast.Slice) -> None:
        for bound in ("lower", "upper"):
            value = getattr(node, bound)
            if value is None or isinstance(value, ast.Constant):
                continue  # constants already change by the number rule
            changed = ast.Slice(node.lower, node.upper, node.step)
            setattr(changed, bound, ast.BinOp(value, ast.Add(), ast.Constant(1)))
            self._add(value, ast.BinOp(value, ast.Add(), ast.Constant(1)),
                      f"slice `{_short(ast.unparse(node))}` → `{_short(ast.unparse(changed))}`")
        self.generic_visit(node)


def find_mutants(source: str) -> list[Mutant]:
    finder = _Finder(source)
    finder.visit(ast.parse(source))
    return sorted(finder.mutants, key=lambda m: (m.line, m.col, m.what))


def apply(source: str, mutant: Mutant) -> str:
    lines = source.splitlines(keepends=True)
    # ast offsets are in UTF-8 bytes
    head = "".join(lines[:mutant.line - 1]) + \
        lines[mutant.line - 1].encode()[:mutant.col].decode()
    tail = lines[mutant.end_line - 1].encode()[mutant.end_col:].decode() + \
        "".join(lines[mutant.end_line:])
    return head + mutant.replacement + tail


def _equivalents() -> dict[tuple[str, str, str], str]:
    """(file name, function, mutation) → why no test can tell the mutant apart."""
    known = {}
    if EQUIVALENT_FILE.exists():
        for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, function, what, why = (part.strip() for part in line.split(" | ", 3))
            known[(name, function, what)] = why
    return known


def _copy_repository(into: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        if not name:
            continue
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _run_tests(copy: Path, tests: list[str], timeout: float) -> tuple[bool, float]:
    """True when the tests pass; the time they took."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started
    return result.returncode == 0, time.monotonic() - started


def tests_for(module: Path) -> list[str]:
    if module.name in TESTS:
        return TESTS[module.name]
    found = (ROOT / "tests").rglob(f"test_{module.stem}.py")
    return sorted(str(path.relative_to(ROOT)) for path in found)


def mutate_module(module: Path, tests: list[str], timeout: float | None,
                  only_lines: set[int] | None = None) -> tuple[int, int, list[tuple[Mutant, str]]]:
    relative = module.resolve().relative_to(ROOT)
    source = module.read_text(encoding="utf-8")
    mutants = [m for m in find_mutants(source) if only_lines is None or m.line in only_lines]
    known = _equivalents()
    survivors: list[tuple[Mutant, str]] = []
    with tempfile.TemporaryDirectory(prefix="mutate-") as folder:
        copy = Path(folder)
        _copy_repository(copy)
        target = copy / relative
        passed, took = _run_tests(copy, tests, timeout=600)
        if not passed:
            sys.exit(f"{relative}: the tests fail before any mutation ({' '.join(tests)}); "
                     "fix them first.")
        limit = timeout or max(10.0, took * 3 + 5)
        print(f"{relative}: {len(mutants)} mutants, tests take {took:.1f} s, "
              f"timeout {limit:.0f} s", flush=True)
        killed = 0
        tried = 0
        try:
            for number, mutant in enumerate(mutants, 1):
                mutated = apply(source, mutant)
                try:
                    compile(mutated, str(relative), "exec")
                except SyntaxError:  # should not happen; counted as killed, said aloud
                    print(f"  {relative}:{mutant.line}: {mutant.what} does not compile",
                          flush=True)
                    killed += 1
                    tried = number
                    continue
                target.write_text(mutated, encoding="utf-8")
                passed, _ = _run_tests(copy, tests, limit)
                target.write_text(source, encoding="utf-8")
                if passed:
                    why = known.get((module.name, mutant.function, mutant.what), "")
                    survivors.append((mutant, why))
                    print(f"  [{number}/{len(mutants)}] survived {relative}:{mutant.line}: "
                          f"{mutant.what}", flush=True)
                else:
                    killed += 1
                tried = number
        except KeyboardInterrupt:  # Ctrl+C: the figures so far, not a traceback
            target.write_text(source, encoding="utf-8")
            print(f"  interrupted: {tried} of {len(mutants)} mutants tried", flush=True)
            return killed, tried, survivors
    return killed, len(mutants), survivors


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path, help="module files, e.g. app/core/spam.py")
    parser.add_argument("--tests", nargs="+", help="test files to run (default: per module)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: from a "
                        "first run of the tests)")
    parser.add_argument("--lines", type=int, nargs="+", help="only mutants on these lines")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args(argv)
    # Stopped from outside (Ctrl+C, or `kill` of a run in the background, where Ctrl+C is
    # ignored): print the figures so far, and leave no temporary copy behind.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)

    results = []
    for module in args.modules:
        if not module.is_file():
            parser.error(f"{module} is not a file")
        if args.list:
            for mutant in find_mutants(module.read_text(encoding="utf-8")):
                print(f"{module}:{mutant.line}: [{mutant.function}] {mutant.what}")
            continue
        tests = args.tests or tests_for(module)
        if not tests:
            parser.error(f"no test files for {module}; name them with --tests")
        only = set(args.lines) if args.lines else None
        results.append((module, *mutate_module(module, tests, args.timeout, only)))

    failing = False
    for module, killed, total, survivors in results:
        score = 100.0 * killed / total if total else 100.0
        failing |= score < 90
        print(f"\n{module}: {killed}/{total} killed ({score:.1f} %)")
        for mutant, why in survivors:
            note = f"  — equivalent: {why}" if why else ""
            print(f"  survived {module}:{mutant.line} [{mutant.function}] {mutant.what}{note}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
