"""The app on a real X server (Qt's xcb plugin), not only ``offscreen``.

A desktop without Qt 6.5+'s xcb-util libraries stops with "Could not load the Qt platform
plugin xcb" before any window: the first test finds that on any Linux machine, X server or
not. The others need one and run in CI under ``xvfb-run -a`` with ``QT_QPA_PLATFORM=xcb``
(see .ci/run); elsewhere they skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SAMPLE = REPO / "resources" / "samples" / "demo_ecg.hea"
ON_X = os.environ.get("QT_QPA_PLATFORM") == "xcb" and bool(os.environ.get("DISPLAY"))
needs_x = pytest.mark.skipif(not ON_X, reason="needs an X server and QT_QPA_PLATFORM=xcb "
                                              "(CI: xvfb-run -a, see .ci/run)")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_every_library_of_the_xcb_plugin_is_installed():
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True)
    missing = [line.split()[0] for line in result.stdout.splitlines() if "not found" in line]
    assert not missing, f"missing {missing}: run `bash dev.sh qt-libs`"


@needs_x
def test_qt_runs_on_the_xcb_plugin(qapp):
    assert qapp.platformName() == "xcb"


@needs_x
def test_gui_opens_the_sample_and_shows_its_results_on_x(tmp_path):
    out = tmp_path / "window.png"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "ecgviewer.cli", "gui", str(SAMPLE), "--screenshot", str(out)],
        capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    import cv2

    image = cv2.imread(str(out))
    assert image is not None and image.shape[1] >= 1000
    assert image.std() > 10  # a drawn window, not a blank surface
