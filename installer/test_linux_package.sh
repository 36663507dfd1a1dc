#!/usr/bin/env bash
# Test the Linux package as a clinic would get it: unpack, install, run offline, uninstall.
#
#   bash installer/test_linux_package.sh [dist/ecgviewer-VERSION-linux-x86_64.tar.xz]
#
# Everything happens under a temporary HOME (and a temporary prefix for the root install),
# with a minimal environment (env -i). Checks:
#   - install.sh as a normal user (runuser to nobody when run as root, else as you)
#   - --version, --help, info --json, render, --self-test, gui --screenshot (offscreen)
#   - the same inside a network namespace with no interfaces (unshare -n, root only)
#   - no network syscalls other than local sockets (strace, when installed)
#   - the real X11 platform plugin under Xvfb (when xvfb-run is installed)
#   - uninstall.sh removes every file install.sh wrote
# ECGVIEWER_TEST_FILES=DIR: ECG files of other formats, each checked with `info`.
# ECGVIEWER_TEST_RESOURCES=DIR: a resources folder with a model and case base (e.g. one
# made by tests/fake_resources.py), copied into the installed app when the package has
# none, so that --self-test and the GUI search run for real.
set -euo pipefail
cd "$(dirname "$0")/.."
TARBALL=${1:-$(ls -t dist/ecgviewer-*-linux-*.tar.[gx]z | head -1)}
WORK=$(mktemp -d /tmp/ecgviewer-pkgtest.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
PASS=0
FAIL=0
ok() { echo "  ok   $*"; PASS=$((PASS + 1)); }
bad() { echo "  FAIL $*"; FAIL=$((FAIL + 1)); }
check() { local what=$1; shift; if "$@" > "$WORK/last.log" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/       /' "$WORK/last.log" | tail -15; fi; }

echo "package: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
tar -C "$WORK" -xf "$TARBALL"
PKG=$(ls -d "$WORK"/ecgviewer-*/)
chmod -R a+rX "$WORK"

# --- user install ---------------------------------------------------------------------------
UHOME=$WORK/home
mkdir -p "$UHOME"
if [ "$(id -u)" = 0 ]; then
    chown nobody "$UHOME"
    AS_USER=(runuser -u nobody --)
else
    AS_USER=()
fi
uenv() { "${AS_USER[@]}" env -i HOME="$UHOME" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
echo "user install (HOME=$UHOME${AS_USER:+, as nobody})"
check "install.sh (user, no self-test)" uenv sh "$PKG/install.sh" --no-self-test
DEST=$UHOME/.local/opt/ecgviewer
APP=$DEST/ecgviewer
check "files in place" test -x "$APP" -a -L "$UHOME/.local/bin/ecgviewer" \
    -a -f "$UHOME/.local/share/applications/ecgviewer.desktop" \
    -a -f "$UHOME/.local/share/icons/hicolor/256x256/apps/ecgviewer.png" \
    -a -f "$UHOME/.local/share/mime/packages/ecgviewer.xml"
check "launcher Exec points at the install" grep -q "^Exec=$APP gui %F$" \
    "$UHOME/.local/share/applications/ecgviewer.desktop"
if [ -f "$UHOME/.local/share/mime/mime.cache" ]; then
    check "MIME database knows .hea" grep -q "application/x-wfdb-header" "$UHOME/.local/share/mime/globs2"
fi

RES_ENV=()
if [ ! -f "$DEST/_internal/resources/model/encoder.onnx" ]; then
    if [ -n "${ECGVIEWER_TEST_RESOURCES:-}" ]; then
        # Exactly what docs/installing.md tells IT staff to do to update a case base:
        # copy the folders into the installed resources (found through sys._MEIPASS).
        check "copy a model and case base into the installed app" \
            "${AS_USER[@]}" cp -R "$ECGVIEWER_TEST_RESOURCES/model" "$ECGVIEWER_TEST_RESOURCES/casebase" \
            "$DEST/_internal/resources/"
        RES_ENV=(ECGVIEWER_RESOURCES="$ECGVIEWER_TEST_RESOURCES")  # for the root install below
    else
        echo "  (no model in the package and no ECGVIEWER_TEST_RESOURCES: self-test will fail)"
    fi
fi
SAMPLE=$DEST/_internal/resources/samples/demo_ecg.hea
OUT=$WORK/out
mkdir -p "$OUT"
chmod 777 "$OUT"
run() { uenv QT_QPA_PLATFORM=offscreen "$@"; }

check "--version" run "$APP" --version
check "--help" run "$APP" --help
check "info --json" sh -c "$(printf '%q ' "${AS_USER[@]}") env -i HOME=$UHOME PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen $APP info $SAMPLE --json > $OUT/info.json && grep -q '\"sampling_rate\": 500.0' $OUT/info.json"
check "render" run "$APP" render "$SAMPLE" -o "$OUT/render.png"
check "render wrote a PNG" sh -c "head -c 8 $OUT/render.png | od -c | grep -q 'P   N   G'"
check "--self-test" run "$APP" --self-test
check "gui --screenshot (offscreen)" run "$APP" gui "$SAMPLE" --screenshot "$OUT/gui.png"
if [ -n "${ECGVIEWER_TEST_FILES:-}" ]; then
    # One file per format (EDF, CSV, DICOM, aECG, Philips, photo, PDF...): every reader,
    # and the libraries behind them (edfio, pydicom, sierraecg, OpenCV, pdfium), frozen.
    for f in "$ECGVIEWER_TEST_FILES"/*; do
        check "info $(basename "$f")" run "$APP" info "$f" --json
    done
fi
check "command on PATH (symlink) works" run "$UHOME/.local/bin/ecgviewer" --version
check "log file in the user's data folder" test -f "$UHOME/.local/share/ecgviewer/ecgviewer/ecgviewer.log"
check "no onnxruntime telemetry id written" test ! -e "$UHOME/.cache/Microsoft"

if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1; then
    echo "offline (unshare -n: a network namespace with only a down loopback)"
    net() { unshare -n env -i HOME="$UHOME" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen "$@"; }
    check "no network: --self-test" net "$APP" --self-test
    check "no network: gui --screenshot" net "$APP" gui "$SAMPLE" --screenshot "$OUT/gui-offline.png"
fi
if command -v strace >/dev/null 2>&1; then
    run strace -f -qq -e trace=connect,sendto,sendmsg -o "$OUT/strace.txt" \
        "$APP" gui "$SAMPLE" --screenshot "$OUT/gui-strace.png" > /dev/null 2>&1 || true
    check "no connect()/send to a network address" sh -c \
        "! grep -E 'AF_INET|AF_INET6' $OUT/strace.txt"
fi
if command -v xvfb-run >/dev/null 2>&1; then
    check "gui under Xvfb (xcb platform plugin)" "${AS_USER[@]}" env -i HOME="$UHOME" PATH=/usr/bin:/bin \
        LANG=C.UTF-8 xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$APP" gui "$SAMPLE" --screenshot "$OUT/gui-x11.png"
fi
cp "$OUT"/*.png /tmp/ 2>/dev/null || true

check "uninstall.sh" uenv sh "$DEST/uninstall.sh" --purge
check "nothing left behind" sh -c "test ! -e $DEST && test ! -e $UHOME/.local/bin/ecgviewer \
    && test ! -e $UHOME/.local/share/applications/ecgviewer.desktop \
    && test ! -e $UHOME/.local/share/icons/hicolor/256x256/apps/ecgviewer.png \
    && test ! -e $UHOME/.local/share/mime/packages/ecgviewer.xml \
    && test ! -e $UHOME/.config/ecgviewer && test ! -e $UHOME/.local/share/ecgviewer"

# --- root install into a scratch prefix -----------------------------------------------------
if [ "$(id -u)" = 0 ]; then
    echo "root install (--prefix $WORK/opt)"
    check "install.sh --prefix (root)" env -i HOME="$UHOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        "${RES_ENV[@]}" sh "$PKG/install.sh" --prefix "$WORK/opt"
    check "reinstall over it (update)" env -i HOME="$UHOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        sh "$PKG/install.sh" --prefix "$WORK/opt" --no-self-test
    check "root uninstall" sh "$WORK/opt/ecgviewer/uninstall.sh"
    check "root files removed" sh -c "test ! -e $WORK/opt/ecgviewer && test ! -e /usr/local/bin/ecgviewer \
        && test ! -e /usr/local/share/applications/ecgviewer.desktop"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
