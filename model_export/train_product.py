"""Train the product encoder: rendered (and photo-degraded) ECG pages -> embeddings.

Objective: SCP-statement multi-label BCE (many reports are identical, labels separate them)
plus a CLIP loss that aligns the image embedding with the MiniLM embedding of the case's
English statement text; captions that are identical count as positives for each other.
Every training image is drawn by ecgviewer's own renderer and goes through ecgviewer's own
``encoder_input``: the app sees exactly what training saw.

    python -m model_export.train_product --out runs/product [--max-minutes 85] [--device auto]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset

from ecgviewer.core.casebase import with_confirmed_statements
from ecgviewer.core.preprocess import FRAME_HEIGHT, FRAME_WIDTH, encoder_input, record_page
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.render import render
from model_export.baselines import cosine_neighbours
from model_export.metrics import precision_at_k, relevance_matrix, same_set, shares_any
from model_export.pack import DEFAULT_PACK, Pack, load_pack
from model_export.page_net import PageNet
from model_export.photo_augment import random_paper_style, train_augment
from model_export.ptbxl import TRAIN_FOLDS, VALID_FOLD

log = logging.getLogger("train_product")
RATE = 100.0


def augment_signal(signals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Plausible recording variation: gain, baseline wander, noise and a time shift."""
    x = signals * rng.uniform(0.8, 1.2) * rng.uniform(0.95, 1.05, (12, 1))
    t = np.arange(x.shape[1]) / RATE
    wander = rng.uniform(0, 0.15, (12, 1)) * np.sin(2 * np.pi * rng.uniform(0.05, 0.5) * t
                                                    + rng.uniform(0, 2 * np.pi, (12, 1)))
    x = x + wander + rng.normal(0, rng.uniform(0, 0.02), x.shape)
    if rng.random() < 0.5:
        x = np.roll(x, int(rng.integers(0, x.shape[1])), axis=1)
    return x.astype(np.float32)


def uint8_frame(page_rgb: np.ndarray) -> np.ndarray:
    """The encoder's input frame of a page as uint8 (H, W): a quarter of the memory."""
    return np.round(encoder_input(page_rgb)[0] * 255).astype(np.uint8)


class PageDataset(Dataset):
    """Each item is a freshly drawn page of one case: style, signal and paper all random."""

    def __init__(self, pack: Pack, rows: np.ndarray, seed: int):
        self.signals = pack.signals[rows]
        self.labels = pack.labels[rows]
        self.text = pack.text[rows]
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.signals)

    def __getitem__(self, i: int):
        rng = np.random.default_rng((self.seed, self.epoch, i))
        record = EcgRecord(augment_signal(self.signals[i], rng), RATE, STANDARD_LEADS)
        page = render(record, random_paper_style(rng, px_per_mm=(1.8, 3.0)))
        if rng.random() < 0.7:  # most queries are digital files: keep some pages clean
            page = train_augment(page, rng)
        return torch.from_numpy(uint8_frame(page)), torch.from_numpy(self.labels[i]), \
            torch.from_numpy(self.text[i]), i


class CleanPages(Dataset):
    """The default printout of each case, exactly as the app renders a signal query."""

    def __init__(self, pack: Pack, rows: np.ndarray):
        self.signals = pack.signals[rows]

    def __len__(self) -> int:
        return len(self.signals)

    def __getitem__(self, i: int) -> torch.Tensor:
        record = EcgRecord(self.signals[i], RATE, STANDARD_LEADS)
        return torch.from_numpy(uint8_frame(record_page(record)))


def clean_frames(pack: Pack, rows: np.ndarray, workers: int) -> torch.Tensor:
    """uint8 (N, H, W) clean frames, drawn in parallel."""
    loader = DataLoader(CleanPages(pack, rows), batch_size=64, num_workers=workers,
                        worker_init_fn=_init_worker)
    return torch.cat(list(loader))


class ClipHead(nn.Module):
    """Projects frozen text embeddings into the image space, with a learned temperature."""

    def __init__(self, text_dim: int, embed_dim: int):
        super().__init__()
        self.proj = nn.Linear(text_dim, embed_dim)
        self.log_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, image_emb: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        text_emb = F.normalize(self.proj(text), dim=1)
        logits = self.log_scale.exp().clamp(max=100) * image_emb @ text_emb.T
        same = (text @ text.T > 0.999).float()  # identical captions are all positives
        target = same / same.sum(1, keepdim=True)
        return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


@torch.no_grad()
def embed(net: PageNet, frames: torch.Tensor, device: torch.device, batch: int = 128
          ) -> tuple[np.ndarray, np.ndarray]:
    """(embeddings, label probabilities) for uint8 frames."""
    net.eval()
    embs, probs = [], []
    for start in range(0, len(frames), batch):
        x = frames[start:start + batch].to(device).float().div_(255).unsqueeze(1)
        emb, logits = net(x)
        embs.append(emb.float().cpu())
        probs.append(torch.sigmoid(logits.float()).cpu())
    return torch.cat(embs).numpy(), torch.cat(probs).numpy()


def relevance(pack: Pack, q_rows: np.ndarray, x_rows: np.ndarray) -> dict[str, np.ndarray]:
    """Which index cases are relevant to each query, by the harness's two definitions."""
    sup = [frozenset(s.split("+")) - {""} for s in pack.superclass_sets]
    codes = np.array(pack.codes)
    diag = [frozenset(codes[pack.diagnostic & (row > 0)]) for row in pack.labels]
    return {name: relevance_matrix([sets[i] for i in q_rows], [sets[i] for i in x_rows], rel)
            for name, sets, rel in (("supP@10", sup, same_set), ("anyP@10", diag, shares_any))}


def retrieval_scores(rels: dict[str, np.ndarray], q_emb: np.ndarray, x_emb: np.ndarray,
                     k: int = 10) -> dict[str, float]:
    """Fold-9 precision@k from the pack alone (no PTB-XL folder needed)."""
    nbrs = cosine_neighbours(q_emb, x_emb, k)
    return {name: precision_at_k(np.take_along_axis(r, nbrs, axis=1), k)
            for name, r in rels.items()}


def shipped_vectors(emb: np.ndarray, probs: np.ndarray, n_queries: int, label_codes: list[str],
                    index_codes: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Query and index vectors exactly as the app has them: the exported "combined" output
    for queries; for index cases, the same with their confirmed statements in place."""
    unit = probs / np.maximum(np.linalg.norm(probs, axis=1, keepdims=True), 1e-12)
    combined = np.concatenate([emb, unit], axis=1) / np.sqrt(2)
    index = with_confirmed_statements(combined[n_queries:], tuple(label_codes), index_codes)
    return combined[:n_queries], index


def log_to(logger: logging.Logger, out: Path) -> None:
    """Log to the console and to ``<out>/train.log``, replacing earlier handlers."""
    out.mkdir(parents=True, exist_ok=True)
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    for handler in (logging.StreamHandler(), logging.FileHandler(out / "train.log")):
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)


def _init_worker(_: int) -> None:
    cv2.setNumThreads(1)  # one process per core already


def train(args: argparse.Namespace) -> Path:
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available()
                          else ("cpu" if args.device == "auto" else args.device))
    pack = load_pack(args.pack)
    train_rows = pack.split(TRAIN_FOLDS)
    valid_rows = pack.split((VALID_FOLD,))
    if args.limit:
        train_rows, valid_rows = train_rows[:args.limit], valid_rows[:max(20, args.limit // 4)]
    log.info("device %s, %d train, %d valid cases, %d labels", device, len(train_rows),
             len(valid_rows), len(pack.codes))

    net = PageNet(len(pack.codes), width=args.width)
    if args.init:  # fine-tune a trained network (same label vocabulary and width)
        net.load_state_dict(torch.load(args.init, map_location="cpu", weights_only=False)["net"])
    net = net.to(device)
    clip = ClipHead(pack.text.shape[1], net.head[-1].out_features).to(device)
    params = list(net.parameters()) + list(clip.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay)
    data = PageDataset(pack, train_rows, args.seed)
    loader = DataLoader(data, batch_size=args.batch, shuffle=True, num_workers=args.workers,
                        drop_last=len(train_rows) > args.batch,
                        generator=torch.Generator().manual_seed(args.seed),
                        worker_init_fn=_init_worker, pin_memory=device.type == "cuda")
    eval_frames = clean_frames(pack, np.concatenate([valid_rows, train_rows]), args.workers)
    rels = relevance(pack, valid_rows, train_rows)
    codes = np.array(pack.codes)
    case_codes = [list(codes[pack.labels[r] > 0]) for r in train_rows]
    amp = device.type == "cuda"
    budget_s = args.max_minutes * 60
    start = time.time()
    best = -1.0
    args.out.mkdir(parents=True, exist_ok=True)
    for epoch in range(args.epochs):
        data.epoch = epoch
        net.train()
        total = n = 0
        for frames, labels, text, _ in loader:
            progress = max(epoch / args.epochs, (time.time() - start) / budget_s)
            lr = args.lr * min(1.0, (epoch + 1) / 3) * 0.5 * (1 + math.cos(math.pi * min(progress, 1)))
            for group in opt.param_groups:
                group["lr"] = lr
            x = frames.to(device, non_blocking=True).float().div_(255).unsqueeze(1)
            labels, text = labels.to(device), text.to(device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
                emb, logits = net(x)
            loss = F.binary_cross_entropy_with_logits(logits.float(), labels) * args.bce_weight \
                + clip(emb.float(), text)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * len(x)
            n += len(x)
        emb, probs = embed(net, eval_frames, device)
        nv = len(valid_rows)
        query, index = shipped_vectors(emb, probs, nv, pack.codes, case_codes)
        scores = retrieval_scores(rels, query, index)
        elapsed = time.time() - start
        log.info("epoch %d loss %.4f supP@10 %.3f anyP@10 %.3f lr %.2e %.0fs",
                 epoch, total / n, scores["supP@10"], scores["anyP@10"], lr, elapsed)
        state = {"net": net.state_dict(), "codes": pack.codes, "width": args.width,
                 "epoch": epoch, "scores": scores, "args": vars(args) | {"out": str(args.out),
                                                                        "pack": str(args.pack)}}
        torch.save(state, args.out / "last.pt")
        if scores["supP@10"] + scores["anyP@10"] > best:
            best = scores["supP@10"] + scores["anyP@10"]
            torch.save(state, args.out / "best.pt")
            (args.out / "best.json").write_text(json.dumps({"epoch": epoch, **scores}, indent=2))
        if elapsed > budget_s:
            log.info("time budget reached after epoch %d", epoch)
            break
    return args.out / "best.pt"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK)
    parser.add_argument("--out", type=Path, default=Path("runs/product"))
    parser.add_argument("--device", default="auto")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--max-minutes", type=float, default=85.0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--bce-weight", type=float, default=1.0)
    parser.add_argument("--width", type=int, default=48)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--init", type=Path, help="start from this checkpoint's weights")
    parser.add_argument("--limit", type=int, default=0, help="train on this many cases (smoke)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    log_to(log, args.out)
    train(args)


if __name__ == "__main__":
    main()
