#!/usr/bin/env bash
# One prepared run on a lent GPU machine (16 cores, one H100/H200): trains the product
# encoder and the paper's encoder side by side from the training pack, within ~9 minutes.
# Run from the repository root, with cache/pack.npz carried. Outputs go to $OUT.
set -u
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
OUT=${OUT:-runs/gpu}
mkdir -p "$OUT/product" "$OUT/paper"
nvidia-smi -L
python3 -c "import torch, cv2, numpy; print('torch', torch.__version__, 'cv2', cv2.__version__, 'cuda', torch.cuda.is_available())"
timeout 500 python3 -m model_export.train_product --pack cache/pack.npz --out "$OUT/product" \
    --device cuda --max-minutes 7.3 --batch 128 --workers 13 > "$OUT/product.log" 2>&1 &
timeout 480 python3 -m model_export.paper_encoder train --pack cache/pack.npz --out "$OUT/paper" \
    --device cuda --epochs 150 --max-minutes 5 --embed-out "$OUT/paper/embeddings.npz" > "$OUT/paper.log" 2>&1 &
wait
rm -f "$OUT"/product/last.pt "$OUT"/paper/last.pt "$OUT"/paper/best.pt "$OUT"/product/*.json
tail -3 "$OUT/product.log" "$OUT/paper.log"
ls -la "$OUT" "$OUT"/*
