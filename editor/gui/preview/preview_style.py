"""View > Preview Style and Blog > Learn the Blog's Look…: the preview in a blog's own theme.

The look is learnt on a network thread (progress in the status bar), read from the data folder
on a worker, and handed to the preview as its page and a per-piece conversion to the blog's
markup (editor.publish.blog_look_page); the preview's sandbox stays as it is.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from editor.gui import message_box
from editor.gui.preview.post_address_dialog import PostAddressDialog
from editor.gui.preview.preview_view import PreviewView
from editor.gui.workers import network_pool, run_in_background
from editor.publish.accounts import Account, load_accounts
from editor.publish.blog_look import (
    BlogLook,
    LookError,
    PostAddressNeeded,
    has_look,
    last_page_address,
    linked_asset_files,
    load_look,
)

log = logging.getLogger(__name__)

DRAFTPRESS_STYLE = ""  # the style's name for Draftpress's own page


@functools.lru_cache(maxsize=4096)
def _piece_in_blog_markup(style: str, piece_html: str) -> str:
    """Return one rendered piece as the blog serves it (cached: typing changes one piece)."""
    from editor.publish.blog_look_page import blog_body_html  # the converter loads on first use

    return blog_body_html(piece_html, style=style)


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
        self.address_dialog: PostAddressDialog | None = None  # asking for a post's address
        self._addresses: dict[str, str] = {}  # the post address each blog was last asked with
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
        # Bound methods as callbacks: a closed window's gets none (see workers).
        run_in_background(
            _look_and_its_files,
            name,
            on_success=functools.partial(self._show_look, _account(name)),
            on_failure=self._look_unreadable,
        )

    def _show_look(self, account: Account | None, found: tuple[BlogLook, frozenset[Path]]) -> None:
        """Show the preview in a look read from the data folder (its fonts linked there)."""
        from editor.publish.blog_look_page import BLOCKS, body_style_of, build_blog_page

        look, files = found
        style = body_style_of(account) if account is not None else BLOCKS
        self.current = look.account
        self.preview.set_page_style(
            functools.partial(_look_shell, build_blog_page, look),
            functools.partial(_piece_in_blog_markup, style),
            files,
        )
        self.message.emit(
            f"The preview shows {look.account}'s look (learnt {look.learnt_at[:10]})."
        )
        self._check_theme(look, account)

    def _look_unreadable(self, error: Exception) -> None:
        """Say why the stored look cannot be shown."""
        message_box.tell(self.window, "Preview Style", str(error))

    # -- learning ----------------------------------------------------------------------------

    def _check_theme(self, look: BlogLook, account: Account | None) -> None:
        """Ask the blog (in the background) whether its theme changed; learn it again if so."""
        if account is None:
            return
        from editor.publish.blog_look_learning import theme_changed

        run_in_background(
            theme_changed,
            look,
            account.url,
            account.pinned_pem,
            on_success=functools.partial(self._theme_checked, look.account),
            on_failure=self._theme_not_checked,
            pool=network_pool(),
        )

    def _theme_checked(self, name: str, changed: bool | None) -> None:
        """Learn the look again when the blog's theme changed (and the look is still shown)."""
        if changed and self.current == name and not self.learning:
            self.message.emit(f"The theme of {name} changed: learning its look again…")
            self.learn(name, then_use=True)

    def _theme_not_checked(self, error: Exception) -> None:
        """Log why the theme could not be checked (the look learnt before is used meanwhile)."""
        log.info("theme not checked: %s", error)

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

    def learn(self, name: str, *, then_use: bool, page_url: str = "") -> None:
        """Learn a blog's look on a network thread; show the preview in it when asked.

        From `page_url` when given, else from the newest post the blog's API names; when none
        can be found, the writer is asked for one post's address (PostAddressDialog).
        """
        account = _account(name)
        if account is None:
            return
        if self.learning:
            self.message.emit(f"Still learning the look of {self.learning}…")
            return
        self.learning = name
        if page_url:
            self._addresses[name] = page_url
        self.message.emit(f"Learning the look of {name}…")
        from editor.publish.blog_look_posts import learn_account_look

        run_in_background(
            functools.partial(
                learn_account_look, account, page_url=page_url, progress=self._progress.emit
            ),
            on_success=functools.partial(self._learnt, then_use),
            on_failure=functools.partial(self._learning_failed, account, then_use),
            pool=network_pool(),
        )

    def _learnt(self, then_use: bool, look: BlogLook) -> None:
        """Say what was learnt; show the preview in it when asked."""
        self.learning = ""
        theme = f" (theme {look.theme})" if look.theme else ""
        self.message.emit(f"Learnt the look of {look.account}{theme}.")
        if then_use:
            self._use(look.account)

    def _learning_failed(self, account: Account, then_use: bool, error: Exception) -> None:
        """Ask for a post's address when one is needed; else say why learning failed."""
        self.learning = ""
        self.message.emit("")
        if isinstance(error, PostAddressNeeded):
            # The address last used: typed in this session, else the stored look's (read on a
            # worker: the data folder is disk).
            typed = self._addresses.get(account.name, "")
            ask = functools.partial(self._ask_address, account, then_use, str(error), typed)
            run_in_background(last_page_address, account.name, on_success=ask, on_failure=ask)
            return
        text = str(error) if isinstance(error, LookError) else f"Learning failed: {error}"
        message_box.tell(self.window, "Learn the Blog's Look", text)

    def _ask_address(
        self, account: Account, then_use: bool, why: str, typed: str, stored: object
    ) -> None:
        """Open the dialog asking for one published post's address, prefilled."""
        from editor.gui.preview.post_address_dialog import PostAddressDialog
        from editor.publish.blog_look_posts import address_problem

        if self.address_dialog is not None:
            self.address_dialog.close()
        address = typed or (stored if isinstance(stored, str) else "")
        dialog = PostAddressDialog(
            self.window,
            account,
            why,
            address,
            address_problem,
            functools.partial(self._address_chosen, account.name, then_use),
        )
        dialog.finished.connect(functools.partial(self._address_dialog_closed, dialog))
        self.address_dialog = dialog
        dialog.open()

    def _address_chosen(self, name: str, then_use: bool, address: str) -> None:
        """Learn the look from the post address the writer gave."""
        self.learn(name, then_use=then_use, page_url=address)

    def _address_dialog_closed(self, dialog: object, _result: int) -> None:
        """Forget the dialog once it is closed."""
        if self.address_dialog is dialog:
            self.address_dialog = None


def _look_shell(build: Callable[..., str], look: BlogLook, title: str) -> str:
    """Return the blog's empty page for the preview, the post's title in it, fonts linked."""
    return build(look, title, "", marks=True, linked=True)


def _look_and_its_files(name: str) -> tuple[BlogLook, frozenset[Path]]:
    """Read an account's stored look and the font files its CSS links (on a worker)."""
    look = load_look(name)
    return look, linked_asset_files(look)


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
