"""ECG -> image encodings of Qiu et al. (ML4H 2023), the comparison point for our encoder.

Each lead becomes a small 3-channel image (Gramian angular summation field, recurrence plot,
Markov transition field) and the 12 lead images are tiled like a printed 3x4 page. Everything
is vectorised numpy over any leading shape, so the whole PTB-XL subset encodes in seconds;
the result is cached as float16 under cache/ because the model re-reads it every run.

Choices where the paper leaves room (following the pyts defaults it cites):
- each lead is shortened to ``size`` points by piecewise aggregate approximation (window
  means), as pyts does for its ``image_size``;
- GASF rescales the shortened lead to [-1, 1] (its own min and max);
- RP is unthresholded |x_i - x_j| on the shortened lead in mV, so it keeps the amplitude
  that GASF and MTF normalise away;
- MTF takes Q quantile bins and the transition matrix from the full-resolution lead, then
  averages it over each pair of windows (pyts' aggregation), computed exactly as
  h_i^T W h_j with h_i the bin occupancy of window i, never forming the T x T matrix.
"""

from __future__ import annotations

import hashlib

import numpy as np

from model_export.ptbxl import CACHE

#: Lead positions on the 3x4 page: rows are (I, aVR, V1, V4), (II, aVL, V2, V5), ...,
#: i.e. standard lead k sits in column k // 3, row k % 3.
ROWS, COLS = 3, 4


def paa(x: np.ndarray, size: int) -> np.ndarray:
    """(..., T) -> (..., size) window means; windows differ in length by at most one sample."""
    length = x.shape[-1]
    if not 0 < size <= length:
        raise ValueError(f"cannot shorten {length} samples to {size}")
    starts = np.arange(size) * length // size
    counts = np.diff(np.append(starts, length))
    return np.add.reduceat(x, starts, axis=-1) / counts


def rescale(x: np.ndarray) -> np.ndarray:
    """Min-max to [-1, 1] along the last axis; a flat series (e.g. a missing lead) maps to 0."""
    lo, hi = x.min(-1, keepdims=True), x.max(-1, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, 2.0 * (x - lo) / safe - 1.0, 0.0)


def gasf(x: np.ndarray) -> np.ndarray:
    """(..., S) in [-1, 1] -> (..., S, S) cos(phi_i + phi_j), phi = arccos(x).

    Expanded as x_i x_j - sqrt(1 - x_i^2) sqrt(1 - x_j^2) to avoid arccos and cos.
    """
    s = np.sqrt(np.clip(1.0 - x * x, 0.0, 1.0))
    return x[..., :, None] * x[..., None, :] - s[..., :, None] * s[..., None, :]


def recurrence(x: np.ndarray) -> np.ndarray:
    """(..., S) -> (..., S, S) unthresholded recurrence plot |x_i - x_j|."""
    return np.abs(x[..., :, None] - x[..., None, :])


def mtf(x: np.ndarray, size: int, bins: int = 8) -> np.ndarray:
    """(..., T) -> (..., size, size) Markov transition field, values in [0, 1]."""
    lead_shape, length = x.shape[:-1], x.shape[-1]
    flat = x.reshape(-1, length)
    edges = np.quantile(flat, np.linspace(0, 1, bins + 1)[1:-1], axis=-1).T  # (L, bins-1)
    q = (flat[:, :, None] > edges[:, None, :]).sum(-1)  # (L, T) bin of each sample
    n = len(flat)
    pairs = (np.arange(n)[:, None] * bins + q[:, :-1]) * bins + q[:, 1:]
    counts = np.bincount(pairs.ravel(), minlength=n * bins * bins).reshape(n, bins, bins)
    w = counts / np.maximum(counts.sum(-1, keepdims=True), 1)  # rows never visited stay 0
    onehot = (q[:, None, :] == np.arange(bins)[None, :, None]).astype(np.float64)
    h = paa(onehot, size)  # (L, bins, size): bin occupancy of each window
    field = h.transpose(0, 2, 1) @ w @ h
    return field.reshape(*lead_shape, size, size)


def lead_images(signals: np.ndarray, size: int, bins: int = 8) -> np.ndarray:
    """(..., T) mV -> (..., 3, size, size): GASF, RP, MTF channels."""
    x = signals.astype(np.float64)
    short = paa(x, size)
    return np.stack([gasf(rescale(short)), recurrence(short), mtf(x, size, bins)], axis=-3)


def tile(leads: np.ndarray) -> np.ndarray:
    """(N, 12, C, S, S) -> (N, C, 3S, 4S): standard lead k at column k // 3, row k % 3."""
    n, _, c, s, _ = leads.shape
    grid = leads.reshape(n, COLS, ROWS, c, s, s)  # [n, col, row, c, y, x]
    return grid.transpose(0, 3, 2, 4, 1, 5).reshape(n, c, ROWS * s, COLS * s)


def encode(signals: np.ndarray, size: int, bins: int = 8, chunk: int = 128) -> np.ndarray:
    """(N, 12, T) mV -> (N, 3, 3*size, 4*size) float16 page images, in chunks to bound memory."""
    out = np.empty((len(signals), 3, ROWS * size, COLS * size), np.float16)
    for i in range(0, len(signals), chunk):
        out[i:i + chunk] = tile(lead_images(signals[i:i + chunk], size, bins))
    return out


def cached_images(ecg_ids: np.ndarray, signals: np.ndarray, size: int,
                  bins: int = 8) -> np.ndarray:
    """``encode(signals)``, computed once per case list and setting, then read from cache/."""
    digest = hashlib.sha256(np.asarray(ecg_ids, np.int64).tobytes()).hexdigest()[:12]
    path = CACHE / f"paper_images_s{size}_q{bins}_{digest}.npy"
    if path.exists():
        return np.load(path)
    images = encode(signals, size, bins)
    CACHE.mkdir(exist_ok=True)
    np.save(path, images)
    return images
