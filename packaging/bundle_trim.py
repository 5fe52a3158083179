"""Delete what the bundled app never uses from PyInstaller's one-folder build.

Even with the unused Qt modules excluded (build_app.QT_MODULES_USED), PyInstaller collects
every Qt translation, every Chromium locale, Chromium's developer tools, plugin types for
features Draftpress lacks (embedded displays, printing, virtual keyboards) and the Qt
libraries those plugins need. The rules here remove them (and QML, should any come along);
then, on Linux, a Qt library stays only if an ELF file that stays (the programs, Python
extension modules, kept plugins, QtWebEngineProcess) needs it, directly or through other
libraries (DT_NEEDED), so nothing the app loads is removed.

This folder is not a Python package on purpose: a `packaging/__init__.py` would shadow the
`packaging` library that PyInstaller and pip import. build_app.py puts it on sys.path.
"""

from __future__ import annotations

import logging
import mmap
import os
import re
import shutil
import struct
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("build_app.trim")

# Chromium's UI strings (context menu, form controls): the app is in English only. Chromium
# falls back to en-US when the writer's locale has no .pak.
KEEP_WEBENGINE_LOCALES = frozenset({"en-US.pak"})
# Qt plugin types a desktop editor with a web preview loads. Not kept: eglfs/linuxfb device
# integrations and evdev input (embedded devices), print support, QtNetwork's TLS and network
# information backends (the app's network goes through httpx and Chromium).
KEEP_PLUGIN_TYPES = frozenset({
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "xcbglintegrations", "wayland-decoration-client", "wayland-graphics-integration-client",
    "wayland-shell-integration", "styles",
})
# Windowing systems (platform plugins) of desktops, plus offscreen for the smoke test.
KEEP_PLATFORM_PREFIXES = ("libqxcb", "libqwayland", "libqoffscreen", "qwindows", "qoffscreen",
                          "qdirect2d", "libqcocoa")
# Single plugins and files the app never needs: Chromium's developer tools (never opened),
# the on-screen keyboard for touch kiosks (it pulls in Qt Virtual Keyboard), PDF as an image
# format (it pulls in Qt PDF), and the GTK 3 theme: it would drag in the build machine's GTK
# (if it has one), which then mixes with the writer's GTK modules and themes; without it Qt
# uses its own GNOME theme and the desktop portal.
DROP_FILE_NAMES = frozenset({
    "qtwebengine_devtools_resources.pak", "libqtvirtualkeyboardplugin.so",
    "qtvirtualkeyboardplugin.dll", "libqpdf.so", "qpdf.dll", "libqpdf.dylib", "libqgtk3.so",
})
# Libraries removed when nothing left needs them: Qt's, and the GTK stack the GTK theme needs.
# (Not every library: some are loaded by name at run time, e.g. NSS's softokn and freebl.)
REMOVABLE_LIBRARY = re.compile(
    r"^((lib)?Qt6\w+|lib(gtk-3|gdk-3|gdk_pixbuf-2\.0|atk-1\.0|atk-bridge-2\.0|atspi|epoxy"
    r"|pango(cairo|ft2)?-1\.0|cairo(-gobject)?|pixman-1|fribidi|thai|datrie))"
    r"\.(so(\.\d+)*|dll|dylib)$"
)
GLIBC = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")


def trim_reason(relative: Path) -> str | None:
    """Say why a file or folder (relative to the app folder) is unused, or None to keep it."""
    parts = relative.parts
    name = relative.name
    parent = parts[-2] if len(parts) > 1 else ""
    if name == "qml" and parent == "Qt":
        return "QML modules (the app has no QML)"
    if name.endswith(".qm") and "translations" in parts:
        return "Qt translation (the app installs none)"
    if parent == "qtwebengine_locales" and name not in KEEP_WEBENGINE_LOCALES:
        return "Chromium locale other than en-US"
    if name in DROP_FILE_NAMES:
        return "never used (developer tools, on-screen keyboard, PDF images, GTK theme)"
    if parent == "plugins" and name not in KEEP_PLUGIN_TYPES:
        return f"Qt {name} plugins (feature unused)"
    if parent == "platforms" and "plugins" in parts and not name.startswith(
        KEEP_PLATFORM_PREFIXES
    ):
        return "Qt platform plugin for no desktop"
    return None


def _remove(path: Path) -> None:
    """Delete a file, a symbolic link or a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def remove_by_rules(app_dir: Path) -> list[Path]:
    """Delete everything `trim_reason` names; return what was deleted."""
    removed: list[Path] = []
    for folder, dirs, files in os.walk(app_dir):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            if trim_reason(path.relative_to(app_dir)):
                _remove(path)
                removed.append(path)
                if name in dirs:
                    dirs.remove(name)  # do not walk into it
    return removed


# -- ELF: which shared libraries each program or library needs ------------------------------

def _read_elf(path: Path) -> tuple[list[str], bytes]:
    """Return an ELF file's DT_NEEDED names and its dynamic string table ([], b"" if none)."""
    with path.open("rb") as handle:
        if handle.read(4) != b"\x7fELF":
            return [], b""
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            is64, order = data[4] == 2, "<" if data[5] == 1 else ">"
            if is64:
                shoff, = struct.unpack_from(order + "Q", data, 0x28)
                entsize, count = struct.unpack_from(order + "HH", data, 0x3A)
                section, dyn = order + "IIQQQQIIQQ", order + "qQ"
            else:
                shoff, = struct.unpack_from(order + "I", data, 0x20)
                entsize, count = struct.unpack_from(order + "HH", data, 0x2E)
                section, dyn = order + "IIIIIIIIII", order + "iI"
            headers = [struct.unpack_from(section, data, shoff + i * entsize)
                       for i in range(count)]
            for header in headers:
                if header[1] != 6:  # SHT_DYNAMIC
                    continue
                strtab = headers[header[6]]
                strings = bytes(data[strtab[4]:strtab[4] + strtab[5]])
                needed = []
                step = struct.calcsize(dyn)
                for offset in range(header[4], header[4] + header[5], step):
                    tag, value = struct.unpack_from(dyn, data, offset)
                    if tag == 0:  # DT_NULL
                        break
                    if tag == 1:  # DT_NEEDED
                        needed.append(strings[value:strings.index(b"\0", value)].decode())
                return needed, strings
    return [], b""


def elf_needed(path: Path) -> list[str]:
    """Return the shared libraries an ELF file names as needed (DT_NEEDED), [] if not ELF."""
    return _read_elf(path)[0]


def is_elf(path: Path) -> bool:
    """Tell whether a path is a regular ELF file (not a link to one)."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def unneeded(roots: Iterable[Path], candidates: Iterable[Path], by_name: dict[str, Path]
             ) -> list[Path]:
    """Return the candidates no root needs, directly or through other libraries.

    `by_name` maps a library's file name (or a link's name) to the real file.
    """
    reached: set[Path] = set()
    pending = [root.resolve() for root in roots]
    while pending:
        path = pending.pop()
        if path in reached:
            continue
        reached.add(path)
        pending.extend(by_name[name] for name in elf_needed(path) if name in by_name)
    return [c for c in candidates if c.resolve() not in reached]


def remove_unneeded_libraries(app_dir: Path) -> list[Path]:
    """Linux: delete the Qt (and GTK) libraries nothing left in the app needs; return them."""
    files = [p for p in app_dir.rglob("*") if p.is_file() or p.is_symlink()]
    elves = [p for p in files if is_elf(p)]
    real = {p.resolve() for p in elves}
    by_name = {p.name: p.resolve() for p in files if p.exists() and p.resolve() in real}
    candidates = [p for p in elves if REMOVABLE_LIBRARY.match(p.name)]
    roots = [p for p in elves if not REMOVABLE_LIBRARY.match(p.name)]
    removed = unneeded(roots, candidates, by_name)
    for path in removed:
        path.unlink()
    return removed


def remove_dangling_links(app_dir: Path) -> list[Path]:
    """Delete symbolic links whose target was removed; return them."""
    dangling = [p for p in app_dir.rglob("*") if p.is_symlink() and not p.exists()]
    for link in dangling:
        link.unlink()
    return dangling


def glibc_requirement(app_dir: Path) -> str | None:
    """Return the newest glibc version any ELF file in the app needs, e.g. "2.34"."""
    newest: tuple[int, ...] = ()
    for path in app_dir.rglob("*"):
        if is_elf(path):
            for match in GLIBC.finditer(_read_elf(path)[1]):
                newest = max(newest, tuple(int(n) for n in match.groups() if n))
    return ".".join(map(str, newest)) or None


def trim_app(app_dir: Path) -> list[Path]:
    """Delete what the app does not use from the built app folder; return what went."""
    removed = remove_by_rules(app_dir)
    if any(is_elf(p) for p in app_dir.glob("*")):
        libraries = remove_unneeded_libraries(app_dir)
        log.info("unused libraries removed: %s",
                 ", ".join(sorted(p.name for p in libraries)) or "none")
        removed += libraries
    else:
        log.info("not ELF: unused libraries are kept (only the Linux build checks them)")
    removed += remove_dangling_links(app_dir)
    return removed
