"""Export a trained product encoder to one self-contained ONNX file, checked against torch.

    python -m model_export.export_onnx runs/product/best.pt [--out resources/model/encoder.onnx]
        [--int8]

The file has a dynamic batch axis, the input ``frames`` (N, 1, H, W) from
``ecgviewer.core.preprocess.encoder_input`` and the output ``embedding`` (N, D). Its
metadata (``model_export.onnx_metadata``) holds the build id, a hash of the graph, so the
case base can refuse embeddings from another model, and the network's ``PageNetConfig``,
so the network can be rebuilt from the file. ``--int8`` also writes a static QDQ copy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
import onnxruntime as ort
import torch

from ecgviewer.core.preprocess import FRAME_HEIGHT, FRAME_WIDTH
from ecgviewer.resources import model_path
from model_export.onnx_metadata import CONFIG_KEY, metadata, stamp
from model_export.pack import DEFAULT_PACK
from model_export.page_net import ExportWrapper, PageNet, PageNetConfig, net_from_state

PARITY_TOLERANCE = 1e-4


def load_net(checkpoint: Path) -> tuple[PageNet, list[str]]:
    """The trained network and its label vocabulary (SCP codes, in output order)."""
    return net_from_state(torch.load(checkpoint, map_location="cpu", weights_only=False))


def net_from_onnx(path: Path) -> tuple[PageNet, list[str]]:
    """The network inside an exported model, for fine-tuning when only the model ships.

    Its shape comes from the model's ``pagenet_config``. The exporter folds each BatchNorm
    into the convolution before it; here every BatchNorm becomes the identity with the
    folded bias as its shift, so the network computes exactly what the file does (in eval
    mode).
    """
    model = onnx.load(str(path))
    meta = metadata(model)
    if CONFIG_KEY not in meta:
        raise SystemExit(f"{path} has no {CONFIG_KEY} metadata: export it again")
    codes = [c for c in meta.get("label_codes", "").split(",") if c]
    net = PageNet(PageNetConfig.from_json(meta[CONFIG_KEY]))
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in model.graph.initializer}
    state, modules = net.state_dict(), dict(net.named_modules())
    norms = {"stem.0": "stem.1"} | {f"blocks.{i}.{conv}": f"blocks.{i}.{bn}"
                                    for i in range(len(net.blocks))
                                    for conv, bn in (("dw", "bn1"), ("pw", "bn2"))}
    for conv, bn in norms.items():
        state[f"{conv}.weight"] = weights[f"net.{conv}.weight"]
        state[f"{bn}.bias"] = weights[f"net.{conv}.weight_bias"]
        state[f"{bn}.weight"] = torch.ones_like(state[f"{bn}.weight"])
        state[f"{bn}.running_mean"] = torch.zeros_like(state[f"{bn}.running_mean"])
        state[f"{bn}.running_var"] = torch.full_like(state[f"{bn}.running_var"],
                                                     1 - modules[bn].eps)
    for name in ("head.2.weight", "head.2.bias", "classifier.weight", "classifier.bias"):
        state[name] = weights[f"net.{name}"]
    net.load_state_dict(state)
    return net.eval(), codes


def export(net: PageNet, out: Path, name: str, codes: list[str], output: str = "combined"
           ) -> str:
    out.parent.mkdir(parents=True, exist_ok=True)
    example = torch.zeros(2, 1, FRAME_HEIGHT, FRAME_WIDTH)
    torch.onnx.export(
        ExportWrapper(net, output).eval(), (example,), str(out), input_names=["frames"],
        output_names=["embedding"], external_data=False,
        dynamic_shapes={"frames": {0: torch.export.Dim("batch", min=1, max=1024)}},
    )
    return stamp(out, model_name=name,
                 label_codes=",".join(codes if output == "combined" else []),
                 pagenet_config=net.config.to_json())


def parity(net: PageNet, path: Path, frames: np.ndarray, output: str = "combined") -> float:
    """Max abs difference between torch and onnxruntime embeddings on ``frames``."""
    with torch.no_grad():
        expected = ExportWrapper(net, output).eval()(torch.from_numpy(frames)).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"frames": frames})[0]
    return float(np.abs(expected - got).max())


def quantize_int8(fp32: Path, out: Path, calibration: np.ndarray, name: str) -> str:
    """Static QDQ int8 with per-channel weights, calibrated on real clean pages."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._batches = iter([{"frames": calibration[i:i + 8]}
                                  for i in range(0, len(calibration), 8)])

        def get_next(self):
            return next(self._batches, None)

    prepped = out.with_suffix(".prep.onnx")
    quant_pre_process(str(fp32), str(prepped), skip_symbolic_shape=True)
    quantize_static(str(prepped), str(out), Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)
    prepped.unlink()
    meta = metadata(onnx.load(str(fp32)))
    return stamp(out, model_name=name + "-int8", label_codes=meta["label_codes"],
                 pagenet_config=meta[CONFIG_KEY])


def sample_frames(pack_path: Path, n: int, seed: int = 0) -> np.ndarray:
    """Clean frames of training cases (folds 1-8) for parity checks and calibration."""
    from model_export.pack import load_pack
    from model_export.ptbxl import TRAIN_FOLDS
    from model_export.frames import clean_frames

    pack = load_pack(pack_path)
    train_rows = pack.split(TRAIN_FOLDS)
    rows = np.random.default_rng(seed).choice(train_rows, min(n, len(train_rows)), replace=False)
    return clean_frames(pack, rows, workers=0).numpy().astype(np.float32)[:, None] / 255.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--out", type=Path, default=model_path())
    parser.add_argument("--name", default="pagenet")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK, help="frames for parity checks")
    parser.add_argument("--output", default="combined", choices=["combined", "embedding"],
                        help="embedding + statement probabilities, or the embedding alone")
    parser.add_argument("--int8", action="store_true", help="also write <out>.int8.onnx")
    args = parser.parse_args(argv)
    net, codes = load_net(args.checkpoint)
    name = args.name if args.output == "combined" else f"{args.name}-embedding"
    build_id = export(net, args.out, name, codes, args.output)
    frames = sample_frames(args.pack, 32)
    diff = parity(net, args.out, frames, args.output)
    print(f"{args.out}: build {build_id}, {args.out.stat().st_size / 1e6:.1f} MB, "
          f"torch/onnxruntime max abs diff {diff:.2e}")
    if diff > PARITY_TOLERANCE:
        print(f"parity check failed: {diff:.2e} > {PARITY_TOLERANCE:g}", file=sys.stderr)
        return 1
    if args.int8:
        int8 = args.out.with_suffix(".int8.onnx")
        int8_id = quantize_int8(args.out, int8, sample_frames(args.pack, 128, seed=1), name)
        print(f"{int8}: build {int8_id}, {int8.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
