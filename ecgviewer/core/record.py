"""The ECG record: one plain, Qt-free type that every reader returns.

Signals are float32 millivolts shaped (leads, samples). Lead names are normalised on
construction, so "AVR", "avr" and "MDC_ECG_LEAD_AVR" are all ``aVR``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ecgviewer.core.dsp import resample_poly
from ecgviewer.core.errors import InvalidSignalError

STANDARD_LEADS: tuple[str, ...] = (
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6",
)
_CANONICAL = {name.upper(): name for name in STANDARD_LEADS}
_CANONICAL.update({"DI": "I", "DII": "II", "DIII": "III"})  # European carts' labels
_PREFIX = re.compile(r"^(MDC_ECG_LEAD_|LEAD[\s_-]*|ECG[\s_-]*)", re.IGNORECASE)

#: Plausible sampling rates for a diagnostic ECG, in Hz.
MIN_RATE, MAX_RATE = 50.0, 20_000.0
#: How a derived limb lead's note ends ("III derived from I and II").
FROM_LIMB_LEADS = "derived from I and II"
#: Larger amplitudes (in mV) mean a unit or gain error, not a heart.
MAX_ABS_MV = 50.0


def normalise_lead_name(name: str) -> str:
    """Map a lead label from any file format to its standard spelling.

    Unknown labels are returned stripped but otherwise unchanged, so nothing is lost.
    """
    printable = "".join(ch if ch.isprintable() else "?" for ch in name)  # labels are shown
    cleaned = _PREFIX.sub("", printable.strip())
    key = re.sub(r"[\s_-]", "", cleaned).upper()
    return _CANONICAL.get(key, cleaned)


@dataclass(frozen=True)
class RecordMetadata:
    """Where a record came from and what the file says about the patient."""

    source_path: str | None = None
    format: str | None = None
    record_name: str | None = None
    age: float | None = None
    sex: str | None = None  # "male", "female" or None
    device: str | None = None
    derived: tuple[str, ...] = ()  # notes on leads or rates computed rather than recorded


@dataclass(frozen=True)
class EcgRecord:
    """A multi-lead ECG in millivolts.

    ``signals`` is float32 (leads, samples); ``leads`` names the rows in normalised form.
    """

    signals: np.ndarray
    sampling_rate: float
    leads: tuple[str, ...]
    metadata: RecordMetadata = field(default_factory=RecordMetadata)

    def __post_init__(self) -> None:
        with np.errstate(over="ignore"):  # beyond float32 becomes inf, refused below
            signals = np.asarray(self.signals, dtype=np.float32)
        if signals.ndim == 1:
            signals = signals[None, :]
        leads = tuple(normalise_lead_name(str(n)) for n in self.leads)
        object.__setattr__(self, "signals", signals)
        object.__setattr__(self, "leads", leads)
        object.__setattr__(self, "sampling_rate", float(self.sampling_rate))
        self._validate()

    def _validate(self) -> None:
        name = self.metadata.record_name or self.metadata.source_path or "this record"
        if self.signals.ndim != 2 or self.signals.shape[0] == 0 or self.signals.shape[1] < 2:
            raise InvalidSignalError(f"{name} holds no usable signal samples.")
        if len(self.leads) != self.signals.shape[0]:
            raise InvalidSignalError(
                f"{name} names {len(self.leads)} leads but holds {self.signals.shape[0]} signals."
            )
        if len(set(self.leads)) != len(self.leads):
            raise InvalidSignalError(
                f"{name} names the same lead twice: {', '.join(self.leads)[:200]}.")
        if not np.isfinite(self.sampling_rate) or not MIN_RATE <= self.sampling_rate <= MAX_RATE:
            raise InvalidSignalError(
                f"{name} gives a sampling rate of {self.sampling_rate:g} Hz; an ECG needs "
                f"{MIN_RATE:g}-{MAX_RATE:g} Hz. Check the file's header."
            )
        if not np.isfinite(self.signals).all():
            raise InvalidSignalError(
                f"{name} contains missing or invalid samples (NaN or infinite values)."
            )
        peak = float(np.abs(self.signals).max())
        if peak > MAX_ABS_MV:
            raise InvalidSignalError(
                f"{name} reaches {peak:.0f} mV, far beyond any ECG: the file's units or gain "
                "are probably wrong."
            )

    @property
    def n_samples(self) -> int:
        return int(self.signals.shape[1])

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sampling_rate

    def lead(self, name: str) -> np.ndarray:
        """The samples of one lead, by any spelling of its name."""
        return self.signals[self.leads.index(normalise_lead_name(name))]

    def resampled(self, rate: float) -> EcgRecord:
        """This record at ``rate`` Hz (polyphase filtering, so no aliasing)."""
        if rate == self.sampling_rate:
            return self
        ratio = Fraction(rate / self.sampling_rate).limit_denominator(1000)
        signals = resample_poly(self.signals, ratio.numerator, ratio.denominator)
        note = f"resampled from {self.sampling_rate:g} Hz to {rate:g} Hz"
        meta = dataclasses.replace(self.metadata, derived=self.metadata.derived + (note,))
        return EcgRecord(signals.astype(np.float32), rate, self.leads, meta)

    def with_standard_leads(self) -> EcgRecord:
        """The 12 standard leads in standard order.

        Missing III, aVR, aVL and aVF are derived from I and II (Einthoven/Goldberger);
        leads that cannot be derived are left out, and extra leads are dropped.
        """
        have = dict(zip(self.leads, self.signals))
        derived: list[str] = []
        if "I" in have and "II" in have:
            i, ii = have["I"], have["II"]
            formulas = {
                "III": ii - i,
                "aVR": -(i + ii) / 2,
                "aVL": i - ii / 2,
                "aVF": ii - i / 2,
            }
            for lead, values in formulas.items():
                if lead not in have:
                    have[lead] = values
                    derived.append(f"{lead} {FROM_LIMB_LEADS}")
        names = tuple(n for n in STANDARD_LEADS if n in have)
        if not names:
            raise InvalidSignalError(
                f"None of the leads ({', '.join(self.leads)[:200]}) is a standard ECG lead."
            )
        if names == self.leads:
            return self
        meta = dataclasses.replace(self.metadata, derived=self.metadata.derived + tuple(derived))
        return EcgRecord(np.stack([have[n] for n in names]), self.sampling_rate, names, meta)
