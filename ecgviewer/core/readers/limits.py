"""Budgets every reader checks from sizes and headers before it allocates anything.

A file may declare any size in its header; what it declares is checked against these
limits (and against the file's real size) first, so a damaged or hostile header is
refused in one line instead of exhausting memory or time.
"""

from __future__ import annotations

from ecgviewer.core.errors import UnsupportedFormatError

#: Samples (all leads together) one record may hold: 55 min of 12 leads at 500 Hz, 160 MB
#: as float64. ecgviewer compares 10 s; a Holter day is not one query.
MAX_SAMPLES = 20_000_000
#: Text formats (CSV, XML) larger than this are refused before parsing: 10 s of 12 leads
#: in the most verbose XML is a few MB.
MAX_TEXT_BYTES = 64 * 1024 * 1024
#: Deeper XML than this is not an ECG export (they nest about ten levels).
MAX_XML_DEPTH = 64
#: A WFDB header is a few lines; anything this large is not one.
MAX_HEADER_BYTES = 1024 * 1024


def check_samples(name: str, leads: int, samples: int) -> None:
    """Refuse a record declaring more samples than :data:`MAX_SAMPLES`."""
    if leads * samples > MAX_SAMPLES:
        raise UnsupportedFormatError(
            f"{name} declares {leads} signals of {samples:,} samples, more than ecgviewer "
            f"reads at once ({MAX_SAMPLES:,}): save a shorter excerpt and open that."
        )


def excerpt(value: object, limit: int = 60) -> str:
    """``value`` as it may appear in a one-line message: printable, single-spaced, short.

    Messages quote what a file says (a field, a library's complaint about it); a damaged
    file can say megabytes, or control characters.
    """
    text = " ".join("".join(ch if ch.isprintable() else "?" for ch in str(value)).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
