#!/usr/bin/env bash
# Creates .venv if needed, installs the app with its test requirements, runs lint and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check app main.py tests bench
# the windows' translation catalogues are current and compiled (the app loads the .qm files)
.venv/bin/python scripts/translations.py --check

QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
