"""Build the shipped case base from PTB-XL folds 1-9 with the shipped ONNX encoder.

    python -m model_export.build_casebase [--data DIR] [--model resources/model/encoder.onnx]
        [--out resources/casebase] [--embeddings-out runs/product.npz] [--tracings-only]
        [--rhythm-only]

Embeddings come from the app's own pipeline (renderer, ``encoder_input``, onnxruntime), so
the index holds exactly what a query is compared against. Each case's heart rate and RR
regularity (``ecgviewer.core.rhythm``) go to the ``rhythm`` table for re-ranking. The case
tracings (signals) go to ``tracings.npz``, which is git-ignored and bundled by the
installer; ``--tracings-only`` rebuilds just that file for an existing index (what
``dev.sh run`` does on a fresh checkout); ``--rhythm-only`` (re)writes just the rhythm
table of an existing case base, keeping its build id, index and tracings.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import numpy as np

from ecgviewer.core.casebase import (DB_FILE, RHYTHM_SCHEMA, TRACINGS_FILE, insert_rhythm,
                                     with_confirmed_statements, write_casebase, write_tracings)
from ecgviewer.core.encoder import Encoder
from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.rhythm import RhythmFeatures, measure
from ecgviewer.resources import casebase_dir, model_path
from model_export.ptbxl import RATE, Case, PtbXl

FOLDS = tuple(range(1, 10))


def case_rows(db: PtbXl, cases: list[Case]) -> list[dict]:
    rows = []
    for case in cases:
        codes = sorted(case.scp_codes.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({
            "case_id": f"ptbxl:{case.ecg_id:05d}", "ecg_id": case.ecg_id, "age": case.age,
            "sex": case.sex, "report": case.report, "fold": case.fold,
            "statements": [{"code": c, "description": db.statements[c].description,
                            "likelihood": float(p)} for c, p in codes if c in db.statements],
        })
    return rows


def embed_cases(encoder: Encoder, signals: np.ndarray, batch: int = 32) -> np.ndarray:
    out = []
    for start in range(0, len(signals), batch):
        frames = np.stack([
            encoder_input(record_page(EcgRecord(s, RATE, STANDARD_LEADS)))
            for s in signals[start:start + batch]
        ])
        out.append(encoder.embed(frames))
    return np.concatenate(out)


def case_rhythm(signals: np.ndarray) -> list[RhythmFeatures]:
    """Each case's rhythm features, measured as the app measures a query's."""
    return [measure(EcgRecord(s, RATE, STANDARD_LEADS)) for s in signals]


def confirmed_index(encoder: Encoder, cases: list[Case], embeddings: np.ndarray) -> np.ndarray:
    """What the index holds for PTB-XL cases: their confirmed SCP statements included."""
    return with_confirmed_statements(embeddings, encoder.label_codes,
                                     [list(c.scp_codes) for c in cases])


def build(data: str | None, model: Path, out: Path, embeddings_out: Path | None) -> str:
    db = PtbXl(data)
    cases = db.split(FOLDS)
    signals = db.signals(cases)
    encoder = Encoder(model)
    embeddings = embed_cases(encoder, signals)
    index = confirmed_index(encoder, cases, embeddings)
    digest = hashlib.sha256(encoder.build_id.encode() + index.tobytes()).hexdigest()[:12]
    build_id = f"ptbxl-{digest}"
    write_casebase(out, build_id, encoder.build_id, index, case_rows(db, cases), signals, RATE,
                   rhythm=case_rhythm(signals))
    if embeddings_out:
        embeddings_out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(embeddings_out, ecg_id=np.array([c.ecg_id for c in cases]),
                 embedding=embeddings, index_embedding=index)
    return build_id


def existing_signals(data: str | None, out: Path) -> tuple[str, np.ndarray]:
    """(build id, signals in label order) of an existing case base, from PTB-XL."""
    con = sqlite3.connect(f"file:{out / DB_FILE}?mode=ro", uri=True)
    build_id = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0]
    ids = [r[0] for r in con.execute("SELECT ecg_id FROM cases ORDER BY label")]
    con.close()
    db = PtbXl(data)
    by_id = {c.ecg_id: c for c in db.cases}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise SystemExit(f"{len(missing)} cases of the case base are not in {db.root}")
    return build_id, db.signals([by_id[i] for i in ids])


def build_tracings(data: str | None, out: Path) -> str:
    """Tracings for an existing case base, stamped with its build id."""
    build_id, signals = existing_signals(data, out)
    write_tracings(out / TRACINGS_FILE, signals, RATE, build_id)
    return build_id


def build_rhythm(data: str | None, out: Path) -> str:
    """The rhythm table of an existing case base, replaced in a copy renamed over it."""
    build_id, signals = existing_signals(data, out)
    tmp = out / (DB_FILE + ".tmp")
    shutil.copyfile(out / DB_FILE, tmp)
    con = sqlite3.connect(tmp)
    con.execute("DROP TABLE IF EXISTS rhythm")
    con.executescript(RHYTHM_SCHEMA)
    insert_rhythm(con, case_rhythm(signals))
    con.commit()
    con.close()
    os.replace(tmp, out / DB_FILE)
    return build_id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="PTB-XL folder (default: $ECGVIEWER_DATA or ../shared/ptbxl)")
    parser.add_argument("--model", type=Path, default=model_path())
    parser.add_argument("--out", type=Path, default=casebase_dir())
    parser.add_argument("--embeddings-out", type=Path, help="also write embeddings for the harness")
    parser.add_argument("--tracings-only", action="store_true")
    parser.add_argument("--rhythm-only", action="store_true")
    args = parser.parse_args(argv)
    if args.tracings_only:
        print(f"tracings for case base {build_tracings(args.data, args.out)}")
    elif args.rhythm_only:
        print(f"rhythm table for case base {build_rhythm(args.data, args.out)}")
    else:
        print(f"case base {build(args.data, args.model, args.out, args.embeddings_out)}")


if __name__ == "__main__":
    main()
