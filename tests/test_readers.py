"""Format readers: round trips through each format's own writer, real PTB-XL files, bad input.

Every file is generated in tmp_path; nothing here depends on committed ECG data.
"""

from __future__ import annotations

import base64
import struct
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import edfio
import numpy as np
import pytest
import wfdb
from conftest import synthetic_record
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from ecgviewer.core.errors import (
    CorruptFileError,
    InvalidSignalError,
    MissingFileError,
    UnsupportedFormatError,
)
from ecgviewer.core.readers import detect, read
from ecgviewer.core.readers.csv_reader import read_csv
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord

# ── helpers ──────────────────────────────────────────────────────────────────


def read_without_writing(path: Path) -> EcgRecord:
    """Read ``path`` and check that nothing appeared next to it."""
    before = sorted(p.name for p in path.parent.iterdir())
    record = read(path)
    assert sorted(p.name for p in path.parent.iterdir()) == before
    return record


def assert_round_trip(got: EcgRecord, want: EcgRecord, step_mv: float) -> None:
    """Same leads (in standard spelling), rate and samples, up to the format's quantisation.

    The error may not exceed half a quantisation step (``step_mv``), plus float32 rounding.
    """
    assert got.leads == STANDARD_LEADS
    assert got.sampling_rate == want.sampling_rate
    assert got.signals.shape == want.signals.shape
    assert np.abs(got.signals - want.signals).max() <= step_mv / 2 + 1e-5


# ── WFDB ─────────────────────────────────────────────────────────────────────


def write_wfdb(folder: Path, rec: EcgRecord, fmt: str, gain: float) -> Path:
    """A WFDB pair written by wfdb itself, with PTB-XL's upper-case lead names."""
    wfdb.wrsamp(
        "rec", fs=rec.sampling_rate, units=["mV"] * 12,
        sig_name=[n.upper() for n in rec.leads], p_signal=rec.signals.T.astype(np.float64),
        fmt=[fmt] * 12, adc_gain=[gain] * 12, baseline=[0] * 12,
        comments=["Age: 63", "Sex: F"], write_dir=str(folder),
    )
    return folder / "rec.hea"


@pytest.mark.parametrize("fmt, rate, gain", [("16", 500, 1000.0), ("212", 100, 500.0)])
@pytest.mark.parametrize("suffix", [".hea", ".dat"])
def test_wfdb_round_trip(tmp_path, fmt, rate, gain, suffix):
    want = synthetic_record(rate=rate)
    write_wfdb(tmp_path, want, fmt, gain)
    got = read_without_writing((tmp_path / "rec").with_suffix(suffix))
    assert_round_trip(got, want, step_mv=1 / gain)
    assert (got.metadata.format, got.metadata.record_name) == ("WFDB", "rec")
    assert (got.metadata.age, got.metadata.sex) == (63.0, "female")


def test_wfdb_missing_dat(tmp_path):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100), "16", 1000.0)
    (tmp_path / "rec.dat").unlink()
    with pytest.raises(MissingFileError) as err:
        read(hea)
    assert "The .dat file for record rec is missing" in str(err.value)
    assert "keep the .hea and .dat together" in str(err.value)


def test_wfdb_missing_hea(tmp_path):
    write_wfdb(tmp_path, synthetic_record(rate=100), "16", 1000.0)
    (tmp_path / "rec.hea").unlink()
    with pytest.raises(MissingFileError, match="The .hea header for record rec is missing"):
        read(tmp_path / "rec.dat")


@pytest.mark.parametrize("fmt", ["16", "212"])
def test_wfdb_truncated_dat(tmp_path, fmt):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100), fmt, 500.0)
    dat = tmp_path / "rec.dat"
    dat.write_bytes(dat.read_bytes()[: dat.stat().st_size // 2])
    with pytest.raises(CorruptFileError, match="rec is truncated.*Copy the file again"):
        read(hea)


@pytest.mark.parametrize("fs", ["0.001", "1000000"])
def test_wfdb_absurd_sampling_rate(tmp_path, fs):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100), "16", 1000.0)
    lines = hea.read_text().splitlines()
    fields = lines[0].split()
    fields[2] = fs
    hea.write_text("\n".join([" ".join(fields)] + lines[1:]) + "\n")
    with pytest.raises(InvalidSignalError, match="sampling rate of .* Hz; an ECG needs"):
        read(hea)


# ── real PTB-XL records ──────────────────────────────────────────────────────


@pytest.mark.parametrize("folder, rate", [("records100", 100), ("records500", 500)])
def test_ptbxl_records_match_their_checksums(ptbxl_dir, folder, rate):
    headers = sorted((ptbxl_dir / folder / "00000").glob("*.hea"))[:3]
    assert headers, f"no records in {folder}/00000"
    for hea in headers:
        record = read_without_writing(hea)
        assert record.leads == STANDARD_LEADS
        assert record.sampling_rate == rate
        assert record.duration_s == pytest.approx(10.0)
        header = wfdb.rdheader(str(hea.with_suffix("")))
        gain = np.array(header.adc_gain)[:, None]
        baseline = np.array(header.baseline)[:, None]
        digital = np.round(record.signals.astype(np.float64) * gain + baseline).astype(np.int64)
        assert list(digital.sum(axis=1) % 65536) == list(header.checksum), hea.name


# ── EDF ──────────────────────────────────────────────────────────────────────


def write_edf(path: Path, rec: EcgRecord) -> Path:
    edfio.Edf([
        edfio.EdfSignal(rec.lead(name).astype(np.float64), rec.sampling_rate, label=name,
                        physical_dimension="mV", physical_range=(-5, 5))
        for name in rec.leads
    ]).write(path)
    return path


def test_edf_plus_round_trip_with_pyedflib(tmp_path):
    """EDF+ in microvolts with an annotation and a non-ECG channel, as recorders write it."""
    highlevel = pytest.importorskip("pyedflib.highlevel")
    want = synthetic_record(rate=500, seconds=4)
    uv = [*(want.signals.astype(np.float64) * 1000), np.linspace(0, 1, 100)]
    headers = [
        highlevel.make_signal_header(f"ECG {name}", dimension="uV", sample_frequency=500,
                                     physical_min=-5000, physical_max=5000)
        for name in ("I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6")
    ] + [highlevel.make_signal_header("Resp", dimension="Ohm", sample_frequency=25,
                                      physical_min=0, physical_max=1)]
    header = highlevel.make_header(sex="Female", birthdate=datetime(1960, 5, 2),
                                   startdate=datetime(2024, 1, 10, 9, 30))
    header["annotations"] = [[0.5, 0, "R peak"]]
    path = tmp_path / "rec.edf"
    highlevel.write_edf(str(path), uv, headers, header)

    got = read_without_writing(path)
    # pyedflib truncates rather than rounds to digital values: its error is up to one step.
    assert_round_trip(got, want, step_mv=2 * 10 / 65535)
    assert (got.metadata.format, got.metadata.sex, got.metadata.age) == ("EDF", "female", 63.0)


def test_edf_mixed_rates_are_resampled_to_the_common_one(tmp_path):
    want = synthetic_record(rate=500, seconds=4)
    path = write_edf(tmp_path / "mixed.edf", want)
    edf = edfio.read_edf(path, lazy_load_data=False)
    v6 = want.lead("V6").astype(np.float64)
    slow = EcgRecord(v6[None, :], 500, ("V6",)).resampled(250).signals[0]
    edf.drop_signals(["V6"])
    edf.append_signals(edfio.EdfSignal(slow.astype(np.float64), 250, label="V6",
                                       physical_dimension="mV", physical_range=(-5, 5)))
    edf.write(path)

    got = read_without_writing(path)
    assert got.leads == STANDARD_LEADS and got.sampling_rate == 500
    assert got.metadata.derived == ("V6 resampled from 250 Hz to 500 Hz",)
    assert np.corrcoef(got.lead("V6")[: v6.size], v6[: got.n_samples])[0, 1] > 0.99


def test_edf_is_found_by_content_without_extension(tmp_path):
    want = synthetic_record(rate=500, seconds=2)
    path = write_edf(tmp_path / "recording", want)
    assert detect(path).name == "EDF"
    assert_round_trip(read(path), want, step_mv=10 / 65535)


def test_truncated_edf(tmp_path):
    path = write_edf(tmp_path / "cut.edf", synthetic_record(rate=500, seconds=4))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CorruptFileError, match="cut.edf is truncated: it holds 1 of the 4 seconds"):
        read(path)


def test_edf_without_voltage_signals_is_refused(tmp_path):
    path = tmp_path / "resp.edf"
    edfio.Edf([edfio.EdfSignal(np.sin(np.arange(1000) / 50), 100, label="Resp",
                               physical_dimension="Ohm", physical_range=(-1, 1))]).write(path)
    with pytest.raises(InvalidSignalError, match=r"no signals measured in volts \(Resp \[Ohm\]\)"):
        read(path)


def test_edf_with_broken_header(tmp_path):
    path = tmp_path / "broken.edf"
    path.write_bytes(b"0       " + b"garbage" * 100)
    with pytest.raises(CorruptFileError, match="broken.edf looks like an EDF file"):
        read(path)


# ── CSV ──────────────────────────────────────────────────────────────────────


def write_csv(path: Path, rec: EcgRecord, *, names=None, comments=(), scale=1.0,
              time_column=False, delimiter=",") -> Path:
    names = list(names or rec.leads)
    columns = list(rec.signals.astype(np.float64) * scale)
    if time_column:
        names.insert(0, "time")
        columns.insert(0, np.arange(rec.n_samples) / rec.sampling_rate)
    lines = [f"# {c}" for c in comments] + [delimiter.join(names)]
    lines += [delimiter.join(f"{v:.6f}" for v in row) for row in np.array(columns).T]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_csv_rate_from_time_column(tmp_path):
    want = synthetic_record(rate=500, seconds=2)
    path = write_csv(tmp_path / "ecg.csv", want, time_column=True,
                     names=["Lead I", "Lead II", "III", "AVR", "avl", "aVF",
                            "V1", "V2", "V3", "V4", "V5", "V6"])
    got = read_without_writing(path)
    assert_round_trip(got, want, step_mv=1e-6)
    assert got.metadata.format == "CSV"


def test_tsv_with_rate_and_units_comments(tmp_path):
    want = synthetic_record(rate=250, seconds=2)
    path = write_csv(tmp_path / "ecg.tsv", want, comments=["fs=250", "units: uV"], scale=1000,
                     delimiter="\t")
    assert_round_trip(read_without_writing(path), want, step_mv=1e-6)


def test_csv_sampling_rate_comment_and_explicit_rate(tmp_path):
    want = synthetic_record(rate=500, seconds=1)
    with_comment = write_csv(tmp_path / "a.csv", want, comments=["sampling_rate: 500"])
    assert_round_trip(read(with_comment), want, step_mv=1e-6)
    without = write_csv(tmp_path / "b.csv", want)
    assert_round_trip(read_csv(without, sampling_rate=500), want, step_mv=1e-6)


def test_csv_without_rate_says_how_to_add_it(tmp_path):
    path = write_csv(tmp_path / "norate.csv", synthetic_record(rate=500, seconds=1))
    with pytest.raises(InvalidSignalError) as err:
        read(path)
    assert "does not say its sampling rate" in str(err.value)
    assert "# sampling_rate: 500" in str(err.value)


@pytest.mark.parametrize("bad, problem", [("nan", "holds NaN"), ("", "is empty"),
                                          ("abc", "holds 'abc', not a number")])
def test_csv_missing_values_are_located(tmp_path, bad, problem):
    path = tmp_path / "gap.csv"
    path.write_text("# sampling_rate: 500\nI,II,V3\n0.1,0.2,0.3\n0.1,0.2,0.3\n"
                    f"0.1,0.2,{bad}\n0.1,0.2,0.3\n")
    with pytest.raises(InvalidSignalError, match=f"line 5, column V3 {problem}"):
        read(path)


@pytest.mark.parametrize("rate", ["0", "1000000", "-500"])
def test_csv_impossible_sampling_rates(tmp_path, rate):
    path = tmp_path / "rate.csv"
    path.write_text(f"# sampling_rate: {rate}\nI,II\n0.1,0.2\n0.1,0.2\n0.1,0.2\n")
    with pytest.raises(InvalidSignalError, match=r"sampling rate of .* Hz; an ECG needs 50-20000"):
        read(path)


def test_csv_header_only(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("# sampling_rate: 500\nI,II,III\n")
    with pytest.raises(InvalidSignalError, match="has a header row but no samples"):
        read(path)


def test_csv_short_row_is_reported(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("# fs: 500\nI,II,III\n0.1,0.2,0.3\n0.1,0.2\n")
    with pytest.raises(CorruptFileError, match="line 4 has 2 values where the header names 3"):
        read(path)


# ── DICOM ────────────────────────────────────────────────────────────────────

#: SCP-ECG code numbers; the chest leads are written with MDC codes ("2:N").
_LEAD_NUMBER = {"I": 1, "II": 2, "III": 61, "aVR": 62, "aVL": 63, "aVF": 64,
                "V1": 3, "V2": 4, "V3": 5, "V4": 6, "V5": 7, "V6": 8}


def _channel(name: str) -> Dataset:
    source = Dataset()
    if name.startswith("V"):
        source.CodeValue, source.CodingSchemeDesignator = f"2:{_LEAD_NUMBER[name]}", "MDC"
    else:
        source.CodeValue, source.CodingSchemeDesignator = f"5.6.3-9-{_LEAD_NUMBER[name]}", "SCPECG"
    source.CodeMeaning = f"Lead {name}"
    unit = Dataset()
    unit.CodeValue, unit.CodingSchemeDesignator, unit.CodeMeaning = "uV", "UCUM", "microvolt"
    channel = Dataset()
    channel.ChannelSourceSequence = [source]
    channel.ChannelSensitivity = "1"
    channel.ChannelSensitivityUnitsSequence = [unit]
    channel.ChannelSensitivityCorrectionFactor = "1"
    channel.ChannelBaseline = "0"
    channel.WaveformBitsStored = 16
    return channel


def _multiplex_group(label: str, rec: EcgRecord) -> Dataset:
    digital = np.round(rec.signals.astype(np.float64) * 1000).astype("<i2")  # 1 uV per unit
    group = Dataset()
    group.MultiplexGroupLabel = label
    group.WaveformOriginality = "ORIGINAL" if label == "RHYTHM" else "DERIVED"
    group.NumberOfWaveformChannels = len(rec.leads)
    group.NumberOfWaveformSamples = rec.n_samples
    group.SamplingFrequency = str(rec.sampling_rate)
    group.ChannelDefinitionSequence = [_channel(name) for name in rec.leads]
    group.WaveformBitsAllocated = 16
    group.WaveformSampleInterpretation = "SS"
    group.WaveformData = digital.T.tobytes()  # interleaved: all channels of sample 1, ...
    return group


def write_dicom(path: Path, sop_class: str, **elements) -> Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta, ds.preamble = meta, b"\0" * 128
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    ds.save_as(path)
    return path


def test_dicom_12_lead_round_trip(tmp_path):
    want = synthetic_record(rate=500)
    median = synthetic_record(rate=500, seconds=1.2, seed=1)
    path = write_dicom(
        tmp_path / "ecg.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",  # 12-lead ECG storage
        Modality="ECG", PatientSex="M", PatientAge="056Y", Manufacturer="Acme",
        WaveformSequence=[_multiplex_group("MEDIAN BEAT", median),
                          _multiplex_group("RHYTHM", want)],
    )
    got = read_without_writing(path)
    assert_round_trip(got, want, step_mv=0.001)
    meta = got.metadata
    assert (meta.format, meta.sex, meta.age, meta.device) == ("DICOM", "male", 56.0, "Acme")


def test_dicom_is_found_by_content_without_extension(tmp_path):
    path = write_dicom(tmp_path / "ecg", "1.2.840.10008.5.1.4.1.1.9.1.1",
                       WaveformSequence=[_multiplex_group("RHYTHM", synthetic_record(rate=100))])
    assert detect(path).name == "DICOM"
    assert read(path).leads == STANDARD_LEADS


def test_dicom_image_is_refused(tmp_path):
    path = write_dicom(tmp_path / "ct.dcm", "1.2.840.10008.5.1.4.1.1.2", Modality="CT",
                       Rows=2, Columns=2, BitsAllocated=8, BitsStored=8, HighBit=7,
                       SamplesPerPixel=1, PixelRepresentation=0,
                       PhotometricInterpretation="MONOCHROME2", PixelData=b"\0\1\2\3")
    with pytest.raises(UnsupportedFormatError, match="DICOM file without ECG waveforms.*CT Image"):
        read(path)


def test_dcm_that_is_not_dicom(tmp_path):
    path = tmp_path / "fake.dcm"
    path.write_bytes(b"hello, not dicom at all" * 20)
    with pytest.raises(CorruptFileError, match="not a valid DICOM file"):
        read(path)


# ── HL7 aECG ─────────────────────────────────────────────────────────────────

V3 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{V3}}}{tag}", attrs)


def _sequence(sequence_set: ET.Element, code: str, value_type: str) -> ET.Element:
    sequence = _el(_el(sequence_set, "component"), "sequence")
    _el(sequence, "code", code=code, codeSystem="2.16.840.1.113883.6.24")
    return _el(sequence, "value", **{f"{{{XSI}}}type": value_type})


def write_aecg(path: Path, rec: EcgRecord, scale_uv: int, encoding: str = "utf-8") -> Path:
    ET.register_namespace("", V3)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{V3}}}AnnotatedECG")
    _el(root, "id", root=str(generate_uid()))
    person = _el(root, "componentOf")
    for tag in ("timepointEvent", "componentOf", "subjectAssignment", "subject", "trialSubject",
                "subjectDemographicPerson"):
        person = _el(person, tag)
    _el(person, "administrativeGenderCode", code="F", codeSystem="2.16.840.1.113883.5.1")
    series = _el(_el(root, "component"), "series")
    _el(series, "code", code="RHYTHM", codeSystem="2.16.840.1.113883.5.4")
    sequence_set = _el(_el(series, "component"), "sequenceSet")
    time = _sequence(sequence_set, "TIME_ABSOLUTE", "GLIST_TS")
    _el(time, "head", value="20240110093000.000")
    _el(time, "increment", value=f"{1 / rec.sampling_rate:g}", unit="s")
    for name, samples in zip(rec.leads, rec.signals.astype(np.float64)):
        value = _sequence(sequence_set, f"MDC_ECG_LEAD_{name.upper()}", "SLIST_PQ")
        _el(value, "origin", value="0", unit="uV")
        _el(value, "scale", value=str(scale_uv), unit="uV")
        digits = np.round(samples * 1000 / scale_uv).astype(int)
        _el(value, "digits").text = " ".join(map(str, digits))
    ET.ElementTree(root).write(path, xml_declaration=True, encoding=encoding)
    return path


@pytest.mark.parametrize("scale_uv, encoding", [(1, "utf-8"), (5, "utf-16")])
def test_aecg_round_trip(tmp_path, scale_uv, encoding):
    want = synthetic_record(rate=500, seconds=4)
    got = read_without_writing(write_aecg(tmp_path / "ecg.xml", want, scale_uv, encoding))
    assert_round_trip(got, want, step_mv=scale_uv / 1000)
    assert (got.metadata.format, got.metadata.sex) == ("HL7 aECG", "female")


def test_xml_with_entities_is_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE AnnotatedECG [<!ENTITY a "aaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;">]>\n<AnnotatedECG xmlns="urn:hl7-org:v3">&b;'
                    "</AnnotatedECG>\n")
    with pytest.raises(UnsupportedFormatError, match="declares XML entities.*refused for safety"):
        read(path)


def test_truncated_aecg(tmp_path):
    path = write_aecg(tmp_path / "ecg.xml", synthetic_record(rate=500, seconds=1), 1)
    path.write_bytes(path.read_bytes()[:-2000])
    with pytest.raises(CorruptFileError, match="not well-formed XML.*export it again"):
        read(path)


# ── Philips SierraECG XML ────────────────────────────────────────────────────


def _lzw(data: bytes) -> bytes:
    """LZW with 10-bit codes, most significant bit first, as Philips XLI uses."""
    table, next_code, codes, word = {bytes([i]): i for i in range(256)}, 256, [], b""
    for byte in data:
        extended = word + bytes([byte])
        if extended in table:
            word = extended
            continue
        codes.append(table[word])
        if next_code <= 1022:
            table[extended], next_code = next_code, next_code + 1
        word = bytes([byte])
    codes.append(table[word])
    bits = "".join(f"{code:010b}" for code in codes)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _xli_chunk(samples: np.ndarray) -> bytes:
    """One lead: second differences (+64) as split high/low bytes, LZW-compressed."""
    s = [int(v) for v in samples]
    raw = s[:2] + [2 * s[i - 1] - s[i - 2] - s[i] + 64 for i in range(3, len(s))] + [64]
    words = [v & 0xFFFF for v in raw]
    payload = _lzw(bytes(w >> 8 for w in words) + bytes(w & 0xFF for w in words))
    return struct.pack("<ihh", len(payload), 0, 2 * s[1] - s[0] - s[2]) + payload


def _stored_as_philips(leads: np.ndarray) -> list[np.ndarray]:
    """Limb leads III, aVR, aVL, aVF stored as the residuals Philips devices write."""
    i, ii, iii, avr, avl, avf = leads[:6]
    return [i, ii, ii - i - iii, -avr - (i + ii) // 2, (i - iii) // 2 - avl,
            (ii + iii) // 2 - avf, *leads[6:]]


def write_philips(path: Path, rec: EcgRecord, *, xli: bool = True, version: str = "1.04") -> Path:
    digital = np.round(rec.signals.astype(np.float64) / 0.005).astype(np.int64)  # 5 uV units
    if xli:
        blob = b"".join(_xli_chunk(lead) for lead in _stored_as_philips(digital))
        attrs = 'compressflag="True" compressmethod="XLI"'
    else:
        blob, attrs = digital.astype("<i2").tobytes(), 'compressflag="False"'
    duration_ms = round(rec.duration_s * 1000)
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<restingecgdata xmlns="http://www3.medical.philips.com">
  <documentinfo><documenttype>PhilipsECG</documenttype>
    <documentversion>{version}</documentversion></documentinfo>
  <dataacquisition><machine>PageWriter TC70</machine>
    <signalcharacteristics><samplingrate>{rec.sampling_rate:g}</samplingrate>
      <resolution>5</resolution><acquisitiontype>STD-12</acquisitiontype>
      <numberchannelsallocated>12</numberchannelsallocated></signalcharacteristics>
  </dataacquisition>
  <patient><generalpatientdata><sex>Male</sex><age><years>71</years></age>
    </generalpatientdata></patient>
  <waveforms><parsedwaveforms dataencoding="Base64" {attrs} durationperchannel="{duration_ms}"
      numberofleads="12" leadlabels="{' '.join(rec.leads)}">{base64.b64encode(blob).decode()}
  </parsedwaveforms></waveforms>
</restingecgdata>
""")
    return path


@pytest.mark.parametrize("xli", [True, False])
def test_philips_round_trip(tmp_path, xli):
    want = synthetic_record(rate=500, seconds=2)
    got = read_without_writing(write_philips(tmp_path / "ecg.xml", want, xli=xli))
    assert_round_trip(got, want, step_mv=0.005)
    meta = got.metadata
    assert (meta.format, meta.sex, meta.age, meta.device) == ("Philips XML", "male", 71.0,
                                                              "PageWriter TC70")


def test_philips_unsupported_version(tmp_path):
    path = write_philips(tmp_path / "ecg.xml", synthetic_record(rate=500, seconds=1),
                         version="9.99")
    assert detect(path).name == "Philips XML"
    with pytest.raises(UnsupportedFormatError, match="Philips ECG XML variant.*9.99"):
        read(path)


def test_philips_missing_waveforms(tmp_path):
    path = tmp_path / "ecg.xml"
    path.write_text('<?xml version="1.0"?><restingecgdata><documentinfo/></restingecgdata>')
    with pytest.raises(CorruptFileError, match="lacks the <parsedwaveforms> section"):
        read(path)


# ── any format ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name, content", [
    ("noise.bin", bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8))),
    ("notes.txt", b"Patient seen in clinic, ECG to follow.\n"),
    ("other.xml", b'<?xml version="1.0"?><invoice><total>12</total></invoice>'),
])
def test_unknown_formats(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError, match=f"{name} is not a recognised ECG file"):
        read(path)


def test_huge_file_is_refused_by_size_before_reading(tmp_path):
    path = tmp_path / "huge.edf"
    with path.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: no 2 GB are written
    with pytest.raises(UnsupportedFormatError, match="huge.edf is 2.0 GB, far larger than any"):
        read(path)


@pytest.mark.parametrize("name", ["empty.csv", "empty.edf", "empty.hea", "empty.dcm"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.touch()
    with pytest.raises(CorruptFileError, match=f"{name} is empty"):
        read(path)


def test_missing_file(tmp_path):
    with pytest.raises(MissingFileError, match="does not exist"):
        read(tmp_path / "nowhere.hea")
