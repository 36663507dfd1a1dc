#!/usr/bin/env bash
# Install the .deb in a clean Debian 12 root and use it there, offline, on a real X server.
#
#   sudo bash installer/test_deb_in_chroot.sh [dist/ecgviewer_VERSION_ARCH.deb]
#
# 1. A pristine Debian 12 root (debootstrap --variant=minbase), made once and kept in
#    ECGVIEWER_CHROOT_CACHE (default /var/tmp/ecgviewer-deb12; MIRROR picks the mirror).
#    Every run works on a fresh copy of it, so every run starts from a clean system.
# 2. The only step with network: apt downloads the package's dependencies, Xvfb and a
#    desktop's MIME and menu tools into the copy's cache, as a clinic's mirror would.
# 3. Everything else runs in a network namespace with no interface but lo (unshare -n),
#    with its own /proc: the .deb installed with no download (dpkg -i, apt-get -f), --version,
#    --self-test, `search --json`, and on Xvfb with QT_QPA_PLATFORM=xcb: the app
#    starts, opens the sample, searches (its window grabbed) and exports the PDF report;
#    then apt-get purge, after which none of the package's files may remain.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test_deb_in_chroot.sh: run as root (debootstrap, chroot, unshare)" >&2; exit 2; }
DEB=$(readlink -f "${1:-$(ls -t dist/ecgviewer_*.deb | head -1)}")
CACHE=${ECGVIEWER_CHROOT_CACHE:-/var/tmp/ecgviewer-deb12}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
for tool in debootstrap unshare chroot; do
    command -v "$tool" >/dev/null || { echo "test_deb_in_chroot.sh: needs $tool (apt-get install debootstrap util-linux)" >&2; exit 2; }
done

if [ ! -x "$CACHE/root/bin/sh" ]; then
    echo "==> debootstrap Debian 12 into $CACHE/root (once)"
    mkdir -p "$CACHE"
    debootstrap --variant=minbase bookworm "$CACHE/root" "$MIRROR" > "$CACHE/debootstrap.log"
fi
ROOT=$(mktemp -d /var/tmp/ecgviewer-chroot.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
cp -a "$CACHE/root/." "$ROOT/"
cp "$DEB" "$ROOT/tmp/ecgviewer.deb"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

PASS=0
FAIL=0
ok() { echo "  ok   $*"; PASS=$((PASS + 1)); }
bad() { echo "  FAIL $*"; FAIL=$((FAIL + 1)); }
# Run a command inside the root with no network and a private /proc.
offline() { unshare --net --mount --pid --fork --mount-proc="$ROOT/proc" chroot "$ROOT" \
    env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME=/tmp/home LANG=C.UTF-8 "$@"; }
check() {
    local what=$1; shift
    if "$@" > "$ROOT/tmp/last.log" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/       /' "$ROOT/tmp/last.log" | tail -15; fi
}

echo "==> package: $DEB ($(du -h "$DEB" | cut -f1))"
echo "==> downloading dependencies (the only step with network)"
chroot "$ROOT" apt-get update -qq
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --download-only \
    /tmp/ecgviewer.deb xvfb shared-mime-info desktop-file-utils > /dev/null

echo "==> offline from here (unshare --net)"
check "no network interface but lo" offline sh -c '! grep -v "lo:" /proc/net/dev | grep -q ":"'
# apt-get refuses a local .deb together with --no-download ("Pathname to install is not
# absolute"), so: dpkg unpacks it, then apt completes its dependencies from the cache.
check "dpkg -i + apt-get -f install (no download)" offline sh -c \
    "export DEBIAN_FRONTEND=noninteractive; dpkg -i /tmp/ecgviewer.deb >/dev/null 2>&1;
     apt-get install -f -y -qq --no-download &&
     apt-get install -y -qq --no-download xvfb shared-mime-info desktop-file-utils &&
     dpkg-query -W -f='\${Status}' ecgviewer | grep -q 'install ok installed'"
mkdir -p "$ROOT/tmp/home" "$ROOT/tmp/out"
SAMPLE=/opt/ecgviewer/_internal/resources/samples/demo_ecg.hea
check "files in place" offline test -x /usr/bin/ecgviewer -a -f /usr/share/applications/ecgviewer.desktop \
    -a -f /usr/share/mime/packages/ecgviewer.xml -a -f /usr/share/icons/hicolor/256x256/apps/ecgviewer.png
check "--version" offline env QT_QPA_PLATFORM=offscreen ecgviewer --version
check "--self-test" offline env QT_QPA_PLATFORM=offscreen ecgviewer --self-test
check "search finds similar cases" offline sh -c "QT_QPA_PLATFORM=offscreen ecgviewer search $SAMPLE --json --top 5 > /tmp/out/search.json && grep -q '\"case_id\"' /tmp/out/search.json"
# The app on an X server of its own, inside the namespace. Not xvfb-run: as the namespace's
# PID 1 it misses Xvfb's "ready" signal and waits for ever.
# Xvfb must be waited for after kill: when sh (PID 1) exits, the rest of the namespace is
# SIGKILLed and a killed Xvfb leaves its lock file, which stops the next one.
on_x() { offline sh -c 'rm -f /tmp/.X7-lock /tmp/.X11-unix/X7
    Xvfb :7 -nolisten tcp -screen 0 1600x1000x24 2>/tmp/out/xvfb.log & x=$!
    i=0; while [ ! -S /tmp/.X11-unix/X7 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    DISPLAY=:7 QT_QPA_PLATFORM=xcb "$@"; rc=$?; kill $x; wait $x; exit $rc' sh "$@"; }
check "X11: starts, opens the sample, searches" on_x ecgviewer gui "$SAMPLE" --screenshot /tmp/out/gui.png
check "X11: the window was drawn" test -s "$ROOT/tmp/out/gui.png"
check "X11: exports the PDF report" on_x ecgviewer gui "$SAMPLE" --screenshot /tmp/out/report.pdf
check "X11: the PDF is whole" sh -c "head -c 5 '$ROOT/tmp/out/report.pdf' | grep -q '%PDF-' && tail -c 64 '$ROOT/tmp/out/report.pdf' | grep -q '%%EOF'"
check "MIME database knows .hea" grep -q "application/x-wfdb-header" "$ROOT/usr/share/mime/globs2"
check "desktop database lists the ECG types" grep -q "application/x-wfdb-header=ecgviewer.desktop" \
    "$ROOT/usr/share/applications/mimeinfo.cache"

mapfile -t FILES < <(offline dpkg-query -L ecgviewer | grep -v '^/\.$')
check "apt-get purge" offline env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ecgviewer
left=$(for f in "${FILES[@]}"; do [ -e "$ROOT$f" ] && [ ! -d "$ROOT$f" ] && echo "$f"; done | head -5 || true)
check "no file of the package left (${#FILES[@]} listed)" test -z "$left" -a ! -e "$ROOT/opt/ecgviewer"
[ -z "$left" ] || echo "       left: $left"

echo "==> $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
