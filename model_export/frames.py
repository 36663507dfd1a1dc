"""Encoder frames for training and evaluation, made by the app's own ``encoder_input``.

Frames are kept as uint8 (a quarter of float32's memory) and turned into the float input
the encoder sees only when a batch is fed to the network.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from model_export.pack import Pack
from model_export.page_net import PageNet
from model_export.ptbxl import RATE


def uint8_frame(page_rgb: np.ndarray) -> np.ndarray:
    """The encoder's input frame of a page as uint8 (H, W)."""
    return np.round(encoder_input(page_rgb)[0] * 255).astype(np.uint8)


def as_input(frames: torch.Tensor) -> torch.Tensor:
    """uint8 (N, H, W) frames -> the encoder's float input (N, 1, H, W) in [0, 1]."""
    return frames.float().div_(255).unsqueeze(1)


class CleanPages(Dataset):
    """The default printout of each case, exactly as the app renders a signal query."""

    def __init__(self, pack: Pack, rows: np.ndarray):
        self.signals = pack.signals[rows]

    def __len__(self) -> int:
        return len(self.signals)

    def __getitem__(self, i: int) -> torch.Tensor:
        record = EcgRecord(self.signals[i], RATE, STANDARD_LEADS)
        return torch.from_numpy(uint8_frame(record_page(record)))


def one_cv2_thread(_: int) -> None:
    """DataLoader worker start: one OpenCV thread, as there is already a process per core."""
    cv2.setNumThreads(1)


def clean_frames(pack: Pack, rows: np.ndarray, workers: int) -> torch.Tensor:
    """uint8 (N, H, W) default-printout frames of ``rows``, drawn in parallel."""
    loader = DataLoader(CleanPages(pack, rows), batch_size=64, num_workers=workers,
                        worker_init_fn=one_cv2_thread)
    return torch.cat(list(loader))


@torch.no_grad()
def embed_frames(net: PageNet, frames: torch.Tensor, device: torch.device, batch: int = 128
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(embeddings, statement probabilities) of uint8 frames, in eval mode."""
    net.eval()
    embs, probs = [], []
    for start in range(0, len(frames), batch):
        emb, logits = net(as_input(frames[start:start + batch].to(device)))
        embs.append(emb.float().cpu())
        probs.append(torch.sigmoid(logits.float()).cpu())
    return torch.cat(embs).numpy(), torch.cat(probs).numpy()
