"""Smoke-test the built app: `--version`, `render`, and the window showing the welcome post.

The window check runs the bundled program offscreen with the hidden `--smoke-test FILE` flag
(editor/app.py: SmokeCheck), which prints one line of JSON and exits 0 (passed), 1 (failed)
or 2 (timed out). Everything happens in a temporary folder: library, settings and the copy
of the welcome post taken from the bundle's own resources.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("build_app.smoke")

WELCOME = "welcome-to-draftpress"
PROGRAM_TIMEOUT_S = 90  # the app gives up by itself after 30 s; this catches a hung app
HUNG = 124  # the exit status reported for a program killed after PROGRAM_TIMEOUT_S


def bundled_resources(program: Path) -> Path | None:
    """Return the resources folder inside the built app, or None if it has none."""
    for folder in (program.parent / "_internal" / "resources",  # Linux, Windows
                   program.parent.parent / "Resources" / "resources",  # macOS .app
                   program.parent / "resources"):
        if (folder / "welcome" / f"{WELCOME}.md").is_file():
            return folder
    return None


def smoke_environment(base: Mapping[str, str], folder: Path, as_root: bool) -> dict[str, str]:
    """Return the environment of the app under test: headless, in a throwaway home."""
    env = dict(base)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu",
        DRAFTPRESS_HOME=str(folder / "library"),
        DRAFTPRESS_CONFIG_DIR=str(folder / "config"),
        XDG_RUNTIME_DIR=str(folder / "runtime"),
    )
    if as_root:  # Chromium refuses to start its sandbox as root
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def version_problems(output: str, version: str) -> list[str]:
    """Say what `draftpress --version` printed wrong ([] if it names all three versions)."""
    wanted = {f"Draftpress {version}": "the app's version", "Python 3.": "Python's version",
              "Qt 6.": "Qt's version"}
    return [f"--version does not show {what}: {output.strip()!r}"
            for text, what in wanted.items() if text not in output]


def parse_result(stdout: str) -> dict | None:
    """Return the JSON result line the app printed last, or None."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def result_problems(result: dict | None, status: int, app_root: Path) -> list[str]:
    """Say what the window check found wrong, from the app's JSON line and exit status."""
    if result is None:
        if status < 0:
            return [f"the app crashed (signal {-status}) before printing a result"]
        if status == HUNG:
            return [f"the app hung: no result within {PROGRAM_TIMEOUT_S} s"]
        return [f"the app printed no result (exit status {status})"]
    problems = list(result.get("failed", []))
    if status != 0 and not problems:
        problems.append("the app timed out" if status == 2 else f"the app exited with {status}")
    if status == 0 and not result.get("ok"):
        problems.append("the app exited with 0 but reported a failure")
    resources = Path(result.get("resources", "")).resolve()
    if not resources.is_relative_to(app_root.resolve()):
        problems.append(f"the app used resources outside the bundle: {resources}")
    if not result.get("frozen"):
        problems.append("the app does not know it is bundled (sys.frozen is not set)")
    return problems


def _run(command: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """Run the bundled program, capturing its output; a hang counts as exit status HUNG."""
    try:
        return subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True,
                              timeout=PROGRAM_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as hung:
        out = hung.stdout.decode() if isinstance(hung.stdout, bytes) else hung.stdout or ""
        err = hung.stderr.decode() if isinstance(hung.stderr, bytes) else hung.stderr or ""
        return subprocess.CompletedProcess(command, HUNG, out, err)


def run_smoke(program: Path, version: str) -> int:
    """Run the checks against the built program; print each; return 0 if all passed."""
    started = time.monotonic()
    log.info("smoke-testing %s", program)
    checks: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="draftpress-smoke-") as temp:
        folder = Path(temp)
        (folder / "runtime").mkdir(mode=0o700)
        env = smoke_environment(os.environ, folder, hasattr(os, "geteuid") and os.geteuid() == 0)
        checks["version"] = _check_version(program, version, env, folder)
        resources = bundled_resources(program)
        if resources is None:
            checks["resources"] = ["the bundle has no resources/welcome"]
            _report("the welcome post in the bundle", checks["resources"], "")
        else:
            sample = folder / "sample" / f"{WELCOME}.md"
            shutil.copytree(resources / "welcome", sample.parent)
            checks["render"] = _check_render(program, sample, resources, env, folder)
            checks["window"] = _check_window(program, sample, env, folder)
    failed = sum(1 for problems in checks.values() if problems)
    verdict = "FAILED" if failed else "passed"
    print(f"smoke test {verdict} in {time.monotonic() - started:.1f} s", flush=True)
    print(f"smoke: {len(checks) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def _check_version(program: Path, version: str, env: dict, folder: Path) -> list[str]:
    """`draftpress --version` names Draftpress's, Python's and Qt's versions."""
    shown = _run([str(program), "--version"], env, folder)
    if shown.returncode != 0:
        problems = [f"--version exited with status {shown.returncode}: {_tail(shown.stderr)}"]
    else:
        problems = version_problems(shown.stdout, version)
    _report("--version", problems, shown.stdout.strip())
    return problems


def _check_render(program: Path, sample: Path, resources: Path, env: dict, folder: Path
                  ) -> list[str]:
    """`draftpress render` writes the page with the bundled theme CSS (no window, no Qt)."""
    page = folder / "page.html"
    rendered = _run([str(program), "render", str(sample), "-o", str(page)], env, folder)
    if rendered.returncode != 0 or not page.is_file():
        problems = [f"render exited with status {rendered.returncode}: {_tail(rendered.stderr)}"]
    else:
        css = (resources / "themes" / "default.css").read_text(encoding="utf-8").strip()
        html = page.read_text(encoding="utf-8")
        problems = []
        if css.splitlines()[0] not in html:
            problems.append("render: the page lacks the theme CSS")
        if "<figcaption>" not in html:
            problems.append("render: the page lacks the figure's caption")
    size = page.stat().st_size if page.is_file() else 0
    _report("render FILE -o PAGE.html", problems, f"{size:,} bytes with the theme CSS")
    return problems


def _check_window(program: Path, sample: Path, env: dict, folder: Path) -> list[str]:
    """The window opens the sample and its preview shows figure, quote, code and image."""
    app_root = program.parent.parent if program.parent.name == "MacOS" else program.parent
    ran = _run([str(program), "--smoke-test", str(sample)], env, folder)
    result = parse_result(ran.stdout)
    problems = result_problems(result, ran.returncode, app_root)
    if not (folder / "library" / f"{WELCOME}.md").is_file():
        problems.append("the app did not create the drafts library from its resources")
    detail = ""
    if result:
        preview = result.get("preview") or {}
        passed = ", ".join(key for key, value in preview.items() if value is True)
        detail = (f"{result.get('seconds')} s, title {result.get('window_title')!r}, "
                  f"{passed}, {preview.get('images')} image(s) loaded")
    _report("window and preview (offscreen)", problems, detail)
    if problems:
        log.error("the app's last log lines:\n%s", "\n".join(ran.stderr.splitlines()[-30:]))
    return problems


def _tail(text: str) -> str:
    """Return the end of a program's error output, on one line."""
    return " ".join(text.strip().splitlines()[-3:])[-500:]


def _report(name: str, problems: list[str], detail: str) -> None:
    """Print one check's outcome."""
    if problems:
        print(f"  FAIL  {name}", flush=True)
        for problem in problems:
            print(f"        {problem}", flush=True)
    else:
        print(f"  ok    {name}: {detail}", flush=True)
