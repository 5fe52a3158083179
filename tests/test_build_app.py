"""build_app.py's helpers (no PyInstaller run here: `python build_app.py --smoke` does that)."""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import build_app

bundle_smoke = build_app.smoke  # packaging/bundle_smoke.py, put on sys.path by build_app
bundle_trim = build_app.trim  # packaging/bundle_trim.py

CHECKOUT = Path(__file__).resolve().parents[1]


# -- the plan for each platform -----------------------------------------------------------------

def test_linux_plan_builds_a_console_program_and_a_tarball() -> None:
    plan = build_app.platform_plan("linux")

    assert (plan.key, plan.gui_name, plan.windowed, plan.make_tarball) == (
        "linux", "draftpress", False, True)
    assert plan.icon is None and plan.bundle_identifier is None
    assert any("cross-compile" in line for line in plan.cannot)


def test_windows_plan_is_windowed_with_ico_and_a_console_twin() -> None:
    plan = build_app.platform_plan("win32")

    assert (plan.key, plan.gui_name, plan.windowed) == ("windows", "Draftpress", True)
    assert plan.icon == "draftpress.ico" and (build_app.ICONS / plan.icon).is_file()
    assert plan.console_twin == "draftpress-cli"
    assert not plan.make_tarball


def test_macos_plan_is_a_windowed_bundle_with_identifier_and_icns() -> None:
    plan = build_app.platform_plan("darwin")

    assert (plan.key, plan.windowed, plan.icon) == ("macos", True, "draftpress.icns")
    assert plan.bundle_identifier == "org.draftpress.Draftpress"
    assert any("notarization" in line for line in plan.cannot)


def test_smoke_program_is_the_console_program_of_each_platform() -> None:
    assert build_app.smoke_program(build_app.platform_plan("linux")).name == "draftpress"
    assert build_app.smoke_program(build_app.platform_plan("win32")).name == "draftpress-cli.exe"
    mac = build_app.smoke_program(build_app.platform_plan("darwin"))
    assert mac.parts[-4:] == ("Draftpress.app", "Contents", "MacOS", "Draftpress")


def test_archive_stem_names_version_platform_and_cpu() -> None:
    plan = build_app.platform_plan("linux")

    assert build_app.archive_stem("1.2.3", plan, "AMD64") == "draftpress-1.2.3-linux-x86_64"
    assert build_app.archive_stem("1.2.3", plan, "aarch64") == "draftpress-1.2.3-linux-arm64"


def test_changed_since_build_lists_source_newer_than_the_build_report(tmp_path: Path) -> None:
    report = tmp_path / "build-report.json"

    assert build_app.changed_since_build(report) == []  # no build yet
    report.write_text("{}")
    os.utime(report, (0, 0))
    assert CHECKOUT / "editor" / "app.py" in build_app.changed_since_build(report)
    assert not any(p.name == "bundle_smoke.py" for p in build_app.changed_since_build(report))
    os.utime(report, None)
    assert build_app.changed_since_build(report) == []


# -- what goes into the bundle ------------------------------------------------------------------

def test_excludes_every_installed_qt_module_but_the_used_ones() -> None:
    installed = {"QtCore", "QtGui", "QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore", "QtPdf"}

    excluded = build_app.qt_module_excludes(installed)

    assert excluded == ["PySide6.Qt3DCore", "PySide6.QtPdf", "PySide6.QtQml", "PySide6.QtQuick"]


def test_the_app_imports_no_qt_module_the_build_excludes() -> None:
    """A new `from PySide6.QtSvg import ...` anywhere in editor/ must be added to the build."""
    probe = (  # a module that fails to import is other tests' business: skip it here
        "import importlib, json, pkgutil, sys, editor\n"
        "skip = lambda name: print(name, file=sys.stderr)\n"
        "for m in pkgutil.walk_packages(editor.__path__, 'editor.', onerror=skip):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        try:\n"
        "            importlib.import_module(m.name)\n"
        "        except ImportError as error:\n"
        "            print(m.name, error, file=sys.stderr)\n"
        "print(json.dumps(sorted({n.split('.')[1] for n in sys.modules\n"
        "                         if n.startswith('PySide6.Qt')})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=False, cwd=CHECKOUT)

    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout))
    assert "QtWebEngineWidgets" in imported
    assert imported <= build_app.QT_MODULES_USED


def test_desktop_entry_opens_markdown_from_the_office_menu() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read_string(build_app.desktop_entry())
    desktop = entry["Desktop Entry"]

    assert desktop["Name"] == "Draftpress"
    assert desktop["Exec"] == "draftpress %f"
    assert desktop["Icon"] == "draftpress"
    assert "text/markdown;" in desktop["MimeType"]
    assert desktop["Categories"] == "Office;TextEditor;"


def test_hicolor_icons_cover_the_usual_sizes_and_the_svg() -> None:
    icons = build_app.hicolor_icons()

    for size in (16, 32, 48, 64, 128, 256, 512):
        assert icons[f"share/icons/hicolor/{size}x{size}/apps/draftpress.png"].is_file()
    assert icons["share/icons/hicolor/scalable/apps/draftpress.svg"].suffix == ".svg"


def test_make_icns_writes_an_icon_pillow_reads_back(tmp_path: Path) -> None:
    from PIL import Image

    icns = build_app.make_icns(tmp_path / "draftpress.icns")

    with Image.open(icns) as image:
        assert image.format == "ICNS"
        assert (512, 512, 1) in image.info["sizes"]


def test_figures_table_lists_time_and_the_three_sizes() -> None:
    table = build_app.figures_table({
        "build_seconds": 51.4, "pyinstaller_seconds": 30.2, "archive_seconds": 18.0,
        "untrimmed_bytes": 491_000_000, "trimmed_bytes": 420_400_000,
        "archive_name": "draftpress-0.1.0-linux-x86_64.tar.gz", "archive_bytes": 174_600_000,
    })

    assert "51 s (PyInstaller 30 s, .tar.gz 18 s)" in table
    assert "491 MB" in table and "420 MB" in table
    assert "draftpress-0.1.0-linux-x86_64.tar.gz  175 MB" in table


def test_tarball_has_one_top_folder_keeps_exec_bits_and_a_checksum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "app"
    (app / "_internal").mkdir(parents=True)
    (app / "draftpress").write_text("#!/bin/sh\n")
    (app / "draftpress").chmod(0o700)
    (app / "_internal" / "data.txt").write_text("data")
    monkeypatch.setattr(build_app, "DIST", tmp_path)

    archive = build_app.make_tarball(app, "draftpress-9-linux-x86_64")

    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert {name.split("/")[0] for name in members} == {"draftpress-9-linux-x86_64"}
    program = members["draftpress-9-linux-x86_64/draftpress"]
    assert program.mode == 0o755 and program.uname == "root"
    assert members["draftpress-9-linux-x86_64/_internal/data.txt"].mode == 0o644
    digest, name = archive.with_name(archive.name + ".sha256").read_text().split()
    assert name == archive.name
    assert digest == hashlib.sha256(archive.read_bytes()).hexdigest()


# -- trimming -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "trimmed"),
    [
        ("_internal/PySide6/Qt/qml", True),
        ("_internal/PySide6/Qt/translations/qtbase_de.qm", True),
        ("_internal/PySide6/Qt/translations/qtwebengine_locales/de.pak", True),
        ("_internal/PySide6/Qt/translations/qtwebengine_locales/en-US.pak", False),
        ("_internal/PySide6/Qt/resources/qtwebengine_devtools_resources.pak", True),
        ("_internal/PySide6/Qt/resources/qtwebengine_resources.pak", False),
        ("_internal/PySide6/Qt/plugins/sqldrivers", True),
        ("_internal/PySide6/Qt/plugins/printsupport", True),
        ("_internal/PySide6/Qt/plugins/imageformats", False),
        ("_internal/PySide6/Qt/plugins/imageformats/libqpdf.so", True),
        ("_internal/PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("_internal/PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
         False),
        ("_internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("_internal/PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
        ("_internal/PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("_internal/PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("_internal/PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("_internal/PySide6/Qt/lib/libQt6WebEngineCore.so.6", False),
        ("_internal/resources/themes/default.css", False),
        ("_internal/resources/welcome/welcome-to-draftpress.md", False),
    ],
)
def test_trim_rules(path: str, trimmed: bool) -> None:
    assert (bundle_trim.trim_reason(Path(path)) is not None) is trimmed


def test_remove_by_rules_deletes_folders_and_files_and_keeps_the_rest(tmp_path: Path) -> None:
    qt = tmp_path / "_internal" / "PySide6" / "Qt"
    keep = [qt / "translations" / "qtwebengine_locales" / "en-US.pak",
            qt / "plugins" / "platforms" / "libqxcb.so", tmp_path / "_internal" / "resources" / "t"]
    drop = [qt / "qml" / "QtQuick" / "qmldir", qt / "translations" / "qt_fr.qm",
            qt / "translations" / "qtwebengine_locales" / "fr.pak",
            qt / "plugins" / "sqldrivers" / "libqsqlite.so"]
    for path in keep + drop:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")

    removed = bundle_trim.remove_by_rules(tmp_path)

    assert all(path.exists() for path in keep)
    assert not any(path.exists() for path in drop)
    assert qt / "qml" in removed and qt / "plugins" / "sqldrivers" in removed


@pytest.mark.parametrize(
    ("name", "removable"),
    [("libQt6Pdf.so.6", True), ("libgtk-3.so.0", True), ("libpangocairo-1.0.so.0", True),
     ("libcairo.so.2", True), ("libglib-2.0.so.0", False), ("libsoftokn3.so", False),
     ("libpython3.11.so.1.0", False), ("QtCore.abi3.so", False)],
)
def test_only_qt_and_gtk_libraries_may_go_when_unneeded(name: str, removable: bool) -> None:
    assert bool(bundle_trim.REMOVABLE_LIBRARY.match(name)) is removable


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files are Linux's")
def test_elf_needed_reads_the_libraries_a_program_needs(tmp_path: Path) -> None:
    python = Path(sys.executable).resolve()
    (tmp_path / "text.so").write_text("not ELF")

    assert "libc.so.6" in bundle_trim.elf_needed(python)
    assert bundle_trim.elf_needed(tmp_path / "text.so") == []
    assert bundle_trim.glibc_requirement(python.parent).startswith("2.")


def test_unneeded_follows_needs_through_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: tmp_path / name for name in ("app", "libA", "libB", "libC", "libD")}
    needs = {"app": ["libA"], "libA": ["libB", "libsystem"], "libB": [], "libC": ["libD"],
             "libD": []}
    monkeypatch.setattr(bundle_trim, "elf_needed", lambda path: needs[path.name])

    unused = bundle_trim.unneeded(
        [files["app"]], [files[n] for n in ("libA", "libB", "libC", "libD")],
        {name: path.resolve() for name, path in files.items()},
    )

    assert unused == [files["libC"], files["libD"]]


# -- the smoke test's judgement -----------------------------------------------------------------

def test_version_problems_needs_draftpress_python_and_qt() -> None:
    good = "Draftpress 0.1.0 (Python 3.11.7, Qt 6.12.0, PySide6 6.12.0)\n"

    assert bundle_smoke.version_problems(good, "0.1.0") == []
    assert len(bundle_smoke.version_problems("Draftpress 0.1.0 (Python 3.11.7)", "0.1.0")) == 1
    assert len(bundle_smoke.version_problems(good, "0.2.0")) == 1


def test_result_problems_want_a_frozen_app_using_its_own_resources(tmp_path: Path) -> None:
    bundle = tmp_path / "draftpress"
    ok = {"ok": True, "failed": [], "frozen": True,
          "resources": str(bundle / "_internal" / "resources")}

    assert bundle_smoke.result_problems(ok, 0, bundle) == []
    assert bundle_smoke.result_problems({**ok, "frozen": False}, 0, bundle)
    assert bundle_smoke.result_problems({**ok, "resources": "/work/resources"}, 0, bundle)
    assert bundle_smoke.result_problems({**ok, "failed": ["no quote"]}, 1, bundle) == ["no quote"]
    assert bundle_smoke.result_problems({**ok, "ok": False}, 2, bundle) == ["the app timed out"]
    assert "crashed (signal 6)" in bundle_smoke.result_problems(None, -6, bundle)[0]
    assert "hung" in bundle_smoke.result_problems(None, bundle_smoke.HUNG, bundle)[0]


def test_parse_result_takes_the_last_json_line() -> None:
    out = 'log line\n{"ok": false}\nmore\n{"ok": true}\n'

    assert bundle_smoke.parse_result(out) == {"ok": True}
    assert bundle_smoke.parse_result("no json\n") is None


def test_smoke_environment_is_headless_and_isolated(tmp_path: Path) -> None:
    env = bundle_smoke.smoke_environment({"PATH": "/bin"}, tmp_path, as_root=True)

    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["QTWEBENGINE_DISABLE_SANDBOX"] == "1"
    assert env["DRAFTPRESS_HOME"].startswith(str(tmp_path))
    assert env["DRAFTPRESS_CONFIG_DIR"].startswith(str(tmp_path))
    assert "QTWEBENGINE_DISABLE_SANDBOX" not in bundle_smoke.smoke_environment({}, tmp_path, False)


def test_bundled_resources_finds_the_welcome_post_in_a_one_folder_app(tmp_path: Path) -> None:
    welcome = tmp_path / "_internal" / "resources" / "welcome" / "welcome-to-draftpress.md"
    welcome.parent.mkdir(parents=True)
    welcome.write_text("hi")

    assert bundle_smoke.bundled_resources(tmp_path / "draftpress") == welcome.parents[1]
    assert bundle_smoke.bundled_resources(tmp_path / "elsewhere" / "draftpress") is None


def _smoke_test(post: Path) -> tuple[int, dict | None]:
    """Run `draftpress --smoke-test POST` from the checkout; return its status and result."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    ran = subprocess.run([sys.executable, "-m", "editor", "--smoke-test", str(post)], env=env,
                         capture_output=True, text=True, timeout=90, check=False)
    return ran.returncode, bundle_smoke.parse_result(ran.stdout)


def test_the_apps_smoke_flag_passes_on_the_welcome_post(tmp_path: Path) -> None:
    """The contract between `build_app.py --smoke` and the app, checked without a build."""
    welcome = CHECKOUT / "resources" / "welcome"
    sample = tmp_path / "sample"
    subprocess.run(["cp", "-r", str(welcome), str(sample)], check=True)

    status, result = _smoke_test(sample / "welcome-to-draftpress.md")

    assert status == 0, result
    assert result["ok"] and result["failed"] == []
    assert result["preview"]["images"] == 1 and result["frozen"] is False


def test_the_apps_smoke_flag_names_what_a_post_lacks(tmp_path: Path) -> None:
    post = tmp_path / "plain.md"
    post.write_text("---\ntitle: Plain\n---\n\nJust words.\n", encoding="utf-8")

    status, result = _smoke_test(post)

    assert status == 1
    assert any("<blockquote>" in problem for problem in result["failed"])
    assert any("no image" in problem for problem in result["failed"])


# -- install.sh, shipped in the tarball ---------------------------------------------------------

def test_install_script_adds_menu_entry_icons_and_command_then_removes_them(
    tmp_path: Path,
) -> None:
    app = tmp_path / "My Apps" / "draftpress-1"
    (app / "share" / "applications").mkdir(parents=True)
    (app / "share" / "applications" / "draftpress.desktop").write_text(build_app.desktop_entry())
    for relative, source in build_app.hicolor_icons().items():
        (app / relative).parent.mkdir(parents=True, exist_ok=True)
        (app / relative).write_bytes(source.read_bytes())
    (app / "draftpress").write_text("#!/bin/sh\necho run\n")
    (app / "draftpress").chmod(0o755)
    script = app / "install.sh"
    script.write_bytes((CHECKOUT / "packaging" / "install.sh").read_bytes())
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}

    subprocess.run(["sh", str(script)], env=env, check=True, capture_output=True)

    data = home / ".local" / "share"
    entry = (data / "applications" / "draftpress.desktop").read_text()
    assert f'Exec="{app}/draftpress" %f' in entry
    assert f"TryExec={app}/draftpress\n" in entry
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "draftpress.png").is_file()
    assert (home / ".local" / "bin" / "draftpress").resolve() == app / "draftpress"

    subprocess.run(["sh", str(script), "--uninstall"], env=env, check=True, capture_output=True)

    assert not (data / "applications" / "draftpress.desktop").exists()
    assert not (home / ".local" / "bin" / "draftpress").exists()
    assert not list(data.glob("icons/hicolor/*/apps/draftpress.*"))


def test_a_linux_build_without_objdump_says_which_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A fake PATH without objdump, as on a minimal Debian or Ubuntu system (the real machine
    # has binutils); PyInstaller itself is never started.
    monkeypatch.setattr(build_app.shutil, "which", lambda name: None)
    monkeypatch.setattr(build_app.importlib.util, "find_spec", lambda name: object())
    ran: list[object] = []
    monkeypatch.setattr(build_app.subprocess, "run", lambda *a, **k: ran.append(a))

    with pytest.raises(build_app.BuildError, match="apt-get install binutils"):
        build_app.run_pyinstaller(build_app.platform_plan("linux"), clean=False, verbose=False)
    assert ran == []


# -- spelling dictionaries bundled --------------------------------------------------------------


def test_dictionary_files_takes_each_dictionary_from_the_first_folder_holding_it(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, tags in ((first, ["en_US"]), (second, ["en_US", "de_DE"])):
        folder.mkdir()
        for tag in tags:
            (folder / f"{tag}.dic").write_text("1\nword\n", encoding="utf-8")
            (folder / f"{tag}.aff").write_text("SET UTF-8\n", encoding="utf-8")
    files = build_app.dictionary_files(("en_US", "de_DE"), (first, second))
    assert files == [first / "en_US.dic", first / "en_US.aff",
                     second / "de_DE.dic", second / "de_DE.aff"]


def test_dictionary_files_refuses_to_build_without_the_dictionary(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="No en_US Hunspell dictionary"):
        build_app.dictionary_files(("en_US",), (tmp_path,))


def test_the_app_finds_its_bundled_dictionaries_unless_the_writer_has_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen app cannot be made inside a test run: sys.frozen and sys._MEIPASS are what
    # PyInstaller's bootloader sets (`build_app.py --smoke` checks the real app).
    from editor.core import spelling

    (tmp_path / "enchant" / "hunspell").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv("ENCHANT_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    spelling._use_bundled_dictionaries()
    assert os.environ["ENCHANT_CONFIG_DIR"] == str(tmp_path / "enchant")

    monkeypatch.delenv("ENCHANT_CONFIG_DIR")
    (tmp_path / "config" / "enchant" / "hunspell").mkdir(parents=True)
    spelling._use_bundled_dictionaries()
    assert "ENCHANT_CONFIG_DIR" not in os.environ
