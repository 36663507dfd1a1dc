"""Command line: the same core the GUI uses, for scripts and tests.

Every subcommand lives here so they share one error policy: a user-facing
:class:`~ecgviewer.core.errors.EcgError` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ecgviewer import __version__, cli_cases
from ecgviewer.core.errors import EcgError

if TYPE_CHECKING:
    import numpy as np

EXIT_USER_ERROR = 2


def _cmd_info(args: argparse.Namespace) -> int:
    from ecgviewer.core.inspect import describe

    info = describe(args.file)
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from ecgviewer.core.imageio import save_image
    from ecgviewer.core.readers import read
    from ecgviewer.core.paper import PaperStyle
    from ecgviewer.core.render import render

    style = PaperStyle(layout=args.layout, speed_mm_s=args.speed, gain_mm_mv=args.gain,
                       px_per_mm=args.px_per_mm)
    image = render(read(args.file), style)
    save_image(args.output, image)
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    """Many queries in one process; a failed file reports its error and the rest go on.

    Notes (derived leads, a turned page, ...) are in each result's JSON, and on stderr
    in text mode.
    """
    from ecgviewer.core.search import Searcher, prepare

    if args.corners is not None and len(args.files) != 1:
        raise EcgError("--corners belongs to one image: give exactly one FILE with it.")
    searcher = Searcher.from_resources(device=args.device)
    if args.source != "all":
        searcher.sources = (args.source,)
    results, failed = [], False
    for path in args.files:
        try:
            found = searcher.search(prepare(path, args.corners), top_k=args.top)
            result = found.to_json()
            if not args.json:
                for note in found.notes:
                    print(f"ecgviewer: {path}: {note}", file=sys.stderr)
        except EcgError as exc:
            failed = True
            result = {"query": path, "error": " ".join(str(exc).split())}
            if not args.json:
                print(f"ecgviewer: {path}: {result['error']}", file=sys.stderr)
        results.append(result)
        if not args.json and "error" not in result:
            _print_neighbors(result)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return EXIT_USER_ERROR if failed else 0


def _corners(text: str) -> np.ndarray:
    """'x1,y1,...,x4,y4' (TL, TR, BR, BL, in the pixels ``info`` reports) -> (4, 2)."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 8:
        raise argparse.ArgumentTypeError("give eight numbers: x,y of the top-left, top-right, "
                                         "bottom-right and bottom-left corners")
    import numpy as np  # not at the top: `ecgviewer gui` starts without it

    return np.array(values, np.float32).reshape(4, 2)


def _print_neighbors(result: dict) -> None:
    print(f"{result['query']} ({result['kind']}):")
    for rank, n in enumerate(result["neighbors"], 1):
        codes = ", ".join(f"{s['code']}" for s in n["statements"])
        print(f"  {rank:2d}. {n['case_id']}  similarity {n['similarity']:.3f}  [{codes}]  "
              f"{n['report']}")


def _cmd_gui(args: argparse.Namespace) -> int:
    from ecgviewer.ui.app import run_gui

    return run_gui(args.files, screenshot=args.screenshot)


def _self_test() -> int:
    """Exit 0 when the installation works end to end, 1 with one line per problem."""
    from ecgviewer.core.selftest import self_test

    problems = self_test(log=lambda line: print(f"self-test: {line}"))
    for problem in problems:
        print(f"ecgviewer: self-test: {problem}", file=sys.stderr)
    print("self-test: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2) like every other error."""

    def error(self, message: str):
        self.exit(EXIT_USER_ERROR, f"ecgviewer: {' '.join(message.split())} "
                                   f"(see '{self.prog} --help').\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ecgviewer",
        description="Offline ECG viewer and similar-case retrieval.",
    )
    parser.add_argument("--version", action="version", version=f"ecgviewer {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check the model, case index and metadata, and search the sample")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    info = sub.add_parser("info", help="describe an ECG file or image")
    info.add_argument("file")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_cmd_info)

    rend = sub.add_parser("render", help="draw an ECG on standard paper as PNG")
    rend.add_argument("file")
    rend.add_argument("-o", "--output", required=True, help="output PNG path")
    rend.add_argument("--layout", default="3x4+1", choices=["3x4+1", "6x2", "12x1"])
    rend.add_argument("--speed", type=float, default=25.0, help="paper speed, mm/s")
    rend.add_argument("--gain", type=float, default=10.0, help="gain, mm/mV")
    rend.add_argument("--px-per-mm", type=float, default=4.0, help="resolution, pixels per mm")
    rend.set_defaults(func=_cmd_render)

    search = sub.add_parser("search", help="find the most similar past cases")
    search.add_argument("files", nargs="+", metavar="FILE", help="ECG files or images")
    search.add_argument("--top", type=int, default=10, help="number of similar cases")
    search.add_argument("--json", action="store_true", help="print one JSON array")
    search.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    search.add_argument("--corners", type=_corners, metavar="X1,Y1,...,X4,Y4",
                        help="an image's grid corners (TL, TR, BR, BL, in the pixels "
                             "'info --json' reports), instead of detecting them")
    search.set_defaults(func=_cmd_search)

    search.add_argument("--source", choices=["all", "ptbxl", "clinic"], default="all",
                        help="search the bundled cases, the clinic's own, or both")
    cli_cases.register(sub, corners_type=_corners)

    gui = sub.add_parser("gui", help="start the desktop app (the default without a command)")
    gui.add_argument("files", nargs="*", help="ECG files or images to open")
    gui.add_argument("--screenshot", metavar="OUT.png|OUT.pdf",
                     help="open the first file, wait for its results, save the window (PNG) "
                          "or the report (PDF), exit")
    gui.set_defaults(func=_cmd_gui)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            return _self_test()
        if args.command is None:
            args = parser.parse_args(["gui"])
        return args.func(args)
    except EcgError as exc:
        message = " ".join(str(exc).split())  # one line, even if a library's text had several
        print(f"ecgviewer: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
