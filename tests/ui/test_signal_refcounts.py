"""PySide6 6.12.0's ``SignalInstance.emit`` returns True without owning a reference to it:
each emit from Python releases one reference to True, and after a few thousand the app
aborts in ``bool_dealloc`` (far from the cause: a resize, or interpreter shutdown).
pyproject.toml excludes that version; this test fails on any build that does it again."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    number = Signal(float)
    triple = Signal(str, int, object)
    flag = Signal(bool)


def test_emitting_signals_keeps_the_reference_counts_of_true_false_and_none():
    emitter = _Emitter()
    received = []
    emitter.triple.connect(lambda *args: received.append(args[1]))
    before = [sys.getrefcount(v) for v in (True, False, None)]
    for i in range(200):
        emitter.number.emit(1.5)
        emitter.triple.emit("query", i, None)
        emitter.flag.emit(i % 2 == 0)
    after = [sys.getrefcount(v) for v in (True, False, None)]
    assert received == list(range(200))
    assert after == before
