#!/bin/sh
# Remove ecgviewer: the application folder this script lives in, and the command, launcher,
# icon and file types that install.sh listed in install-manifest.txt. Nothing else.
#
#   ./uninstall.sh               remove the application, keep the user's settings and log
#   ./uninstall.sh --purge       also remove the current user's settings and log
#                                (~/.config/ecgviewer, ~/.local/share/ecgviewer)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
MANIFEST=$HERE/install-manifest.txt
PURGE=0
case "${1:-}" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
esac

if [ ! -f "$MANIFEST" ]; then
    echo "uninstall.sh: $MANIFEST is missing: this folder was not installed by install.sh" >&2
    exit 1
fi
DEST=$(sed -n 's/^dest=//p' "$MANIFEST")
SYSTEM=$(sed -n 's/^system=//p' "$MANIFEST")
if [ "$DEST" != "$HERE" ]; then
    echo "uninstall.sh: the manifest names $DEST, not $HERE; refusing" >&2
    exit 1
fi
if [ "$SYSTEM" = 1 ] && [ "$(id -u)" != 0 ]; then
    echo "uninstall.sh: ecgviewer was installed for all users; run: sudo $0" >&2
    exit 1
fi

echo "Removing ecgviewer from $DEST"
sed -n 's/^file=//p' "$MANIFEST" | while IFS= read -r path; do
    # Only the files install.sh wrote: the command must be our symlink.
    if [ -L "$path" ] || [ -f "$path" ]; then rm -f "$path"; fi
done
MIME_DIR=$(sed -n 's/^mime_dir=//p' "$MANIFEST")
APPS_DIR=$(sed -n 's/^apps_dir=//p' "$MANIFEST")
ICONS_DIR=$(sed -n 's/^icons_dir=//p' "$MANIFEST")
if command -v update-mime-database >/dev/null 2>&1 && [ -d "$MIME_DIR" ]; then
    update-mime-database "$MIME_DIR" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$APPS_DIR" ]; then
    update-desktop-database "$APPS_DIR" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$ICONS_DIR" ]; then
    gtk-update-icon-cache -q -t "$ICONS_DIR" >/dev/null 2>&1 || true
fi

if [ "$PURGE" = 1 ]; then
    rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/ecgviewer" "${XDG_DATA_HOME:-$HOME/.local/share}/ecgviewer"
    echo "Removed the ecgviewer settings and log of $(id -un)."
fi

# Last: the folder holding this script (the shell has already read it).
case "$DEST" in
    */ecgviewer) rm -rf "$DEST" ;;
    *) echo "uninstall.sh: unexpected install folder $DEST; remove it by hand" >&2; exit 1 ;;
esac
echo "ecgviewer has been removed."
