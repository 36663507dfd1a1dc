"""The whole model pipeline on a tiny synthetic pack: train one epoch, export to ONNX with
torch parity, build a case base from the exported encoder and search it like the app does;
recover the network from the ONNX file (its PageNetConfig in the metadata) and fine-tune it
on photos; recover the shipped network from the shipped file."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the `train` extra")

import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from conftest import synthetic_record  # noqa: E402
from fake_resources import write_fake_model  # noqa: E402

from ecgviewer.core.casebase import write_casebase  # noqa: E402
from ecgviewer.core.encoder import Encoder  # noqa: E402
from ecgviewer.core.preprocess import encoder_input, record_page  # noqa: E402
from ecgviewer.core.search import Searcher, record_query  # noqa: E402
from ecgviewer.resources import model_path  # noqa: E402
from model_export import export_onnx, photo_finetune, train_product  # noqa: E402
from model_export.onnx_metadata import CONFIG_KEY, metadata  # noqa: E402
from model_export.orientation_probe import add_upright_output  # noqa: E402
from model_export.pack import load_pack, write_pack  # noqa: E402
from model_export.page_net import ExportWrapper, PageNetConfig  # noqa: E402

N_TRAIN, N_VALID = 12, 6


@pytest.fixture(scope="module")
def tiny_pack(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("pack")
    rng = np.random.default_rng(0)
    n = N_TRAIN + N_VALID
    signals = np.stack([synthetic_record(rate=100.0, seed=i).signals * rng.uniform(0.5, 1.5)
                        for i in range(n)])
    codes = ["NORM", "IMI", "AFIB"]
    labels = (rng.random((n, 3)) < 0.4).astype(np.float32)
    text = rng.standard_normal((n, 384)).astype(np.float32)
    path = tmp_path / "pack.npz"
    write_pack(path, ecg_id=np.arange(1, n + 1), fold=np.array([1] * N_TRAIN + [9] * N_VALID),
               signals=signals, codes=codes, labels=labels,
               diagnostic=np.array([True, True, False]),
               superclass_sets=["NORM" if l[0] else "MI" for l in labels],
               text=text / np.linalg.norm(text, axis=1, keepdims=True))
    return path


@pytest.fixture(scope="module")
def trained(tiny_pack, tmp_path_factory):
    """(checkpoint, exported model) after one epoch of training."""
    tmp_path = tmp_path_factory.mktemp("trained")
    out = tmp_path / "run"
    train_product.main(["--pack", str(tiny_pack), "--out", str(out), "--epochs", "1",
                        "--batch", "6", "--workers", "0", "--width", "8", "--device", "cpu"])
    assert (out / "best.pt").exists() and "supP@10" in (out / "train.log").read_text()
    model = tmp_path / "resources" / "model" / "encoder.onnx"
    assert export_onnx.main([str(out / "best.pt"), "--out", str(model),
                             "--pack", str(tiny_pack)]) == 0
    return out / "best.pt", model


def test_train_export_and_search(tiny_pack, trained):
    _, model = trained
    resources = model.parent.parent
    encoder = Encoder(model)
    assert encoder.build_id.startswith("pagenet-")
    pack = load_pack(tiny_pack)
    records = [synthetic_record(rate=100.0, seed=i) for i in range(4)]
    frames = np.stack([encoder_input(record_page(r)) for r in records])
    embeddings = encoder.embed(frames)
    rows = [{"case_id": f"t:{i}", "ecg_id": i, "age": None, "sex": None, "report": "r",
             "statements": [], "fold": 1} for i in range(4)]
    write_casebase(resources / "casebase", "cb-test", encoder.build_id, embeddings, rows,
                   pack.signals[:4])
    result = Searcher.from_resources(resources).search(record_query(records[2], "q"), 4)
    # A one-epoch network gives nearly one vector for every page (its BatchNorm statistics
    # have not settled), so which case comes first says nothing here: test_casebase checks
    # that with a model that tells pages apart. Here: the query is drawn and encoded
    # exactly as its case was indexed, and similarities are the cosines to the cases.
    assert np.array_equal(result.image, record_page(records[2]))
    np.testing.assert_allclose(result.embedding, embeddings[2], atol=1e-6)
    stored = embeddings.astype(np.float64)
    cosine = stored @ stored[2] / np.linalg.norm(stored, axis=1) / np.linalg.norm(stored[2])
    assert sorted(n.ecg_id for n in result.neighbors) == [0, 1, 2, 3]
    for n in result.neighbors:
        assert n.similarity == pytest.approx(cosine[n.ecg_id], abs=1e-4), n.case_id


def test_network_recovered_from_onnx_and_fine_tuned(tiny_pack, trained, tmp_path):
    checkpoint, model = trained
    trained_net, codes = export_onnx.load_net(checkpoint)
    recovered, recovered_codes = export_onnx.net_from_onnx(model)
    frames = torch.from_numpy(np.random.default_rng(1).random((3, 1, 256, 512), np.float32))
    with torch.no_grad():  # BatchNorm statistics were folded away, the function was not
        for ours, theirs in zip(recovered(frames), trained_net(frames)):
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-4)
        # the outputs of a one-epoch network hardly vary with the frame (less than the
        # tolerance above), so compare the convolutions' output too, relative to its size
        ours, theirs = (net.pool(net.blocks(net.stem(frames))).numpy()
                        for net in (recovered, trained_net))
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6 * np.abs(theirs).max())
    assert recovered_codes == codes

    out = tmp_path / "ft"
    photo_finetune.main(["--model", str(model), "--pack", str(tiny_pack), "--out", str(out),
                         "--cache", str(tmp_path / "cache"), "--minutes", "0.01",
                         "--photos", "1", "--batch", "4", "--workers", "0", "--threads", "1"])
    log = (out / "train.log").read_text()
    assert "photos rectified upright" in log and "photo supP@10" in log
    tuned = tmp_path / "tuned.onnx"
    assert export_onnx.main([str(out / "best.pt"), "--out", str(tuned),
                             "--pack", str(tiny_pack)]) == 0


def _metadata(path) -> dict[str, str]:
    return metadata(onnx.load(str(path)))


def test_the_config_travels_in_checkpoint_and_model_and_survives_the_probe(trained, tmp_path):
    checkpoint, model = trained
    config = PageNetConfig(n_labels=3, width=8)
    assert torch.load(checkpoint, weights_only=False)["config"] == vars(config)
    assert PageNetConfig.from_json(_metadata(model)[CONFIG_KEY]) == config
    probed = tmp_path / "probed.onnx"
    probed.write_bytes(model.read_bytes())
    build_id = add_upright_output(probed, np.ones(config.embed_dim + 3, np.float32))
    meta = _metadata(probed)
    assert build_id == meta["build_id"] != _metadata(model)["build_id"]
    assert {k: meta[k] for k in ("model_name", "label_codes", CONFIG_KEY)} == \
        {k: _metadata(model)[k] for k in ("model_name", "label_codes", CONFIG_KEY)}
    assert export_onnx.net_from_onnx(probed)[0].config == config


def test_a_model_without_a_config_is_refused_with_one_line(tmp_path):
    path = tmp_path / "old.onnx"
    write_fake_model(path)
    with pytest.raises(SystemExit, match="no pagenet_config"):
        export_onnx.net_from_onnx(path)


def test_the_shipped_network_is_recovered_from_the_shipped_file():
    """What photo_finetune starts from: the network rebuilt from the shipped model alone
    computes what the file does."""
    path = model_path()
    net, codes = export_onnx.net_from_onnx(path)
    assert net.config == PageNetConfig(n_labels=67, width=48)
    assert len(codes) == net.config.n_labels
    assert Encoder(path).build_id == "pagenet-aeb42ace4831"  # the case base's model
    frames = np.stack([encoder_input(record_page(synthetic_record(seed=s))) for s in (0, 1)])
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    expected = session.run(["embedding"], {"frames": frames})[0]
    with torch.no_grad():
        got = ExportWrapper(net).eval()(torch.from_numpy(frames)).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5)
