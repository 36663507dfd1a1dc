"""The encoder's input: one function, used by the app and by training alike.

Whatever the source (a rendered record, a rectified photo, a scan), the page image becomes
one "ink" channel: 255 minus the darkest RGB channel, so black or coloured traces are
bright and pink, green, blue or grey grids fade, then it is resized to a fixed frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from ecgviewer.core.record import EcgRecord
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render

#: The encoder's input frame (height, width): a 3x4+1 page at about 1.9 px/mm.
FRAME_HEIGHT, FRAME_WIDTH = 256, 512
#: Rendering resolution for encoder input: close to the frame, so resizing is cheap.
ENCODER_PX_PER_MM = 2.0


def ink(page_rgb: np.ndarray) -> np.ndarray:
    """uint8 (H, W) ink map of an RGB page: traces high, paper and grid low."""
    if page_rgb.ndim == 2:
        return 255 - page_rgb
    return 255 - page_rgb.min(axis=2)


def encoder_input(page_rgb: np.ndarray) -> np.ndarray:
    """float32 (1, FRAME_HEIGHT, FRAME_WIDTH) in [0, 1] from an RGB page of any size."""
    frame = cv2.resize(ink(page_rgb), (FRAME_WIDTH, FRAME_HEIGHT), interpolation=cv2.INTER_AREA)
    return (frame.astype(np.float32) / 255.0)[None]


def record_page(record: EcgRecord, style: PaperStyle | None = None) -> np.ndarray:
    """The page the encoder sees for a signal record: the default printout at low resolution."""
    return render(record, style or PaperStyle(px_per_mm=ENCODER_PX_PER_MM))
