"""One numeric matrix from a MATLAB version 4 file: the .mat signal files of WFDB records.

PhysioNet writes these (``wfdb2mat``, the Challenge 2020/2021 databases: Georgia, CPSC,
PTB-XL, Chapman): a 20-byte header per variable (type, rows, columns, imaginary flag,
name length), the name, then the values column by column. The format is four integers,
so it is read here rather than through scipy.io (160 MB in the installer). MATLAB 5/7
files start with a text header and are refused with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError

#: The P digit of a variable's type: how its values are stored.
_VALUE_TYPES = {0: "f8", 1: "f4", 2: "i4", 3: "i2", 4: "u2", 5: "u1"}
_HEADER = 20


def read_mat4_matrix(path: Path, name: str,
                     check_shape: Callable[[int, int], None]) -> np.ndarray:
    """Variable ``name`` of the file as a (rows, columns) array of its stored type.

    ``check_shape(rows, columns)`` runs before the values are read, so that a header
    promising billions of samples is refused without allocating them.
    """
    with path.open("rb") as fh:
        if fh.read(10).startswith(b"MATLAB"):
            raise UnsupportedFormatError(
                f"{path.name} is a MATLAB 5/7 file; ecgviewer reads the MATLAB 4 .mat files "
                "that PhysioNet's tools write. Convert it with wfdb2mat or save it with "
                "MATLAB's -v4 option."
            )
        fh.seek(0)
        while True:
            head = fh.read(_HEADER)
            if len(head) < _HEADER:
                raise CorruptFileError(f"{path.name} holds no '{name}' matrix.")
            order, kind, rows, columns, imaginary, name_length = _variable_header(head, path)
            found = fh.read(name_length).rstrip(b"\0").decode("latin-1")
            dtype = np.dtype(order + _VALUE_TYPES[kind])
            size = rows * columns * dtype.itemsize * (2 if imaginary else 1)
            if found != name:
                fh.seek(size, 1)
                continue
            if imaginary:
                raise CorruptFileError(f"The '{name}' matrix of {path.name} is complex.")
            check_shape(rows, columns)
            raw = fh.read(rows * columns * dtype.itemsize)
            if len(raw) != rows * columns * dtype.itemsize:
                raise CorruptFileError(
                    f"{path.name} is truncated: its '{name}' matrix is cut short. Copy the file "
                    "again from its source."
                )
            return np.frombuffer(raw, dtype).reshape(columns, rows).T


def _variable_header(head: bytes, path: Path) -> tuple[str, int, int, int, int, int]:
    """(byte order, value type, rows, columns, imaginary flag, name length) of a variable."""
    for order in ("<", ">"):
        kind, rows, columns, imaginary, name_length = np.frombuffer(head, order + "i4")
        machine, _, value_type, matrix = (int(kind) // 1000, int(kind) // 100 % 10,
                                          int(kind) // 10 % 10, int(kind) % 10)
        if 0 <= kind < 5000 and machine == (order == ">"):
            break
    else:
        raise CorruptFileError(f"{path.name} is not a readable MATLAB file.")
    if (matrix != 0 or value_type not in _VALUE_TYPES or rows < 0 or columns < 0
            or imaginary not in (0, 1) or not 0 < name_length < 64):
        raise CorruptFileError(
            f"{path.name} is not a readable MATLAB file (variable of type {int(kind)}, "
            f"{int(rows)} x {int(columns)})."
        )
    return order, value_type, int(rows), int(columns), int(imaginary), int(name_length)
