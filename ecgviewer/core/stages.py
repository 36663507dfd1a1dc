"""The stages of a query, named for the ``stage`` callback that the pipeline calls.

The GUI translates and shows them, and its callback may raise to cancel between stages.
A module of its own so that the window knows the names without loading the pipeline.
"""

from collections.abc import Callable

READING, DRAWING, FINDING_PAPER, SEARCHING = "reading", "drawing", "finding-paper", "searching"

Stage = Callable[[str], None]
