"""The Qiu et al. comparison encoder: image transforms and one CLIP training run, no PTB-XL."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import torch
import torch.nn.functional as F

from model_export import paper_transforms
from model_export.pack import write_pack
from model_export.paper_encoder import Config, PaperClip, clip_loss, main, text_ids
from model_export.paper_transforms import (encode, gasf, lead_images, mtf, paa, recurrence,
                                           rescale, tile)
from model_export.scoring import superclass_precision


def _series(n: int = 3, length: int = 200, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 4 * np.pi, length)
    return np.sin(t)[None] * rng.uniform(0.5, 2, (n, 1)) + 0.1 * rng.standard_normal((n, length))


def test_paa_averages_windows_and_rescale_spans_minus_one_to_one():
    assert np.allclose(paa(np.arange(12.0), 4), [1, 4, 7, 10])
    assert paa(np.arange(1000.0), 64).shape == (64,)
    x = rescale(_series())
    assert np.allclose(x.min(-1), -1) and np.allclose(x.max(-1), 1)
    assert np.all(rescale(np.full((2, 5), 3.0)) == 0)  # a flat (missing) lead


def test_gasf_is_symmetric_with_cos_two_phi_on_the_diagonal():
    x = rescale(paa(_series(), 32))
    g = gasf(x)
    phi = np.arccos(x)
    assert np.allclose(g, g.swapaxes(-1, -2))
    assert np.allclose(np.diagonal(g, axis1=-2, axis2=-1), np.cos(2 * phi))
    assert np.allclose(g, np.cos(phi[..., :, None] + phi[..., None, :]))


def test_recurrence_plot_has_zero_diagonal_and_is_a_distance():
    r = recurrence(_series(length=32))
    assert np.all(np.diagonal(r, axis1=-2, axis2=-1) == 0)
    assert np.allclose(r, r.swapaxes(-1, -2)) and np.all(r >= 0)


def test_mtf_lies_in_unit_interval_and_matches_the_full_field_averaged():
    x = _series(n=2, length=40)
    field = mtf(x, 8, bins=4)
    assert field.shape == (2, 8, 8)
    assert field.min() >= 0 and field.max() <= 1
    # brute force: bins, row-normalised transitions, the 40x40 field, then 5x5 block means
    for series, got in zip(x, field):
        q = np.searchsorted(np.quantile(series, [0.25, 0.5, 0.75]), series, side="left")
        w = np.zeros((4, 4))
        np.add.at(w, (q[:-1], q[1:]), 1)
        w /= np.maximum(w.sum(1, keepdims=True), 1)
        full = w[q[:, None], q[None, :]]
        assert np.allclose(got, full.reshape(8, 5, 8, 5).mean((1, 3)))


def test_tiles_twelve_leads_three_rows_by_four_columns():
    leads = np.zeros((2, 12, 3, 4, 4))
    leads += np.arange(12)[None, :, None, None, None]
    page = tile(leads)
    assert page.shape == (2, 3, 12, 16)
    for k in range(12):  # printed layout: I II III down the first column, then aVR aVL aVF...
        row, col = k % 3, k // 3
        assert np.all(page[:, :, 4 * row:4 * row + 4, 4 * col:4 * col + 4] == k)
    signals = _series(n=24, length=1000).reshape(2, 12, 1000).astype(np.float32)
    images = encode(signals, 16)
    assert images.shape == (2, 3, 48, 64) and images.dtype == np.float16
    assert np.allclose(images[:, :, :16, :16], lead_images(signals[:, 0], 16), atol=1e-2)


def test_soft_targets_reduce_to_clip_when_texts_differ():
    torch.manual_seed(0)
    a, b = F.normalize(torch.randn(6, 8), dim=1), F.normalize(torch.randn(6, 8), dim=1)
    scale = torch.tensor(2.0)
    logits = scale.exp() * a @ b.T
    labels = torch.arange(6)
    plain = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    assert torch.allclose(clip_loss(a, b, labels, scale), plain)
    # identical texts share the target mass, so matching either copy is not penalised:
    # swapping the two ECGs whose texts are the same leaves the loss as it was
    dup = torch.tensor([0, 0, 1, 2, 3, 4])
    swapped = a[[1, 0, 2, 3, 4, 5]]
    assert torch.allclose(clip_loss(swapped, b, dup, scale), clip_loss(a, b, dup, scale))
    assert not torch.allclose(clip_loss(swapped, b, labels, scale), plain)


def test_a_few_training_steps_lower_the_clip_loss():
    torch.manual_seed(0)
    cfg = Config(size=16, patch=8, width=32, depth=1, heads=2, text_dim=12, embed_dim=16)
    signals = np.random.default_rng(0).standard_normal((8, 12, 200)).astype(np.float32)
    images = torch.from_numpy(encode(signals, cfg.size)).float()
    text = torch.randn(8, cfg.text_dim)
    ids = torch.tensor([0, 1, 2, 3, 4, 5, 0, 1])  # duplicates, as in PTB-XL
    model = PaperClip(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(30):
        loss = model.loss(images, text, ids)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    emb = model.encode_ecg(images)
    assert emb.shape == (8, 16) and torch.allclose(emb.norm(dim=1), torch.ones(8))


def test_superclass_precision_counts_same_set_neighbours():
    pack = SimpleNamespace(superclass_sets=["NORM", "MI", "NORM", "MI", "", "CD+MI"])
    emb = np.eye(6, dtype=np.float32)
    emb[0, 2] = emb[1, 3] = 1  # queries 0 and 1 point at index cases 2 and 3
    q, x = np.array([0, 1]), np.array([2, 3, 4, 5])
    assert superclass_precision(pack, q, x, emb[q], emb[x], k=1) == 1.0
    assert superclass_precision(pack, q, x, emb[q], emb[x], k=4) == 0.25
    ids = text_ids(np.array([[1.0, 0], [0, 1], [1, 0]]))
    assert ids[0] == ids[2] != ids[1]


def test_train_and_embed_commands_on_a_synthetic_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(paper_transforms, "CACHE", tmp_path / "cache")
    rng = np.random.default_rng(0)
    n = 36
    texts = rng.standard_normal((4, 384)).astype(np.float32)
    pack = tmp_path / "pack.npz"
    write_pack(pack, ecg_id=np.arange(1, n + 1), fold=np.arange(n) % 9 + 1,
               signals=rng.standard_normal((n, 12, 1000)).astype(np.float32), codes=["NORM"],
               labels=np.ones((n, 1), np.float32), diagnostic=np.array([True]),
               superclass_sets=["NORM"] * n, text=texts[np.arange(n) % 4])
    tiny = ["--pack", str(pack), "--device", "cpu"]
    run = tmp_path / "run"
    main(["train", "--out", str(run), "--epochs", "2", "--batch-size", "8", "--size", "16",
          "--patch", "8", "--width", "48", "--depth", "1", "--embed-out",
          str(run / "emb.npz"), *tiny])
    assert {"best.pt", "last.pt", "train.log", "emb.npz"} <= {p.name for p in run.iterdir()}
    assert "fold-9 supP@10 1.0000" in (run / "train.log").read_text()
    main(["embed", "--checkpoint", str(run / "best.pt"), "--out", str(tmp_path / "e.npz"),
          *tiny])
    with np.load(tmp_path / "e.npz") as a, np.load(run / "emb.npz") as b:
        assert np.array_equal(a["ecg_id"], np.arange(1, n + 1))
        assert a["embedding"].shape == (n, 256)
        assert np.allclose(a["embedding"], b["embedding"], atol=1e-5)
