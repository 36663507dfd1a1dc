"""A tiny but real model and case base, generated for tests (no trained model needed).

The model is an ONNX graph (average-pool the frame to a 4x8 grid, flatten, project) built
with onnx.helper, so the runtime path (onnxruntime, hnswlib, SQLite) is exercised for real.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ecgviewer.core.casebase import write_casebase
from ecgviewer.core.preprocess import FRAME_HEIGHT, FRAME_WIDTH, encoder_input, record_page
from ecgviewer.core.record import EcgRecord

DIM = 16
MODEL_BUILD = "test-model"
CASEBASE_BUILD = "test-casebase"


def write_fake_model(path: Path, build_id: str = MODEL_BUILD) -> None:
    rng = np.random.default_rng(0)
    pool_h, pool_w = FRAME_HEIGHT // 4, FRAME_WIDTH // 8
    weight = numpy_helper.from_array(rng.standard_normal((32, DIM)).astype(np.float32), "w")
    nodes = [
        helper.make_node("AveragePool", ["frames"], ["pooled"],
                         kernel_shape=[pool_h, pool_w], strides=[pool_h, pool_w]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w"], ["embedding"]),
    ]
    graph = helper.make_graph(
        nodes, "fake_encoder",
        [helper.make_tensor_value_info("frames", TensorProto.FLOAT,
                                       ["batch", 1, FRAME_HEIGHT, FRAME_WIDTH])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", DIM])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    helper.set_model_props(model, {"build_id": build_id, "model_name": "fake"})
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def write_fake_resources(root: Path, records: list[EcgRecord]) -> Path:
    """A resources folder whose case base holds ``records`` as cases 1..N, with tracings."""
    from ecgviewer.core.encoder import Encoder

    write_fake_model(root / "model" / "encoder.onnx")
    encoder = Encoder(root / "model" / "encoder.onnx")
    frames = np.stack([encoder_input(record_page(r)) for r in records])
    embeddings = encoder.embed(frames)
    rows = [
        {"case_id": f"test:{i:05d}", "ecg_id": i, "age": 40.0 + i, "sex": "female",
         "report": f"report {i}", "fold": 1,
         "statements": [{"code": "NORM", "description": "normal ECG", "likelihood": 100.0}]}
        for i in range(1, len(records) + 1)
    ]
    tracings = np.stack([r.with_standard_leads().resampled(100.0).signals[:, :1000]
                         for r in records])
    write_casebase(root / "casebase", CASEBASE_BUILD, MODEL_BUILD, embeddings, rows, tracings)
    return root
