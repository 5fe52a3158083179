"""The password is never written anywhere but the keyring: publish, fail on purpose, then scan.

Everything Draftpress could write lands in the test's own folder (library, config, HOME and
the XDG folders point there), logging runs at DEBUG into a file (httpx and httpcore included),
and the scan also reads what was printed, logged and raised.
"""

from __future__ import annotations

import base64
import io
import logging
import traceback
import uuid
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from editor.cli import main
from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.publish_journal import journal_folder
from editor.publish.publisher import Publisher, PublishOptions
from editor.publish.wordpress_client import WordPressClient
from tests.integration import fault_proxy as faults
from tests.integration.test_publish_faults import make_app_password, make_post


def secret_forms(user: str, password: str) -> dict[str, str]:
    """Every spelling of a password that a leak could take."""
    forms = {
        "plain": password,
        "without spaces": password.replace(" ", ""),
        "url-encoded": quote(password),
        "form-encoded": quote_plus(password),
        "basic auth": base64.b64encode(f"{user}:{password}".encode()).decode(),
        "basic auth without spaces": base64.b64encode(
            f"{user}:{password.replace(' ', '')}".encode()
        ).decode(),
    }
    return {name: form for name, form in forms.items() if len(form) >= 8}


def leaks(text: str, forms: dict[str, str]) -> list[str]:
    """The forms of the password found in a text."""
    return [name for name, form in forms.items() if form in text]


def scan_folder(folder: Path, forms: dict[str, str]) -> tuple[list[str], int]:
    """(files holding the password, how many files were read) under a folder."""
    found, read = [], 0
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            read += 1
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{path.relative_to(folder)}: {name}" for name in leaks(text, forms)]
    return found, read


def test_the_scanner_finds_a_planted_password(tmp_path) -> None:
    forms = secret_forms("admin", "abcd EFGH ijkl MNOP qrst UVWX")
    (tmp_path / "log.txt").write_text(f"Authorization: Basic {forms['basic auth']}\n")
    (tmp_path / "url.txt").write_text("https://x/?pw=" + forms["url-encoded"])
    found, read = scan_folder(tmp_path, forms)
    assert read == 2 and any("basic auth" in f for f in found) and any("url" in f for f in found)


@pytest.fixture
def debug_log(tmp_path: Path):
    """Every logger, httpx and httpcore included, at DEBUG into a file under tmp_path."""
    log_file = tmp_path / "logs" / "draftpress-debug.log"
    log_file.parent.mkdir()
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield log_file
    root.removeHandler(handler)
    root.setLevel(previous)
    handler.close()


def add_account(monkeypatch, name: str, url: str, user: str, password: str) -> None:
    """`draftpress blogs add` with the password on stdin, as a writer would."""
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    argv = ["blogs", "add", name, "--url", url, "--user", user, "--password-stdin"]
    assert main(argv) == 0


def test_a_password_is_in_no_file_log_output_or_error_after_failed_publishes(
    wordpress, memory_keyring, monkeypatch, capsys, caplog, tmp_path, debug_log
) -> None:
    for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    caplog.set_level(logging.DEBUG)
    password, _ = make_app_password(wordpress, f"scan-{uuid.uuid4().hex[:6]}")
    wrong = f"wrong {uuid.uuid4().hex[:4]} {uuid.uuid4().hex[:4]} {uuid.uuid4().hex[:4]}"
    user = wordpress.admin_user
    raised: list[str] = []
    with faults.fault_proxy(lambda: wordpress.port) as proxy:
        add_account(monkeypatch, "scan", proxy.url, user, password)
        add_account(monkeypatch, "wrong", proxy.url, user, wrong)
        assert main(["blogs", "test", "scan"]) == 0
        path = make_post(tmp_path / "library", f"Secret Scan {uuid.uuid4().hex[:8]}")
        assert main(["publish", str(path), "--blog", "scan"]) == 0  # publish journal written
        post = load_post(path)
        save_post(post.with_text(post.text + "\nAn edit the blog fails on.\n"))
        proxy.on("POST", "/wp/v2/posts/", faults.ERROR_PAGE, status=500)
        assert main(["publish", str(path), "--blog", "scan"]) == 1
        proxy.clear()
        other = make_post(tmp_path / "library", f"Secret Scan Wrong {uuid.uuid4().hex[:8]}")
        assert main(["publish", str(other), "--blog", "wrong"]) == 1
        assert main(["blogs", "test", "wrong"]) == 1
        # The errors themselves, with their tracebacks, as a crash report would show them.
        for secret in (password, wrong):
            try:
                with WordPressClient(proxy.url, user, secret) as client:
                    proxy.on("POST", "/wp/v2/posts/", faults.ERROR_PAGE, status=500)
                    Publisher(client).publish(load_post(path), "scan", PublishOptions())
            except errors.PublishError as error:
                raised.append("".join(traceback.format_exception(error)) + repr(error))
            finally:
                proxy.clear()
    printed = capsys.readouterr()
    assert "HTTP 500" in printed.err and "application password" in printed.err
    assert len(raised) == 2
    log_text = debug_log.read_text(encoding="utf-8")
    assert "httpcore" in log_text and "send_request_headers" in log_text  # DEBUG was on
    assert any(journal_folder().glob("*.json"))  # the publish journal was written
    for secret in (password, wrong):
        forms = secret_forms(user, secret)
        found, read = scan_folder(tmp_path, forms)
        assert read >= 8 and found == []
        for name, text in (
            ("stdout", printed.out),
            ("stderr", printed.err),
            ("log records", caplog.text),
            ("exceptions", "\n".join(raised)),
        ):
            assert leaks(text, forms) == [], name
    assert memory_keyring.store  # the keyring, and only the keyring, holds them
