#!/usr/bin/env bash
# Build the Debian/Ubuntu package from the onedir bundle: dist/ecgviewer_<version>_<arch>.deb
#
#   bash installer/build_linux.sh --no-package   # first: dist/ecgviewer/
#   bash installer/build_deb.sh [BUNDLE]         # default BUNDLE: dist/ecgviewer
#
# Environment: OUT (default dist) for the .deb, BUILD (default build) for the staging tree.
#
# Layout: the bundle in /opt/ecgviewer, the command /usr/bin/ecgviewer, the menu entry,
# the icon and the file types under /usr/share. No maintainer scripts: the MIME, desktop
# and icon caches are refreshed by the triggers of shared-mime-info, desktop-file-utils
# and hicolor-icon-theme, so `apt remove ecgviewer` (or `dpkg -r`) leaves nothing behind.
# Depends lists the Debian packages of every library the bundle links to but does not
# carry (read from the ELF files, found with dpkg -S on this build machine), plus what
# Qt loads at run time without linking (GL, EGL) and a font.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/ecgviewer}
[ -x "$BUNDLE/ecgviewer" ] || { echo "build_deb.sh: no bundle at $BUNDLE (run installer/build_linux.sh)" >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "build_deb.sh: needs dpkg-deb (apt-get install dpkg)" >&2; exit 2; }

VERSION=$(env -i PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen "$BUNDLE/ecgviewer" --version | awk '{print $NF}')
ARCH=$(dpkg --print-architecture)
NAME=ecgviewer_${VERSION}_$ARCH
OUT=${OUT:-dist}
STAGE=${BUILD:-build}/deb/$NAME
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/mime/packages" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
    "$STAGE/usr/share/doc/ecgviewer"
cp -a "$BUNDLE" "$STAGE/opt/ecgviewer"
ln -s ../../opt/ecgviewer/ecgviewer "$STAGE/usr/bin/ecgviewer"
sed 's|@EXEC@|/usr/bin/ecgviewer|g' installer/linux/ecgviewer.desktop \
    > "$STAGE/usr/share/applications/ecgviewer.desktop"
install -m 644 installer/linux/ecgviewer-mime.xml "$STAGE/usr/share/mime/packages/ecgviewer.xml"
install -m 644 resources/icons/ecgviewer.png "$STAGE/usr/share/icons/hicolor/256x256/apps/ecgviewer.png"
cat > "$STAGE/usr/share/doc/ecgviewer/copyright" <<'EOF'
ecgviewer: MIT licence. The bundled case base is derived from PTB-XL (CC BY 4.0):
Wagner et al. (2020), PhysioNet, https://doi.org/10.13026/x4td-x982.
Bundled third-party libraries keep their own licences (Qt/PySide6: LGPLv3).
EOF

# --- Depends: host libraries the bundle links to ---------------------------------------------
host_libs=$(python3 - "$STAGE/opt/ecgviewer" <<'EOF'
import os, sys
sys.path.insert(0, "installer")
from prune_binaries import elf_needed
root = sys.argv[1]
inside, needed = set(), set()
for folder, _, files in os.walk(root):
    for name in files:
        inside.add(name)
        path = os.path.join(folder, name)
        if not os.path.islink(path) and (deps := elf_needed(path)):
            needed.update(deps)
print("\n".join(sorted(needed - inside)))
EOF
)
# The package owning a library file (merged /usr: dpkg may list it under /lib or /usr/lib).
owner() {
    local real candidate
    real=$(readlink -f "$1")
    for candidate in "$1" "$real" "${1#/usr}" "/usr${1#/usr}" "${real#/usr}" "/usr${real#/usr}"; do
        dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
    done
    return 1
}
eval "$(sed -n '/^package_of() {/,/^}/p' installer/linux/install.sh)"
known=$(PATH="$PATH:/sbin:/usr/sbin" ldconfig -p)
packages="libgl1 libegl1 fonts-dejavu-core"
for lib in $host_libs; do
    path=$(awk -v l="$lib" '$1 == l && /x86-64|x32|64/ {print $NF; exit}' <<<"$known")
    if [ -n "$path" ] && pkg=$(owner "$path"); then
        packages="$packages $pkg"
    else  # not on this build machine: Debian's naming rule, as install.sh applies it
        pkg=$(package_of "$lib")
        echo "build_deb.sh: $lib is not installed here; depending on $pkg by its name" >&2
        packages="$packages $pkg"
    fi
done
GLIBC=$(dpkg-query -W -f='${Version}' libc6 | cut -d- -f1)
depends=$(for p in $packages; do echo "$p"; done | sort -u | grep -vx libc6 | paste -sd, | sed 's/,/, /g')
depends="libc6 (>= $GLIBC), $depends"

cat > "$STAGE/DEBIAN/control" <<EOF
Package: ecgviewer
Version: $VERSION
Architecture: $ARCH
Maintainer: ecgviewer developers <ecgviewer@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $depends
Recommends: shared-mime-info, desktop-file-utils, hicolor-icon-theme
Section: science
Priority: optional
Homepage: https://github.com/ecgviewer/ecgviewer
Description: offline ECG viewer that shows the most similar past cases
 Open an ECG file (WFDB, EDF/BDF, CSV, DICOM, HL7 aECG, Philips XML) or a photo
 or scan of a paper printout; ecgviewer draws it on ECG paper and lists the most
 similar confirmed cases with their reports, side by side. Everything runs on
 this machine: no network is used, ever.
EOF
mkdir -p "$OUT"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT/$NAME.deb" >/dev/null
(cd "$OUT" && sha256sum "$NAME.deb" > "$NAME.deb.sha256")
echo "$OUT/$NAME.deb: $(du -h "$OUT/$NAME.deb" | cut -f1) to download, $(($(du -sk --exclude=DEBIAN "$STAGE" | cut -f1) / 1024)) MB installed"
echo "Depends: $depends"
