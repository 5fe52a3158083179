"""TLS for blogs: the certificate a site presents, its fingerprint, and trusting exactly it.

A self-signed (or otherwise untrusted) certificate is refused like any other, but the refusal
names its SHA-256 fingerprint, and the writer may trust exactly that certificate for that
account. A pinned account is then verified against the pinned certificate alone: the system's
authorities are not consulted, so a different certificate, even a publicly valid one, is refused
again (with its own fingerprint) until the writer trusts it or forgets the pin.

The host name is not checked against a pinned certificate: the writer trusts these exact bytes
(a home server's certificate often names "localhost" or a device name, not the address typed),
and only the holder of the pinned certificate's private key can complete the handshake with
it. Its validity dates are still checked by OpenSSL; an expired pin must be replaced.
"""

from __future__ import annotations

import hashlib
import logging
import re
import socket
import ssl
from urllib.parse import urlsplit

import httpx

from editor.publish.errors import CertificateProblem

log = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 10.0


class UntrustedCertificate(CertificateProblem):
    """The blog's certificate is not trusted; `fingerprint` and `pem` say which one it is."""

    def __init__(self, message: str, fingerprint: str = "", pem: str = "") -> None:
        super().__init__(message)
        self.fingerprint = fingerprint
        self.pem = pem


def fingerprint_of(pem: str) -> str:
    """Return a certificate's SHA-256 fingerprint as browsers show it (AB:CD:…)."""
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalize_fingerprint(text: str) -> str:
    """Return a typed fingerprint in the AB:CD:… form (spaces, colons and case ignored)."""
    digits = re.sub(r"[^0-9A-Fa-f]", "", text.removeprefix("SHA256:")).upper()
    return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def _host_port(url: str) -> tuple[str, int]:
    """Return the host and port a https:// URL connects to."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or 443


def fetch_certificate(url: str, timeout: float = FETCH_TIMEOUT_S) -> str:
    """Return the PEM certificate the site at `url` presents (an unverified handshake).

    Nothing is sent but the TLS handshake itself: no request, no password.
    """
    host, port = _host_port(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=timeout) as sock,
        context.wrap_socket(sock, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the site presented no certificate")
    return ssl.DER_cert_to_PEM_cert(der)


def system_trusts(url: str, timeout: float = FETCH_TIMEOUT_S) -> bool:
    """Tell whether the site's certificate passes the ordinary checks (no pin needed).

    The same authorities as the blog client's (httpx's: certifi, or $SSL_CERT_FILE/DIR).
    """
    host, port = _host_port(url)
    context = httpx.create_ssl_context()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False


def pinned_context(pem: str) -> ssl.SSLContext:
    """Return an SSLContext that trusts exactly the pinned certificate (and nothing else)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # see the module docstring
    context.verify_mode = ssl.CERT_REQUIRED
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a leaf certificate as trust anchor
    context.load_verify_locations(cadata=pem)
    return context


def verify_for(pinned_pem: str) -> ssl.SSLContext | bool:
    """Return httpx's `verify` for an account: its pinned certificate, else the system's CAs."""
    return pinned_context(pinned_pem) if pinned_pem else True


def untrusted_certificate(site_url: str, pinned_sha256: str = "") -> UntrustedCertificate:
    """Describe a refused certificate for the writer, naming the one the site presents now."""
    try:
        pem = fetch_certificate(site_url)
        fingerprint = fingerprint_of(pem)
    except (OSError, ValueError) as error:
        log.info("could not read the certificate of %s: %s", site_url, type(error).__name__)
        return UntrustedCertificate(
            "The blog's security certificate could not be verified, so Draftpress did not "
            "send your password. Check the address, or ask the blog's host."
        )
    host = _host_port(site_url)[0]
    if pinned_sha256 and normalize_fingerprint(pinned_sha256) != fingerprint:
        opening = (
            f"The security certificate of {host} is not the one you trusted for this blog, "
            "so Draftpress did not send your password."
        )
    elif pinned_sha256:
        opening = (
            f"The certificate you trusted for {host} is no longer accepted (it may have "
            "expired), so Draftpress did not send your password."
        )
    else:
        opening = (
            f"The security certificate of {host} is not trusted (it may be self-signed), so "
            "Draftpress did not send your password."
        )
    return UntrustedCertificate(
        f"{opening} Its SHA-256 fingerprint is {fingerprint}. Trust it only if it matches the "
        "fingerprint your blog's host or server shows.",
        fingerprint,
        pem,
    )
