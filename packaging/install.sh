#!/bin/sh
# Install Draftpress for the current user (no root): a menu entry, the icons and a
# `draftpress` command, all pointing into this folder.
#   ./install.sh               install (run it again after moving this folder)
#   ./install.sh --uninstall   remove them again (posts and settings are never touched)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
desktop=$data/applications/draftpress.desktop

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
  fi
}

case ${1:-} in
  --uninstall)
    rm -f "$desktop"
    if [ -L "$bin/draftpress" ]; then rm -f "$bin/draftpress"; fi
    for icon in "$data"/icons/hicolor/*/apps/draftpress.png \
                "$data"/icons/hicolor/scalable/apps/draftpress.svg; do
      rm -f "$icon"
    done
    refresh
    echo "Draftpress is uninstalled. Your posts and settings are untouched."
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: $0 [--uninstall]" >&2
    exit 2
    ;;
esac

case $here in
  *[\"\`\$\\%]*)
    echo "Move this folder to a path without \" \` \$ \\ or % first: $here" >&2
    exit 1
    ;;
esac

mkdir -p "$bin" "$data/applications"
(cd "$here/share/icons" && find hicolor -type f) | while IFS= read -r icon; do
  mkdir -p "$data/icons/$(dirname "$icon")"
  cp "$here/share/icons/$icon" "$data/icons/$icon"
done
# The menu entry starts this folder's program by its full path, quoted for spaces.
sed_here=$(printf '%s\n' "$here" | sed 's/[&|]/\\&/g')
sed -e "s|^Exec=draftpress |Exec=\"$sed_here/draftpress\" |" \
    -e "s|^TryExec=draftpress\$|TryExec=$sed_here/draftpress|" \
    "$here/share/applications/draftpress.desktop" > "$desktop"
ln -sf "$here/draftpress" "$bin/draftpress"
refresh

echo "Draftpress is installed: find it in your applications menu, or run: draftpress"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "($bin is not on your PATH yet: log out and in again, or run $here/draftpress)" ;;
esac
