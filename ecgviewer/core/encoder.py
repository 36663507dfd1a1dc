"""The image encoder, run locally with onnxruntime (CPU by default, CUDA when it works)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# onnxruntime >= 1.2x ships Microsoft telemetry (a device id under ~/.cache and HTTPS
# uploads) on Linux too; this app promises to stay offline. Must be set before the import.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
import onnxruntime as ort  # noqa: E402

from ecgviewer.core.errors import ResourceError

CPU = "CPUExecutionProvider"
CUDA = "CUDAExecutionProvider"
#: The optional second output: which way up a page is (``model_export.orientation_probe``).
UPRIGHT_OUTPUT = "upright_score"


def cuda_available() -> bool:
    """Whether this onnxruntime build offers CUDA at all (a test inference decides use)."""
    return CUDA in ort.get_available_providers()


class Encoder:
    """Page frames (N, 1, H, W) float32 -> L2-normalised embeddings (N, D)."""

    def __init__(self, path: str | os.PathLike, device: str = "cpu", threads: int = 0):
        path = Path(path)
        if not path.exists():
            raise ResourceError(
                f"The encoder model {path} is missing: reinstall ecgviewer or rebuild the model."
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.notes: list[str] = []
        self._session = self._open(path, options, device)
        meta = self._session.get_modelmeta().custom_metadata_map
        self.build_id = meta.get("build_id", "unknown")
        self.name = meta.get("model_name", path.stem)
        # the SCP statements whose probabilities end each embedding (empty: none do)
        self.label_codes = tuple(c for c in meta.get("label_codes", "").split(",") if c)
        inp = self._session.get_inputs()[0]
        self._input = inp.name
        self.frame_shape = tuple(int(d) for d in inp.shape[1:])
        outputs = [o.name for o in self._session.get_outputs()]
        self._outputs = outputs[:1] + [o for o in outputs[1:] if o == UPRIGHT_OUTPUT]
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.scores_upright = UPRIGHT_OUTPUT in self._outputs

    def _open(self, path: Path, options: ort.SessionOptions, device: str) -> ort.InferenceSession:
        try:
            if device == "cuda":
                if cuda_available():
                    session = ort.InferenceSession(str(path), options, providers=[CUDA, CPU])
                    if CUDA in session.get_providers() and self._probe(session):
                        return session
                self.notes.append("CUDA is not usable here; the encoder runs on the CPU.")
            return ort.InferenceSession(str(path), options, providers=[CPU])
        except (ort.capi.onnxruntime_pybind11_state.Fail,
                ort.capi.onnxruntime_pybind11_state.InvalidGraph,
                ort.capi.onnxruntime_pybind11_state.InvalidProtobuf) as exc:
            raise ResourceError(f"The encoder model {path.name} is damaged ({exc}).") from exc

    @staticmethod
    def _probe(session: ort.InferenceSession) -> bool:
        """Run one zero frame: a CUDA session can load and still fail on first use."""
        inp = session.get_inputs()[0]
        shape = [1] + [int(d) for d in inp.shape[1:]]
        try:
            session.run(None, {inp.name: np.zeros(shape, np.float32)})
            return True
        except Exception:  # any runtime failure means: fall back to CPU
            return False

    @property
    def device(self) -> str:
        return "cuda" if CUDA in self._session.get_providers() else "cpu"

    def statement_scores(self, embedding: np.ndarray) -> dict[str, float]:
        """The statement part of one embedding, by code: the model's probabilities up to one
        scale (that part of the vector has length 1/sqrt(2)), rescaled to length 1."""
        n = len(self.label_codes)
        if n == 0:
            return {}
        tail = np.asarray(embedding, dtype=np.float64)[-n:]
        return dict(zip(self.label_codes, (tail / max(np.linalg.norm(tail), 1e-12)).tolist()))

    def embed(self, frames: np.ndarray) -> np.ndarray:
        return self.encode(frames)[0]

    def encode(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(embeddings (N, D), upright scores (N,) or None if the model has none).

        An upright score means nothing alone: of a page and its half turn, the one that
        scores higher is the right way up (see ``model_export.orientation_probe``).
        """
        frames = np.ascontiguousarray(frames, dtype=np.float32)
        if frames.shape[1:] != self.frame_shape:
            raise ResourceError(
                f"The encoder expects frames of shape {self.frame_shape}, got {frames.shape[1:]}:"
                " the model does not match this version of ecgviewer."
            )
        outputs = dict(zip(self._outputs, self._session.run(self._outputs, {self._input: frames})))
        out = outputs.pop(self._outputs[0])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        upright = outputs.get(UPRIGHT_OUTPUT)
        return ((out / np.maximum(norms, 1e-12)).astype(np.float32),
                None if upright is None else upright.reshape(-1))
