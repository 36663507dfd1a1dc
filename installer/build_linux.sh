#!/usr/bin/env bash
# Build the Linux installer: dist/ecgviewer-<version>-linux-x86_64.tar.xz
#
#   bash installer/build_linux.sh              build (reuses build/venv-runtime if present)
#   bash installer/build_linux.sh --fresh      recreate the runtime venv first
#   bash installer/build_linux.sh --no-package only the onedir bundle in dist/ecgviewer/
#
# Steps: a runtime-only venv (`pip install .[build]`: the app and PyInstaller, never the
# training extras), PyInstaller with installer/ecgviewer.spec, a smoke test of the bundle,
# then a tar.xz holding the bundle, install.sh, uninstall.sh and the desktop files
# (xz, not gzip: a third smaller, for clinics on slow, metered links), and a .deb
# (installer/build_deb.sh) where dpkg-deb is installed.
# An AppImage is made too when `appimagetool` is on PATH (it is not downloaded).
#
# Environment: PYTHON (default python3, 3.10+), VENV (default build/venv-runtime),
# ECGVIEWER_BUILD_RESOURCES (bundle another resources folder; default resources/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PY=${PYTHON:-python3}
VENV=${VENV:-build/venv-runtime}
FRESH=0
PACKAGE=1
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        --no-package) PACKAGE=0 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build_linux.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

step() { printf '\n==> %s\n' "$*"; }

# --- 1. runtime-only virtual environment ----------------------------------------------------
if [ "$FRESH" = 1 ]; then rm -rf "$VENV"; fi
if [ ! -x "$VENV/bin/python" ]; then
    step "creating $VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
step "installing ecgviewer and PyInstaller into $VENV"
"$VENV/bin/python" -m pip install -q --upgrade ".[build]"
# Same version number, new code: make sure the venv holds this checkout's ecgviewer.
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall .
# The bundle must not carry the training stack: fail loudly if it crept in.
if "$VENV/bin/python" -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') else 1)"; then
    echo "build_linux.sh: torch is installed in $VENV: use a runtime-only venv (--fresh)" >&2
    exit 1
fi
VERSION=$("$VENV/bin/python" -c "import ecgviewer; print(ecgviewer.__version__)")
ARCH=$(uname -m)

# --- 2. PyInstaller -------------------------------------------------------------------------
step "PyInstaller (ecgviewer $VERSION)"
rm -rf dist/ecgviewer
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/ecgviewer.spec
BUNDLE=dist/ecgviewer
# Tidy up: links to Qt libraries that prune_binaries.py dropped, and the debug symbols of
# the build machine's Python (a source-built Python keeps ~30 MB of them). Wheels'
# libraries are left alone: stripping auditwheel-patched files can break them.
find "$BUNDLE" -xtype l -delete
if command -v strip >/dev/null 2>&1; then
    strip --strip-debug "$BUNDLE"/_internal/libpython3*.so* \
        "$BUNDLE"/_internal/python3*/lib-dynload/*.so 2>/dev/null || true
fi

# --- 3. smoke test: the bundle runs without the venv, offline, headless -------------------
step "smoke test"
SMOKE=$(mktemp -d)
trap 'rm -rf "$SMOKE"' EXIT
env -i HOME="$SMOKE" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    "$BUNDLE/ecgviewer" --version
env -i HOME="$SMOKE" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    "$BUNDLE/ecgviewer" info "$BUNDLE/_internal/resources/samples/demo_ecg.hea" > "$SMOKE/info.txt"
head -3 "$SMOKE/info.txt"
env -i HOME="$SMOKE" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    "$BUNDLE/ecgviewer" render "$BUNDLE/_internal/resources/samples/demo_ecg.hea" -o "$SMOKE/demo.png"
echo "rendered the sample: $(stat -c %s "$SMOKE/demo.png") bytes"
if [ -f "$BUNDLE/_internal/resources/model/encoder.onnx" ]; then
    env -i HOME="$SMOKE" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen "$BUNDLE/ecgviewer" --self-test
else
    echo "WARNING: no resources/model/encoder.onnx: this bundle cannot search similar cases" >&2
fi

step "bundle"
du -sh "$BUNDLE"
du -sh "$BUNDLE/_internal/resources"
[ "$PACKAGE" = 1 ] || exit 0

# --- 4. tar.xz with install.sh ---------------------------------------------------------------
NAME=ecgviewer-$VERSION-linux-$ARCH
STAGE=build/package/$NAME
step "packaging $NAME.tar.xz"
rm -rf "$STAGE"
mkdir -p "$STAGE/share"
cp -a "$BUNDLE" "$STAGE/ecgviewer"
install -m 755 installer/linux/install.sh installer/linux/uninstall.sh "$STAGE/"
install -m 644 installer/linux/ecgviewer.desktop installer/linux/ecgviewer-mime.xml "$STAGE/share/"
cat > "$STAGE/README.txt" <<EOF
ecgviewer $VERSION for Linux ($ARCH)

Install for yourself:        ./install.sh
Install for all users:       sudo ./install.sh
Remove:                      ~/.local/opt/ecgviewer/uninstall.sh   (or /opt/ecgviewer/uninstall.sh)

Runs without a network connection. Details: docs/installing.md in the source, or
the "Installing" section of the user guide.
EOF
tar -C build/package -cf - "$NAME" | xz -T0 -6 > "dist/$NAME.tar.xz"
(cd dist && sha256sum "$NAME.tar.xz" > "$NAME.tar.xz.sha256")

# --- 5. .deb, where dpkg-deb is (Debian, Ubuntu) -------------------------------------------
if command -v dpkg-deb >/dev/null 2>&1; then
    step ".deb"
    bash installer/build_deb.sh "$BUNDLE"
fi

# --- 6. AppImage, only if the tool is already here ------------------------------------------
if command -v appimagetool >/dev/null 2>&1; then
    step "AppImage"
    APPDIR=build/package/ecgviewer.AppDir
    rm -rf "$APPDIR"
    mkdir -p "$APPDIR/usr/share/mime/packages"
    cp -a "$BUNDLE" "$APPDIR/usr/ecgviewer"
    ln -s usr/ecgviewer/ecgviewer "$APPDIR/AppRun"
    cp resources/icons/ecgviewer.png "$APPDIR/ecgviewer.png"
    sed 's|@EXEC@|ecgviewer|g; /^TryExec=/d' installer/linux/ecgviewer.desktop > "$APPDIR/ecgviewer.desktop"
    cp installer/linux/ecgviewer-mime.xml "$APPDIR/usr/share/mime/packages/ecgviewer.xml"
    ARCH=$ARCH appimagetool --no-appstream "$APPDIR" "dist/$NAME.AppImage"
else
    echo "appimagetool not found: AppImage skipped (the tar.xz is the Linux installer)"
fi

step "done"
ls -l "dist/$NAME.tar.xz"
echo "bundle: $(du -sh "$BUNDLE" | cut -f1) unpacked, $(du -sh "dist/$NAME.tar.xz" | cut -f1) compressed"
