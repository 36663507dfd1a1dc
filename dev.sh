#!/usr/bin/env bash
# Developer entry point: `bash dev.sh run` (set up, open the bundled sample in the app),
# `bash dev.sh test` (set up with the training and test extras, run the whole suite) and
# `bash dev.sh qt-libs` (only the check for the system libraries Qt needs).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=.venv

# Debian/Ubuntu package and the library it provides, for every system library the Qt
# wheels load on a desktop (Qt 6.5+'s xcb plugin needs the xcb-util ones, which a fresh
# desktop often lacks). Checked by library file, so that renamed packages still count.
QT_LIBS="
libxcb-cursor0:libxcb-cursor.so.0
libxcb-icccm4:libxcb-icccm.so.4
libxcb-image0:libxcb-image.so.0
libxcb-keysyms1:libxcb-keysyms.so.1
libxcb-render-util0:libxcb-render-util.so.0
libxcb-shape0:libxcb-shape.so.0
libxcb-xkb1:libxcb-xkb.so.1
libxkbcommon-x11-0:libxkbcommon-x11.so.0
libxkbcommon0:libxkbcommon.so.0
libglib2.0-0:libglib-2.0.so.0
libgl1:libGL.so.1
libegl1:libEGL.so.1
libfreetype6:libfreetype.so.6
libfontconfig1:libfontconfig.so.1
libdbus-1-3:libdbus-1.so.3
fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
"

missing_qt_packages() {
    local known entry
    known=$(PATH="$PATH:/sbin:/usr/sbin" ldconfig -p 2>/dev/null || true)
    for entry in $QT_LIBS; do
        case "${entry#*:}" in
            /*) [ -e "${entry#*:}" ] || echo "${entry%%:*}" ;;
            *) grep -qF "${entry#*:} " <<<"$known" || echo "${entry%%:*}" ;;
        esac
    done
}

# Install what is missing when root with apt, else print the one command that does it.
qt_libs() {
    local missing
    missing=$(missing_qt_packages | tr '\n' ' ')
    missing=${missing% }
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "dev.sh: installing the system libraries Qt needs: $missing" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
    else
        echo "dev.sh: Qt needs system libraries that are missing; install them with:" >&2
        echo "    sudo apt-get install -y $missing" >&2
        echo "(other systems: the packages that provide the same libraries)" >&2
        return 1
    fi
}

venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
}

case "${1:-run}" in
    run)
        qt_libs
        venv
        "$VENV/bin/python" -m pip install -q -e .
        # Case tracings (for side-by-side comparison) are built locally, never committed.
        if [ ! -f resources/casebase/tracings.npz ] && [ -d ../shared/ptbxl ]; then
            "$VENV/bin/python" -m model_export.build_casebase --tracings-only || true
        fi
        shift || true
        exec "$VENV/bin/ecgviewer" gui "${@:-resources/samples/demo_ecg.hea}"
        ;;
    test)
        venv
        "$VENV/bin/python" -m pip install -q -e ".[train,dev]"
        shift
        QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} exec "$VENV/bin/python" -m pytest "$@"
        ;;
    qt-libs)
        qt_libs
        ;;
    *)
        echo "usage: bash dev.sh run [FILE] | bash dev.sh test [PYTEST ARGS] | bash dev.sh qt-libs" >&2
        exit 2
        ;;
esac
