"""The comparison point from Qiu et al. (ML4H 2023): a ViT over GASF/RP/MTF page images,
aligned to the report text with a CLIP loss; retrieval then compares ECG embeddings.

Departures, all forced by an offline, small-data setting: the ViT is small and trained from
scratch (no pretrained weights can be fetched), and the text side is frozen all-MiniLM-L6-v2
embeddings through a trainable linear projection. The text is PTB-XL's English statement
text (``PtbXl.statement_text``), because the paper aligned to English reports and most raw
PTB-XL reports are German. Many cases share one text, so the CLIP targets are soft: uniform
over every batch item whose text is identical, rather than a one-hot diagonal that would
push apart cases the labels call the same.

Everything is read from the training pack (``python -m model_export.pack``), so the same
command runs on a GPU machine that has no PTB-XL folder:

    python -m model_export.paper_encoder train --out runs/paper --epochs 150 --device auto \\
        --max-minutes 3 --embed-out runs/paper/embeddings.npz
    python -m model_export.paper_encoder embed --checkpoint runs/paper/best.pt \\
        --out runs/paper/embeddings.npz
"""

from __future__ import annotations

import argparse
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from model_export.pack import DEFAULT_PACK, Pack, load_pack
from model_export.paper_transforms import COLS, ROWS, cached_images
from model_export.ptbxl import TRAIN_FOLDS, VALID_FOLD
from model_export.runs import log_to, pick_device, start_run
from model_export.schedule import warmup_cosine
from model_export.scoring import superclass_precision

log = logging.getLogger("paper_encoder")


@dataclass(frozen=True)
class Config:
    size: int = 64  # points per lead, so each lead image is size x size
    bins: int = 8  # MTF quantile bins
    patch: int = 16  # divides size, so no patch straddles two leads
    width: int = 192
    depth: int = 6
    heads: int = 3
    text_dim: int = 384
    embed_dim: int = 256
    # per-channel input standardisation, set from the training images: the three channels
    # live on different scales (GASF in [-1, 1], RP in mV, MTF probabilities)
    channel_mean: tuple[float, ...] = (0.0, 0.0, 0.0)
    channel_std: tuple[float, ...] = (1.0, 1.0, 1.0)


class ViT(nn.Module):
    """Patch embedding, CLS token, learned positions, pre-norm transformer, CLS out."""

    def __init__(self, cfg: Config):
        super().__init__()
        if cfg.size % cfg.patch:
            raise ValueError(f"patch {cfg.patch} must divide the lead size {cfg.size}")
        tokens = (ROWS * cfg.size // cfg.patch) * (COLS * cfg.size // cfg.patch)
        self.register_buffer("mean", torch.tensor(cfg.channel_mean).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(cfg.channel_std).view(1, 3, 1, 1))
        self.patches = nn.Conv2d(3, cfg.width, cfg.patch, cfg.patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, cfg.width))
        self.pos = nn.Parameter(0.02 * torch.randn(1, tokens + 1, cfg.width))
        # no dropout (as DeiT-Ti): on CPU its masks cost more than the attention itself
        layer = nn.TransformerEncoderLayer(cfg.width, cfg.heads, 4 * cfg.width, 0.0,
                                           activation="gelu", batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, cfg.depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(cfg.width)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.patches((images - self.mean) / self.std).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(len(x), -1, -1), x], dim=1) + self.pos
        return self.norm(self.blocks(x)[:, 0])


class PaperClip(nn.Module):
    """ECG image tower and text projection into one 256-d space, with CLIP's temperature."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.vit = ViT(cfg)
        self.ecg_proj = nn.Linear(cfg.width, cfg.embed_dim)
        self.text_proj = nn.Linear(cfg.text_dim, cfg.embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_ecg(self, images: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.ecg_proj(self.vit(images)).float(), dim=-1)

    def encode_text(self, text_emb: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.text_proj(text_emb).float(), dim=-1)

    def loss(self, images: torch.Tensor, text_emb: torch.Tensor,
             text_ids: torch.Tensor) -> torch.Tensor:
        return clip_loss(self.encode_ecg(images), self.encode_text(text_emb), text_ids,
                         self.logit_scale)


def clip_loss(ecg: torch.Tensor, text: torch.Tensor, text_ids: torch.Tensor,
              logit_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE with soft targets: uniform over the items sharing a text."""
    logits = logit_scale.exp().clamp(max=100) * ecg @ text.T
    same = (text_ids[:, None] == text_ids[None, :]).float()
    targets = same / same.sum(1, keepdim=True)  # symmetric, so it serves both directions
    return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2


# --- data ---------------------------------------------------------------------------------
def pack_images(pack: Pack, cfg: Config, device: torch.device) -> torch.Tensor:
    """Page images of every pack case, moved to the device once, so batches never wait on I/O."""
    images = cached_images(pack.ecg_id, pack.signals, cfg.size, cfg.bins)
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    return torch.from_numpy(images).to(device=device, dtype=dtype)


def text_ids(text: np.ndarray) -> np.ndarray:
    """One id per distinct text: the pack's MiniLM rows are identical for identical texts."""
    return np.unique(text, axis=0, return_inverse=True)[1].reshape(-1)


@torch.no_grad()
def channel_stats(images: torch.Tensor) -> dict[str, tuple[float, ...]]:
    """Per-channel mean and std of training images, accumulated in float64 to stay exact."""
    total = torch.zeros(3, dtype=torch.float64, device=images.device)
    square = torch.zeros_like(total)
    for chunk in images.split(256):
        x = chunk.double()
        total += x.sum((0, 2, 3))
        square += (x * x).sum((0, 2, 3))
    count = images.numel() / 3
    mean = total / count
    std = (square / count - mean * mean).clamp_min(1e-12).sqrt()
    return {"channel_mean": tuple(mean.tolist()), "channel_std": tuple(std.tolist())}


@torch.no_grad()
def embed_images(model: PaperClip, images: torch.Tensor, batch: int = 256) -> np.ndarray:
    model.eval()
    cuda = images.device.type == "cuda"
    with torch.autocast(images.device.type, dtype=torch.bfloat16, enabled=cuda):
        out = [model.encode_ecg(images[i:i + batch]) for i in range(0, len(images), batch)]
    return torch.cat(out).cpu().numpy()


# --- training -----------------------------------------------------------------------------
def train(args: argparse.Namespace) -> Path:
    """Train on folds 1-8, keep best.pt (fold-9 supP@10) and last.pt; return best.pt."""
    out = Path(args.out)
    start_run(log, out, args.seed)
    device = pick_device(args.device)
    cuda = device.type == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    started = time.monotonic()

    pack = load_pack(Path(args.pack))
    cfg = Config(size=args.size, patch=args.patch, width=args.width, depth=args.depth)
    all_images = pack_images(pack, cfg, device)
    train_rows = pack.split(TRAIN_FOLDS)[:args.limit]
    valid_rows = pack.split((VALID_FOLD,))
    images, valid_images = all_images[train_rows], all_images[valid_rows]
    n = len(train_rows)
    text = torch.from_numpy(pack.text[train_rows]).to(device)
    ids = torch.from_numpy(text_ids(pack.text[train_rows])).to(device)
    cfg = replace(cfg, **channel_stats(images))
    log.info("device %s, %d training cases (%d distinct texts), %d fold-9 queries, "
             "images %s, data ready in %.1f s", device, n, len(ids.unique()), len(valid_rows),
             tuple(images.shape[1:]), time.monotonic() - started)

    model = PaperClip(cfg).to(device)
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    batch = min(args.batch_size, n)
    steps_per_epoch = n // batch  # drop the ragged tail: a tiny last batch has few negatives
    total = steps_per_epoch * args.epochs
    warmup = max(1, total // 20) / total
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: warmup_cosine((s + 1) / total, warmup))
    gen = torch.Generator().manual_seed(args.seed)
    deadline = started + 60 * args.max_minutes if args.max_minutes else math.inf

    best, best_path = -1.0, out / "best.pt"
    epoch, stopped = 0, False
    while epoch < args.epochs and not stopped:
        epoch += 1
        model.train()
        order = torch.randperm(n, generator=gen).to(device)
        losses = []
        for s in range(steps_per_epoch):
            idx = order[s * batch:(s + 1) * batch]
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cuda):
                loss = model.loss(images[idx], text[idx], ids[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.detach())
            stopped = time.monotonic() > deadline
            if stopped:
                break
        mean_loss = torch.stack(losses).mean().item()
        if stopped or epoch == args.epochs or epoch % args.eval_every == 0:
            score = superclass_precision(pack, valid_rows, train_rows,
                                         embed_images(model, valid_images),
                                         embed_images(model, images))
            if score > best:
                best = score
                _save(best_path, model, epoch, score)
            log.info("epoch %d loss %.4f fold-9 supP@10 %.4f (best %.4f) temp %.4f %.0f s",
                     epoch, mean_loss, score, best, 1 / model.logit_scale.exp().item(),
                     time.monotonic() - started)
        else:
            log.info("epoch %d loss %.4f %.0f s", epoch, mean_loss, time.monotonic() - started)
    _save(out / "last.pt", model, epoch, None)
    if stopped:
        log.info("stopped by --max-minutes %g in epoch %d of %d", args.max_minutes, epoch,
                 args.epochs)
    log.info("best fold-9 supP@10 %.4f -> %s", best, best_path)

    if args.embed_out:
        model.load_state_dict(torch.load(best_path, map_location=device)["model"])
        _write_embeddings(model, pack.ecg_id, all_images, Path(args.embed_out))
    return best_path


def _save(path: Path, model: PaperClip, epoch: int, score: float | None) -> None:
    torch.save({"config": asdict(model.cfg), "model": model.state_dict(), "epoch": epoch,
                "supP@10": score}, path)


def _write_embeddings(model: PaperClip, ecg_ids: np.ndarray, images: torch.Tensor,
                      path: Path) -> None:
    emb = embed_images(model, images)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, ecg_id=ecg_ids, embedding=emb.astype(np.float32))
    log.info("wrote %d embeddings of dim %d to %s", len(ecg_ids), emb.shape[1], path)


def embed(args: argparse.Namespace) -> None:
    """Embeddings of every pack case (folds 1-9) from a checkpoint, for the harness."""
    log_to(log, None)
    device = pick_device(args.device)
    ckpt = torch.load(args.checkpoint, map_location=device)
    cfg = Config(**ckpt["config"])
    model = PaperClip(cfg).to(device)
    model.load_state_dict(ckpt["model"])
    pack = load_pack(Path(args.pack))
    _write_embeddings(model, pack.ecg_id, pack_images(pack, cfg, device), Path(args.out))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="CLIP-train the ViT on folds 1-8, select on fold 9")
    t.add_argument("--out", default="runs/paper")
    t.add_argument("--epochs", type=int, default=40)
    t.add_argument("--max-minutes", type=float, default=None,
                   help="stop cleanly after this long (checkpoints and --embed-out still run)")
    t.add_argument("--limit", type=int, default=None, help="train on the first N cases only")
    t.add_argument("--embed-out", default=None, help="also write all embeddings from best.pt")
    t.add_argument("--batch-size", type=int, default=128)
    t.add_argument("--lr", type=float, default=3e-4)
    t.add_argument("--weight-decay", type=float, default=0.05)
    t.add_argument("--eval-every", type=int, default=1)
    t.add_argument("--size", type=int, default=Config.size)
    t.add_argument("--patch", type=int, default=Config.patch)
    t.add_argument("--width", type=int, default=Config.width)
    t.add_argument("--depth", type=int, default=Config.depth)
    t.add_argument("--seed", type=int, default=0)
    e = sub.add_parser("embed", help="write ecg_id + embedding for folds 1-9")
    e.add_argument("--checkpoint", required=True)
    e.add_argument("--out", required=True)
    for p in (t, e):
        p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
        p.add_argument("--pack", default=str(DEFAULT_PACK),
                       help="training pack from `python -m model_export.pack`")
    args = ap.parse_args(argv)
    if args.command == "train":
        train(args)
    else:
        embed(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
