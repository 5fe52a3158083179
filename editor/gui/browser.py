"""Opens web addresses in the system browser, and nothing else (editor.core.web_links)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from editor.core.web_links import BROWSER_SCHEMES, is_web_address, not_opened_message

log = logging.getLogger(__name__)


def open_in_browser(url: QUrl | str) -> str | None:
    """Open a web address in the system browser; return why not for any other address."""
    qurl = url if isinstance(url, QUrl) else QUrl(url, QUrl.ParsingMode.StrictMode)
    encoded = qurl.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    given = url if isinstance(url, str) else encoded
    # The rule holds for what was given and for what Qt would hand to the desktop.
    if not (
        is_web_address(given)
        and is_web_address(encoded)
        and qurl.isValid()
        and qurl.scheme().lower() in BROWSER_SCHEMES
        and qurl.host()
    ):
        log.info("refused to open %r in the browser", given[:200])
        return not_opened_message(given)
    if not QDesktopServices.openUrl(qurl):
        return "The system browser could not be started."
    return None
