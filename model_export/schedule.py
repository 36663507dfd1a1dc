"""The one learning-rate schedule every trainer here uses: linear warm-up, then a half
cosine down to zero.

It is a function of progress through the run (0 -> 1) rather than of a step count, because
the product encoder and the photo fine-tune stop on a time budget, where the number of
steps is not known in advance; the paper's encoder passes steps over total steps.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def warmup_cosine(progress: float, warmup: float = 0.0) -> float:
    """The learning-rate factor after ``progress`` of the run: rising linearly to 1 over the
    first ``warmup`` of it, then falling along a half cosine to 0 at the end."""
    if not 0.0 <= warmup <= 1.0:
        raise ValueError(f"warm-up {warmup} is not a fraction of the run")
    progress = min(max(progress, 0.0), 1.0)
    if progress < warmup or warmup == 1.0:  # a run all warm-up (one step) ends at 1
        return progress / warmup
    return 0.5 * (1 + math.cos(math.pi * (progress - warmup) / (1 - warmup)))


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Give every parameter group the learning rate ``lr``."""
    for group in optimizer.param_groups:
        group["lr"] = lr
