"""SCP-ECG statement descriptions in the user's language.

The 71 PTB-XL statement codes are a small fixed vocabulary, so their translations live in
one reviewed table (``translations/scp_statements.json``: ``{code: {en, fr, es, pt}}``)
rather than in Qt's message catalogues; the CLI and the PDF export use it too.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ecgviewer.resources import translations_dir

LANGUAGES = ("en", "fr", "es", "pt")
TABLE_FILE = "scp_statements.json"


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """The translation table; empty when it is not installed (English then shows as is)."""
    path = translations_dir() / TABLE_FILE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def describe(code: str, fallback: str, language: str = "en") -> str:
    """The description of ``code`` in ``language``; ``fallback`` for unknown codes."""
    entry = table().get(code)
    if not entry:
        return fallback
    return entry.get(language[:2].lower()) or entry.get("en") or fallback
