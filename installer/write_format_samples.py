"""One small ECG file of every format the readers take, written by the reader tests' own
writers: for checking a built bundle (installer/check_bundle_readers.sh), which must read
each of them with only the libraries the PyInstaller spec kept.

    .venv/bin/python installer/write_format_samples.py OUT_DIR

Needs the development environment (the writers use wfdb, edfio, pydicom, scipy and pytest).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import cv2  # noqa: E402

from conftest import synthetic_record  # noqa: E402
from ecg_writers import write_georgia, write_muse, write_scp  # noqa: E402
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from test_photo import _pdf, _report_page  # noqa: E402
from test_readers import (  # noqa: E402
    _multiplex_group,
    write_aecg,
    write_csv,
    write_dicom,
    write_edf,
    write_philips,
    write_wfdb,
)


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rec = synthetic_record(rate=500)
    files = []
    for fmt, rate, gain in (("16", 500, 1000.0), ("212", 100, 500.0)):
        folder = out / f"wfdb{fmt}"
        folder.mkdir(exist_ok=True)
        files.append(write_wfdb(folder, synthetic_record(rate=rate), fmt, gain))
    files.append(write_edf(out / "ecg.edf", rec))
    files.append(write_csv(out / "ecg.csv", rec, comments=["sampling_rate: 500"]))
    files.append(write_dicom(out / "ecg.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1", Modality="ECG",
                             WaveformSequence=[_multiplex_group("RHYTHM", rec)]))
    files.append(write_aecg(out / "ecg_aecg.xml", rec, scale_uv=5))
    files.append(write_philips(out / "ecg_philips.xml", rec))
    files.append(write_scp(out / "ecg.scp", rec))
    files.append(write_muse(out / "ecg_muse.xml", rec))
    (out / "georgia").mkdir(exist_ok=True)
    files.append(write_georgia(out / "georgia", rec))  # WFDB with a MATLAB .mat signal
    page = cv2.cvtColor(render(rec, PaperStyle(px_per_mm=6.0)), cv2.COLOR_RGB2BGR)
    for suffix in (".png", ".jpg", ".tif"):
        cv2.imwrite(str(out / f"page{suffix}"), page)
        files.append(out / f"page{suffix}")
    _, jpeg = cv2.imencode(".jpg", page)
    style = PaperStyle(px_per_mm=6.0)
    pt = 72 / 25.4
    report = cv2.imencode(".jpg", _report_page())[1].tobytes()
    (out / "page.pdf").write_bytes(_pdf([  # a cart's report page first, then the ECG
        (report, (1480, 1050), (0.0, 0.0, 842.0, 595.0)),
        (jpeg.tobytes(), (page.shape[1], page.shape[0]),
         (10 * pt, 25 * pt, style.page_mm[0] * pt, style.page_mm[1] * pt))]))
    files.append(out / "page.pdf")
    return files


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in write_all(Path(sys.argv[1])):
        print(path)
