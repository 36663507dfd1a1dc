"""`ecgviewer --self-test`: a working installation passes, a damaged one says why."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import wfdb

from conftest import synthetic_record
from ecgviewer.cli import main
from ecgviewer.core.selftest import self_test
from fake_resources import write_fake_resources


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("installed")
    write_fake_resources(root, [synthetic_record(seed=i) for i in range(5)])
    sample = synthetic_record(seed=42)
    (root / "samples").mkdir()
    wfdb.wrsamp("demo_ecg", fs=sample.sampling_rate, units=["mV"] * 12,
                sig_name=list(sample.leads), p_signal=sample.signals.T.astype(np.float64),
                fmt=["16"] * 12, adc_gain=[1000.0] * 12, baseline=[0] * 12,
                write_dir=str(root / "samples"))
    return root


@pytest.fixture
def damaged(installed, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(installed, root)
    return root


def test_a_working_installation_passes(installed):
    lines = []
    assert self_test(installed, log=lines.append) == []
    assert any("test-model" in line for line in lines)
    assert any("5 cases" in line for line in lines)


def test_a_modified_index_fails_its_checksum(damaged):
    index = damaged / "casebase" / "index.bin"
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one stored vector: still loads
    index.write_bytes(bytes(data))
    assert any("checksum" in p for p in self_test(damaged))


def test_a_truncated_index_is_reported_as_damaged(damaged):
    index = damaged / "casebase" / "index.bin"
    index.write_bytes(index.read_bytes()[:-7])
    assert any("damaged" in p for p in self_test(damaged))


def test_missing_model_and_missing_sample_are_reported(damaged):
    (damaged / "samples" / "demo_ecg.dat").unlink()
    assert any("demo_ecg" in p for p in self_test(damaged))
    (damaged / "model" / "encoder.onnx").unlink()
    assert any("encoder model" in p for p in self_test(damaged))


def test_cli_self_test_exit_codes(installed, damaged, monkeypatch, capsys):
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(installed))
    assert main(["--self-test"]) == 0
    assert "self-test: ok" in capsys.readouterr().out
    (damaged / "casebase" / "cases.sqlite").unlink()
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(damaged))
    assert main(["--self-test"]) == 1
    assert "cases.sqlite is missing" in capsys.readouterr().err
