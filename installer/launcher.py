"""Entry script frozen by PyInstaller: the same ``ecgviewer.cli:main`` as the console script.

A windowed Windows executable has no console, so ``sys.stdout``/``sys.stderr`` are None;
they are pointed at the null device so a stray ``print`` or warning cannot crash the app
(the GUI logs to its own file; ``ecgviewer-cli.exe`` is the console twin for scripts).
"""

import multiprocessing
import os
import sys

# Offline means offline: onnxruntime's telemetry (device id file, HTTPS uploads) is off
# before any library loads. ecgviewer.core.encoder sets it too, for pip installs.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

if __name__ == "__main__":
    multiprocessing.freeze_support()
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))

    from ecgviewer.cli import main

    sys.exit(main())
