"""The preview's locked-down web page: its request guard, the page that never navigates away,
and the app-wide off-the-record profile they live in."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from editor.core.local_files import inside_folder
from editor.gui.browser import open_in_browser

log = logging.getLogger(__name__)

# Requests that never leave the machine (besides file:, which has its own rule).
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
# Our scripts run in their own world: the post's scripts (none run) could not see or change them.
APPLICATION_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
REMOTE_IMAGE_SCHEMES = frozenset({"http", "https"})


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Blocks file:// requests outside the post's folder and every remote request.

    Remote images (http/https, nothing else remote) pass only once the writer chose to load
    them for the post; a blocked one is announced by `remote_image_blocked`.
    """

    remote_image_blocked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed_folder: Path | None = None
        self.allowed_files: set[Path] = set()  # our own page files, outside the post folder
        self.remote_images_allowed = False

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        """Refuse remote requests and local files that are not inside the allowed folder."""
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme in LOCAL_SCHEMES:
            return
        if scheme != "file":
            image = info.resourceType() == QWebEngineUrlRequestInfo.ResourceType.ResourceTypeImage
            remote_image = image and scheme in REMOTE_IMAGE_SCHEMES
            if remote_image and self.remote_images_allowed:
                return
            info.block(True)
            log.info("preview blocked a remote request: %s", url.toString()[:200])
            if remote_image:
                self.remote_image_blocked.emit()
            return
        target = Path(url.toLocalFile())
        if target.resolve() in self.allowed_files:
            return
        folder = self.allowed_folder
        if folder is None or not inside_folder(target, folder):
            log.info("preview blocked a local file outside the post folder: %s", target)
            info.block(True)


class PreviewPage(QWebEnginePage):
    """A page that never navigates away: clicked links open in the system browser."""

    link_refused = Signal(str)  # a clicked link that is no web address: why it stayed closed

    def __init__(self, profile: QWebEngineProfile, parent=None) -> None:
        super().__init__(profile, parent)
        self.base_url = QUrl()  # what the post's links resolve against (its folder)
        self.newWindowRequested.connect(self._open_new_window_link)

    def _open_new_window_link(self, request: QWebEngineNewWindowRequest) -> None:
        """A clicked `target="_blank"` link opens in the system browser too (no new window)."""
        if request.isUserInitiated():
            self._open_link(request.requestedUrl())

    def _open_link(self, url: QUrl) -> None:
        """Hand a clicked link to the system browser if it is a web address; else say why not."""
        if url.hasFragment() and url.toString().split("#")[0] == self.base_url.toString():
            return  # a link within the post (a footnote, the table of contents): not a page
        refusal = open_in_browser(url)
        if refusal is not None:
            self.link_refused.emit(refusal)

    def acceptNavigationRequest(  # noqa: N802 (Qt API)
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Allow only our own page loads; hand clicked links to the desktop."""
        url = QUrl(url)
        if navigation_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            self._open_link(url)
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

    def createWindow(  # noqa: N802 (Qt API)
        self, _type: QWebEnginePage.WebWindowType
    ) -> QWebEnginePage:
        """Never open new windows from the preview (no page: Qt opens none)."""
        return None  # type: ignore[return-value]  # Qt's documented "no window"


def preview_profile() -> QWebEngineProfile:
    """Return the app-wide off-the-record profile (no cookies or cache on disk).

    It belongs to the application so it outlives every page: a profile deleted before its
    pages crashes QtWebEngine.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the preview's profile needs the application to exist first")
    profile = app.findChild(QWebEngineProfile, "draftpress-preview")
    if profile is None:
        profile = QWebEngineProfile(app)
        profile.setObjectName("draftpress-preview")
    return profile
