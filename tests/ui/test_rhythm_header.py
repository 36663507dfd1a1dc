"""The query's measured heart rate and RR regularity are shown above its ECG."""

from __future__ import annotations

import re

from .conftest import open_and_wait


def test_the_header_gives_the_measured_rate_and_regularity(qtbot, window, ecg_files):
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    features = window.outcome.result.rhythm
    assert features.measurable and features.regular  # synthetic beats, 72/min
    header = window.query_header.text()
    rate = int(re.search(r"heart rate (\d+)/min, regular", header).group(1))
    assert abs(rate - 72) <= 2


def test_a_photo_gives_the_rate_only(qtbot, window, ecg_files):
    """Regularity traced off a photographed strip is not trusted enough to be shown."""
    assert open_and_wait(qtbot, window, [ecg_files["photo"]])
    header = window.query_header.text()
    assert window.outcome.result.rhythm.measurable
    assert "heart rate about" in header and "from the rhythm strip" in header
    assert "regular" not in header
