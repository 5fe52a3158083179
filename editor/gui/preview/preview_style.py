"""View > Preview Style and Blog > Learn the Blog's Look…: the preview in a blog's own theme.

The look is learnt on a network thread (progress in the status bar), read from the data folder
on a worker, and handed to the preview as its page and a per-piece conversion to the blog's
markup (editor.publish.blog_look_page); the preview's sandbox stays as it is.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from editor.gui import message_box
from editor.gui.preview.preview_view import PreviewView
from editor.gui.workers import network_pool, run_in_background
from editor.publish.accounts import Account, load_accounts
from editor.publish.blog_look import BlogLook, LookError, has_look, load_look

log = logging.getLogger(__name__)

DRAFTPRESS_STYLE = ""  # the style's name for Draftpress's own page


@functools.lru_cache(maxsize=4096)
def _piece_in_blog_markup(classic: bool, piece_html: str) -> str:
    """Return one rendered piece as the blog serves it (cached: typing changes one piece)."""
    from editor.publish.blog_look_page import blog_body_html  # the converter loads on first use

    return blog_body_html(piece_html, classic=classic)


class PreviewStyle(QObject):
    """Which style the preview shows the post in: Draftpress's or one blog's learnt look."""

    message = Signal(str)  # for the status bar
    _progress = Signal(str)  # from the learning thread

    def __init__(self, preview: PreviewView, window: QWidget) -> None:
        super().__init__(window)
        self.preview = preview
        self.window = window
        self.current = DRAFTPRESS_STYLE  # the account whose look is shown, or Draftpress
        self.learning = ""  # the account whose look is being learnt
        self._progress.connect(self.message)

    # -- the menus -------------------------------------------------------------------------

    def build_menu(self, view_menu: QMenu) -> QMenu:
        """Add View > Preview Style (filled with the accounts each time it opens)."""
        menu = view_menu.addMenu("Preview &Style")
        menu.aboutToShow.connect(lambda: self._fill(menu))
        self._fill(menu)
        return menu

    def _fill(self, menu: QMenu) -> None:
        """List Draftpress and each blog account, the style in use checked."""
        menu.clear()
        group = QActionGroup(menu)
        entries = [(DRAFTPRESS_STYLE, "&Draftpress")]
        entries += [(account.name, account.name) for account in _accounts()]
        for name, text in entries:
            action = QAction(text.replace("&", "&&") if name else text, menu)
            action.setCheckable(True)
            action.setChecked(name == self.current)
            if name and not has_look(name):
                action.setStatusTip(f"Learn the look of {name} from its newest post, then use it")
            action.triggered.connect(lambda _checked=False, n=name: self.choose(n))
            group.addAction(action)
            menu.addAction(action)

    # -- choosing ----------------------------------------------------------------------------

    def choose(self, name: str) -> None:
        """Show the preview in Draftpress's style ("") or in the named blog's look."""
        if not name:
            self.current = DRAFTPRESS_STYLE
            self.preview.set_page_style(None, None)
            return
        if has_look(name):
            self._use(name)
        else:
            self.learn(name, then_use=True)

    def _use(self, name: str) -> None:
        """Read the blog's stored look (in the background), then show the preview in it."""
        account = _account(name)
        classic = account is not None and account.output == "classic"

        def shown(look: BlogLook) -> None:
            from editor.publish.blog_look_page import build_blog_page

            self.current = name
            self.preview.set_page_style(
                lambda title: build_blog_page(look, title, "", marks=True),
                functools.partial(_piece_in_blog_markup, classic),
            )
            self.message.emit(f"The preview shows {name}'s look (learnt {look.learnt_at[:10]}).")

        def failed(error: Exception) -> None:
            message_box.tell(self.window, "Preview Style", str(error))

        run_in_background(load_look, name, on_success=shown, on_failure=failed)

    # -- learning ----------------------------------------------------------------------------

    def learn_for_a_blog(self) -> None:
        """Blog > Learn the Blog's Look…: learn (again) the look of the blog the writer picks."""
        accounts = _accounts()
        if not accounts:
            message_box.tell(
                self.window,
                "Learn the Blog's Look",
                "Add your blog first (Blog > Accounts…); Draftpress then learns its look from "
                "its newest post.",
                icon=message_box.Icon.Information,
            )
            return
        name = accounts[0].name
        if len(accounts) > 1:
            chosen = message_box.ask(
                self.window,
                "Learn the Blog's Look",
                "Which blog's look should the preview learn? Draftpress reads its newest post's "
                "page once; the preview then shows posts in it offline.",
                [account.name for account in accounts],
            )
            if chosen is None:
                return
            name = chosen
        self.learn(name, then_use=True)

    def learn(self, name: str, *, then_use: bool) -> None:
        """Learn a blog's look on a network thread; show the preview in it when asked."""
        account = _account(name)
        if account is None:
            return
        if self.learning:
            self.message.emit(f"Still learning the look of {self.learning}…")
            return
        self.learning = name
        self.message.emit(f"Learning the look of {name}…")
        from editor.publish.blog_look_learning import learn_look

        def learnt(look: BlogLook) -> None:
            self.learning = ""
            theme = f" (theme {look.theme})" if look.theme else ""
            self.message.emit(f"Learnt the look of {name}{theme}.")
            if then_use:
                self._use(name)

        def failed(error: Exception) -> None:
            self.learning = ""
            self.message.emit("")
            text = str(error) if isinstance(error, LookError) else f"Learning failed: {error}"
            message_box.tell(self.window, "Learn the Blog's Look", text)

        run_in_background(
            functools.partial(
                learn_look,
                account.name,
                account.url,
                pinned_pem=account.pinned_pem,
                progress=self._progress.emit,
            ),
            on_success=learnt,
            on_failure=failed,
            pool=network_pool(),
        )


def _accounts() -> list[Account]:
    """Return the blog accounts (an unreadable accounts file: none)."""
    try:
        return load_accounts()
    except Exception as error:  # noqa: BLE001 (the menu must open whatever the file holds)
        log.warning("accounts not readable for the preview style menu: %s", error)
        return []


def _account(name: str) -> Account | None:
    """Return the account of that name, or None."""
    return next((account for account in _accounts() if account.name == name), None)
