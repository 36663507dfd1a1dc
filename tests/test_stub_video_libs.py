"""The FFmpeg stubs of the Linux bundle: what links them still loads; calling them aborts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "installer"))
from stub_video_libs import build_stub, imported_symbols  # noqa: E402

pytestmark = pytest.mark.skipif(not (shutil.which("gcc") and shutil.which("readelf")),
                                reason="needs gcc and readelf (binutils), as the bundle build does")


def _gcc(*args):
    subprocess.run(["gcc", "-shared", "-fPIC", *map(str, args)], check=True)


def test_a_stub_keeps_its_clients_loading_and_aborts_when_called(tmp_path):
    real, stubs = tmp_path / "real", tmp_path / "stubs"
    real.mkdir()
    (real / "vid.c").write_text("int vid_open(void) { return 7; }\nint vid_close(void) { return 0; }\n")
    (real / "vid.map").write_text("VID_2 { global: vid_open; vid_close; local: *; };\n")
    _gcc("-o", real / "libvid.so.2", "-Wl,-soname,libvid.so.2",
         f"-Wl,--version-script={real / 'vid.map'}", real / "vid.c")
    (real / "client.c").write_text("int vid_open(void);\nint client_ok(void) { return 42; }\n"
                                   "int client_call(void) { return vid_open(); }\n")
    _gcc("-o", real / "libclient.so", real / "client.c", f"-L{real}", "-l:libvid.so.2")

    imports = imported_symbols(real / "libclient.so")
    assert imports == {"VID_2": {"vid_open"}}
    stub = build_stub(real / "libvid.so.2", imports, stubs)
    assert stub.name == "libvid.so.2" and stub.stat().st_size < 64_000

    shutil.copy(real / "libclient.so", stubs)
    code = ("import ctypes, sys; c = ctypes.CDLL(sys.argv[1]); print(c.client_ok(), flush=True); "
            "c.client_call()")
    run = subprocess.run([sys.executable, "-c", code, str(stubs / "libclient.so")],
                         capture_output=True, text=True, env={"LD_LIBRARY_PATH": str(stubs)})
    assert run.stdout.strip() == "42"
    assert run.returncode == -6  # SIGABRT
    assert "vid_open was called, but this installation carries no video support" in run.stderr
