"""Run by the clinic tests in a subprocess (killed at a random moment, or two at once):
``python clinic_kill_worker.py import|add|remove HOME [BUNDLE | FIRST_CASE]``. Prints
"ready" once its imports are done, so a kill lands in the work itself."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic_fakes import MODEL, add_cases  # noqa: E402

from ecgviewer.core.clinic.base import ClinicBase  # noqa: E402

ADDS = 40
REMOVES = 60


def main(mode: str, home: str, extra: str | None = None) -> None:
    import hnswlib  # noqa: F401  (loaded before "ready", like the rest)

    base = ClinicBase(MODEL, home)
    base.sync()
    print("ready", flush=True)
    if mode == "import":
        base.import_bundle(extra)
    elif mode == "add":
        add_cases(base, int(extra) if extra and extra.isdigit() else 10_000, ADDS)
    elif mode == "remove":
        for case in base.store.list_cases()[:REMOVES]:
            base.remove(case.id)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
