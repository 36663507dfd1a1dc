"""Each installed distribution's share of an environment, and who pulls it in.

    python installer/dependency_sizes.py                    # the running interpreter's env
    build/venv-runtime/bin/python installer/dependency_sizes.py --top 25
    python installer/dependency_sizes.py --bundle dist/ecgviewer   # a built bundle instead

Sizes are what the distribution's RECORD lists plus its ``<name>.libs`` folder (the
libraries auditwheel vendors), in MB on disk. For a bundle, the top-level entries of
``_internal`` are summed instead, since PyInstaller keeps no RECORD.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from importlib import metadata
from pathlib import Path


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def tree_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def distribution_sizes() -> dict[str, tuple[float, set[str]]]:
    """Canonical name -> (MB, the installed distributions that require it)."""
    dists = {_canonical(d.metadata["Name"]): d for d in metadata.distributions()}
    required_by: dict[str, set[str]] = defaultdict(set)
    for name, dist in dists.items():
        for requirement in dist.requires or []:
            if "extra ==" in requirement:
                continue
            required_by[_canonical(re.split(r"[ ;<>=!~\[(]", requirement, 1)[0])].add(name)
    sizes = {}
    for name, dist in dists.items():
        files = [Path(dist.locate_file(f)) for f in dist.files or []]
        total = sum(f.stat().st_size for f in files if f.is_file()) / 2**20
        site = Path(dist.locate_file(""))
        for libs in site.glob(f"{dist.metadata['Name'].replace('-', '_')}*.libs"):
            total += tree_mb(libs)
        sizes[name] = (total, required_by.get(name, set()) & set(dists))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, help="a PyInstaller onedir bundle")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if args.bundle:
        internal = args.bundle / "_internal"
        rows = sorted(((tree_mb(p), p.name, "") for p in internal.iterdir()
                       if not p.is_symlink()), reverse=True)  # links: counted where they point
        total = tree_mb(args.bundle)
    else:
        rows = sorted(((mb, name, ", ".join(sorted(by))) for name, (mb, by) in
                       distribution_sizes().items()), reverse=True)
        total = sum(mb for mb, _, _ in rows)
    print(f"{'MB':>8} {'share':>6}  name (required by)")
    for mb, name, by in rows[:args.top]:
        print(f"{mb:8.1f} {mb / total:6.1%}  {name}" + (f" ({by})" if by else ""))
    print(f"{total:8.1f} {'100%':>6}  total")


if __name__ == "__main__":
    main()
