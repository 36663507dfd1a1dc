"""Mutated files of every format through ``ecgviewer info --json`` and ``search --json``.

The promise for bad input: one line on stderr starting ``ecgviewer:`` (for ``search
--json`` the error sits in the JSON instead), exit code 2, no traceback, no crash, no
hang, nothing written beside the file, no socket. Each case runs the real command line
(``ecgviewer.cli.main``) in a long-lived worker process, with descriptors 1 and 2
pointed at files, so native libraries' output is seen too; the parent only watches the
worker, so a crash (signal) or a hang (past ``--timeout``) is caught and the worker
restarted. ``search --json`` runs on every signal case that ``info`` reads, and on a
sample (``--search-share``) of the rest: both refuse through the same reader, and for an
image search repeats info's whole path (load, rectify).
Search uses a tiny generated model and case base (tests/fake_resources.py), so it is
cheap.

    python benchmarks/fuzz_readers.py [--per-format 2000] [--seed 0] [--formats WFDB,EDF]

Prints counts per format and verdict (ok, refused-one-line, traceback, crash, hang,
wrong-exit, extra-stderr-lines, bad-line: unprintable or over 600 characters,
wrote-files, socket), then the first example of each bad verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

BAD = ("traceback", "crash", "hang", "wrong-exit", "extra-stderr-lines", "bad-line",
       "wrote-files", "socket")
IMAGES = ("PNG", "JPEG", "TIFF", "BMP", "WebP", "PDF")
#: A refusal longer than this is not one readable line.
MAX_LINE = 600
INTERESTING_TEXT = [b"0", b"-1", b"1e308", b"-1e308", b"inf", b"nan", b"99999999999999999999",
                    b"4294967296", b"", b"0.0000001", b"-0", b"1e-320", b"x", b"65536"]
INTERESTING_INT = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]


# ── seeds ────────────────────────────────────────────────────────────────────


def build_seeds(folder: Path) -> dict[str, list[Path]]:
    """One or a few valid files per format, short so each case is cheap."""
    import cv2
    from conftest import synthetic_record
    from ecg_writers import write_georgia, write_muse, write_scp
    from test_readers import (
        _multiplex_group,
        write_aecg,
        write_csv,
        write_dicom,
        write_edf,
        write_philips,
        write_wfdb,
    )

    from ecgviewer.core.paper import PaperStyle

    from ecgviewer.core.render import render

    rec = synthetic_record(rate=100, seconds=2.5)
    rec500 = synthetic_record(rate=500, seconds=2)
    seeds: dict[str, list[Path]] = defaultdict(list)

    def sub(name: str) -> Path:
        path = folder / name
        path.mkdir()
        return path

    seeds["WFDB"] += [write_wfdb(sub("w16"), rec, "16", 1000.0),
                      write_wfdb(sub("w212"), rec, "212", 500.0),
                      write_georgia(sub("wmat"), rec500, newline="\r\n")]
    seeds["EDF"].append(write_edf(folder / "seed.edf", rec500))
    seeds["CSV"].append(write_csv(folder / "seed.csv", rec, comments=["sampling_rate: 100"]))
    seeds["DICOM"].append(write_dicom(folder / "seed.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                                      Modality="ECG", PatientSex="F", PatientAge="061Y",
                                      WaveformSequence=[_multiplex_group("RHYTHM", rec)]))
    seeds["aECG"].append(write_aecg(folder / "seed_aecg.xml", rec, 5))
    seeds["Philips"] += [write_philips(folder / "seed_xli.xml", rec500),
                         write_philips(folder / "seed_plain.xml", rec500, xli=False)]
    seeds["SCP-ECG"] += [write_scp(folder / "seed_huff.scp", rec500),
                         write_scp(folder / "seed_raw.scp", rec500, huffman=False, differences=0)]
    seeds["MUSE"] += [write_muse(folder / "seed_muse.xml", rec500),
                      write_muse(folder / "seed_muse_nocrc.xml", rec500, crc=False)]
    page = render(rec, PaperStyle(px_per_mm=2.5))[:, :, ::-1]  # BGR, 675x325
    for fmt, ext in (("PNG", ".png"), ("JPEG", ".jpg"), ("TIFF", ".tif"), ("BMP", ".bmp"),
                     ("WebP", ".webp")):
        path = folder / f"seed{ext}"
        cv2.imwrite(str(path), page)
        seeds[fmt].append(path)
    seeds["PDF"].append(_write_pdf(folder / "seed.pdf"))
    return seeds


def _write_pdf(path: Path) -> Path:
    """A one-page PDF drawing a red ECG grid and a trace, with a correct xref table."""
    lines = ["1 0 0 RG 0.3 w"]
    lines += [f"{x} 0 m {x} 420 l S" for x in range(0, 600, 20)]
    lines += [f"0 {y} m 600 {y} l S" for y in range(0, 420, 20)]
    lines += ["0 0 0 RG 1 w 0 200 m"] + [f"{x} {200 + 40 * (x % 80 == 0)} l" for x in
                                          range(5, 600, 5)] + ["S"]
    stream = "\n".join(lines).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 420] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


# ── mutations ────────────────────────────────────────────────────────────────


def mutate_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    """One to three generic byte-level mutations."""
    out = bytearray(data)
    for _ in range(int(rng.integers(1, 4))):
        op = int(rng.integers(0, 8))
        n = len(out)
        at = int(rng.integers(0, max(n, 1)))
        if op == 0 and n:  # flip a few bits
            for _ in range(int(rng.integers(1, 9))):
                i = int(rng.integers(0, n))
                out[i] ^= 1 << int(rng.integers(0, 8))
        elif op == 1 and n:  # overwrite a run with random bytes
            size = int(rng.integers(1, 64))
            out[at:at + size] = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        elif op == 2:  # truncate
            del out[int(rng.integers(0, n + 1)):]
        elif op == 3:  # insert random bytes
            out[at:at] = rng.integers(0, 256, int(rng.integers(1, 512)), dtype=np.uint8).tobytes()
        elif op == 4 and n:  # delete a chunk
            del out[at:at + int(rng.integers(1, 1024))]
        elif op == 5 and n:  # duplicate a chunk
            size = int(rng.integers(1, 4096))
            out[at:at] = out[at:at + size]
        elif op == 6 and n >= 4:  # an interesting integer, little or big endian
            value = INTERESTING_INT[int(rng.integers(0, len(INTERESTING_INT)))]
            width = int(rng.choice([1, 2, 4]))
            order = "little" if rng.random() < 0.7 else "big"
            out[at:at + width] = (value & ((1 << 8 * width) - 1)).to_bytes(width, order)
        elif op == 7 and n:  # zero a run
            out[at:at + int(rng.integers(1, 256))] = bytes(min(n - at, 256))
    return bytes(out)


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def mutate_text(data: bytes, rng: np.random.Generator) -> bytes:
    """Structure-aware changes for text formats: numbers, lines, tags, encodings."""
    op = int(rng.integers(0, 9))
    if op <= 3:  # replace some numbers with awkward ones
        matches = list(_NUMBER.finditer(data))
        if not matches:
            return mutate_bytes(data, rng)
        out, last = bytearray(), 0
        chosen = sorted(rng.choice(len(matches), min(len(matches), int(rng.integers(1, 6))),
                                   replace=False))
        for index in chosen:
            m = matches[index]
            out += data[last:m.start()] + INTERESTING_TEXT[int(rng.integers(0,
                                                                            len(INTERESTING_TEXT)))]
            last = m.end()
        return bytes(out + data[last:])
    if op == 4:  # delete or duplicate a line
        lines = data.split(b"\n")
        i = int(rng.integers(0, len(lines)))
        lines[i:i + 1] = [] if rng.random() < 0.5 else [lines[i]] * int(rng.integers(2, 50))
        return b"\n".join(lines)
    if op == 5:  # an encoding declaration nobody knows, or a byte-order mark
        if data.startswith(b"<?xml"):
            return re.sub(rb'encoding="[^"]*"', b'encoding="x-unknown-%d"' % int(rng.integers(99)),
                          data, count=1) if b"encoding=" in data[:100] else \
                data.replace(b"?>", b' encoding="bogus"?>', 1)
        return b"\xff\xfe" + data
    if op == 6:  # deep nesting
        depth = int(rng.choice([100, 20000]))
        at = data.find(b">", data.find(b"<", 40)) + 1 if b"<" in data else len(data) // 2
        return data[:at] + b"<a>" * depth + b"</a>" * depth + data[at:]
    if op == 7:  # one huge field
        at = int(rng.integers(0, len(data) + 1))
        return data[:at] + b"9" * int(rng.choice([200_000, 2_000_000])) + data[at:]
    return mutate_bytes(data, rng)


_EDF_FIELDS = [(184, 8), (236, 8), (244, 8), (252, 4)]


def mutate_edf(data: bytes, rng: np.random.Generator) -> bytes:
    """EDF header fields (sizes, counts, durations, per-signal ranges) or any bytes."""
    if rng.random() < 0.3:
        return mutate_bytes(data, rng)
    out = bytearray(data)
    count = int(data[252:256]) if data[252:256].strip().isdigit() else 1
    fields = list(_EDF_FIELDS)
    for k, width in ((104, 8), (112, 8), (120, 8), (128, 8), (216, 8)):  # ranges, samples
        fields += [(256 + count * k + width * i, width) for i in range(count)]
    for _ in range(int(rng.integers(1, 4))):
        start, width = fields[int(rng.integers(0, len(fields)))]
        value = INTERESTING_TEXT[int(rng.integers(0, len(INTERESTING_TEXT)))][:width]
        out[start:start + width] = value.ljust(width)
    return bytes(out)


def make_case(fmt: str, seed: Path, rng: np.random.Generator, folder: Path) -> Path:
    """A mutated copy of ``seed`` in ``folder``; returns the path to open."""
    data = seed.read_bytes()
    if fmt == "WFDB":
        for companion in seed.parent.iterdir():
            shutil.copy(companion, folder / companion.name)
        target = folder / seed.name
        signal = next(p for p in folder.iterdir() if p.suffix in (".dat", ".mat"))
        choice = rng.random()
        if choice < 0.6:
            target.write_bytes(mutate_text(data, rng))
        elif choice < 0.95:
            signal.write_bytes(mutate_bytes(signal.read_bytes(), rng))
        else:
            with signal.open("r+b") as fh:
                fh.truncate(4 * 2**30)  # sparse: a 4 GiB .dat
        return target if rng.random() < 0.8 else signal
    target = folder / seed.name
    if fmt == "EDF":
        target.write_bytes(mutate_edf(data, rng))
    elif fmt in ("CSV", "aECG", "Philips", "MUSE"):
        target.write_bytes(mutate_text(data, rng) if rng.random() < 0.7 else
                           mutate_bytes(data, rng))
    elif fmt == "SCP-ECG":
        from ecg_writers import fix_scp_crcs

        mutated = mutate_bytes(data, rng)
        target.write_bytes(fix_scp_crcs(mutated) if rng.random() < 0.8 else mutated)
    else:
        target.write_bytes(mutate_bytes(data, rng))
    return target


def path_tricks(folder: Path, seeds: dict[str, list[Path]]) -> list[Path]:
    """Files a user can point at that are not plain readable files of sane size."""
    cases = []
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(seeds["CSV"][0], locked / "ecg.csv")
    cases.append(locked / "ecg.csv")
    for ext in (".csv", ".png", ".hea", ".edf", ".xml", ".scp", ".dcm"):
        fifo = folder / f"pipe{ext}"
        os.mkfifo(fifo)
        cases.append(fifo)
        empty = folder / f"empty{ext}"
        empty.touch()
        cases.append(empty)
    for ext, size in ((".png", 20 * 2**30), (".pdf", 3 * 2**30), (".edf", 2**40),
                      (".xml", 2**33), (".csv", 2**31), (".scp", 2**30), (".jpg", 2**34)):
        sparse = folder / f"sparse{ext}"
        with sparse.open("wb") as fh:
            head = (seeds["PNG"][0] if ext == ".png" else seeds["PDF"][0]).read_bytes()[:64]
            fh.write(head if ext in (".png", ".pdf") else b"")
            fh.truncate(size)
        cases.append(sparse)
    cases += [folder / ("x" * 300 + ".csv"), folder / ("d" * 200) / ("e" * 200) / "f.csv",
              Path("/" + "a/" * 2100 + "x.hea"), folder / "missing.hea", folder,
              Path("/dev/null"), Path("/dev/zero"), Path("/proc/self/mem")]
    for name in ("-rf.csv", "--json", "-", "ecg with spaces.csv", "ecg\nnewline.csv",
                 "ecg\u00e9\u4e2d.csv"):
        path = folder / name
        shutil.copy(seeds["CSV"][0], path)
        cases.append(path)
    loop = folder / "loop.csv"
    loop.symlink_to(loop)
    dangling = folder / "dangling.hea"
    dangling.symlink_to(folder / "nowhere.hea")
    cases += [loop, dangling]
    garbage_pdf = folder / "garbage.pdf"
    with garbage_pdf.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        for _ in range(200):
            fh.write(np.random.default_rng(1).integers(0, 256, 2**20, dtype=np.uint8).tobytes())
    cases.append(garbage_pdf)
    return cases


# ── the worker: the real CLI, in process, descriptors captured ───────────────


def worker() -> None:
    """Run one ``ecgviewer`` command per input line; answer one JSON line per command."""
    import resource
    import socket
    import traceback
    import warnings

    answers = os.fdopen(os.dup(1), "w", buffering=1)
    opened = []
    real_init = socket.socket.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(args)
        real_init(self, *args, **kwargs)

    socket.socket.__init__ = counting_init
    default_filters = list(warnings.filters)
    from ecgviewer import cli

    for line in sys.stdin:
        job = json.loads(line)
        folder = Path(job["folder"])
        os.chdir(job.get("cwd") or REPO)
        before = sorted(os.listdir(folder)) if folder.is_dir() else None
        sockets = len(opened)
        warnings.filters[:] = default_filters
        warnings._filters_mutated()  # a fresh process shows each warning once
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            sys.stdout.flush()
            sys.stderr.flush()
            saved = os.dup(1), os.dup(2)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            tb = None
            try:
                rc = cli.main(job["argv"])
            except SystemExit as exc:
                rc = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # noqa: BLE001  # exactly what is being counted
                rc, tb = None, traceback.format_exc()
            seconds = time.perf_counter() - start
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            err.seek(0)
            out.seek(0)
            stderr = err.read(20000).decode("utf-8", "replace")
            stdout = out.read(200000).decode("utf-8", "replace")
        after = sorted(os.listdir(folder)) if folder.is_dir() else None
        answers.write(json.dumps({
            "rc": rc, "stderr": stderr, "stdout": stdout, "traceback": tb, "seconds": seconds,
            "wrote": before != after, "sockets": len(opened) - sockets,
            "grew_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024,
        }) + "\n")


class Worker:
    """The worker process, restarted after a crash or a hang."""

    def __init__(self, env: dict[str, str], timeout: float) -> None:
        self.env, self.timeout, self.proc = env, timeout, None

    def run(self, argv: list[str], folder: Path, cwd: Path | None = None) -> dict:
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env, text=True,
                bufsize=1)
        self.proc.stdin.write(json.dumps({"argv": argv, "folder": str(folder),
                                          "cwd": str(cwd) if cwd else None}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            return {"verdict": "hang"}
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            return {"verdict": "crash", "signal": -code}
        return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait()


def verdict(result: dict, command: str) -> str:
    if "verdict" in result:
        return result["verdict"]
    if result["traceback"]:
        return "traceback"
    if result["sockets"]:
        return "socket"
    if result["wrote"]:
        return "wrote-files"
    lines = result["stderr"].strip().splitlines()
    if result["rc"] == 0:
        return "ok" if not lines else "extra-stderr-lines"
    if result["rc"] != 2:
        return "wrong-exit"
    if command == "search" and not lines:
        try:
            errors = [r.get("error") for r in json.loads(result["stdout"])]
        except (ValueError, AttributeError):
            errors = [None]
        if not all(errors):
            return "wrong-exit"
        return "refused-one-line" if all(e.isprintable() and len(e) <= MAX_LINE
                                         for e in errors) else "bad-line"
    if len(lines) == 1 and lines[0].startswith("ecgviewer:"):
        return "refused-one-line" if lines[0].isprintable() and len(lines[0]) <= MAX_LINE \
            else "bad-line"
    return "extra-stderr-lines"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-format", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="", help="comma-separated (default: all)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--search-share", type=float, default=0.1,
                        help="share of refused cases also run through search --json")
    parser.add_argument("--keep", default="", help="copy the first case of each bad verdict here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    from conftest import synthetic_record
    from fake_resources import write_fake_resources

    root = Path(tempfile.mkdtemp(prefix="ecgviewer-fuzz-"))
    try:
        (root / "seeds").mkdir()
        seeds = build_seeds(root / "seeds")
        resources = write_fake_resources(root / "resources",
                                         [synthetic_record(rate=100, seed=i) for i in range(4)])
        env = {**os.environ, "ECGVIEWER_RESOURCES": str(resources), "QT_QPA_PLATFORM": "offscreen",
               "OMP_NUM_THREADS": "1"}
        formats = [f for f in args.formats.split(",") if f] or [*seeds, "path tricks"]
        counts: dict[str, Counter] = {f: Counter() for f in formats}
        files: Counter = Counter()
        examples: dict[tuple[str, str], str] = {}
        slowest: dict[str, float] = defaultdict(float)
        grew: dict[str, float] = defaultdict(float)
        rng = np.random.default_rng(args.seed)
        work = Worker(env, args.timeout)
        for fmt, paths in seeds.items():  # unmutated, every seed must be read
            for path in paths:
                if (v := verdict(work.run(["info", "--json", str(path)], path.parent),
                                 "info")) != "ok":
                    raise SystemExit(f"seed {path.name} of {fmt} is not read ({v})")
        started = time.perf_counter()
        for fmt in formats:
            if fmt == "path tricks":
                tricks = root / "tricks"
                tricks.mkdir()
                cases = [(p, tricks) for p in path_tricks(tricks, seeds)]
                os.chmod(tricks / "locked", 0)
            else:
                cases = [None] * args.per_format
            files[fmt] = len(cases)
            for index, case in enumerate(cases):
                if case is None:
                    folder = root / "case"
                    folder.mkdir()
                    seed = seeds[fmt][index % len(seeds[fmt])]
                    path = make_case(fmt, seed, rng, folder)
                else:
                    path, folder = case
                # a name starting with "-" is typed as it is, from its own folder
                typed, cwd = (path.name, folder) if path.name.startswith("-") else (str(path), None)
                results = {"info": work.run(["info", "--json", typed], folder, cwd)}
                # search repeats an image's whole info path (load, rectify): a share suffices
                signal_read = verdict(results["info"], "info") == "ok" and fmt not in IMAGES
                if signal_read or rng.random() < args.search_share or case is not None:
                    results["search"] = work.run(["search", "--json", typed], folder, cwd)
                for command, result in results.items():
                    v = verdict(result, command)
                    counts[fmt][v] += 1
                    slowest[fmt] = max(slowest[fmt], result.get("seconds", args.timeout))
                    grew[fmt] = max(grew[fmt], result.get("grew_mb", 0.0))
                    if v in BAD and (fmt, v) not in examples:
                        examples[(fmt, v)] = (f"{command} {path.name}: "
                                              + (result.get("traceback") or result.get("stderr")
                                                 or str(result))[-600:])
                        if args.keep and case is None:
                            shutil.copytree(folder, Path(args.keep) / f"{fmt}-{v}".replace(
                                " ", "_"), dirs_exist_ok=True)
                if case is None:
                    shutil.rmtree(folder)
            print(f"{fmt}: {dict(counts[fmt])} (slowest {slowest[fmt]:.1f} s, "
                  f"memory growth {grew[fmt]:.0f} MB) after {time.perf_counter() - started:.0f} s",
                  flush=True)
        work.close()
    finally:
        tricks = root / "tricks" / "locked"
        if tricks.exists():
            os.chmod(tricks, 0o700)
        shutil.rmtree(root, ignore_errors=True)
    verdicts = ["ok", "refused-one-line", *BAD]
    print("\nCommand runs per verdict (info --json on every file, search --json as above):")
    print("\n| format | files | " + " | ".join(verdicts) + " |")
    print("| --- | --- |" + " --- |" * len(verdicts))
    for fmt in formats:
        print(f"| {fmt} | {files[fmt]} | " + " | ".join(str(counts[fmt][v]) for v in verdicts)
              + " |")
    total = sum(counts.values(), Counter())
    print(f"| all | {sum(files.values())} | " + " | ".join(str(total[v]) for v in verdicts)
          + " |")
    for (fmt, v), text in examples.items():
        print(f"\n[{fmt} / {v}] {text}")
    print("\nverdict:", "PASS" if not any(total[v] for v in BAD) else "FAIL")


if __name__ == "__main__":
    main()
