"""One compact training pack: signals, labels and text embeddings of every case.

Training reads only this file, so it runs the same here and on a lent GPU machine that has
no PTB-XL folder. The pack lives under ``cache/`` (git-ignored): it is a re-encoding of the
signals and must never be committed.

    python -m model_export.pack [--data DIR] [--out cache/pack.npz]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model_export.ptbxl import CACHE, PtbXl

DEFAULT_PACK = CACHE / "pack.npz"


@dataclass
class Pack:
    ecg_id: np.ndarray  # (N,) int
    fold: np.ndarray  # (N,) int
    signals: np.ndarray  # (N, 12, 1000) float32 mV at 100 Hz
    codes: list[str]  # label vocabulary: every SCP statement seen in the data
    labels: np.ndarray  # (N, len(codes)) float32 multi-hot
    diagnostic: np.ndarray  # (len(codes),) bool: code is a diagnostic statement
    superclass_sets: list[str]  # per case, e.g. "CD+MI"; "" when it has no diagnostic class
    text: np.ndarray  # (N, 384) float32 MiniLM embedding of the English statement text

    def split(self, folds: tuple[int, ...]) -> np.ndarray:
        return np.flatnonzero(np.isin(self.fold, folds))


def build_pack(data: str | None, out: Path) -> Path:
    from model_export.text_embed import embed_texts

    db = PtbXl(data)
    cases = db.cases
    codes = sorted({c for case in cases for c in case.scp_codes if c in db.statements})
    col = {c: i for i, c in enumerate(codes)}
    labels = np.zeros((len(cases), len(codes)), np.float32)
    for i, case in enumerate(cases):
        for code in case.scp_codes:
            if code in col:
                labels[i, col[code]] = 1.0
    write_pack(
        out,
        ecg_id=np.array([c.ecg_id for c in cases]),
        fold=np.array([c.fold for c in cases]),
        signals=db.signals(cases),
        codes=codes,
        labels=labels,
        diagnostic=np.array([db.statements[c].diagnostic for c in codes]),
        superclass_sets=["+".join(sorted(db.superclasses(c))) for c in cases],
        text=embed_texts([db.statement_text(c) for c in cases]),
    )
    return out


def write_pack(out: Path, *, ecg_id, fold, signals, codes, labels, diagnostic, superclass_sets,
               text) -> None:
    """Store a pack; signals as int16 microvolts (lossless for PTB-XL's 1 uV resolution)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, ecg_id=ecg_id, fold=fold,
        signals_uv=np.clip(np.round(signals * 1000), -32768, 32767).astype(np.int16),
        codes=np.array(codes), labels=labels, diagnostic=diagnostic,
        superclass_sets=np.array(superclass_sets), text=text,
    )


def load_pack(path: Path = DEFAULT_PACK) -> Pack:
    z = np.load(path)
    return Pack(
        ecg_id=z["ecg_id"], fold=z["fold"],
        signals=z["signals_uv"].astype(np.float32) / 1000.0,
        codes=[str(c) for c in z["codes"]], labels=z["labels"], diagnostic=z["diagnostic"],
        superclass_sets=[str(s) for s in z["superclass_sets"]], text=z["text"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data",
                        help="PTB-XL folder (default: $ECGVIEWER_DATA or ../shared/ptbxl)")
    parser.add_argument("--out", type=Path, default=DEFAULT_PACK)
    args = parser.parse_args()
    print(build_pack(args.data, args.out))


if __name__ == "__main__":
    main()
