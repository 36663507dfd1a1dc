"""``ecgviewer --self-test``: is this installation able to answer a query correctly?

Checks what a clinic cannot see: the model loads and matches the case base, the index
and the metadata agree with their checksums and counts, and the bundled sample goes
through the whole pipeline to a sane list of neighbours. Qt-free, so it runs anywhere.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from ecgviewer import resources
from ecgviewer.core.errors import EcgError


def self_test(folder: str | os.PathLike | None = None, device: str = "cpu",
              log=lambda line: None) -> list[str]:
    """Problems found (empty when all is well); ``log`` receives progress lines."""
    from ecgviewer.core.search import Searcher, prepare

    root = Path(folder) if folder else resources.resources_dir()
    try:
        searcher = Searcher.from_resources(root, device=device)
    except EcgError as exc:
        return [str(exc)]
    log(f"model {searcher.encoder.name} ({searcher.encoder.build_id}) on {searcher.encoder.device}")
    log(f"case base {searcher.casebase.build_id}: {searcher.casebase.count} cases, "
        f"tracings {'installed' if searcher.casebase.has_tracings else 'not installed'}")
    problems = list(searcher.casebase.verify())

    sample = root / "samples" / "demo_ecg.hea"
    if not sample.exists():
        return problems + [f"The bundled sample {sample} is missing."]
    try:
        result = searcher.search(prepare(sample), top_k=5)
    except EcgError as exc:
        return problems + [f"The bundled sample could not be searched: {exc}"]
    sims = [n.similarity for n in result.neighbors]
    if not sims:
        problems.append("The sample search returned no similar cases.")
    elif not all(math.isfinite(s) and -1.001 <= s <= 1.001 for s in sims):
        problems.append(f"The sample search returned impossible similarities: {sims}.")
    else:  # the index itself ranks by similarity (the search then re-ranks by rhythm)
        nearest = [n.similarity for n in searcher.casebase.search(result.embedding[None], 5)[0]]
        if nearest != sorted(nearest, reverse=True) or max(nearest) < max(sims):
            problems.append("The case index returned cases out of order.")
    for n in result.neighbors:
        if not n.statements and not n.report:
            problems.append(f"Case {n.case_id} has neither statements nor a report.")
    total = sum(result.timings_ms.values())
    log(f"sample searched end to end in {total:.0f} ms: top similarity "
        f"{sims[0] if sims else float('nan'):.3f}")
    return problems
