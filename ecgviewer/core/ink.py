"""How dark print is against the paper it lies on, shared by the re-layout and the
gridless-sheet reader. Qt-free: numpy and OpenCV."""

from __future__ import annotations

import cv2
import numpy as np


def paper_darkness(page: np.ndarray, reach: int = 15) -> np.ndarray:
    """How dark each pixel is in its brightest channel against the local paper (the
    brightest within ``reach`` px), 0-255: coloured grid lines stay light there, black,
    blue or faded traces do not."""
    if page.ndim == 3:
        r, g, b = cv2.split(page)
        brightest = cv2.max(cv2.max(r, g), b)  # several times faster than numpy's max
    else:
        brightest = page
    paper = cv2.dilate(brightest, np.ones((reach, reach), np.uint8))
    return 255 - cv2.divide(brightest, paper, scale=255)  # uint8, saturated: fast
