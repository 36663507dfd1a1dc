"""Native libraries' own messages (libjpeg's "Corrupt JPEG data", libpng, libtiff,
OpenCV's ``[ERROR]`` lines) kept off the terminal: ecgviewer's promise is one line per
problem, in its own words.

OpenCV's logger is set to silent once; libraries that write to file descriptor 2
directly are caught by pointing descriptor 2 at a temporary file for the duration of a
call. What they said goes to the log, never to the user.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
_lock = threading.Lock()  # one redirection at a time: descriptor 2 is process-wide
_opencv_silenced = False


def silence_opencv() -> None:
    """Turn OpenCV's own logging off (it prints ``[ERROR:0@...]`` lines on stderr)."""
    global _opencv_silenced
    if not _opencv_silenced:
        from cv2.utils import logging as cv_logging

        cv_logging.setLogLevel(cv_logging.LOG_LEVEL_SILENT)
        _opencv_silenced = True


@contextmanager
def quiet_native() -> Iterator[None]:
    """Run a block with native stderr output captured into the log."""
    silence_opencv()
    fd = 2  # the C library's stderr, whatever Python's sys.stderr is now
    with _lock, tempfile.TemporaryFile() as sink:
        try:
            saved = os.dup(fd)
        except OSError:  # no stderr at all (a windowed app): nothing to keep quiet
            yield
            return
        if sys.stderr is not None:
            sys.stderr.flush()
        os.dup2(sink.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            sink.seek(0)
            said = sink.read(4096).decode("utf-8", "replace").strip()
            if said:
                log.info("native library output: %s", said)
