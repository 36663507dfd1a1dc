"""XML helpers shared by the aECG and Philips readers.

The stdlib parser is used, but files that declare entities are refused outright: ECG
exports never need them, and refusing them rules out entity-expansion attacks.
"""

from __future__ import annotations

import codecs
import xml.etree.ElementTree as ET
from pathlib import Path

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import check_file
from ecgviewer.core.readers.limits import MAX_TEXT_BYTES, MAX_XML_DEPTH, excerpt

_ENTITY_MARKERS = tuple("<!ENTITY".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def looks_like_xml(head: bytes, root_name: str) -> bool:
    """Whether ``head`` (a file's first bytes) starts an XML document naming ``root_name``."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return text.lstrip().startswith("<") and root_name in text


def parse_xml(path: Path, kind: str) -> ET.Element:
    """The root element of ``path``; ``kind`` names the format in error messages.

    The file's size is checked before reading and its nesting depth after parsing (an
    ECG export nests about ten levels; libraries that recurse over the tree, such as
    sierraecg's minidom lookups, would overflow the stack on thousands).
    """
    check_file(path, MAX_TEXT_BYTES)
    data = path.read_bytes()
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise UnsupportedFormatError(
            f"{path.name} declares XML entities, which {kind} files never need, so it is "
            "refused for safety. Export the ECG again from the device or ECG system."
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise CorruptFileError(
            f"{path.name} is not well-formed XML ({excerpt(exc, 160)}): the file is damaged or "
            "incomplete. Copy or export it again."
        ) from exc
    except (LookupError, ValueError) as exc:  # an unknown or unusable declared encoding
        raise CorruptFileError(
            f"{path.name} declares a text encoding that cannot be read ({excerpt(exc)}): the file "
            "is damaged. Copy or export it again."
        ) from exc
    if _depth(root) > MAX_XML_DEPTH:
        raise CorruptFileError(
            f"{path.name} nests its XML elements more than {MAX_XML_DEPTH} levels deep, "
            f"which no {kind} file does: it is damaged or not an ECG export."
        )
    return root


def _depth(root: ET.Element) -> int:
    """How many levels deep the tree goes, without recursion."""
    deepest, level = 0, [root]
    while level:
        deepest += 1
        level = [child for element in level for child in element]
    return deepest


def local_name(element: ET.Element) -> str:
    """An element's tag without its namespace."""
    return element.tag.rsplit("}", 1)[-1]
