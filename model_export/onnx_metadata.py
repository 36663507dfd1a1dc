"""What an exported model says about itself, in its ONNX metadata (no torch needed).

``build_id`` (model name + hash of the graph: the case base refuses embeddings of another
build), ``model_name``, ``label_codes`` (the SCP statements whose probabilities end each
embedding) and ``pagenet_config`` (the network's :class:`~model_export.page_net.PageNetConfig`
as JSON, to rebuild it from the file).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import onnx

CONFIG_KEY = "pagenet_config"


def metadata(model: onnx.ModelProto) -> dict[str, str]:
    return {p.key: p.value for p in model.metadata_props}


def stamp(path: Path, **props: str) -> str:
    """Merge ``props`` into the model's metadata and write its ``build_id``, so that any
    change to the graph changes the id; returns the id."""
    model = onnx.load(str(path))
    meta = metadata(model) | props
    digest = hashlib.sha256(model.graph.SerializeToString()).hexdigest()[:12]
    meta["build_id"] = f"{meta['model_name']}-{digest}"
    onnx.helper.set_model_props(model, meta)
    onnx.save(model, str(path))
    return meta["build_id"]
