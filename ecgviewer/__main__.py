"""`python -m ecgviewer` runs the same entry point as the `ecgviewer` console script."""

from ecgviewer.cli import main

raise SystemExit(main())
