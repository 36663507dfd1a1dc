#!/usr/bin/env bash
# Developer entry point: `bash dev.sh run` (set up, open the bundled sample in the app)
# and `bash dev.sh test` (set up with the training and test extras, run the whole suite).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=.venv

venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
}

case "${1:-run}" in
    run)
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
    *)
        echo "usage: bash dev.sh run [FILE] | bash dev.sh test [PYTEST ARGS]" >&2
        exit 2
        ;;
esac
