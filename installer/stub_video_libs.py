"""Replace the FFmpeg libraries that OpenCV's wheel links with stubs (Linux bundle only).

opencv-python-headless links FFmpeg (libavcodec, libavformat, libavutil, libswscale and,
through them, libvpx, libswresample and an OpenSSL 1.1) for ``cv2.VideoCapture``: about
31 MB of video codecs and network code in an app that only decodes still images. They
cannot simply be left out, because the dynamic linker refuses to load ``cv2`` without
every library it names. So each is replaced by a stub with the same name and the same
versioned symbols, built here with the C compiler; every stub function prints one line
and aborts. ecgviewer never calls them (no reader opens video; the bundle's self-test and
``installer/check_bundle_readers.sh`` exercise every reader), and the codecs'
attack surface leaves the installer with them. What the real libraries alone needed is
then dropped by ``prune_binaries``.

    python installer/stub_video_libs.py CV2_SO OUT_DIR   # build the stubs, list them

On Windows nothing is needed: OpenCV loads its FFmpeg DLL only when a video is opened,
and the spec leaves that DLL out.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

#: The FFmpeg libraries, as auditwheel names them (``libavcodec-c4204469.so.62.28.101``).
VIDEO_LIB = re.compile(r"^lib(avcodec|avformat|avutil|swscale|swresample|avdevice|avfilter)"
                       r"(-[0-9a-f]{8})?\.so[.\d]*$")
#: A versioned import in ``readelf --dyn-syms`` output: ``avio_open@LIBAVFORMAT_62``.
_IMPORT = re.compile(r"^\s*\d+:\s+0+\s+\d+\s+FUNC\s+\w+\s+\w+\s+UND\s+(\w+)@(\w+)")

_STUB_BODY = """#include <stdio.h>
#include <stdlib.h>
static void no_video(const char *name) {
    fprintf(stderr, "ecgviewer: %s was called, but this installation carries no video "
                    "support (FFmpeg is stubbed out)\\n", name);
    abort();
}
"""


def imported_symbols(client: Path) -> dict[str, set[str]]:
    """Version node (``LIBAVCODEC_62``) -> the function names ``client`` imports from it."""
    out = subprocess.run(["readelf", "--dyn-syms", "-W", str(client)], check=True,
                         capture_output=True, text=True).stdout
    nodes: dict[str, set[str]] = {}
    for line in out.splitlines():
        if match := _IMPORT.match(line):
            nodes.setdefault(match.group(2), set()).add(match.group(1))
    return nodes


def soname(library: Path) -> str:
    out = subprocess.run(["readelf", "-d", str(library)], check=True, capture_output=True,
                         text=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return match.group(1) if match else library.name


def version_nodes(library: Path) -> list[str]:
    """The version nodes ``library`` defines (its ``.gnu.version_d``), base name excluded."""
    out = subprocess.run(["readelf", "-V", "-W", str(library)], check=True,
                         capture_output=True, text=True).stdout
    section = out.split("Version definition section", 1)[-1].split("Version needs", 1)[0]
    names = re.findall(r"Name: (\S+)", section)
    return names[1:]  # the first is the file's own name (VER_FLG_BASE)


def build_stub(library: Path, imports: dict[str, set[str]], out_dir: Path) -> Path:
    """A stub of ``library`` exporting what ``imports`` asks of it, under its soname."""
    nodes = version_nodes(library)
    wanted = {node: sorted(imports.get(node, ())) for node in nodes}
    name = soname(library)
    work = out_dir / f"{name}.build"
    work.mkdir(parents=True, exist_ok=True)
    functions = sorted({f for names in wanted.values() for f in names})
    source = _STUB_BODY + "".join(f'void {f}(void) {{ no_video("{f}"); }}\n' for f in functions)
    (work / "stub.c").write_text(source)
    script = "".join(  # the first node also hides everything else (no_video)
        f"{node} {{ {'global: ' + ' '.join(f + ';' for f in names) if names else ''}"
        f"{' local: *;' if i == 0 else ''} }};\n"
        for i, (node, names) in enumerate(wanted.items()))
    (work / "stub.map").write_text(script)
    target = out_dir / name
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", str(target), f"-Wl,-soname,{name}",
                    f"-Wl,--version-script={work / 'stub.map'}", str(work / "stub.c")],
                   check=True)
    return target


def stub_video(binaries: list[tuple], out_dir: Path, log=print) -> list[tuple]:
    """PyInstaller TOC entries with each FFmpeg library's source replaced by its stub.

    The stubs export what every bundled binary imports from them, so that whoever links
    FFmpeg (OpenCV, and FFmpeg's own libraries among themselves) still loads.
    """
    video = [e for e in binaries if e[2] != "SYMLINK"
             and VIDEO_LIB.match(PurePosixPath(e[0].replace("\\", "/")).name)]
    if not video:
        return binaries
    imports: dict[str, set[str]] = {}
    for entry in binaries:
        if entry[2] == "SYMLINK" or entry in video:
            continue
        try:
            for node, names in imported_symbols(Path(entry[1])).items():
                imports.setdefault(node, set()).update(names)
        except subprocess.CalledProcessError:
            continue  # not an ELF file readelf understands: it imports nothing from FFmpeg
    out_dir.mkdir(parents=True, exist_ok=True)
    stubs = {e[0]: build_stub(Path(e[1]), imports, out_dir) for e in video}
    saved = sum(Path(e[1]).stat().st_size - stubs[e[0]].stat().st_size for e in video)
    log(f"stub_video_libs: {len(video)} FFmpeg libraries replaced by stubs "
        f"({saved / 2**20:.1f} MB less before pruning): "
        + " ".join(sorted(PurePosixPath(e[0]).name for e in video)))
    return [(e[0], str(stubs[e[0]]), e[2]) if e[0] in stubs else e for e in binaries]


if __name__ == "__main__":
    import sys

    client, folder = Path(sys.argv[1]), Path(sys.argv[2])
    needed = subprocess.run(["readelf", "-d", str(client)], check=True, capture_output=True,
                            text=True).stdout
    libs = [client.parent.parent / "opencv_python_headless.libs" / n
            for n in re.findall(r"\[([^\]]+)\]", needed) if VIDEO_LIB.match(n)]
    for lib in libs:
        print(build_stub(lib, imported_symbols(client), folder))
