"""What every training run does first: a run folder with its log, a seed, a device."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import torch

LOG_FILE = "train.log"


def log_to(logger: logging.Logger, out: Path | None) -> None:
    """Send ``logger``'s records to stdout and, when ``out`` is given, to
    ``<out>/train.log`` (created), replacing (and closing) its earlier handlers."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stdout)]
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(out / LOG_FILE))
    for old in logger.handlers:
        old.close()
    logger.handlers = handlers
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.setLevel(logging.INFO)
    logger.propagate = False


def start_run(logger: logging.Logger, out: Path, seed: int) -> None:
    """Create the run folder, log into it and seed torch, so a run can be repeated."""
    log_to(logger, out)
    torch.manual_seed(seed)


def pick_device(name: str) -> torch.device:
    """``"auto"``: CUDA when there is a GPU, else the CPU; otherwise the device named."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)
