"""Fine-tune the shipped encoder so that rectified photos of any printout land where the
clean digital page of the same record does (feature distillation).

The teacher is the model as shipped, reading each case's default printout: exactly the
vector the case base holds and a digital query gets. The student starts as the same
network and learns to give that vector (embedding and statement probabilities) for the
same record printed in any style (layout, grid and trace colours, trace width), then
photographed or scanned and rectified by the app's own ``rectify``; a share of clean
default pages keeps it where it was for digital files. No text head is needed, so this
runs from the ONNX file alone (``export_onnx.net_from_onnx``), on a CPU in about an hour.

    python -m model_export.photo_finetune --out runs/photo-ft [--minutes 60] [--photos 2]

Photographs are made once and cached (``cache/photo-frames-*.npz``, git-ignored: they
are re-encodings of the signals). Writes ``<out>/best.pt`` (for ``export_onnx``), chosen
by fold-9 superclass-set P@10 of mixed-printer photo queries plus that of digital ones.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import multiprocessing
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.render import render
from ecgviewer.resources import model_path
from model_export.export_onnx import net_from_onnx
from model_export.frames import as_input, clean_frames, embed_frames, uint8_frame
from model_export.pack import DEFAULT_PACK, Pack, load_pack
from model_export.page_net import checkpoint_state
from model_export.photo_augment import random_paper_style, train_augment
from model_export.printouts import photographed, rectified
from model_export.ptbxl import CACHE, RATE, TRAIN_FOLDS, VALID_FOLD
from model_export.runs import start_run
from model_export.schedule import set_lr, warmup_cosine
from model_export.scoring import RetrievalCheck

log = logging.getLogger("photo_finetune")
#: How training photos are taken: (capture, share); "scan" is a flat-bed scan.
SEVERITY_MIX = (("mild", 0.2), ("moderate", 0.35), ("severe", 0.25), ("scan", 0.2))
PRINT_PX_PER_MM = (4.0, 6.0)


def photographed_frame(signals: np.ndarray, seed: tuple[int, ...], severity: str | None = None
                       ) -> np.ndarray | None:
    """uint8 encoder frame of one record printed in a random style, photographed (or
    scanned) and rectified as the app does; None when rectification fails or turns it."""
    cv2.setNumThreads(1)
    rng = np.random.default_rng(seed)
    if severity is None:
        names, shares = zip(*SEVERITY_MIX)
        severity = names[rng.choice(len(names), p=shares)]
    style = random_paper_style(rng, PRINT_PX_PER_MM)
    rect = rectified(photographed(EcgRecord(signals, RATE, STANDARD_LEADS), style, rng,
                                  severity))
    return uint8_frame(rect.page) if rect is not None and rect.quarters == 0 else None


def _photo_task(task: tuple[np.ndarray, tuple[int, ...], str | None]) -> np.ndarray | None:
    return photographed_frame(*task)


def photo_frames(pack: Pack, rows: np.ndarray, per_record: int, seed: int, workers: int,
                 cache: Path, severity: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(frames uint8 (M, H, W), pack row of each), cached; failed photos are left out."""
    tag = f"{severity or 'mix'}-{per_record}-{seed}-{len(rows)}-{int(rows.sum())}"
    path = cache / f"photo-frames-{tag}.npz"
    if path.exists():
        cached = np.load(path)
        return cached["frames"], cached["rows"]
    tasks = [(pack.signals[r], (seed, int(r), k), severity)
             for r in rows for k in range(per_record)]
    start = time.time()
    if workers > 0:  # spawn, not fork: a fork after torch has started its threads can hang
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            done = list(pool.imap(_photo_task, tasks, chunksize=8))
    else:
        done = [_photo_task(task) for task in tasks]
    keep = [i for i, f in enumerate(done) if f is not None]
    frames = np.stack([done[i] for i in keep])
    owners = np.repeat(rows, per_record)[keep]
    log.info("%d of %d photos rectified upright in %.0f s", len(keep), len(tasks),
             time.time() - start)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, frames=frames, rows=owners)
    tmp.replace(path)
    return frames, owners


def styled_frame(signals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A fresh page in a random printer style at screen resolution, often damaged."""
    page = render(EcgRecord(signals, RATE, STANDARD_LEADS), random_paper_style(rng, (1.8, 3.0)))
    return uint8_frame(train_augment(page, rng) if rng.random() < 0.5 else page)


def distillation_loss(emb: torch.Tensor, logits: torch.Tensor, t_emb: torch.Tensor,
                      t_logits: torch.Tensor, prob_weight: float) -> torch.Tensor:
    """Cosine distance to the teacher's embedding plus BCE against its probabilities."""
    cos = 1 - (emb * t_emb).sum(1).mean()
    return cos + prob_weight * F.binary_cross_entropy_with_logits(logits, torch.sigmoid(t_logits))


def finetune(args: argparse.Namespace) -> Path:
    torch.set_num_threads(args.threads)
    pack = load_pack(args.pack)
    train_rows, valid_rows = pack.split(TRAIN_FOLDS), pack.split((VALID_FOLD,))
    if args.limit:
        train_rows, valid_rows = train_rows[:args.limit], valid_rows[:max(20, args.limit // 4)]
    teacher, codes = net_from_onnx(args.model)
    if codes != list(pack.codes):
        raise SystemExit("the model's statement vocabulary differs from the pack's")
    student = copy.deepcopy(teacher).eval()  # eval: BatchNorm stays the folded affine map

    photos, photo_rows = photo_frames(pack, train_rows, args.photos, args.seed, args.workers,
                                       args.cache)
    valid_photos, valid_photo_rows = photo_frames(pack, valid_rows, 1, args.seed + 1,
                                                  args.workers, args.cache, "moderate")
    clean = clean_frames(pack, np.concatenate([train_rows, valid_rows]), args.workers)
    train_clean, valid_clean = clean[:len(train_rows)], clean[len(train_rows):]
    with torch.no_grad():  # the targets: what the shipped model gives each default page
        targets = [teacher(as_input(train_clean[i:i + 128]))
                   for i in range(0, len(train_clean), 128)]
    t_emb, t_logits = (torch.cat(part) for part in zip(*targets))
    photo_owner = np.searchsorted(train_rows, photo_rows)  # pack.split rows are sorted

    digital = RetrievalCheck.for_pack(pack, valid_rows, train_rows)
    photo = digital.only(np.searchsorted(valid_rows, valid_photo_rows))
    checks = {"digital": (valid_clean, digital), "photo": (torch.from_numpy(valid_photos), photo)}

    def evaluate() -> dict[str, float]:
        """Fold-9 scores of digital and photo queries into the student's own case base."""
        cpu = torch.device("cpu")
        index = embed_frames(student, train_clean, cpu)
        return {f"{name} {metric}": value for name, (frames, check) in checks.items()
                for metric, value in check(embed_frames(student, frames, cpu), index).items()}

    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.0)
    rng = np.random.default_rng(args.seed)
    budget = args.minutes * 60
    steps_per_epoch = math.ceil(len(photos) / args.batch)
    start = time.time()
    best_score = -1.0
    first = evaluate()
    log.info("before: %s", json.dumps({k: round(v, 3) for k, v in first.items()}))
    epoch = 0
    while epoch == 0 or time.time() - start < budget:  # one epoch at least: a best.pt
        order = rng.permutation(len(photos))
        total = 0.0
        for step in range(steps_per_epoch):
            set_lr(opt, args.lr * warmup_cosine((time.time() - start) / budget))
            pick = order[step * args.batch:(step + 1) * args.batch]
            owners = photo_owner[pick]
            batch = [photos[i] for i in pick]
            # plus half as many digital pages: default ones and fresh random-style ones
            extra = rng.choice(len(train_rows), len(pick) // 2)
            for j, owner in enumerate(extra):
                batch.append(train_clean[owner].numpy() if j % 2 == 0 else
                             styled_frame(pack.signals[train_rows[owner]], rng))
            owners = np.concatenate([owners, extra])
            emb, logits = student(as_input(torch.from_numpy(np.stack(batch))))
            loss = distillation_loss(emb, logits, t_emb[owners], t_logits[owners],
                                     args.prob_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item()
            if time.time() - start > budget:
                break
        result = evaluate()
        log.info("epoch %d loss %.4f %s %.0fs", epoch, total / (step + 1),
                 json.dumps({k: round(v, 3) for k, v in result.items()}), time.time() - start)
        score = result["photo supP@10"] + result["digital supP@10"]
        state = checkpoint_state(student, pack.codes, epoch=epoch, scores=result,
                                 args={k: str(v) for k, v in vars(args).items()})
        if score > best_score:
            best_score = score
            torch.save(state, args.out / "best.pt")
            (args.out / "best.json").write_text(json.dumps({"epoch": epoch, "before": first,
                                                            **result}, indent=2))
        epoch += 1
    return args.out / "best.pt"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=model_path(), help="the teacher")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK)
    parser.add_argument("--out", type=Path, default=Path("runs/photo-ft"))
    parser.add_argument("--cache", type=Path, default=CACHE, help="where photos are cached")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--photos", type=int, default=2, help="photos per training record")
    parser.add_argument("--batch", type=int, default=32, help="photos per step (plus half as "
                                                               "many digital pages)")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--prob-weight", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2, help="photo processes (0: this one)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="this many cases (smoke)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start_run(log, args.out, args.seed)
    finetune(args)


if __name__ == "__main__":
    main()
