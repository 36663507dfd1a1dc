"""The fields of a WFDB header (.hea), parsed as PhysioNet's header(5) defines them.

wfdb-python parsed headers until the installer had to shrink: it pulls in pandas, scipy
and matplotlib (about 300 MB) for what is a few whitespace-separated fields per line.
The tests parse every PTB-XL header and many written by wfdb-python with both and
compare the fields. The defaults are header(5)'s, as wfdb-python applies them: sampling
frequency 250 Hz, ADC gain 200 (also for a gain of 0), baseline the ADC zero, units mV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers.limits import excerpt

_FORMAT = re.compile(r"(?P<fmt>\d+)(?:x(?P<frames>\d+))?(?::(?P<skew>\d+))?(?:\+(?P<offset>\d+))?")
_GAIN = re.compile(r"(?P<gain>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
                   r"(?:\((?P<baseline>[-+]?\d+)\))?(?:/(?P<units>\S*))?")
_FREQUENCY = re.compile(r"(?P<fs>\d*\.?\d+|\d+\.)(?:/[-\d.]*(?:\([-\d.]*\))?)?")


@dataclass
class WfdbHeader:
    """One single-segment record's header; per-signal fields are lists, one per signal."""

    record_name: str
    n_sig: int
    fs: float
    sig_len: int | None
    file_name: list[str] = field(default_factory=list)
    fmt: list[str] = field(default_factory=list)
    samps_per_frame: list[int] = field(default_factory=list)
    byte_offset: list[int] = field(default_factory=list)
    adc_gain: list[float] = field(default_factory=list)
    baseline: list[int] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    checksum: list[int | None] = field(default_factory=list)
    sig_name: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def parse_header(text: str, file_name: str) -> WfdbHeader:
    """The header in ``text``; a damaged line is a CorruptFileError naming it."""
    lines, comments = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#"):
            comments.append(line[1:].strip())
        elif line:
            lines.append((number, line))
    if not lines:
        raise CorruptFileError(f"The header {file_name} is empty: it has no record line.")
    header = _record_line(*lines[0], file_name)
    header.comments = comments
    for number, line in lines[1:]:
        _signal_line(header, number, line, file_name)
    return header


def _damaged(file_name: str, number: int, what: str) -> CorruptFileError:
    return CorruptFileError(
        f"The header {file_name} cannot be parsed (line {number}: {excerpt(what, 120)}). "
        "Copy the record again from its source."
    )


def _record_line(number: int, line: str, file_name: str) -> WfdbHeader:
    fields = line.split()
    name, _, segments = fields[0].partition("/")
    if segments:
        raise UnsupportedFormatError(
            f"{file_name} describes a multi-segment WFDB record, which ecgviewer does not "
            "read: open one of its segments instead."
        )
    if len(fields) < 2 or not fields[1].isdigit():
        raise _damaged(file_name, number, "the record line gives no number of signals")
    fs = 250.0
    if len(fields) > 2:
        match = _FREQUENCY.fullmatch(fields[2])
        if not match or float(match["fs"]) <= 0:
            raise _damaged(file_name, number, f"sampling frequency {fields[2]!r}")
        fs = float(match["fs"])
    sig_len = None
    if len(fields) > 3:
        if not fields[3].isdigit():
            raise _damaged(file_name, number, f"number of samples {fields[3]!r}")
        sig_len = int(fields[3])
    return WfdbHeader(record_name=name, n_sig=int(fields[1]), fs=fs, sig_len=sig_len)


def _signal_line(header: WfdbHeader, number: int, line: str, file_name: str) -> None:
    """Append one signal line's fields to ``header``.

    Fields after the format are optional in order; as in wfdb-python, the first one that
    is not what its place calls for starts the description (``rec.dat 16 200 I``).
    """
    tokens = list(re.finditer(r"\S+", line))
    if len(tokens) < 2 or not (fmt := _FORMAT.fullmatch(tokens[1].group())):
        raise _damaged(file_name, number, f"signal line {line!r}")
    gain, baseline, units, integers = 200.0, None, "mV", []
    description = ""
    for position, token in enumerate(tokens[2:], 2):
        text = token.group()
        if position == 2 and (match := _GAIN.fullmatch(text)):
            gain = float(match["gain"]) or 200.0
            baseline = int(match["baseline"]) if match["baseline"] is not None else None
            units = match["units"] or "mV"
        elif 3 <= position <= 7 and re.fullmatch(r"[-+]?\d+", text):
            integers.append(int(text))
        else:
            description = line[token.start():].strip()
            break
    adc_zero = integers[1] if len(integers) > 1 else 0
    header.file_name.append(tokens[0].group())
    header.fmt.append(fmt["fmt"])
    header.samps_per_frame.append(int(fmt["frames"] or 1))
    header.byte_offset.append(int(fmt["offset"] or 0))
    header.adc_gain.append(gain)
    header.baseline.append(adc_zero if baseline is None else baseline)
    header.units.append(units)
    header.checksum.append(integers[3] if len(integers) > 3 else None)
    header.sig_name.append(description)
