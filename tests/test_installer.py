"""The installer sources: icons up to date, library pruning, launcher and file types, NSIS.

The bundle itself is built and tested by installer/build_linux.sh and
installer/test_linux_package.sh (minutes, not part of the unit suite).
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO

INSTALLER = REPO / "installer"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icons_are_committed_and_reproducible():
    result = subprocess.run([sys.executable, str(INSTALLER / "make_icon.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_icon_files_decode_at_every_size():
    import cv2

    png = cv2.imread(str(REPO / "resources" / "icons" / "ecgviewer.png"), cv2.IMREAD_UNCHANGED)
    assert png.shape == (256, 256, 4)
    assert png[0, 0, 3] == 0 and png[128, 128, 3] == 255  # transparent corner, opaque middle
    ico = (REPO / "resources" / "icons" / "ecgviewer.ico").read_bytes()
    reserved, kind, count = int.from_bytes(ico[0:2], "little"), int.from_bytes(ico[2:4], "little"), \
        int.from_bytes(ico[4:6], "little")
    assert (reserved, kind) == (0, 1)
    sizes = sorted((ico[6 + 16 * i] or 256) for i in range(count))
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF only")
def test_elf_needed_reads_a_real_extension_module():
    try:
        from numpy._core import _multiarray_umath
    except ImportError:  # numpy 1.x
        from numpy.core import _multiarray_umath

    prune = _load("prune_binaries")
    needed = prune.elf_needed(_multiarray_umath.__file__)
    assert needed and all(name.startswith(("lib", "ld-linux")) for name in needed)
    assert "libc.so.6" in needed
    assert prune.elf_needed(__file__) is None  # not an ELF file


def test_prune_keeps_what_is_linked_and_drops_host_and_orphans(tmp_path):
    prune = _load("prune_binaries")
    needed = {
        "ext.so": ["libkept.so.1", "libX11.so.6"],
        "libkept.so.1": ["libz.so.1"],
        "libz.so.1": [],
        "libX11.so.6": ["libxcb.so.1"],
        "libxcb.so.1": [],
        "liborphan.so.2": [],
        "libqgtk3.so": ["libgtk-3.so.0"],
    }
    prune.elf_needed = lambda path: needed[Path(path).name]
    system = "/usr/lib/x86_64-linux-gnu/"
    toc = [
        ("pkg/ext.so", str(tmp_path / "ext.so"), "EXTENSION"),
        ("libkept.so.1", system + "libkept.so.1", "BINARY"),
        ("libz.so.1", system + "libz.so.1", "BINARY"),
        ("libX11.so.6", system + "libX11.so.6", "BINARY"),
        ("libxcb.so.1", system + "libxcb.so.1", "BINARY"),
        ("liborphan.so.2", system + "liborphan.so.2", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", str(tmp_path / "libqgtk3.so"), "BINARY"),
    ]
    kept = {entry[0] for entry in prune.prune(toc, log=lambda line: None)}
    assert kept == {"pkg/ext.so", "libkept.so.1", "libz.so.1"}


def test_desktop_file_and_mime_types_agree():
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str
    desktop.read(INSTALLER / "linux" / "ecgviewer.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Exec"] == "@EXEC@ gui %F" and entry["Icon"] == "ecgviewer"
    listed = set(filter(None, entry["MimeType"].split(";")))
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(INSTALLER / "linux" / "ecgviewer-mime.xml").getroot()
    defined = {node.get("type") for node in root.findall("m:mime-type", ns)}
    assert defined and defined <= listed  # every type we define is one we open
    globs = {g.get("pattern") for g in root.iter(f"{{{ns['m']}}}glob")}
    assert {"*.hea", "*.edf", "*.bdf"} <= globs
    assert "*.xml" not in globs and "*.csv" not in globs  # never take over generic types


def test_shell_scripts_parse():
    for script in ["build_linux.sh", "test_linux_package.sh", "build_deb.sh", "test_deb_in_chroot.sh",
                   "check_bundle_readers.sh", "linux/install.sh", "linux/uninstall.sh"]:
        shell = "bash" if script.count("/") == 0 else "sh"
        result = subprocess.run([shell, "-n", str(INSTALLER / script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) not installed")
def test_nsis_script_compiles(tmp_path):
    bundle = tmp_path / "ecgviewer"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    for exe in ("ecgviewer.exe", "ecgviewer-cli.exe"):
        (bundle / exe).write_bytes(b"MZ placeholder")
    out = tmp_path / "ecgviewer-0.1.0-setup.exe"  # a bare "setup.exe" is an NSIS warning
    result = subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}",
         str(INSTALLER / "windows" / "ecgviewer.nsi")],
        capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"


def _dev_sh_qt_libs(tmp_path, libraries: list[str]) -> subprocess.CompletedProcess:
    """`dev.sh qt-libs` as a non-root user on a system whose loader knows ``libraries``."""
    fake = tmp_path / "bin"
    fake.mkdir()
    listing = "".join(f"\t{name} (libc6,x86-64) => /usr/lib/{name}\\n" for name in libraries)
    (fake / "ldconfig").write_text(f"#!/bin/sh\nprintf '{listing}'\n")
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")
    for tool in fake.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    return subprocess.run(["bash", str(REPO / "dev.sh"), "qt-libs"], capture_output=True,
                          text=True, env=env)


def test_dev_sh_names_the_one_command_for_missing_qt_libraries(tmp_path):
    result = _dev_sh_qt_libs(tmp_path, ["libGL.so.1", "libEGL.so.1"])
    assert result.returncode == 1
    command = next(line for line in result.stderr.splitlines() if "apt-get install" in line)
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libdbus-1-3"):
        assert package in command.split()
    assert "libgl1" not in command.split() and "libegl1" not in command.split()


def test_dev_sh_is_quiet_when_qt_libraries_are_there(tmp_path):
    sonames = subprocess.run(["bash", "-c", f"source <(sed -n '/^QT_LIBS=/,/^\"/p' {REPO / 'dev.sh'})"
                              " && for e in $QT_LIBS; do echo ${e#*:}; done"],
                             capture_output=True, text=True, check=True).stdout.split()
    result = _dev_sh_qt_libs(tmp_path, [s for s in sonames if not s.startswith("/")])
    assert "libxcb" not in result.stderr


XKB_X11 = Path("/usr/lib/x86_64-linux-gnu/libxkbcommon-x11.so.0")


@pytest.mark.skipif(shutil.which("dpkg-deb") is None or not XKB_X11.exists(),
                    reason="needs dpkg-deb and libxkbcommon-x11 (Debian x86_64)")
def test_deb_holds_the_bundle_menu_entry_file_types_and_the_host_libraries(tmp_path):
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "ecgviewer").write_text("#!/bin/sh\necho ecgviewer 9.8.7\n")
    (bundle / "ecgviewer").chmod(0o755)
    shutil.copy(XKB_X11, bundle / "_internal" / XKB_X11.name)  # links libxcb-xkb, libxkbcommon
    env = {**os.environ, "OUT": str(tmp_path / "out"), "BUILD": str(tmp_path / "build")}
    result = subprocess.run(["bash", str(INSTALLER / "build_deb.sh"), str(bundle)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    deb = next((tmp_path / "out").glob("ecgviewer_9.8.7_*.deb"))
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
    for package in ("libc6 (>= ", "libxcb-xkb1", "libxkbcommon0", "libgl1", "fonts-dejavu-core"):
        assert package in depends
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    for path in ("./opt/ecgviewer/ecgviewer", "./usr/bin/ecgviewer -> ../../opt/ecgviewer/ecgviewer",
                 "./usr/share/applications/ecgviewer.desktop",
                 "./usr/share/mime/packages/ecgviewer.xml",
                 "./usr/share/icons/hicolor/256x256/apps/ecgviewer.png"):
        assert path in listing
    desktop = (tmp_path / "build" / "deb" / deb.stem / "usr/share/applications/ecgviewer.desktop")
    assert "Exec=/usr/bin/ecgviewer gui %F" in desktop.read_text()


def test_windows_workflow_builds_installs_and_self_tests():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "windows.yml").read_text())
    job = workflow["jobs"]["installer"]
    assert job["runs-on"].startswith("windows")
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "installer/build_windows.ps1" in script
    assert '"/S"' in script and "ecgviewer-cli.exe\" --self-test" in script


def test_install_sh_names_debian_packages_for_missing_libraries():
    function = subprocess.run(["sed", "-n", "/^package_of() {/,/^}/p",
                               str(INSTALLER / "linux" / "install.sh")],
                              capture_output=True, text=True, check=True).stdout
    sonames = ["libX11.so.6", "libxkbcommon-x11.so.0", "libEGL.so.1", "libdbus-1.so.3",
               "libglib-2.0.so.0", "libwayland-cursor.so.0"]
    result = subprocess.run(["sh", "-c", function + 'for l in "$@"; do package_of "$l"; done',
                             "sh", *sonames], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["libx11-6", "libxkbcommon-x11-0", "libegl1", "libdbus-1-3",
                                     "libglib2.0-0", "libwayland-cursor0"]
