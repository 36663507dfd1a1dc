"""Case bundles: one zip file to carry a clinic's confirmed cases to another (USB stick).

Layout: ``manifest.json`` (format name, format version, and the size and SHA-256 of every
other entry) and, per case, ``cases/NNNNNN/case.json`` (details, model, signal layout),
``signal.f32`` (float32 little-endian, leads x samples) or ``image.<ext>`` (the original
photo bytes), and ``embedding.f32``. An import checks everything - the manifest, every
entry's checksum, every case - before it writes anything, then adds all new cases in one
transaction: the base ends as before or with all of them. The checksums catch damage;
they are not a signature (anyone can rebuild a manifest), so import bundles from people
you trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ecgviewer import __version__
from ecgviewer.core.clinic.case import (CaseDetails, CaseSource, ClinicCase, signal_bytes,
                                        signal_from_bytes, utc_now)
from ecgviewer.core.clinic.errors import BundleError, Cancelled, CaseNotFoundError
from ecgviewer.core.clinic.store import ClinicStore
from ecgviewer.core.errors import EcgError

FORMAT = "ecgviewer-case-bundle"
VERSION = 1
MANIFEST = "manifest.json"
#: Larger entries are refused unread (no photo or 10 s signal comes near).
MAX_ENTRY_BYTES = 256 << 20

Progress = Callable[[int, int], None]  # (steps done, steps in all)
Cancel = Callable[[], bool]  # True once the user asked to stop


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)  # new case ids
    skipped: int = 0  # the same ECG was saved already (or twice in the bundle)
    refused: list[str] = field(default_factory=list)  # one line per case not accepted

    def to_json(self) -> dict:
        return {"added": len(self.added), "skipped": self.skipped,
                "refused": len(self.refused), "added_ids": self.added,
                "refused_reasons": self.refused}


@dataclass(frozen=True)
class _BundleCase:
    uid: str
    source: CaseSource
    details: CaseDetails
    embedding: np.ndarray
    model_build_id: str
    content_sha256: str
    updated_at: str


def _check(cancel: Cancel | None, what: str) -> None:
    if cancel is not None and cancel():
        raise Cancelled(f"{what} cancelled: nothing was changed.")


# ---------------------------------------------------------------------------- export


def export_bundle(store: ClinicStore, out: str | os.PathLike, strip_patient: bool = False,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Write every case to the bundle ``out`` (atomically); returns how many."""
    target = Path(out)
    ids = [c.id for c in store.list_cases()]
    entries: dict[str, dict] = {}
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            def put(name: str, data: bytes, compress: bool = True) -> None:
                zf.writestr(name, data, zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
                entries[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

            written = 0
            for done, case_id in enumerate(ids, 1):
                _check(cancel, "Export")
                try:
                    case = store.get(case_id)
                except CaseNotFoundError:
                    continue  # removed by another window meanwhile
                written += 1
                _write_case(put, f"cases/{written:06d}/", case, strip_patient)
                if progress:
                    progress(done, len(ids))
            manifest = {"format": FORMAT, "version": VERSION, "app": f"ecgviewer {__version__}",
                        "created_at": utc_now(), "patient_refs_stripped": strip_patient,
                        "cases": written, "entries": entries}
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1), zipfile.ZIP_DEFLATED)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise EcgError(f"Cannot write the bundle {target}: {exc.strerror or exc}.") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return written


def _write_case(put, prefix: str, case: ClinicCase, strip_patient: bool) -> None:
    details = case.details.to_json()
    if strip_patient:
        details["patient_ref"] = None
    info = {"uid": case.uid, "kind": case.kind, "content_sha256": case.content_sha256,
            "updated_at": case.updated_at, "model_build_id": case.model_build_id,
            "embedding_dim": int(case.embedding.size), **details}
    source = case.source
    if source.kind == "signal":
        r = source.record
        info |= {"sampling_rate": r.sampling_rate, "leads": list(r.leads)}
        put(prefix + "signal.f32", signal_bytes(r.signals))
    else:
        info |= {"image_suffix": source.image_suffix,
                 "corners": None if source.corners is None else source.corners.tolist()}
        put(prefix + "image" + source.image_suffix, source.image, compress=False)
    put(prefix + "embedding.f32", np.asarray(case.embedding, "<f4").tobytes())
    put(prefix + "case.json", json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8"))


# ---------------------------------------------------------------------------- import


def import_bundle(store: ClinicStore, path: str | os.PathLike,
                  progress: Progress | None = None, cancel: Cancel | None = None,
                  model_dims: dict[str, int] | None = None) -> ImportReport:
    """Verify the bundle whole, then add its new cases in one transaction.

    Two passes, one case in memory at a time: the first checks every entry and case, the
    second reads them again (checksums again) and writes. ``model_dims`` (model build id
    -> vector size) refuses a case whose embedding cannot belong to the model it names.
    Progress counts checking each case, then writing it.
    """
    report = ImportReport()
    with _opened(path) as bundle:
        total = 2 * len(bundle.prefixes)
        for done, _case in enumerate(bundle.cases(report, cancel), 1):
            if progress:
                progress(done, total)
        known = store.content_ids()
        uids = {c.uid for c in store.list_cases()}
        with store.batch() as db:
            for done, case in enumerate(bundle.cases(None, cancel), len(bundle.prefixes) + 1):
                dim = None if case is None else (model_dims or {}).get(case.model_build_id)
                if case is None:
                    pass  # refused in the first pass
                elif dim is not None and dim != case.embedding.size:
                    report.refused.append(f"case {case.uid}: its embedding does not fit "
                                          f"model {case.model_build_id}")
                elif case.content_sha256 in known or case.uid in uids:
                    report.skipped += 1
                else:
                    case_id = store.insert(db, case.source, case.details, case.embedding,
                                           case.model_build_id, uid=case.uid,
                                           updated_at=case.updated_at,
                                           content_sha256=case.content_sha256)
                    known[case.content_sha256] = case_id
                    uids.add(case.uid)
                    report.added.append(case_id)
                if progress:
                    progress(done, total)
            if report.added:
                store.bump(db)
    return report


@contextmanager
def _opened(path: str | os.PathLike):
    """The bundle at ``path`` with its manifest checked; any sign of damage met while it
    is open becomes one :class:`BundleError`."""
    name = Path(path).name
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BundleError(f"The bundle {path} does not exist.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError(f"{name} is not a readable case bundle ({exc}): nothing was "
                          "imported.") from exc
    with zf:
        try:
            yield _Bundle(zf, name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, TypeError,
                AttributeError) as exc:
            raise BundleError(f"{name} is damaged ({exc}): nothing was imported.") from exc


class _Bundle:
    """An open bundle: the manifest checked against the zip's entries on construction,
    each entry checked against its checksum whenever it is read."""

    def __init__(self, zf: zipfile.ZipFile, name: str):
        self.zf, self.name = zf, name
        self.damaged = damaged = f"{name} is damaged or was altered"
        names = zf.namelist()
        if len(set(names)) != len(names):
            raise BundleError(f"{damaged} (an entry appears twice): nothing was imported.")
        if MANIFEST not in names:
            raise BundleError(f"{name} is not an ecgviewer case bundle (no manifest).")
        manifest = json.loads(_read(zf, MANIFEST, MAX_ENTRY_BYTES))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BundleError(f"{name} is not an ecgviewer case bundle.")
        version = manifest.get("version")
        if not isinstance(version, int) or version < 1:
            raise BundleError(f"{damaged} (no format version): nothing was imported.")
        if version > VERSION:
            raise BundleError(f"{name} was made by a newer ecgviewer (bundle format {version}; "
                              f"this version reads format {VERSION}): update ecgviewer to "
                              "import it.")
        self.entries = manifest["entries"]
        listed, present = set(self.entries), set(names) - {MANIFEST}
        if listed != present:
            extra, missing = sorted(present - listed), sorted(listed - present)
            what = f"{extra[0]} is not in its manifest" if extra else f"{missing[0]} is missing"
            raise BundleError(f"{damaged} ({what}): nothing was imported.")
        self.prefixes = sorted({n.rsplit("/", 1)[0] + "/" for n in listed})
        if len(self.prefixes) != manifest.get("cases"):
            raise BundleError(f"{damaged} (it should hold {manifest.get('cases')} cases, it "
                              f"holds {len(self.prefixes)}): nothing was imported.")

    def entry(self, entry_name: str) -> bytes:
        expected = self.entries[entry_name]
        data = _read(self.zf, entry_name, min(int(expected["size"]), MAX_ENTRY_BYTES))
        if len(data) != expected["size"] or \
                hashlib.sha256(data).hexdigest() != expected["sha256"]:
            raise BundleError(f"{self.damaged} ({entry_name} does not match its checksum): "
                              "nothing was imported.")
        return data

    def cases(self, report: ImportReport | None, cancel: Cancel | None
              ) -> Iterator[_BundleCase | None]:
        """Each case in turn; None for one that is sound but not acceptable here (its
        reason goes to ``report``). Raises BundleError at the first sign of damage."""
        for prefix in self.prefixes:
            _check(cancel, "Import")
            info = json.loads(self.entry(prefix + "case.json"))
            members = {n[len(prefix):] for n in self.entries if n.startswith(prefix)}
            try:
                case = _case(info, prefix, members, self.entry)
            except BundleError:
                raise
            except EcgError as exc:
                if report is not None:
                    report.refused.append(f"case {info.get('uid', prefix)}: {exc}")
                yield None
                continue
            if case.content_sha256 != info["content_sha256"]:
                raise BundleError(f"{self.damaged} ({prefix} holds another ECG than it says): "
                                  "nothing was imported.")
            yield case


def _case(info: dict, prefix: str, members: set[str], entry) -> _BundleCase:
    embedding = np.frombuffer(entry(prefix + "embedding.f32"), "<f4").copy()
    if embedding.size != info["embedding_dim"]:
        raise BundleError(f"{prefix}embedding.f32 has the wrong size.")
    if info["kind"] == "signal":
        leads = tuple(info["leads"])
        source = CaseSource.from_signal(signal_from_bytes(entry(prefix + "signal.f32"),
                                                          len(leads)),
                                        float(info["sampling_rate"]), leads)
    else:
        suffix = str(info["image_suffix"])
        if "image" + suffix not in members:
            raise BundleError(f"{prefix} names an image it does not hold.")
        corners = info.get("corners")
        source = CaseSource("image", image=entry(prefix + "image" + suffix), image_suffix=suffix,
                            corners=None if corners is None else np.array(corners))
    details = CaseDetails(tuple(info["statements"]), str(info.get("report") or ""),
                          info.get("age"), info.get("sex"), info.get("patient_ref"),
                          str(info["confirmed_by"]), str(info["confirmed_at"]))
    return _BundleCase(str(info["uid"]), source, details, embedding, str(info["model_build_id"]),
                       source.content_sha256(), str(info["updated_at"]))


def _read(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """An entry, refusing one that claims or turns out to be larger than ``limit``."""
    if zf.getinfo(name).file_size > limit:
        raise BundleError(f"{name} in the bundle is larger than it may be: nothing was imported.")
    with zf.open(name) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise BundleError(f"{name} in the bundle is larger than it may be: nothing was imported.")
    return data
