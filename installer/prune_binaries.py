"""Trim the Linux bundle's shared libraries (used by ecgviewer.spec; Linux only).

PyInstaller copies every library that anything in the bundle links to, including the
build machine's X11, fonts, printing and C++ runtime libraries and whole plugin stacks
(GTK theme, framebuffer and VNC platforms) that a desktop app never loads. Shipping
those from the build machine is what breaks PyInstaller apps on other distributions:
an old libstdc++ beside the host's GL driver, a fontconfig that cannot read the host's
font configuration, a libcups that does not match the host's print service.

So, following the AppImage "excludelist" practice:

1. Qt plugins that cannot be used on a desktop are dropped (listed in DROP_PLUGINS).
2. Libraries that must come from the host are dropped (HOST_LIBS): every desktop
   distribution has them, and they must match its display server, fonts and printers.
   The small xcb-util libraries Qt's xcb plugin needs (libxcb-cursor, -icccm, -keysyms,
   ...) stay bundled: they are ABI-stable and often missing (Ubuntu lacks libxcb-cursor0).
3. What is then no longer linked by anything left (read from each ELF file's
   DT_NEEDED entries) is dropped too: the build machine's libraries, Qt's own, and
   those auditwheel vendored into a wheel's ``.libs`` folder (FFmpeg's codecs, once
   ``stub_video_libs`` has replaced FFmpeg).

Nothing from the Python packages' own folders is touched except Qt libraries that
only dropped plugins needed. Run ``python installer/prune_binaries.py TOC`` to see what
it would drop from a PyInstaller COLLECT TOC file.
"""

from __future__ import annotations

import re
import struct
from pathlib import PurePosixPath

#: Qt plugins (paths under PySide6/Qt/plugins/) that a desktop widget app never loads.
DROP_PLUGINS = (
    "platformthemes/libqgtk3.so",         # needs the host's GTK 3, which is not bundled
    "platforms/libqeglfs.so", "platforms/libqlinuxfb.so", "platforms/libqminimalegl.so",
    "platforms/libqvnc.so", "platforms/libqvkkhrdisplay.so",  # kiosk/embedded platforms
    "egldeviceintegrations/", "generic/",  # input and GPU glue for those platforms
)

#: Libraries the host must provide (matched against the file name).
HOST_LIBS = re.compile(
    r"^(libX11(-xcb)?|libX(au|dmcp|ext|render|i|fixes|cursor|randr|inerama)"
    r"|libxcb(-dri2|-dri3|-glx|-present)?|libxkbcommon(-x11)?|libwayland-[a-z]+"
    r"|libfontconfig|libfreetype|libharfbuzz"  # must read the host's font configuration
    r"|libstdc\+\+|libgcc_s"                   # must be as new as the host's GL driver needs
    r"|libdbus-1|libcups|libasound|libgbm|libvulkan"
    r"|libmvec"                                # part of glibc (PyInstaller misses it)
    r")\.so(\.\d+)*$"
)

#: Where the build machine's own libraries live (anything else is from a package).
SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/")
QT_PLUGINS = "PySide6/Qt/plugins/"
QT_LIBS = "PySide6/Qt/lib/"


def elf_needed(path: str) -> list[str] | None:
    """The DT_NEEDED names of a 64-bit little-endian ELF file; None if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    if not shoff or not shnum:
        return None
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        needed = []
        for pos in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                start = strtab_offset + value
                needed.append(data[start:data.index(b"\0", start)].decode())
        return needed
    return []


def _is_vendored(dest: str) -> bool:
    """A library auditwheel copied into a wheel's ``<name>.libs/`` folder: it is there
    only because something in the wheel links it."""
    return dest.split("/", 1)[0].endswith(".libs")


def _name(dest: str) -> str:
    return PurePosixPath(dest.replace("\\", "/")).name


def prune(binaries: list[tuple], log=print) -> list[tuple]:
    """The TOC entries to keep (PyInstaller's (dest, src, typecode) tuples)."""
    def is_dropped_plugin(dest: str) -> bool:
        dest = dest.replace("\\", "/")
        return dest.startswith(QT_PLUGINS) and dest[len(QT_PLUGINS):].startswith(DROP_PLUGINS)

    def is_system(entry) -> bool:
        return entry[2] != "SYMLINK" and str(entry[1]).startswith(SYSTEM_DIRS)

    def is_candidate(entry) -> bool:  # may go when nothing needs it
        dest = entry[0].replace("\\", "/")
        return is_system(entry) or dest.startswith(QT_LIBS) or _is_vendored(dest)

    dropped = []
    kept = []
    for entry in binaries:
        if is_dropped_plugin(entry[0]) or (is_system(entry) and HOST_LIBS.match(_name(entry[0]))):
            dropped.append(entry[0])
        else:
            kept.append(entry)

    # Reachability over DT_NEEDED, from everything that is not a candidate.
    by_name: dict[str, list[tuple]] = {}
    for entry in kept:
        if entry[2] != "SYMLINK":
            by_name.setdefault(_name(entry[0]), []).append(entry)
    reached: set[int] = set()
    todo = [e for e in kept if e[2] != "SYMLINK" and not is_candidate(e)]
    seen_names: set[str] = set()
    while todo:
        entry = todo.pop()
        if id(entry) in reached:
            continue
        reached.add(id(entry))
        needed = elf_needed(str(entry[1]))
        if needed is None:
            continue
        for lib in needed:
            if lib in seen_names:
                continue
            seen_names.add(lib)
            todo.extend(by_name.get(lib, []))

    result = []
    for entry in kept:
        if entry[2] == "SYMLINK" or not is_candidate(entry) or id(entry) in reached:
            result.append(entry)
        else:
            dropped.append(entry[0])
    # Symlinks whose target went (PyInstaller links top-level names to Qt's lib folder).
    present = {e[0].replace("\\", "/") for e in result if e[2] != "SYMLINK"}
    final = []
    for entry in result:
        if entry[2] == "SYMLINK":
            target = str(PurePosixPath(entry[0]).parent / str(entry[1]).replace("\\", "/"))
            target = str(PurePosixPath(*[p for p in PurePosixPath(target).parts if p != "."]))
            if target not in present:
                dropped.append(entry[0])
                continue
        final.append(entry)
    log(f"prune_binaries: dropped {len(dropped)} of {len(binaries)} binaries: "
        + " ".join(sorted(_name(d) for d in dropped)))
    return final


if __name__ == "__main__":
    import ast
    import sys

    toc = ast.literal_eval(open(sys.argv[1]).read())[0]
    binaries = [e for e in toc if e[2] in ("BINARY", "EXTENSION", "SYMLINK")]
    prune(binaries)
