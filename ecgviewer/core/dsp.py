"""The three signal-processing steps the app needs, in numpy alone.

scipy would add about 160 MB to an installer that clinics download over slow links, for
three functions. Each here follows scipy's definition (the tests compare them with scipy
where it is installed): polyphase resampling (``scipy.signal.resample_poly``), a
zero-phase Butterworth band-pass (the magnitude of ``sosfiltfilt`` with ``butter``), and
peak picking (``scipy.signal.find_peaks`` with ``height`` and ``distance``).
"""

from __future__ import annotations

import numpy as np

#: Outputs computed per block in resample_poly (bounds memory for long recordings).
_BLOCK = 8192


def resample_poly(x: np.ndarray, up: int, down: int) -> np.ndarray:
    """``x`` (..., samples) at ``up/down`` times its rate, as scipy's ``resample_poly``.

    The anti-aliasing filter is scipy's default: a Kaiser-windowed sinc (beta 5) with
    cutoff at the lower Nyquist rate and 10 zero crossings each side, padded with zeros.
    Only the outputs are computed: each is ``2*10*max(up, down)/up + 1`` taps.
    """
    x = np.asarray(x, dtype=np.float64)
    g = np.gcd(up, down)
    up, down = up // g, down // g
    if up == down == 1:
        return x.copy()
    n_in = x.shape[-1]
    n_out = -(-n_in * up // down)
    rate = max(up, down)
    half = 10 * rate
    taps = np.arange(2 * half + 1) - half
    h = np.sinc(taps / rate) / rate * np.kaiser(2 * half + 1, 5.0)
    h *= up / h.sum()
    # y[m] = sum_k x[k] h[m*down + half - k*up] over the k that keep h's index in range.
    reach = (2 * half) // up + 1
    out = np.empty(x.shape[:-1] + (n_out,))
    for start in range(0, n_out, _BLOCK):
        m = np.arange(start, min(start + _BLOCK, n_out))
        t = m * down + half
        k = (t // up)[:, None] - np.arange(reach)[None, :]
        j = t[:, None] - k * up
        valid = (k >= 0) & (k < n_in) & (j <= 2 * half)
        weights = np.where(valid, h[np.clip(j, 0, 2 * half)], 0.0)
        out[..., m] = np.einsum("...mr,mr->...m", x[..., np.clip(k, 0, n_in - 1)], weights)
    return out


def bandpass_zero_phase(x: np.ndarray, low_hz: float, high_hz: float, rate: float,
                        order: int = 2) -> np.ndarray:
    """``x`` (..., samples) through a Butterworth band-pass forwards and backwards.

    Applied in the frequency domain with the exact magnitude of the digital
    (bilinear-transformed) filter squared, which is what a forward-backward pass gives;
    the ends are extended by odd reflection first, as ``filtfilt`` does, so that a
    baseline offset does not ring at the edges.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    pad = min(n - 1, int(round(rate)))
    head = 2 * x[..., :1] - x[..., pad:0:-1]
    tail = 2 * x[..., -1:] - x[..., -2:-pad - 2:-1]
    padded = np.concatenate([head, x, tail], axis=-1)
    freqs = np.fft.rfftfreq(padded.shape[-1], 1.0 / rate)
    warp = np.tan(np.pi * np.clip(freqs, 0, rate / 2 * (1 - 1e-9)) / rate)
    low, high = (np.tan(np.pi * f / rate) for f in (low_hz, high_hz))
    with np.errstate(divide="ignore"):
        ratio = (warp ** 2 - low * high) / (warp * (high - low))
    gain = 1.0 / (1.0 + ratio ** (2 * order))  # |H|^2: the forward and the backward pass
    gain[0] = 0.0
    filtered = np.fft.irfft(np.fft.rfft(padded, axis=-1) * gain, n=padded.shape[-1], axis=-1)
    return filtered[..., pad:pad + n]


def find_peaks(x: np.ndarray, height: float, distance: int) -> tuple[np.ndarray, np.ndarray]:
    """Local maxima of ``x`` at least ``height`` tall and ``distance`` samples apart.

    As scipy's ``find_peaks``: a flat top counts once, at its middle; where two peaks are
    closer than ``distance``, the taller one stays. Returns (positions, heights).
    """
    x = np.asarray(x, dtype=np.float64)
    changes = np.flatnonzero(np.diff(x)) + 1
    starts = np.concatenate([[0], changes])
    ends = np.concatenate([changes, [len(x)]]) - 1
    values = x[starts]
    inner = np.arange(1, len(starts) - 1)
    tops = inner[(values[inner] > values[inner - 1]) & (values[inner] > values[inner + 1])]
    peaks = (starts[tops] + ends[tops]) // 2
    peaks = peaks[x[peaks] >= height]
    keep = np.ones(len(peaks), bool)
    for i in np.argsort(x[peaks], kind="stable")[::-1]:
        if keep[i]:
            near = np.abs(peaks - peaks[i]) < distance
            near[i] = False
            keep &= ~near
    peaks = peaks[keep]
    return peaks, x[peaks]
