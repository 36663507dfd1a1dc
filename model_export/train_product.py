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

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset

from ecgviewer.core.dsp import bandpass_zero_phase
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.render import render
from model_export.frames import as_input, clean_frames, embed_frames, one_cv2_thread, uint8_frame
from model_export.pack import DEFAULT_PACK, Pack, load_pack
from model_export.page_net import PageNet, PageNetConfig, checkpoint_state
from model_export.photo_augment import random_paper_style, train_augment
from model_export.ptbxl import RATE, TRAIN_FOLDS, VALID_FOLD
from model_export.runs import pick_device, start_run
from model_export.schedule import set_lr, warmup_cosine
from model_export.scoring import RetrievalCheck

log = logging.getLogger("train_product")
#: The learning rate rises over this share of the run (the shipped run: about 3 epochs).
WARMUP = 0.05


#: How often each recorder difference is drawn (issue 12: other hospitals' machines).
MONITOR_FILTER_P, HUM_P, DERIVED_LIMB_P = 0.2, 0.2, 0.2
#: The "monitor" band of many carts' screens and thermal printouts, against the
#: diagnostic 0.05-150 Hz of PTB-XL (at 100 Hz, the diagnostic band ends at Nyquist).
MONITOR_BAND_HZ = (0.5, 40.0)


def augment_signal(signals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Plausible recording variation: gain, baseline wander, noise, a time shift, and
    what other recorders do: a 0.5-40 Hz monitor filter, 50/60 Hz mains hum (sampled at
    RATE, as a recorder that does not filter it leaves it), and 8-lead recordings whose
    limb leads III, aVR, aVL and aVF are derived from I and II, as the app derives them."""
    x = signals * rng.uniform(0.8, 1.2) * rng.uniform(0.95, 1.05, (12, 1))
    t = np.arange(x.shape[1]) / RATE
    wander = rng.uniform(0, 0.15, (12, 1)) * np.sin(2 * np.pi * rng.uniform(0.05, 0.5) * t
                                                    + rng.uniform(0, 2 * np.pi, (12, 1)))
    x = x + wander + rng.normal(0, rng.uniform(0, 0.02), x.shape)
    if rng.random() < MONITOR_FILTER_P:
        x = bandpass_zero_phase(x, *MONITOR_BAND_HZ, RATE)
    if rng.random() < HUM_P:
        mains = rng.choice([50.0, 60.0])
        x = x + rng.uniform(0.005, 0.05) * np.sin(2 * np.pi * mains * t + rng.uniform(0, 2 * np.pi))
    if rng.random() < DERIVED_LIMB_P:
        x = EcgRecord(x[[0, 1, 6, 7, 8, 9, 10, 11]], RATE,
                      ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")).with_standard_leads().signals
    if rng.random() < 0.5:
        x = np.roll(x, int(rng.integers(0, x.shape[1])), axis=1)
    return x.astype(np.float32)


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


def train(args: argparse.Namespace) -> Path:
    device = pick_device(args.device)
    pack = load_pack(args.pack)
    train_rows = pack.split(TRAIN_FOLDS)
    valid_rows = pack.split((VALID_FOLD,))
    if args.limit:
        train_rows, valid_rows = train_rows[:args.limit], valid_rows[:max(20, args.limit // 4)]
    log.info("device %s, %d train, %d valid cases, %d labels", device, len(train_rows),
             len(valid_rows), len(pack.codes))

    config = PageNetConfig(n_labels=len(pack.codes), width=args.width)
    net = PageNet(config)
    if args.init:  # fine-tune a trained network (same label vocabulary and width)
        net.load_state_dict(torch.load(args.init, map_location="cpu", weights_only=False)["net"])
    net = net.to(device)
    clip = ClipHead(pack.text.shape[1], config.embed_dim).to(device)
    params = list(net.parameters()) + list(clip.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay)
    data = PageDataset(pack, train_rows, args.seed)
    loader = DataLoader(data, batch_size=args.batch, shuffle=True, num_workers=args.workers,
                        drop_last=len(train_rows) > args.batch,
                        generator=torch.Generator().manual_seed(args.seed),
                        worker_init_fn=one_cv2_thread, pin_memory=device.type == "cuda")
    eval_frames = clean_frames(pack, np.concatenate([valid_rows, train_rows]), args.workers)
    check = RetrievalCheck.for_pack(pack, valid_rows, train_rows)
    amp = device.type == "cuda"
    budget_s = args.max_minutes * 60
    start = time.time()
    best = -1.0
    for epoch in range(args.epochs):
        data.epoch = epoch
        net.train()
        total = n = 0
        for step, (frames, labels, text, _) in enumerate(loader):
            # through the run by steps or by the time budget, whichever is further on
            progress = max((epoch + step / len(loader)) / args.epochs,
                           (time.time() - start) / budget_s)
            lr = args.lr * warmup_cosine(progress, WARMUP)
            set_lr(opt, lr)
            x = as_input(frames.to(device, non_blocking=True))
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
        emb, probs = embed_frames(net, eval_frames, device)
        nv = len(valid_rows)
        scores = check((emb[:nv], probs[:nv]), (emb[nv:], probs[nv:]))
        elapsed = time.time() - start
        log.info("epoch %d loss %.4f supP@10 %.3f anyP@10 %.3f lr %.2e %.0fs",
                 epoch, total / n, scores["supP@10"], scores["anyP@10"], lr, elapsed)
        state = checkpoint_state(net, pack.codes, epoch=epoch, scores=scores,
                                 args=vars(args) | {"out": str(args.out),
                                                    "pack": str(args.pack)})
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
    start_run(log, args.out, args.seed)
    train(args)


if __name__ == "__main__":
    main()
