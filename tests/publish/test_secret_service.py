"""The account password goes to a real Secret Service (gnome-keyring) and comes back from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SECRET = "real-keyring abcd EFGH ijkl"
SCRIPT = textwrap.dedent(
    """
    import keyring
    from editor.publish.accounts import Account, read_password, store_password, upsert_account
    print(type(keyring.get_keyring()).__module__)
    account = upsert_account(Account("blog", "https://blog.example", "ada"))
    store_password(account, {secret!r})
    keyring.core._keyring_backend = None  # forget the backend: read it back afresh
    print(read_password(account))
    """
)


@pytest.mark.system_keyring
def test_the_password_is_stored_in_and_read_from_a_real_secret_service(tmp_path: Path) -> None:
    missing = [
        tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(tool)
    ]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run scripts/test.sh (it installs them)")
    home = tmp_path / "home"
    home.mkdir()
    script = tmp_path / "keyring_check.py"
    script.write_text(SCRIPT.format(secret=SECRET), encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.pop("PYTHON_KEYRING_BACKEND", None)
    command = (
        "printf '%s' unlock-password | gnome-keyring-daemon --unlock --components=secrets "
        f">/dev/null && exec {sys.executable} {script}"
    )
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    backend, password = done.stdout.strip().splitlines()[-2:]
    assert backend == "keyring.backends.SecretService"
    assert password == SECRET
    config = Path(env.get("DRAFTPRESS_CONFIG_DIR", home))
    for path in [*config.rglob("*"), *home.rglob("*.json")]:
        if path.is_file() and path.suffix in (".json", ".ini"):
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace")
