#!/usr/bin/env bash
# The whole recipe on a CPU, timed step by step: pack the training data, train the
# product encoder for TRAIN_MINUTES, export it to ONNX, build its case base and score it
# on fold 9, all under runs/cpu (nothing shipped is replaced). For a clinic's IT person or
# a researcher without a GPU:
#
#     bash model_export/cpu_recipe.sh            # TRAIN_MINUTES=60 by default
#     TRAIN_MINUTES=20 bash model_export/cpu_recipe.sh
#
# To ship the result: copy runs/cpu/encoder.onnx to resources/model/ and runs/cpu/casebase
# to resources/casebase/ (the app checks that they belong together by build id).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=${OUT:-runs/cpu}
TRAIN_MINUTES=${TRAIN_MINUTES:-60}
mkdir -p "$OUT"
start=$(date +%s)
step() {  # step NAME COMMAND...: run it, print its minutes
    local name=$1 t0
    shift
    t0=$(date +%s)
    "$@" > "$OUT/$name.log" 2>&1 || { echo "cpu_recipe: $name failed, see $OUT/$name.log" >&2; exit 1; }
    echo "cpu_recipe: $name $(( ($(date +%s) - t0) / 60 )) min $(( ($(date +%s) - t0) % 60 )) s"
}
[ -f cache/pack.npz ] || step pack "$PY" -m model_export.pack
step train "$PY" -m model_export.train_product --out "$OUT/product" --device cpu \
    --max-minutes "$TRAIN_MINUTES"
step export "$PY" -m model_export.export_onnx "$OUT/product/best.pt" --out "$OUT/encoder.onnx"
step casebase "$PY" -m model_export.build_casebase --model "$OUT/encoder.onnx" \
    --out "$OUT/casebase" --embeddings-out "$OUT/embeddings.npz"
step evaluate "$PY" -m model_export.evaluate --method "cpu=$OUT/embeddings.npz" \
    --baselines random --no-text --json "$OUT/evaluate.json"
echo "cpu_recipe: done in $(( ($(date +%s) - start) / 60 )) min; fold 9:"
grep -E "^\| (cpu|random) " "$OUT/evaluate.log" | head -4
