#!/usr/bin/env bash
# Builds the PyInstaller one-folder bundle and wraps it in a Debian package.
#
#   bash packaging/build_deb.sh [VENV]
#
# VENV: a virtualenv that already has the app's dependencies; PyInstaller is installed into it.
# Without it, a build venv is made (or reused) in build/deb-venv with the dependencies from
# pyproject.toml and PyInstaller. Output: dist/wa-integration/ (the bundle) and
# dist/wa-integration_<version>_<arch>.deb. Run as root (or under fakeroot) on Debian 12.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=wa-integration
START=$(date +%s%N)

elapsed() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
step() { echo "==> $*"; }

for tool in dpkg-deb dpkg; do
    command -v "$tool" >/dev/null || { echo "build_deb.sh: $tool is missing" >&2; exit 1; }
done

VENV=${1:-${VENV:-}}
T=$(date +%s%N)
if [ -z "$VENV" ]; then
    VENV=$ROOT/build/deb-venv
    if [ ! -x "$VENV/bin/python" ]; then
        step "creating the build venv $VENV"
        "${PYTHON:-python3}" -m venv "$VENV"
    fi
    step "installing the app's dependencies into $VENV"
    mapfile -t DEPS < <("$VENV/bin/python" -c '
import tomllib
for dep in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]:
    print(dep)')
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${DEPS[@]}"
fi
PY=$VENV/bin/python
[ -x "$PY" ] || { echo "build_deb.sh: no python in $VENV" >&2; exit 1; }
step "installing PyInstaller into $VENV"
"$PY" -m pip install -q --disable-pip-version-check 'pyinstaller>=6.10,<7'
echo "    venv ready in $(elapsed "$T") s"

VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "."); from app import __version__; print(__version__)')
# Debian orders 1.0~rc1 before 1.0; PEP 440 pre-releases (1.0rc1, 1.0.dev1) become that form
DEB_VERSION=$(echo "$VERSION" | sed -E 's/\.?(a|b|rc|dev)([0-9]*)/~\1\2/; s/^v//')
ARCH=$(dpkg --print-architecture)
DEB=dist/${NAME}_${DEB_VERSION}_${ARCH}.deb

T=$(date +%s%N)
step "PyInstaller bundle of $NAME $VERSION"
rm -rf "dist/$NAME"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/wa-integration.spec
BUNDLE=dist/$NAME
[ -x "$BUNDLE/$NAME" ] || { echo "build_deb.sh: the bundle has no $BUNDLE/$NAME" >&2; exit 1; }
echo "    bundle built in $(elapsed "$T") s: $(du -sh "$BUNDLE" | cut -f1) in $BUNDLE"
"$BUNDLE/$NAME" --version

T=$(date +%s%N)
step "Debian package $DEB"
PKG=build/deb-root
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/icons/hicolor/256x256/apps"
cp -a "$BUNDLE" "$PKG/opt/$NAME"
chmod -R u+rwX,go+rX,go-w "$PKG/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$PKG/usr/bin/$NAME"
install -m 644 packaging/icon.png "$PKG/usr/share/icons/hicolor/256x256/apps/$NAME.png"
cat > "$PKG/usr/share/applications/$NAME.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=WA-Integration
GenericName=WhatsApp plant data bot
Comment=Answers engineers on WhatsApp with live PI, SQL and AI data
Exec=$NAME
Icon=$NAME
Terminal=false
Categories=Utility;Network;
StartupWMClass=$NAME
EOF
chmod 644 "$PKG/usr/share/applications/$NAME.desktop"
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
# Depends: what the bundle takes from the system (PyInstaller ships the rest): libc, OpenGL/EGL
# and fontconfig for Qt, xcb and xkbcommon for its X11 plugin, D-Bus for the Qt platform
# integration, libmagic for python-magic (neonize). Recommends: a colour emoji font, so the
# alarm severities (🔴 🟠 🟡 🔵) and the chat's ✅ 👍 show in the window as on the phone.
cat > "$PKG/DEBIAN/control" <<EOF
Package: $NAME
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: WA-Integration team <wa-integration@localhost>
Installed-Size: $INSTALLED_SIZE
Depends: libc6, libxcb1, libgl1, libegl1, libfontconfig1, libxkbcommon0, libdbus-1-3, libmagic1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-xkb1, libxkbcommon-x11-0
Recommends: fonts-noto-color-emoji
Section: net
Priority: optional
Description: WhatsApp bot that answers plant engineers with live plant data
 WA-Integration runs on a plant workstation, reads PI, SQL and AI data sources
 and answers engineers' WhatsApp messages with values, tables and charts.
 Command line: wa-integration --help. Data and logs live in the user's
 platform data folders, never under /opt.
EOF
# postinst: the charts' font list (matplotlib's scan of every font, 10-20 s) built once for
# every user of the machine; each user's first start copies it (app/runtime/charts.py).
cat > "$PKG/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    mkdir -p /var/cache/wa-integration/fonts
    if ! WA_INTEGRATION_FONT_CACHE=/var/cache/wa-integration/fonts \
            /opt/wa-integration/wa-integration --build-font-cache >/dev/null 2>&1; then
        echo "wa-integration: the font list for charts was not built now; the app builds it" \
             "on its first start." >&2
    fi
    chmod -R a+rX /var/cache/wa-integration
fi
exit 0
EOF
cat > "$PKG/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
    rm -rf /var/cache/wa-integration
fi
exit 0
EOF
chmod 755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
dpkg-deb --build --root-owner-group -Zzstd "$PKG" "$DEB" >/dev/null
echo "    package built in $(elapsed "$T") s: $(du -h "$DEB" | cut -f1) $DEB"
dpkg-deb --info "$DEB" | sed -n '/Package:/,/Description:/p'
echo "==> done in $(elapsed "$START") s"
