#!/usr/bin/env bash
# Installs the .deb built by build_deb.sh, runs the installed program, removes it again.
#
#   bash packaging/smoke_deb.sh [path/to/wa-integration_<version>_<arch>.deb]
#
# Run as root on Debian 12. Exits non-zero on the first failure and says what failed.
set -uo pipefail
cd "$(dirname "$0")/.."
NAME=wa-integration

fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
step() { echo "==> $*"; }

DEB=${1:-}
if [ -z "$DEB" ]; then
    VERSION=$(python3 -c 'import sys; sys.path.insert(0, "."); from app import __version__; print(__version__)' \
              2>/dev/null || sed -nE 's/^__version__ = "(.*)"/\1/p' app/__init__.py)
    DEB_VERSION=$(echo "$VERSION" | sed -E 's/\.?(a|b|rc|dev)([0-9]*)/~\1\2/; s/^v//')
    DEB=dist/${NAME}_${DEB_VERSION}_$(dpkg --print-architecture).deb
fi
[ -f "$DEB" ] || fail "no package $DEB (run packaging/build_deb.sh first)"
[ "$(id -u)" = 0 ] || fail "run as root (apt-get install and dpkg -r need it)"
case $DEB in /*|./*) ;; *) DEB=./$DEB ;; esac   # apt-get takes a file only as a path

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DEBIAN_FRONTEND=noninteractive

step "apt-get install -y $DEB"
if ! apt-get install -y -q "$DEB" >"$WORK/apt.log" 2>&1; then
    # a fresh machine has no package lists yet: fetch them once and try again
    apt-get update -q >>"$WORK/apt.log" 2>&1
    apt-get install -y -q "$DEB" >>"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; fail "apt-get install"; }
fi
dpkg -s "$NAME" | grep -q '^Status: install ok installed' || fail "dpkg does not list $NAME as installed"
[ -x "/usr/bin/$NAME" ] || fail "/usr/bin/$NAME is missing after install"
[ -f "/usr/share/applications/$NAME.desktop" ] || fail "the .desktop file is missing"
[ -f "/usr/share/icons/hicolor/256x256/apps/$NAME.png" ] || fail "the icon is missing"

ls /var/cache/$NAME/fonts/fontlist-v*.json >/dev/null 2>&1 \
    || fail "the postinst built no font list for charts in /var/cache/$NAME/fonts"

# run from an empty folder as a user would, without a display
cd "$WORK"
unset DISPLAY WAYLAND_DISPLAY

step "$NAME --version"
OUT=$("$NAME" --version 2>&1) || fail "$NAME --version exited $?: $OUT"
echo "$OUT"
[ -n "${VERSION:-}" ] && { echo "$OUT" | grep -qF "$VERSION" || fail "--version does not say $VERSION"; }

step "$NAME --self-check"
if "$NAME" --help 2>/dev/null | grep -q -- --self-check; then
    "$NAME" --self-check || fail "$NAME --self-check exited $?"
else
    echo "(skipped: this version has no --self-check)"
fi

step "$NAME --data-dir <new folder> simulate demo"
DATA=$(mktemp -d -p "$WORK")
OUT=$("$NAME" --data-dir "$DATA" simulate demo 2>"$WORK/simulate.err")
RC=$?
echo "$OUT"
[ $RC = 0 ] || { cat "$WORK/simulate.err" >&2; fail "simulate demo exited $RC"; }
echo "$OUT" | grep -q "Demo plant" || { cat "$WORK/simulate.err" >&2; fail "simulate demo did not answer with 'Demo plant'"; }
[ -z "$(find /opt/$NAME -newer "$DEB" -type f -name '*.db' 2>/dev/null)" ] \
    || fail "the program wrote a database under /opt/$NAME"

step "$NAME --data-dir <same folder> alarms run-once (an alarm on the demo boiler)"
cat > "$WORK/alarm.json" <<'JSON'
{"version": 1,
 "contacts": [{"name": "Operator", "phone": "+6281234567890", "allowed": true}],
 "alarms": [{"name": "Boiler hot", "kind": "pi", "data_source": "demo",
  "tag": "DEMO.BOILER.TEMP", "config": {"condition": "above", "high": 100,
  "recipients": [{"contacts": ["+6281234567890"]}]}}]}
JSON
"$NAME" --data-dir "$DATA" config import "$WORK/alarm.json" >"$WORK/import.log" 2>&1 \
    || { cat "$WORK/import.log"; fail "config import of an alarm"; }
OUT=$("$NAME" --data-dir "$DATA" alarms run-once 2>"$WORK/alarms.err")
RC=$?
echo "$OUT"
[ $RC = 0 ] || { cat "$WORK/alarms.err" >&2; fail "alarms run-once exited $RC"; }
echo "$OUT" | grep -q "Boiler hot HIGH" || { cat "$WORK/alarms.err" >&2; fail "alarms run-once raised no alarm"; }

step "dpkg -r $NAME"
dpkg -r "$NAME" >"$WORK/remove.log" 2>&1 || { cat "$WORK/remove.log"; fail "dpkg -r $NAME"; }
[ ! -e "/usr/bin/$NAME" ] && [ ! -L "/usr/bin/$NAME" ] || fail "/usr/bin/$NAME is still there after dpkg -r"
[ ! -e "/opt/$NAME/$NAME" ] || fail "/opt/$NAME/$NAME is still there after dpkg -r"
[ ! -e "/var/cache/$NAME" ] || fail "/var/cache/$NAME is still there after dpkg -r"

echo "==> smoke test passed"
