"""Make the bundled demo record ``resources/samples/demo_ecg`` (WFDB, 12 leads, 10 s, 500 Hz).

The app ships one ECG that anyone may open, so it must come from no patient. neurokit2's
ECGSYN model (McSharry et al. 2003) draws three heart-vector components sharing one
heart-rate series; the Dower matrix projects them onto I, II and V1-V6, so the leads
relate as on a real machine and III, aVR, aVL and aVF follow from I and II exactly.
Seeded, so every run writes the same bytes: ``python -m model_export.make_sample``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import neurokit2 as nk
import numpy as np
import wfdb

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "resources" / "samples"
RECORD = "demo_ecg"
RATE = 500
SECONDS = 10
HEART_RATE = 68
SEED = 2024
SETTLE_S = 2  # simulated, then dropped: the model starts away from its steady cycle
NOISE_MV = 0.006

#: Heart-vector components (Frank X left, Y down, Z back): ECGSYN P-Q-R-S-T angles (deg)
#: and amplitudes, and the R peak in mV. Z peaks later and anterior T gives normal V1-V3.
COMPONENTS = {
    "X": ((-70, -15, 0, 15, 100), (0.7, -6.0, 30, -5.0, 0.45), 1.2),
    "Y": ((-70, -15, 0, 15, 100), (1.3, -2.0, 30, -9.0, 0.4), 0.8),
    "Z": ((-70, -18, 6, 20, 100), (0.3, -14.0, 30, -3.0, -0.35), 0.9),
}
#: Dower inverse transform: XYZ -> I, II, V1-V6 (Edenbrandt & Pahlm 1988).
DOWER = {
    "I": (0.632, -0.235, 0.059),
    "II": (0.235, 1.066, -0.132),
    "V1": (-0.515, 0.157, -0.917),
    "V2": (0.044, 0.164, -1.387),
    "V3": (0.882, 0.098, -1.277),
    "V4": (1.213, 0.127, -0.601),
    "V5": (1.125, 0.127, -0.086),
    "V6": (0.831, 0.076, 0.230),
}
LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")


def _component(ti: tuple, ai: tuple, r_mv: float) -> np.ndarray:
    """One heart-vector component in mV, isoelectric line at 0."""
    z = nk.ecg_simulate(duration=SETTLE_S + SECONDS, sampling_rate=RATE, method="ecgsyn",
                        noise=0, heart_rate=HEART_RATE, random_state=SEED, ti=ti, ai=ai)
    z = z[SETTLE_S * RATE:]
    counts, edges = np.histogram(z, bins=np.arange(z.min(), z.max() + 0.004, 0.004))
    baseline = edges[counts.argmax()] + 0.002  # the flat TP segment is the commonest level
    z = z - baseline
    return z * (r_mv / z.max())


def make_signals() -> np.ndarray:
    """(12, samples) millivolts in LEADS order."""
    xyz = np.stack([_component(*COMPONENTS[axis]) for axis in "XYZ"])
    rng = np.random.default_rng(SEED)
    recorded = {name: np.asarray(coef) @ xyz + NOISE_MV * rng.standard_normal(xyz.shape[1])
                for name, coef in DOWER.items()}
    i, ii = recorded["I"], recorded["II"]
    limb = {"III": ii - i, "aVR": -(i + ii) / 2, "aVL": i - ii / 2, "aVF": ii - i / 2}
    return np.stack([{**recorded, **limb}[name] for name in LEADS])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    signals = np.round(make_signals(), 3)  # whole microvolts: exactly what format 16 stores
    wfdb.wrsamp(
        RECORD, fs=RATE, units=["mV"] * len(LEADS), sig_name=list(LEADS),
        p_signal=signals.T, fmt=["16"] * len(LEADS),
        adc_gain=[1000.0] * len(LEADS), baseline=[0] * len(LEADS),
        comments=[
            "Synthetic ECG, not from a patient: normal sinus rhythm for demonstration.",
            f"Made by model_export/make_sample.py with neurokit2 {nk.__version__} ECGSYN, "
            f"seed {SEED}, {HEART_RATE}/min; Dower projection of a 3-component heart vector.",
        ],
        write_dir=str(args.out_dir),
    )
    print(f"wrote {args.out_dir / RECORD}.hea/.dat")


if __name__ == "__main__":
    main()
