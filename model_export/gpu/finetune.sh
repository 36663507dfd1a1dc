#!/usr/bin/env bash
# Short fine-tune on a lent GPU from an earlier checkpoint, selected by the shipped
# retrieval (combined query vs confirmed-statement index). Carry cache/pack.npz and INIT.
set -u
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1
OUT=${OUT:-runs/gpu-finetune}
INIT=${1:-runs/gpu1/product/best.pt}
mkdir -p "$OUT/product"
timeout 265 python3 -m model_export.train_product --pack cache/pack.npz --out "$OUT/product" \
    --device cuda --init "$INIT" --lr 5e-4 --bce-weight 2.0 --max-minutes 3.4 --batch 128 \
    --workers 15 > "$OUT/product.log" 2>&1
rm -f "$OUT/product/last.pt"
tail -5 "$OUT/product.log"
