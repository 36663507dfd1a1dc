"""Heart rate and RR regularity measured from the trace, and a re-ranking that uses them.

The encoder sees a 10 s page at about 2 px/mm, where regularity is blurred away, so its
neighbours rarely share the query's rhythm (issue 12). R peaks found in the signal give
the rate and how irregular the beats are, which the search blends into its ranking.
Numpy only (no Qt, no torch); signals are millivolts, shaped (leads, samples).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecgviewer.core.dsp import bandpass_zero_phase, find_peaks
from ecgviewer.core.errors import ResourceError
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.results import Neighbor

#: Plausible RR intervals, in seconds: 250 to 20 beats per minute.
MIN_RR_S, MAX_RR_S = 0.24, 3.0
#: Fewer beats give no regularity worth the name (3 RR intervals at least).
MIN_BEATS = 4
#: Below this confidence the beats found are not trusted.
MIN_CONFIDENCE = 0.3
#: QRS band: most of a QRS complex's energy, little of P and T waves or baseline wander.
QRS_BAND_HZ = (5.0, 20.0)
#: A lead whose QRS-band amplitude stays below this (mV) is treated as absent or flat.
FLAT_MV = 0.02
#: Beats are kept above this fraction of the strong-beat energy (98th percentile).
PEAK_FRACTION = 0.3
#: Seconds around a beat that count as the beat when measuring what lies between beats.
BEAT_HALF_WIDTH_S = 0.15
#: Irregular beats: ``irregularity`` around 0.07 separates sinus rhythm (91 % below 0.06
#: in folds 1-8) from atrial fibrillation (89 % above). How irregular a fibrillating heart
#: is says little more, so the distance compares a logistic step at that point.
IRREGULAR_AT, IRREGULAR_WIDTH = 0.07, 0.015
#: Scales of the rhythm distance, chosen on folds 1-8 (``model_export.rhythm_rerank``):
#: a 30 % rate difference, or a third of the step from regular to irregular, counts as 1.
RATE_SCALE = np.log(1.3)
IRREGULAR_SCALE = 1 / 3
#: The re-ranking as chosen on folds 1-8 (``python -m model_export.rhythm_rerank``, with
#: the ptbxl-extra records as queries the encoder never saw): the index's 200 nearest
#: cases, re-ranked with this weight of the rhythm distance and CLASS_WEIGHT below.
RERANK_CANDIDATES = 200
RERANK_WEIGHT = 0.05
#: The rhythms the classifier tells apart (a case's confirmed rhythm statements name its
#: classes; OTHER holds the rare ones, and a case with no abnormal rhythm is SR), and the
#: weight of the probability that a case's rhythm is the query's, chosen on folds 1-8
#: with RERANK_WEIGHT (``model_export.rhythm_rerank``). Its model is
#: ``resources/model/rhythm_classes.json``; without one, only the distance re-ranks.
RHYTHM_CLASSES = ("SR", "AFIB", "STACH", "SBRAD", "SARRH", "PACE", "AFLT", "OTHER")
OTHER_RHYTHMS = frozenset({"SVARR", "SVTAC", "PSVT", "BIGU", "TRIGU"})
CLASS_WEIGHT = 1.0
CLASSIFIER_FILE = "rhythm_classes.json"
#: Distances are capped (one odd case must not sink to the bottom) and a case whose rhythm
#: was not measured gets a neutral one.
MAX_DISTANCE = 3.0
NEUTRAL_DISTANCE = 1.0


@dataclass(frozen=True)
class RhythmFeatures:
    """What the beats say; the numbers are None when ``reason`` says why they were not measured.

    ``irregularity`` is the median absolute difference of successive RR intervals over the
    mean RR: near 0 for sinus rhythm, and typically above 0.1 in atrial fibrillation, where
    each interval is unrelated to the last. Unlike ``rr_cv`` it is hardly moved by a single
    premature beat or by a slow trend in rate.
    """

    beats: int
    confidence: float
    heart_rate_bpm: float | None = None
    rr_cv: float | None = None
    rmssd_ms: float | None = None
    irregularity: float | None = None
    reason: str = ""

    @property
    def measurable(self) -> bool:
        return not self.reason

    @property
    def regular(self) -> bool | None:
        """Whether the RR intervals are regular (None: not measured)."""
        return None if not self.measurable else self.irregularity <= IRREGULAR_AT

    def to_json(self) -> dict:
        return {"heart_rate_bpm": None if self.heart_rate_bpm is None
                else round(self.heart_rate_bpm, 1),
                "regular": self.regular,
                "irregularity": None if self.irregularity is None else round(self.irregularity, 4),
                "beats": self.beats, "reason": self.reason or None}


def r_peaks(signals: np.ndarray, rate: float) -> tuple[np.ndarray, float]:
    """One sample position per QRS complex from all leads together, and a confidence in [0, 1].

    A position is the complex's steepest slope, a few tens of ms from the R apex; the
    offset is the same beat after beat, so RR intervals are exact to about a sample.

    Each lead's QRS-band slope energy is scaled to its own strong beats and the leads are
    averaged, so one noisy or flat lead cannot hide the beats the others show. Confidence
    is the contrast between the beats and the strongest activity between them (T waves,
    noise), on a log scale: 0 at a ratio of 2 or less (white noise gives about 1), 1 at 10
    or more (1,774 of the 1,793 PTB-XL records of folds 1-9 reach 10).
    """
    x = np.atleast_2d(np.asarray(signals, dtype=np.float64))
    if x.shape[1] < 2 * rate:
        return np.zeros(0, int), 0.0
    band = bandpass_zero_phase(x - np.median(x, axis=1, keepdims=True), QRS_BAND_HZ[0],
                               min(QRS_BAND_HZ[1], 0.4 * rate), rate)
    live = np.percentile(np.abs(band), 99, axis=1) > FLAT_MV
    if not live.any():
        return np.zeros(0, int), 0.0
    slope = np.gradient(band[live], axis=1) ** 2
    energy = (slope / np.percentile(slope, 98, axis=1, keepdims=True)).mean(axis=0)
    width = max(1, int(round(0.08 * rate)))
    envelope = np.convolve(energy, np.ones(width) / width, mode="same")
    strong = np.percentile(envelope, 98)
    found, heights = find_peaks(envelope, height=PEAK_FRACTION * strong,
                                distance=max(1, int(round(MIN_RR_S * rate))))
    if len(found) == 0:
        return found, 0.0
    half = width // 2 + 1
    starts = np.maximum(found - half, 0)
    peaks = np.array([s + int(np.argmax(energy[s:p + half + 1])) for s, p in zip(starts, found)])
    between = np.ones(len(envelope), bool)
    reach = int(round(BEAT_HALF_WIDTH_S * rate))
    for p in found:
        between[max(0, p - reach):p + reach + 1] = False
    rest = np.percentile(envelope[between], 95) if between.any() else 0.0
    contrast = float(np.median(heights)) / max(float(rest), 1e-12)
    return peaks, float(np.clip(np.log(contrast / 2.0) / np.log(5.0), 0.0, 1.0))


def features_from_peaks(peaks: np.ndarray, rate: float, confidence: float) -> RhythmFeatures:
    """Rate and regularity of R peaks at ``rate`` Hz, or the reason they are not measurable."""
    beats = len(peaks)
    if beats < MIN_BEATS:
        return RhythmFeatures(beats, confidence, reason=f"only {beats} beats found")
    rr = np.diff(np.asarray(peaks, dtype=np.float64)) / rate
    mean = float(rr.mean())
    if not MIN_RR_S <= mean <= MAX_RR_S:
        return RhythmFeatures(beats, confidence, reason=f"rate of {60 / mean:.0f}/min implausible")
    if confidence < MIN_CONFIDENCE:
        return RhythmFeatures(beats, confidence, reason="beats unclear (noise or artefact)")
    diffs = np.diff(rr)
    return RhythmFeatures(
        beats=beats, confidence=confidence, heart_rate_bpm=60.0 / mean,
        rr_cv=float(rr.std() / mean), rmssd_ms=float(np.sqrt(np.mean(diffs ** 2)) * 1000.0),
        irregularity=float(np.median(np.abs(diffs)) / mean),
    )


def measure(record: EcgRecord) -> RhythmFeatures:
    """Rhythm features of a record, from all its leads."""
    peaks, confidence = r_peaks(record.signals, record.sampling_rate)
    return features_from_peaks(peaks, record.sampling_rate, confidence)


def irregular(features: RhythmFeatures) -> float:
    """0 for regular beats, 1 for irregular ones, a smooth step around IRREGULAR_AT."""
    return float(1.0 / (1.0 + np.exp(-(features.irregularity - IRREGULAR_AT) / IRREGULAR_WIDTH)))


def case_classes(codes: Iterable[str]) -> frozenset[str]:
    """The rhythm classes a case's confirmed statements name: its abnormal ones, else SR."""
    codes = set(codes)
    named = {c for c in codes if c in RHYTHM_CLASSES} - {"SR", "OTHER"}
    if codes & OTHER_RHYTHMS:
        named.add("OTHER")
    return frozenset(named or {"SR"})


#: Inputs of the classifier taken from the beats (measured, log rate, tachycardia and
#: bradycardia steps, irregularity step, RR CV), before the encoder's statement scores.
BEAT_INPUTS = 6


def class_inputs(features: RhythmFeatures, statement_scores: Mapping[str, float],
                 codes: Sequence[str]) -> np.ndarray:
    """The classifier's inputs: rate and regularity (with steps at the 60 and 100/min that
    define bradycardia and tachycardia), then the encoder's scores for ``codes``."""
    if features.measurable:
        rate = features.heart_rate_bpm
        beats = [1.0, np.log(rate / 75.0), _step((rate - 100.0) / 3.0),
                 _step((60.0 - rate) / 3.0), irregular(features), min(float(features.rr_cv), 1.0)]
    else:
        beats = [0.0] * BEAT_INPUTS
    return np.array(beats + [float(statement_scores.get(c, 0.0)) for c in codes])


def _step(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


@dataclass(frozen=True)
class RhythmClassifier:
    """Softmax regression from ``class_inputs`` to RHYTHM_CLASSES (trained, and written
    as JSON, by ``model_export.rhythm_rerank``)."""

    codes: tuple[str, ...]
    coef: np.ndarray       # (classes, inputs)
    intercept: np.ndarray  # (classes,)

    @classmethod
    def load(cls, path: str | os.PathLike) -> RhythmClassifier | None:
        """The classifier in ``path``; None when there is none (re-ranking by distance)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ResourceError(f"The rhythm model {Path(path).name} cannot be read ({exc}): "
                                "reinstall ecgviewer.") from exc
        try:
            model = cls(tuple(data["codes"]), np.array(data["coef"], float),
                        np.array(data["intercept"], float))
            shape_ok = model.coef.shape == (len(RHYTHM_CLASSES), BEAT_INPUTS + len(model.codes)) \
                and model.intercept.shape == (len(RHYTHM_CLASSES),)
        except (KeyError, TypeError, ValueError) as exc:
            raise ResourceError(f"The rhythm model {Path(path).name} is damaged ({exc}): "
                                "reinstall ecgviewer.") from exc
        if tuple(data.get("classes", ())) != RHYTHM_CLASSES or not shape_ok:
            raise ResourceError(f"The rhythm model {Path(path).name} does not match this "
                                "version of ecgviewer: reinstall ecgviewer.")
        return model

    def to_json(self) -> dict:
        return {"classes": list(RHYTHM_CLASSES), "codes": list(self.codes),
                "coef": self.coef.round(6).tolist(), "intercept": self.intercept.round(6).tolist()}

    def probabilities(self, features: RhythmFeatures,
                      statement_scores: Mapping[str, float]) -> dict[str, float]:
        logits = self.coef @ class_inputs(features, statement_scores, self.codes) + self.intercept
        p = np.exp(logits - logits.max())
        return dict(zip(RHYTHM_CLASSES, (p / p.sum()).tolist()))


def agreement(class_probs: Mapping[str, float] | None,
              cases_codes: Sequence[Iterable[str]]) -> np.ndarray:
    """For each case, the probability that the query's rhythm is one of the case's."""
    if not class_probs:
        return np.zeros(len(cases_codes))
    return np.array([sum(class_probs[c] for c in case_classes(codes)) for codes in cases_codes])


def rhythm_distance(query: RhythmFeatures,
                    cases: Sequence[RhythmFeatures | None]) -> np.ndarray:
    """Scaled distance in (log rate, regular or irregular) from the query to each case.

    All zeros when the query was not measured (nothing to re-rank by); a case not measured
    gets NEUTRAL_DISTANCE.
    """
    out = np.full(len(cases), NEUTRAL_DISTANCE)
    if not query.measurable:
        return np.zeros(len(cases))
    step = irregular(query)
    for i, case in enumerate(cases):
        if case is not None and case.measurable:
            d_rate = np.log(case.heart_rate_bpm / query.heart_rate_bpm) / RATE_SCALE
            d_irr = (irregular(case) - step) / IRREGULAR_SCALE
            out[i] = min(MAX_DISTANCE, float(np.hypot(d_rate, d_irr)))
    return out


def blended_order(similarities: np.ndarray, distances: np.ndarray, weight: float,
                  agreements: np.ndarray | None = None, class_weight: float = 0.0) -> np.ndarray:
    """Positions sorted by similarity - weight * rhythm distance + class_weight * rhythm
    agreement, best first (stable)."""
    score = np.asarray(similarities, dtype=np.float64) - weight * np.asarray(distances)
    if agreements is not None:
        score = score + class_weight * np.asarray(agreements)
    return np.argsort(-score, kind="stable")


def rerank(neighbors: Sequence[Neighbor], query: RhythmFeatures,
           case_features: Mapping[str, RhythmFeatures], weight: float,
           k: int | None = None, class_probs: Mapping[str, float] | None = None,
           class_weight: float = 0.0) -> list[Neighbor]:
    """The encoder's neighbours (ask the index for more than ``k``) re-ranked by rhythm.

    ``case_features`` maps case_id to the case's stored features; each neighbour keeps its
    embedding similarity. ``weight`` 0, or a query whose rhythm was not measured, keeps
    the encoder's order. ``class_probs`` (a RhythmClassifier's, for the query) adds how
    likely each case's confirmed rhythm is the query's.
    """
    distances = rhythm_distance(query, [case_features.get(n.case_id) for n in neighbors])
    agreements = agreement(class_probs, [[s.code for s in n.statements] for n in neighbors])
    order = blended_order(np.array([n.similarity for n in neighbors]), distances, weight,
                          agreements, class_weight)
    return [neighbors[i] for i in order[:k]]
