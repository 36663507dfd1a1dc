"""The GUI soak in a real X window: 200 varied photos in one process, no crash and no
fall in the reference counts of True, False or None (see soak_photos.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("soak_photos.py")
PHOTOS = 200
#: Caches may keep a few more references; a C extension releasing references it does not
#: own makes the counts fall, by one or more per call.
TOLERANCE = 100


@pytest.mark.skipif(shutil.which("xvfb-run") is None,
                    reason="xvfb-run is not installed (apt-get install xvfb)")
def test_two_hundred_photos_in_a_real_x_window(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "ECGVIEWER_RESOURCES": ""}
    env.pop("ECGVIEWER_RESOURCES")  # the shipped model and case base, as a clinic has them
    run = subprocess.run(["xvfb-run", "-a", sys.executable, str(SCRIPT), str(tmp_path),
                          "--photos", str(PHOTOS)], env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert sum(report["outcomes"].values()) == PHOTOS
    assert report["outcomes"]["searched"] >= PHOTOS // 2
    warm, end = report["refcounts_true_false_none"].values()
    assert abs(end[0] - warm[0]) <= TOLERANCE and abs(end[1] - warm[1]) <= TOLERANCE, report
    assert end[2] - warm[2] >= -TOLERANCE, report
