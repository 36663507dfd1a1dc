"""ecgviewer: offline ECG case retrieval for clinicians.

Qt-free core lives in :mod:`ecgviewer.core`; the desktop UI in :mod:`ecgviewer.ui`.
"""

__version__ = "0.1.0"
