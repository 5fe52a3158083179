#!/usr/bin/env python3
"""Build Draftpress as a standalone program that writers unpack and start, and smoke-test it.

    python build_app.py            build dist/draftpress/ with PyInstaller, trim it, package it
    python build_app.py --smoke    start the built app offscreen on the welcome post and check it
                                   (builds first if there is no build or the source changed)

Needs the build tools: `pip install -e '.[build]'` (PyInstaller). PyInstaller does not
cross-compile, so each platform's app is built on that platform:

- Linux: a one-folder app in dist/draftpress/ holding the `draftpress` program, a .desktop file,
  the icon in the hicolor sizes and install.sh; then dist/draftpress-VERSION-linux-ARCH.tar.gz
  and its .sha256.
- Windows: dist/draftpress/ with Draftpress.exe (windowed, icon from draftpress.ico) and
  draftpress-cli.exe (a console twin for `--version`, `render` and the smoke test, since a
  windowed program has no console to print to). No installer and no code signing.
- macOS: dist/Draftpress.app (windowed, bundle identifier org.draftpress.Draftpress, .icns made
  from the PNG icons with Pillow, registered for Markdown files). No code signing,
  notarization or .dmg: a downloaded unsigned app must be opened with right-click > Open.

After PyInstaller, everything the app does not use is deleted (packaging/bundle_trim.py); the
build time and the sizes before and after trimming and of the archive are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# packaging/*.py are helper modules, not a package (see bundle_trim.py for why).
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_smoke as smoke  # noqa: E402  (packaging/bundle_smoke.py, via the line above)
import bundle_trim as trim  # noqa: E402  (packaging/bundle_trim.py)

log = logging.getLogger("build_app")

APP_NAME = "Draftpress"
EXE_NAME = "draftpress"
BUNDLE_ID = "org.draftpress.Draftpress"
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "draftpress.spec"
ICONS = ROOT / "resources" / "icons"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
REPORT = DIST / "build-report.json"

# Spell checking in the app: the Hunspell dictionaries bundled into `enchant/hunspell` (found
# through Enchant's ENCHANT_CONFIG_DIR, editor/core/spelling.py), looked for in these folders
# of the building machine (Debian's hunspell-en-us puts en_US.dic and .aff in
# /usr/share/hunspell). To ship another language, install its dictionary where the build runs
# (e.g. `apt install hunspell-de-de`) and add its tag here ("de_DE"); each costs 1-5 MB.
# Windows: pyenchant's wheel brings Enchant, its Hunspell provider and dictionaries of its own,
# which PyInstaller's pyenchant hook collects. Linux: Enchant itself comes from the system
# (libenchant-2-2): Debian's build finds its providers only at the path it was compiled for,
# so a bundled copy could not load them; without it the app says how to install it.
BUNDLED_DICTIONARIES = ("en_US",)
DICTIONARY_FOLDERS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"),
                      Path("/usr/share/myspell"), Path("/usr/local/share/hunspell"),
                      Path("/opt/homebrew/share/hunspell"), Path("/usr/local/share/myspell"))


def dictionary_files(tags: tuple[str, ...] = BUNDLED_DICTIONARIES,
                     folders: tuple[Path, ...] = DICTIONARY_FOLDERS) -> list[Path]:
    """Return the .dic and .aff files of each dictionary to bundle (the first folder having it).

    Raises SystemExit naming the missing dictionary: an app without English is not built.
    """
    files: list[Path] = []
    for tag in tags:
        for folder in folders:
            dic, aff = folder / f"{tag}.dic", folder / f"{tag}.aff"
            if dic.is_file() and aff.is_file():
                files += [dic, aff]
                break
        else:
            raise SystemExit(f"No {tag} Hunspell dictionary to bundle (looked in "
                             f"{', '.join(map(str, folders))}); install hunspell-en-us")
    return files


# The PySide6 modules Draftpress imports (directly or through the ones it imports); every other
# Qt module installed is excluded from the analysis, so neither its Python module nor its
# plugins, QML files or translations are collected.
QT_MODULES_USED = frozenset({
    "QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineWidgets",
})
# Standard-library and tool packages the app never imports at run time.
PYTHON_EXCLUDES = ("tkinter", "pydoc_data", "idlelib", "lib2to3", "test", "pip")


class BuildError(Exception):
    """A build step that cannot go on, with what to do about it."""


@dataclass(frozen=True)
class PlatformPlan:
    """What to build on one operating system and what this script cannot do there."""

    key: str  # "linux", "windows" or "macos"
    gui_name: str  # name of the program a writer starts
    windowed: bool  # no console window (Windows, macOS)
    icon: str | None  # icon file name in resources/icons or the build folder, if any
    console_twin: str | None  # a console program beside a windowed one (Windows)
    bundle_identifier: str | None  # macOS .app bundle identifier
    make_tarball: bool  # Linux: .tar.gz with .desktop file and hicolor icons
    cannot: tuple[str, ...]  # said in the log: what is not done on this platform


def platform_plan(system: str = sys.platform) -> PlatformPlan:
    """Return the build plan for a `sys.platform` value."""
    if system.startswith("win"):
        return PlatformPlan(
            "windows", APP_NAME, True, "draftpress.ico", f"{EXE_NAME}-cli", None, False,
            ("no installer (.msi) and no code signing; unpack the folder and start Draftpress.exe",
             "the macOS .app and the Linux .tar.gz are built on those systems"),
        )
    if system == "darwin":
        return PlatformPlan(
            "macos", APP_NAME, True, "draftpress.icns", None, BUNDLE_ID, False,
            ("no code signing, notarization or .dmg (needs an Apple Developer ID)",
             "the Windows .exe and the Linux .tar.gz are built on those systems"),
        )
    return PlatformPlan(
        "linux", EXE_NAME, False, None, None, None, True,
        ("the Windows .exe (windowed, .ico icon) and the macOS .app (bundle "
         f"{BUNDLE_ID}, .icns icon) are built by this script on those systems only:"
         " PyInstaller does not cross-compile",
         "no AppImage, .deb or Flatpak: a .tar.gz with install.sh"),
    )


def qt_module_excludes(installed: set[str] | frozenset[str]) -> list[str]:
    """Return `PySide6.<module>` for every installed Qt module Draftpress does not use."""
    return sorted(f"PySide6.{name}" for name in installed - QT_MODULES_USED)


def installed_qt_modules() -> set[str]:
    """Return the names of the Qt modules of the installed PySide6 (QtCore, QtGui, ...)."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    return {path.name.split(".")[0] for path in folder.iterdir()
            if path.name.startswith("Qt") and path.suffix in (".so", ".pyd")}


def machine_name(machine: str | None = None) -> str:
    """Return the CPU name used in archive names: x86_64, arm64, ..."""
    machine = (machine or platform.machine()).lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def archive_stem(version: str, plan: PlatformPlan, machine: str | None = None) -> str:
    """Return the archive's name without extension, e.g. draftpress-0.1.0-linux-x86_64."""
    return f"{EXE_NAME}-{version}-{plan.key}-{machine_name(machine)}"


def app_version() -> str:
    """Return Draftpress's version, as the app itself reports it."""
    sys.path.insert(0, str(ROOT))
    from editor import __version__

    return __version__


def folder_size(path: Path) -> int:
    """Return the bytes of the files under `path` (symbolic links count as nothing)."""
    if not path.exists():
        return 0
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    """Format a byte count in decimal megabytes, as download pages do."""
    return f"{size / 1_000_000:,.0f} MB"


def figures_table(figures: dict[str, float | int | str]) -> str:
    """Return the build figures as an aligned text table."""
    seconds = (f"{figures['build_seconds']:.0f} s "
               f"(PyInstaller {figures['pyinstaller_seconds']:.0f} s")
    if figures.get("archive_seconds") is not None:
        seconds += f", .tar.gz {figures['archive_seconds']:.0f} s"
    rows = [("build time", seconds + ")"),
            ("app folder before trimming", megabytes(int(figures["untrimmed_bytes"]))),
            ("app folder after trimming", megabytes(int(figures["trimmed_bytes"])))]
    if figures.get("archive_bytes"):
        rows.append((str(figures["archive_name"]), megabytes(int(figures["archive_bytes"]))))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def desktop_entry(exec_command: str = EXE_NAME) -> str:
    """Return the .desktop file text from packaging/draftpress.desktop."""
    text = (PACKAGING / "draftpress.desktop").read_text(encoding="utf-8")
    return text.replace("@EXEC@", exec_command)


def hicolor_icons(icons: Path = ICONS) -> dict[str, Path]:
    """Map `share/icons/hicolor/...` paths to the shipped icon files that go there."""
    targets: dict[str, Path] = {}
    for png in sorted(icons.glob(f"{EXE_NAME}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        if size.isdigit():
            targets[f"share/icons/hicolor/{size}x{size}/apps/{EXE_NAME}.png"] = png
    svg = icons / f"{EXE_NAME}.svg"
    if svg.is_file():
        targets[f"share/icons/hicolor/scalable/apps/{EXE_NAME}.svg"] = svg
    return targets


def make_icns(target: Path, icons: Path = ICONS) -> Path:
    """Write a macOS .icns icon made from the PNG icons with Pillow (any platform can run it)."""
    from PIL import Image

    pngs = sorted(icons.glob(f"{EXE_NAME}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [Image.open(png) for png in pngs]
    target.parent.mkdir(parents=True, exist_ok=True)
    images[-1].save(target, format="ICNS", append_images=images[:-1])  # the largest first
    for image in images:
        image.close()
    return target


# -- building ----------------------------------------------------------------------------------

def run_pyinstaller(plan: PlatformPlan, *, clean: bool, verbose: bool) -> None:
    """Run PyInstaller on packaging/draftpress.spec into dist/."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise BuildError("PyInstaller is missing: install the build tools with "
                         "pip install -e '.[build]'")
    if plan.key == "linux" and shutil.which("objdump") is None:
        # PyInstaller reads the libraries' dependencies with objdump; a minimal Debian or
        # Ubuntu system does not have it.
        raise BuildError("PyInstaller needs objdump on Linux: install it (as root) with "
                         "apt-get install binutils")
    if plan.key == "macos":
        make_icns(WORK / "draftpress.icns")
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
               "--distpath", str(DIST), "--workpath", str(WORK),
               "--log-level", "INFO" if verbose else "WARN"]
    if clean:
        command.append("--clean")
    log.info("running PyInstaller (about a minute)")
    subprocess.run(command, check=True, cwd=ROOT)


def add_linux_extras(app_dir: Path, version: str) -> None:
    """Put the .desktop file, hicolor icons, install.sh and INSTALL.txt into the app folder."""
    applications = app_dir / "share" / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    (applications / f"{EXE_NAME}.desktop").write_text(desktop_entry(), encoding="utf-8")
    for relative, source in hicolor_icons().items():
        target = app_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    shutil.copyfile(PACKAGING / "install.sh", app_dir / "install.sh")
    (app_dir / "install.sh").chmod(0o755)
    glibc = trim.glibc_requirement(app_dir) or "2.28"  # 2.28: what PySide6's wheels need
    note = (PACKAGING / "INSTALL.txt").read_text(encoding="utf-8")
    note = note.replace("@VERSION@", version).replace("@GLIBC@", glibc)
    note = note.replace("@ARCH@", machine_name())
    (app_dir / "INSTALL.txt").write_text(note, encoding="utf-8")


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Store files as owned by root, readable by everyone, as release archives do."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode = 0o755 if info.isdir() or info.mode & 0o111 else 0o644
    return info


def make_tarball(app_dir: Path, stem: str) -> Path:
    """Pack the app folder as dist/STEM.tar.gz (one top folder, STEM) with a .sha256 beside."""
    archive = DIST / f"{stem}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(app_dir, arcname=stem, filter=_tar_filter)
    digest = hashlib.sha256()
    with archive.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    archive.with_name(archive.name + ".sha256").write_text(
        f"{digest.hexdigest()}  {archive.name}\n", encoding="utf-8")
    return archive


def app_folder(plan: PlatformPlan) -> Path:
    """Return the one-folder app PyInstaller makes (inside the .app on macOS)."""
    if plan.key == "macos":
        return DIST / f"{APP_NAME}.app" / "Contents"
    return DIST / EXE_NAME


def build(plan: PlatformPlan, *, clean: bool = False, verbose: bool = False) -> dict:
    """Build, trim and package the app; print and return the measured figures."""
    for line in plan.cannot:
        log.info("not done on %s: %s", plan.key, line)
    version = app_version()
    clock = time.monotonic()
    run_pyinstaller(plan, clean=clean, verbose=verbose)
    app_dir = app_folder(plan)
    figures: dict = {"version": version, "platform": plan.key, "app_dir": str(app_dir),
                     "pyinstaller_seconds": round(time.monotonic() - clock, 1),
                     "untrimmed_bytes": folder_size(app_dir)}
    log.info("built %s: %s before trimming", app_dir, megabytes(figures["untrimmed_bytes"]))
    removed = trim.trim_app(app_dir)
    log.info("trimmed %d files and folders the app does not use", len(removed))
    if plan.key == "macos":
        resign_macos_app(DIST / f"{APP_NAME}.app")
    if plan.make_tarball:
        add_linux_extras(app_dir, version)
    figures["trimmed_bytes"] = folder_size(app_dir)
    if plan.make_tarball:
        package_clock = time.monotonic()
        archive = make_tarball(app_dir, archive_stem(version, plan))
        figures.update(archive_name=archive.name, archive_bytes=archive.stat().st_size,
                       archive_seconds=round(time.monotonic() - package_clock, 1))
        log.info("wrote %s and its .sha256", archive)
    figures["build_seconds"] = round(time.monotonic() - clock, 1)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nDraftpress {version} for {plan.key}: {app_dir}\n{figures_table(figures)}",
          flush=True)
    return figures


def resign_macos_app(bundle: Path) -> None:
    """macOS: sign the trimmed .app again ad hoc (Apple Silicon refuses a broken signature)."""
    subprocess.run(["codesign", "--force", "--deep", "--sign", "-", str(bundle)], check=True)


def changed_since_build(report: Path = REPORT) -> list[Path]:
    """Return the app's source files changed after the last build ([] if there is none)."""
    if not report.is_file():
        return []
    built = report.stat().st_mtime
    return [path for folder in (ROOT / "editor", ROOT / "resources", PACKAGING)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
            and path.name != "bundle_smoke.py" and path.stat().st_mtime > built]


def smoke_program(plan: PlatformPlan) -> Path:
    """Return the program the smoke test starts (the console twin on Windows)."""
    if plan.key == "macos":
        return app_folder(plan) / "MacOS" / APP_NAME
    name = plan.console_twin or plan.gui_name
    return app_folder(plan) / (f"{name}.exe" if plan.key == "windows" else name)


def main(argv: list[str] | None = None) -> int:
    """Build the app, or smoke-test it with --smoke."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true",
                        help="start the built app offscreen on the welcome post and check it "
                             "(builds first if there is no build or the source changed since)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("-v", "--verbose", action="store_true", help="show PyInstaller's log")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="build_app: %(message)s")
    plan = platform_plan()
    try:
        if not args.smoke:
            build(plan, clean=args.clean, verbose=args.verbose)
            return 0
        program = smoke_program(plan)
        changed = changed_since_build()
        if not program.is_file() or changed:
            log.info("building first: %s", f"{len(changed)} source files changed since the "
                     f"last build, e.g. {changed[0]}" if changed else f"no {program} yet")
            build(plan, clean=args.clean, verbose=args.verbose)
        return smoke.run_smoke(program, app_version())
    except subprocess.CalledProcessError as error:
        log.error("failed: %s (exit status %s)", " ".join(map(str, error.cmd)), error.returncode)
        return 1
    except BuildError as error:
        log.error("%s", error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
