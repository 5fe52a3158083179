"""The live preview: a locked-down QWebEngineView patched in place as the writer types."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from editor.render.page import build_page

log = logging.getLogger(__name__)

_PATCH_SCRIPT = """(function () {
  var content = document.getElementById('content');
  var title = document.getElementById('dp-title');
  if (!content) { return -1; }
  content.innerHTML = %s;
  if (title) { title.textContent = %s; document.title = title.textContent; }
  return %d;
})()"""


class LocalFileGuard(QWebEngineUrlRequestInterceptor):
    """Blocks every file:// request outside the post's folder."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed_folder: Path | None = None

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        """Refuse local files that are not inside the allowed folder."""
        url = info.requestUrl()
        if url.scheme() != "file":
            return
        target = Path(url.toLocalFile()).resolve()
        folder = self.allowed_folder
        if folder is None or not target.is_relative_to(folder):
            log.info("preview blocked a local file outside the post folder: %s", target)
            info.block(True)


class PreviewPage(QWebEnginePage):
    """A page that never navigates away: clicked links open in the system browser."""

    def __init__(self, profile: QWebEngineProfile, parent=None) -> None:
        super().__init__(profile, parent)
        self.newWindowRequested.connect(self._open_new_window_link)

    @staticmethod
    def _open_new_window_link(request: QWebEngineNewWindowRequest) -> None:
        """A clicked `target="_blank"` link opens in the system browser too (no new window)."""
        url = request.requestedUrl()
        if request.isUserInitiated() and url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def acceptNavigationRequest(  # noqa: N802 (Qt API)
        self, url: QUrl, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Allow only our own page loads; hand clicked links to the desktop."""
        if navigation_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            if url.scheme() in ("http", "https", "mailto"):
                QDesktopServices.openUrl(url)
            return False
        # Only loads the app asks for (setHtml, load: "typed") replace the page: a post's
        # <meta http-equiv="refresh"> is a redirect, its form a submission; both stay refused.
        kind = QWebEnginePage.NavigationType
        if navigation_type == kind.NavigationTypeTyped:
            return True
        if is_main_frame or navigation_type == kind.NavigationTypeFormSubmitted:
            log.info("the preview refused to navigate to %s", url.toString()[:200])
            return False
        return True

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> None:  # noqa: N802 (Qt API)
        """Never open new windows from the preview."""
        return None


def preview_profile() -> QWebEngineProfile:
    """Return the app-wide off-the-record profile (no cookies or cache on disk).

    It belongs to the application so it outlives every page: a profile deleted before its
    pages crashes QtWebEngine.
    """
    app = QCoreApplication.instance()
    profile = app.findChild(QWebEngineProfile, "draftpress-preview")
    if profile is None:
        profile = QWebEngineProfile(app)
        profile.setObjectName("draftpress-preview")
    return profile


class PreviewView(QWebEngineView):
    """Shows a rendered post; body updates replace the content in place, keeping the scroll."""

    body_applied = Signal(int)  # the serial of the render now shown

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._guard = LocalFileGuard()
        page = PreviewPage(preview_profile(), self)
        page.setUrlRequestInterceptor(self._guard)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        self.setPage(page)
        self._base_folder: Path | None = None
        self._loaded = False
        self._queued: tuple[str, str, int] | None = None
        self.shown_serial = 0
        page.loadFinished.connect(self._on_load_finished)

    def show_document(self, folder: Path | None, title: str, body_html: str, serial: int) -> None:
        """Show a post: reload the page when its folder changes, else patch it in place."""
        folder = folder.resolve() if folder is not None else None
        if folder != self._base_folder or not self._loaded and self._queued is None:
            self._base_folder = folder
            self._guard.allowed_folder = folder
            self._loaded = False
            self._queued = None
            base = QUrl.fromLocalFile(str(folder) + "/") if folder else QUrl("about:blank")
            self.setHtml(build_page(title, ""), base)
        self.update_body(title, body_html, serial)

    def update_body(self, title: str, body_html: str, serial: int) -> None:
        """Replace the article's HTML (or queue it until the page has loaded)."""
        if not self._loaded:
            self._queued = (title, body_html, serial)
            return
        script = _PATCH_SCRIPT % (json.dumps(body_html), json.dumps(title or "Untitled"), serial)
        self.page().runJavaScript(
            script, QWebEngineScript.ScriptWorldId.ApplicationWorld, self._on_patched
        )

    def _on_patched(self, result: object) -> None:
        """Record which render the page now shows."""
        if isinstance(result, int | float) and result >= 0:
            self.shown_serial = int(result)
            self.body_applied.emit(self.shown_serial)

    def _on_load_finished(self, ok: bool) -> None:
        """Apply the body queued while the page shell was loading."""
        if not ok:
            log.warning("the preview page did not load")
        self._loaded = True
        if self._queued is not None:
            title, body_html, serial = self._queued
            self._queued = None
            self.update_body(title, body_html, serial)

    def scroll_to_fraction(self, fraction: float) -> None:
        """Scroll the preview to the same relative position as the editor (0.0 top, 1.0 end)."""
        if not self._loaded:
            return
        fraction = min(1.0, max(0.0, fraction))
        script = (
            f"window.scrollTo(0, {fraction:.6f} * Math.max(0, "
            "document.documentElement.scrollHeight - window.innerHeight))"
        )
        self.page().runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld)

    def run_script(self, script: str, callback) -> None:
        """Run a script of ours (not the post's) in the preview, e.g. to read its state."""
        self.page().runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)
