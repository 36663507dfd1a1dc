#!/bin/sh
# Install ecgviewer from this unpacked archive. No network, no compiler, no Python needed.
#
#   ./install.sh                 as a user: ~/.local/opt/ecgviewer, launcher in the app menu
#   sudo ./install.sh            for every user: /opt/ecgviewer
#   ./install.sh --prefix DIR    somewhere else (DIR/ecgviewer)
#   ./install.sh --no-self-test  skip the check run at the end
#
# Installing again over an existing copy updates it (the old copy is replaced only once
# the new one is fully copied). Remove with <install dir>/uninstall.sh.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
APP=ecgviewer
SELF_TEST=1
BASE=""

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { usage >&2; exit 2; }; BASE=$2; shift 2 ;;
        --prefix=*) BASE=${1#--prefix=}; shift ;;
        --no-self-test) SELF_TEST=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ ! -x "$HERE/$APP/$APP" ]; then
    echo "install.sh: $HERE/$APP/$APP is missing: unpack the whole archive first" >&2
    exit 1
fi
case "$(uname -m)" in
    x86_64|amd64) ;;
    *) echo "install.sh: this build is for x86_64 Linux; this machine is $(uname -m)" >&2; exit 1 ;;
esac

if [ "$(id -u)" = 0 ]; then
    SYSTEM=1
    BASE=${BASE:-/opt}
    BIN_DIR=/usr/local/bin
    DATA_DIR=/usr/local/share
else
    SYSTEM=0
    BASE=${BASE:-$HOME/.local/opt}
    BIN_DIR=$HOME/.local/bin
    DATA_DIR=${XDG_DATA_HOME:-$HOME/.local/share}
fi
DEST=$BASE/$APP
APPS_DIR=$DATA_DIR/applications
ICON_DIR=$DATA_DIR/icons/hicolor/256x256/apps
MIME_DIR=$DATA_DIR/mime
MANIFEST=$DEST/install-manifest.txt

echo "Installing ecgviewer to $DEST"
mkdir -p "$BASE" "$BIN_DIR" "$APPS_DIR" "$ICON_DIR" "$MIME_DIR/packages"

# 1. The application folder: copy beside the old one, then swap, so an interrupted
#    update never leaves a half-copied app behind.
rm -rf "$DEST.new" "$DEST.old"
cp -R "$HERE/$APP" "$DEST.new"
cp "$HERE/uninstall.sh" "$DEST.new/uninstall.sh"
chmod 755 "$DEST.new/$APP" "$DEST.new/uninstall.sh"
if [ -e "$DEST" ]; then mv "$DEST" "$DEST.old"; fi
mv "$DEST.new" "$DEST"
rm -rf "$DEST.old"

# 2. Command, launcher, icon, file types. Every path written is listed in the manifest
#    so that uninstall.sh removes exactly these and nothing else.
ICON_SRC=$DEST/_internal/resources/icons/ecgviewer.png
ln -sf "$DEST/$APP" "$BIN_DIR/$APP"
cp "$ICON_SRC" "$ICON_DIR/$APP.png"
sed "s|@EXEC@|$DEST/$APP|g" "$HERE/share/ecgviewer.desktop" > "$APPS_DIR/$APP.desktop"
chmod 644 "$APPS_DIR/$APP.desktop" "$ICON_DIR/$APP.png"
cp "$HERE/share/ecgviewer-mime.xml" "$MIME_DIR/packages/$APP.xml"
{
    echo "# written by install.sh; read by uninstall.sh"
    echo "system=$SYSTEM"
    echo "dest=$DEST"
    echo "file=$BIN_DIR/$APP"
    echo "file=$APPS_DIR/$APP.desktop"
    echo "file=$ICON_DIR/$APP.png"
    echo "file=$MIME_DIR/packages/$APP.xml"
    echo "mime_dir=$MIME_DIR"
    echo "apps_dir=$APPS_DIR"
    echo "icons_dir=$DATA_DIR/icons/hicolor"
} > "$MANIFEST"

# Desktop caches are optional: present on desktops, absent on servers.
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$MIME_DIR" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$APPS_DIR" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$DATA_DIR/icons/hicolor" >/dev/null 2>&1 || true
fi

echo "  command:  $BIN_DIR/$APP"
echo "  launcher: $APPS_DIR/$APP.desktop (menu: Science > ECG Viewer)"
echo "  remove:   $DEST/uninstall.sh"
case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "  note: $BIN_DIR is not on PATH; start it from the menu or as $DEST/$APP" ;;
esac

# 3. The window needs this system's display libraries (X11/Wayland, GL, fonts, D-Bus; the
#    xcb-util ones are bundled): name any that are missing, and the command that adds them.
# Debian's package for a library: its name lower-cased plus the soname's number, with a
# dash when the name ends in a digit (libX11.so.6: libx11-6); GLib is the one exception.
package_of() {
    case "$1" in
        libglib-2.0.so.*|libgobject-2.0.so.*|libgthread-2.0.so.*) echo libglib2.0-0; return ;;
    esac
    name=$(echo "${1%%.so*}" | tr 'A-Z' 'a-z')
    major=$(echo "$1" | sed -n 's/.*\.so\.\([0-9]*\).*/\1/p')
    case "$name" in *[0-9]) echo "$name-$major" ;; *) echo "$name$major" ;; esac
}
if command -v ldd >/dev/null 2>&1; then
    QT=$DEST/_internal/PySide6/Qt
    missing=$(LD_LIBRARY_PATH="$DEST/_internal:$QT/lib" ldd "$QT/plugins/platforms/libqxcb.so" \
        "$QT/lib/libQt6Gui.so.6" 2>/dev/null | awk '/not found/ {print $1}' | sort -u)
    if [ -n "$missing" ]; then
        packages=$(for lib in $missing; do package_of "$lib"; done | sort -u | tr '\n' ' ')
        echo "WARNING: the window needs system libraries this machine lacks: $(echo $missing)" >&2
        echo "  Debian/Ubuntu: sudo apt-get install $(echo $packages)" >&2
        echo "  (the command line and --self-test work without them)" >&2
    fi
fi

# 4. Prove it works here, offline: model, case base and a search of the bundled sample.
if [ "$SELF_TEST" = 1 ]; then
    echo "Checking the installation (ecgviewer --self-test)..."
    if QT_QPA_PLATFORM=offscreen "$DEST/$APP" --self-test; then
        echo "ecgviewer is installed and working."
    else
        echo "WARNING: the self-test failed (see above). The viewer opens ECGs, but similar-case" >&2
        echo "search needs resources/model and resources/casebase in $DEST/_internal." >&2
        exit 3
    fi
fi
