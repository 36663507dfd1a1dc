"""``gui FILE --screenshot OUT.pdf``: the report, exported headless as a user would."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_pdf_screenshot_is_the_exported_report(tmp_path, resources_root):
    out = tmp_path / "report.pdf"
    env = {**os.environ, "ECGVIEWER_RESOURCES": str(resources_root),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = subprocess.run([sys.executable, "-m", "ecgviewer", "gui",
                          str(resources_root / "samples" / "demo_ecg.hea"), "--screenshot", str(out)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    assert len(data) > 20_000  # the page and the cases, not an empty document
