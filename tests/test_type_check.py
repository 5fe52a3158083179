"""scripts/check_types.py: the mypy baseline only shrinks, the strict packages have no error.

mypy's reports are given here as it prints them (`--output json`), so the rules are checked
without running mypy; scripts/test.sh runs the real check.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_types.py"


def _report(file: str, message: str, code: str = "attr-defined", line: int = 10) -> dict:
    return {"file": file, "line": line, "message": message, "code": code, "severity": "error"}


GUI_ERROR = _report("editor/gui/main_window.py", 'Cannot assign to a method "actions"')


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_types", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "BASELINE", tmp_path / "mypy-baseline.txt")
    return module


def _mypy_reports(check: ModuleType, monkeypatch: pytest.MonkeyPatch, reports: list) -> None:
    monkeypatch.setattr(check, "run_mypy", lambda: reports)


def test_the_errors_of_the_baseline_pass_wherever_they_moved(check, monkeypatch) -> None:
    _mypy_reports(check, monkeypatch, [GUI_ERROR])
    assert check.main(["--update"]) == 0
    _mypy_reports(check, monkeypatch, [{**GUI_ERROR, "line": 250}])
    assert check.main([]) == 0


def test_a_new_error_fails(check, monkeypatch, caplog) -> None:
    _mypy_reports(check, monkeypatch, [GUI_ERROR])
    check.main(["--update"])
    again = {**GUI_ERROR, "line": 99}
    _mypy_reports(check, monkeypatch, [GUI_ERROR, again])  # the same error once more
    assert check.main([]) == 1
    assert "1 new mypy error" in caplog.text


def test_a_fixed_error_fails_until_the_baseline_is_updated(check, monkeypatch, caplog) -> None:
    _mypy_reports(check, monkeypatch, [GUI_ERROR])
    check.main(["--update"])
    _mypy_reports(check, monkeypatch, [])
    assert check.main([]) == 1
    assert "scripts/check_types.py --update" in caplog.text
    assert check.main(["--update"]) == 0
    assert check.main([]) == 0
    assert check.read_baseline() == {}


def test_strict_packages_are_never_baselined(check, monkeypatch, caplog) -> None:
    strict = _report("editor/render/page.py", "Missing type arguments", "type-arg")
    _mypy_reports(check, monkeypatch, [strict, GUI_ERROR])
    assert check.main(["--update"]) == 1
    assert list(check.read_baseline()) == [check.key_of(GUI_ERROR)]
    assert check.main([]) == 1
    assert "strict packages" in caplog.text


def test_line_numbers_inside_messages_do_not_key_errors(check) -> None:
    first = _report("editor/gui/x.py", 'Name "f" already defined on line 12', "no-redef")
    moved = _report("editor/gui/x.py", 'Name "f" already defined on line 40', "no-redef")
    assert check.key_of(first) == check.key_of(moved)
    assert check.key_of(first) == 'editor/gui/x.py: [no-redef] Name "f" already defined'


def test_the_checked_in_baseline_has_no_strict_package_entries() -> None:
    baseline = SCRIPT.parents[1] / "mypy-baseline.txt"
    lines = [line for line in baseline.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    assert lines, "the baseline lists today's errors outside the strict packages"
    strict = ("editor/core/", "editor/render/", "editor/publish/")
    assert [line for line in lines if line.startswith(strict)] == []


def test_an_error_in_a_moved_file_is_told_apart(check, monkeypatch, caplog) -> None:
    _mypy_reports(check, monkeypatch, [GUI_ERROR])
    check.main(["--update"])
    _mypy_reports(check, monkeypatch, [{**GUI_ERROR, "file": "editor/gui/window/main_window.py"}])
    assert check.main([]) == 1
    assert "1 of these look like the same error in a moved file" in caplog.text
