"""TLS pinning and the http:// consent, against the real WordPress behind a real proxy.

The proxy (reverse_proxy.py) serves https with a self-signed certificate made by the test, or
plain http on this machine's non-loopback address (127.0.0.0/8 is all loopback, so only a real
second interface gives a "remote" http:// address without a fake).
"""

from __future__ import annotations

import io
import socket
import uuid
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.post import load_post
from editor.publish import errors
from editor.publish.account_client import client_for_account
from editor.publish.accounts import Account, find_account, load_accounts, upsert_account
from editor.publish.certificates import UntrustedCertificate, fingerprint_of
from editor.publish.connection_check import check_connection
from editor.publish.remote_record import read_remote_record
from tests.integration.reverse_proxy import ReverseProxy, make_self_signed
from tests.integration.sample_posts import unique


def simple_post(folder: Path, title: str) -> Path:
    """Write a small post file."""
    path = folder / f"{uuid.uuid4().hex[:8]}.md"
    path.write_text(f'---\ntitle: "{title}"\nstatus: draft\n---\n\nA few words.\n', "utf-8")
    return path


def add_blog(wordpress, monkeypatch, name: str, url: str, *extra: str) -> int:
    """`draftpress blogs add` with the admin's application password on stdin."""
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.admin_app_password + "\n"))
    return main(
        ["blogs", "add", name, "--url", url, "--user", wordpress.admin_user]
        + ["--output", "blocks", "--password-stdin", "--engine", "wordpress", *extra]
    )


def non_loopback_address() -> str:
    """Return an IPv4 address of this machine that is not loopback (for a "remote" http://)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))  # no packet is sent: this picks the route
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        pytest.skip("this machine has no non-loopback IPv4 address to serve plain http on")
    return address


def test_a_self_signed_certificate_is_refused_with_its_fingerprint_then_trusted_exactly(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    first = make_self_signed(tmp_path / "certs", "first")
    other = make_self_signed(tmp_path / "certs", "other")
    proxy = ReverseProxy(wordpress.url, certificate=first)
    port = proxy.port
    with proxy:
        assert add_blog(wordpress, monkeypatch, "tls", proxy.url) == 0
        account = find_account("tls")
        with (
            pytest.raises(UntrustedCertificate) as refused,
            client_for_account(account, wordpress.admin_app_password) as client,
        ):
            check_connection(client)
        assert refused.value.fingerprint == fingerprint_of(first.pem)
        assert fingerprint_of(first.pem) in str(refused.value)
        assert "self-signed" in str(refused.value)
        assert proxy.requests == []  # nothing, let alone the password, went out

        # A certificate the ordinary checks accept needs no pin (here: made trusted the way
        # an administrator would, through $SSL_CERT_FILE).
        monkeypatch.setenv("SSL_CERT_FILE", str(first.cert_file))
        capsys.readouterr()
        assert main(["blogs", "trust", "tls"]) == 0
        assert "already trusts" in capsys.readouterr().out
        monkeypatch.delenv("SSL_CERT_FILE")
        assert find_account("tls").pinned_sha256 == ""

        assert main(["blogs", "trust", "tls", "--fingerprint", "AB:CD"]) == 1
        assert find_account("tls").pinned_sha256 == ""
        typed = fingerprint_of(first.pem).replace(":", "").lower()  # as a writer might paste it
        assert main(["blogs", "trust", "tls", "--fingerprint", typed]) == 0
        pinned = find_account("tls")
        assert pinned.pinned_sha256 == fingerprint_of(first.pem)
        assert pinned.pinned_pem == first.pem

        capsys.readouterr()
        assert main(["blogs", "test", "tls"]) == 0
        assert "Logged in as" in capsys.readouterr().out
        title = unique("Over pinned TLS")
        path = simple_post(tmp_path, title)
        posts = wordpress.count_posts()
        assert main(["publish", str(path), "--blog", "tls"]) == 0
        assert wordpress.count_posts() == posts + 1
        record = read_remote_record(load_post(path).text, "tls")
        assert wordpress.get_post_raw(record.id)["title"]["raw"] == title
        assert ("POST", "/wp-json/wp/v2/posts", True) in proxy.requests  # through the proxy

    # The same address now presents another self-signed certificate: refused, newly named.
    with ReverseProxy(wordpress.url, port=port, certificate=other) as replaced:
        capsys.readouterr()
        assert main(["blogs", "test", "tls"]) == 1
        error = capsys.readouterr().err
        assert fingerprint_of(other.pem) in error and "not the one you trusted" in error
        assert replaced.requests == []
        assert main(["blogs", "trust", "tls", "--forget"]) == 0
        assert find_account("tls").pinned_pem == ""


def test_basic_auth_over_http_to_another_machine_needs_consent_once(
    wordpress, memory_keyring, monkeypatch, capsys
) -> None:
    with ReverseProxy(wordpress.url, host=non_loopback_address()) as proxy:
        assert add_blog(wordpress, monkeypatch, "plain", proxy.url) == 1
        assert "--allow-insecure-http" in capsys.readouterr().err
        assert load_accounts() == []

        account = upsert_account(Account("plain", proxy.url, wordpress.admin_user))
        with pytest.raises(errors.PlainHttpRefused):
            client_for_account(account, wordpress.admin_app_password)
        assert proxy.requests == []  # refused before any request

        assert add_blog(wordpress, monkeypatch, "plain", proxy.url, "--allow-insecure-http") == 0
        assert find_account("plain").allow_plain_http is True
        assert main(["blogs", "test", "plain"]) == 0
        assert any(sent_password for _method, _path, sent_password in proxy.requests)


def test_loopback_http_needs_no_consent(wordpress) -> None:
    account = Account("local", wordpress.url, wordpress.admin_user)
    with client_for_account(account, wordpress.admin_app_password) as client:
        assert check_connection(client).can_publish
