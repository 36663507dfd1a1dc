"""``ecgviewer cases ...``: the clinic's own case base from the command line.

Registered by :mod:`ecgviewer.cli` (which owns the error policy: an EcgError is one line
on stderr and exit code 2). Every subcommand takes ``--json``. The data folder is
``ECGVIEWER_HOME`` or the platform's user data folder (see core/clinic/home.py).
"""

from __future__ import annotations

import argparse
import getpass
import json

from ecgviewer.core.errors import EcgError


def register(sub, corners_type) -> None:
    """Add the ``cases`` command and its subcommands to the CLI's subparsers."""
    cases = sub.add_parser("cases", help="the clinic's own confirmed cases")
    commands = cases.add_subparsers(dest="cases_command", metavar="SUBCOMMAND", required=True)

    def command(name: str, func, help_text: str):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.set_defaults(func=func)
        return parser

    add = command("add", _add, "save an ECG file or photo as a confirmed case")
    add.add_argument("file")
    _detail_options(add, required=True)
    add.add_argument("--corners", type=corners_type, metavar="X1,Y1,...,X4,Y4",
                     help="a photo's grid corners, as for 'search --corners'")

    edit = command("edit", _edit, "change a case's statements or details")
    edit.add_argument("id")
    _detail_options(edit, required=False)

    lst = command("list", _list, "list the saved cases")
    lst.add_argument("--patient", help="only the cases of this patient reference")
    command("show", _show, "show one case").add_argument("id")
    command("remove", _remove, "remove one case").add_argument("id")

    export = command("export", _export, "write every case to one bundle file")
    export.add_argument("output", metavar="OUT")
    export.add_argument("--strip-patient", action="store_true",
                        help="leave the patient references out of the bundle")
    command("import", _import, "add the new cases of a bundle").add_argument("input", metavar="IN")
    command("reembed", _reembed, "re-encode the cases saved with an earlier model")


def _detail_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--statements", required=required, metavar="CODE[,CODE...]",
                        help="the confirmed SCP statement codes, e.g. IMI,AFIB")
    parser.add_argument("--report", help="the report, free text")
    parser.add_argument("--age", type=float, help="age in years (default: from the file)")
    parser.add_argument("--sex", choices=["female", "male"], help="(default: from the file)")
    parser.add_argument("--patient", help="a pseudonymous patient reference (never a name)")
    parser.add_argument("--confirmed-by", help="who confirmed it (default: the user name)")


def _model():
    from ecgviewer import resources
    from ecgviewer.core.encoder import Encoder

    return Encoder(resources.model_path())


def _base(encoder=None):
    from ecgviewer.core.clinic.base import ClinicBase, ModelInfo

    return ClinicBase(ModelInfo.of(encoder or _model()))


def _store():
    from ecgviewer.core.clinic.home import data_home
    from ecgviewer.core.clinic.store import ClinicStore

    return ClinicStore(data_home())


def _case_id(text: str) -> int:
    number = text.removeprefix("clinic:")
    if not number.isdigit():
        raise EcgError(f"{text} is not a clinic case id: give a number such as 12 or clinic:12.")
    return int(number)


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (text or "").split(",") if c.strip())


def _print(args, data, text: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else text)


def _add(args) -> int:
    from ecgviewer.core.clinic.case import CaseDetails
    from ecgviewer.core.clinic.embed import case_source
    from ecgviewer.core.search import embed_query, prepare

    encoder = _model()
    searched, embedding = embed_query(encoder, prepare(args.file, args.corners))
    meta = searched.record.metadata if searched.record is not None else None
    details = CaseDetails(
        _codes(args.statements), args.report or "",
        args.age if args.age is not None else (meta.age if meta else None),
        args.sex or (meta.sex if meta else None), args.patient,
        args.confirmed_by or getpass.getuser())
    corners = None if searched.rectified is None else searched.rectified.corners
    source = case_source(args.file, searched.kind, searched.record, corners)
    case_id = _base(encoder).add(source, details, embedding[0])
    _print(args, {"id": case_id, "case_id": f"clinic:{case_id}"}, str(case_id))
    return 0


def _edit(args) -> int:
    from dataclasses import replace

    base = _base()
    case = base.store.get(_case_id(args.id))
    changes = {k: v for k, v in {"statements": _codes(args.statements) or None,
                                 "report": args.report, "age": args.age, "sex": args.sex,
                                 "patient_ref": args.patient,
                                 "confirmed_by": args.confirmed_by}.items() if v is not None}
    base.update(case.id, replace(case.details, **changes))
    updated = base.store.get(case.id)
    _print(args, updated.to_json(), _line(updated))
    return 0


def _line(case) -> str:
    d = case.details
    who = ", ".join(p for p in (d.sex or "", f"{d.age:.0f} y" if d.age is not None else "",
                                f"patient {d.patient_ref}" if d.patient_ref else "") if p)
    return (f"{case.case_id}  {case.kind:6s}  [{','.join(d.statements)}]  {who}  "
            f"confirmed by {d.confirmed_by} {d.confirmed_at[:10]}  {d.report}").rstrip()


def _list(args) -> int:
    cases = _store().list_cases(patient_ref=args.patient)
    _print(args, [c.to_json() for c in cases],
           "\n".join(_line(c) for c in cases) or "no clinic cases saved")
    return 0


def _show(args) -> int:
    case = _store().get(_case_id(args.id))
    data = case.to_json()
    _print(args, data, "\n".join(f"{k}: {v}" for k, v in data.items()))
    return 0


def _remove(args) -> int:
    case_id = _case_id(args.id)
    _base().remove(case_id)
    _print(args, {"removed": case_id}, f"removed clinic:{case_id}")
    return 0


def _export(args) -> int:
    from ecgviewer.core.clinic.bundle import export_bundle

    count = export_bundle(_store(), args.output, strip_patient=args.strip_patient)
    _print(args, {"exported": count, "bundle": args.output,
                  "patient_refs_stripped": args.strip_patient},
           f"exported {count} cases to {args.output}")
    return 0


def _import(args) -> int:
    report = _base().import_bundle(args.input)
    data = report.to_json()
    text = f"added {data['added']}, skipped {data['skipped']}, refused {data['refused']}"
    _print(args, data, "\n".join([text] + [f"refused: {r}" for r in report.refused]))
    return 0


def _reembed(args) -> int:
    from ecgviewer.core.clinic.embed import reembed_stale

    encoder = _model()
    count = reembed_stale(_base(encoder), encoder)
    _print(args, {"reencoded": count, "model_build_id": encoder.build_id},
           f"re-encoded {count} cases with model {encoder.build_id}")
    return 0
