"""Command line: the same core the GUI uses, for scripts and tests.

Every subcommand lives here so they share one error policy: a user-facing
:class:`~ecgviewer.core.errors.EcgError` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ecgviewer import __version__
from ecgviewer.core.errors import EcgError

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
    from ecgviewer.core.render import PaperStyle, render

    style = PaperStyle(layout=args.layout, speed_mm_s=args.speed, gain_mm_mv=args.gain,
                       px_per_mm=args.px_per_mm)
    image = render(read(args.file), style)
    save_image(args.output, image)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecgviewer",
        description="Offline ECG viewer and similar-case retrieval.",
    )
    parser.add_argument("--version", action="version", version=f"ecgviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except EcgError as exc:
        print(f"ecgviewer: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
