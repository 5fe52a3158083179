"""The window's menus, toolbar and shortcuts, built from the window's panes and controller."""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QToolBar, QWidget

from editor import __version__
from editor.gui import message_box

if TYPE_CHECKING:  # the rooms never import the menus: no cycle
    from editor.core.settings import Settings
    from editor.gui.document import DocumentController
    from editor.gui.editing import FindBar, MarkdownEditor
    from editor.gui.inserting import InsertTools
    from editor.gui.preferences import PreferencesController
    from editor.gui.preview import PreviewStyle, PreviewView
    from editor.gui.publishing import OutboxController, PublishController, PublishToBlogs
    from editor.gui.safety import RecoveryController, RevisionsController
    from editor.gui.sidebar import LibraryPane, MetadataPanel
    from editor.gui.writing import WordGoal, WritingModes

StandardKey = QKeySequence.StandardKey


def about_text() -> str:
    """Return the About box text: versions of Draftpress, Qt, PySide6 and Python."""
    return (
        f"<h3>Draftpress {__version__}</h3>"
        "<p>A desktop blog editor: write Markdown offline, preview it live, publish it.</p>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}</p>"
    )


class WindowParts(Protocol):
    """The panes and controllers the menus trigger (the main window has them all)."""

    settings: Settings
    editor: MarkdownEditor
    find_bar: FindBar
    document: DocumentController
    revisions: RevisionsController
    recovery: RecoveryController
    library: LibraryPane
    metadata: MetadataPanel
    insert_tools: InsertTools
    sidebar: QSplitter
    preview: PreviewView
    preferences: PreferencesController
    writing: WritingModes
    words_label: WordGoal
    preview_style: PreviewStyle

    @property
    def preview_pane(self) -> QWidget:
        """The preview and its message bar (View > Preview shows or hides it)."""

    # The publishing room is built on first use (its imports are not the first screen's): the
    # Blog menu asks for these only when an action is triggered.
    @property
    def publishing(self) -> PublishController:
        """Blog > Publish, Accounts…, Open from Blog…."""

    @property
    def publish_to_blogs(self) -> PublishToBlogs:
        """Blog > Publish To… and Publish to All."""

    @property
    def outbox(self) -> OutboxController:
        """Blog > Outbox…."""

    def set_preview_follows_cursor(self, follow: bool) -> None:
        """Turn View > Preview Follows Cursor on or off."""

    def zoom(self, steps: int) -> None:
        """Zoom the editor and the preview in (steps > 0), out, or back to 100 % (0)."""


@dataclass
class MenuActions:
    """The actions of the window, by name, plus the recent-files menu to refresh."""

    window: QMainWindow
    parts: WindowParts
    by_name: dict[str, QAction] = field(default_factory=dict)
    recent_menu: QMenu | None = None

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def add(self, menu: QMenu, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        """Create an action in `menu`, remember it by name and return it."""
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.by_name[name] = action
        return action

    def refresh_recent(self) -> None:
        """List the recent files in File > Open Recent."""
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        parts = self.parts
        for entry in parts.settings.recent_files:
            path = Path(entry)
            action = menu.addAction(path.name)
            action.setToolTip(entry)
            action.setStatusTip(entry)
            action.triggered.connect(lambda _c=False, p=path: parts.document.open_path(p))
        menu.setEnabled(bool(parts.settings.recent_files))


def _show_markdown_guide(window: QMainWindow) -> None:
    """Open Help > Markdown Guide (imported when first asked for: not needed at start-up)."""
    from editor.gui.guide_window import show_markdown_guide

    show_markdown_guide(window)


def _add_writing_views(actions: MenuActions, view_menu: QMenu, parts: WindowParts) -> None:
    """View > Zoom, Focus Mode, Typewriter Scrolling and Distraction-Free Writing."""
    view_menu.addSeparator()
    zoom_in = actions.add(view_menu, "zoom_in", "Zoom &In", lambda: parts.zoom(1), "Ctrl++")
    zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    actions.add(view_menu, "zoom_out", "Zoom O&ut", lambda: parts.zoom(-1), "Ctrl+-")
    actions.add(view_menu, "zoom_reset", "&Actual Size", lambda: parts.zoom(0), "Ctrl+0")
    view_menu.addSeparator()
    writing = parts.writing
    focus_menu = view_menu.addMenu("Fo&cus Mode")
    modes = QActionGroup(focus_menu)
    for mode, text, shortcut in (
        ("off", "&Off", None),
        ("paragraph", "&Paragraph", "Ctrl+Shift+F"),
        ("sentence", "&Sentence", None),
    ):
        action = actions.add(
            focus_menu, f"focus_{mode}", text, lambda m=mode: writing.set_focus_mode(m), shortcut
        )
        action.setCheckable(True)
        action.setChecked(parts.settings.focus_mode == mode)
        modes.addAction(action)
    typewriter: QAction = actions.add(
        view_menu,
        "typewriter",
        "&Typewriter Scrolling",
        lambda: writing.set_typewriter(typewriter.isChecked()),
        tip="Keep the line you are writing in the middle of the pane",
    )
    typewriter.setCheckable(True)
    typewriter.setChecked(parts.settings.typewriter_scrolling)
    calm = actions.add(
        view_menu,
        "distraction_free",
        "&Distraction-Free Writing",
        writing.distraction_free.toggle,
        "F11",
        "Only the text, full screen (F11 or Esc to come back)",
    )
    calm.setCheckable(True)
    writing.distraction_free.toggled.connect(calm.setChecked)
    actions.add(
        view_menu,
        "word_goal",
        "Word &Goal…",
        lambda: parts.words_label.choose_goal(),
        tip="How many words this post should have (kept in its front matter as goal:)",
    )


def build_menus(window: QMainWindow, parts: WindowParts) -> MenuActions:
    """Create the menu bar and toolbar of `window`, triggering its `parts`."""
    actions = MenuActions(window, parts)
    editor, document, find_bar = parts.editor, parts.document, parts.find_bar
    bar = window.menuBar()

    file_menu = bar.addMenu("&File")
    actions.add(
        file_menu,
        "new",
        "&New Post…",
        document.new_post,
        StandardKey.New,
        "Create a dated post in the drafts library",
    )
    actions.add(file_menu, "open", "&Open…", document.choose_and_open, StandardKey.Open)
    actions.recent_menu = file_menu.addMenu("Open &Recent")
    actions.refresh_recent()
    file_menu.addSeparator()
    actions.add(file_menu, "save", "&Save", document.save, StandardKey.Save)
    actions.add(file_menu, "save_as", "Save &As…", document.save_as, "Ctrl+Shift+S")
    actions.add(
        file_menu,
        "revisions",
        "Re&visions…",
        parts.revisions.open_dialog,
        "Ctrl+Alt+R",
        "Earlier versions of this post, kept at each save: compare and restore",
    )
    actions.add(
        file_menu,
        "recover",
        "Recover &Unsaved Work…",
        parts.recovery.open_dialog,
        tip="Text left unsaved when Draftpress was closed abnormally",
    )
    actions.add(
        file_menu,
        "convert_to_utf8",
        "Convert to &UTF-8",
        document.convert_to_utf8,
        tip="Save this file as UTF-8 from now on (it is in another encoding)",
    )
    file_menu.addSeparator()
    actions.add(file_menu, "refresh_library", "Refresh &Library", parts.library.refresh, "F5")
    file_menu.addSeparator()
    actions.add(file_menu, "quit", "&Quit", window.close, StandardKey.Quit)

    edit_menu = bar.addMenu("&Edit")
    undo = actions.add(edit_menu, "undo", "&Undo", editor.undo, StandardKey.Undo)
    redo = actions.add(edit_menu, "redo", "&Redo", editor.redo, StandardKey.Redo)
    undo.setEnabled(False)
    redo.setEnabled(False)
    editor.undoAvailable.connect(undo.setEnabled)
    editor.redoAvailable.connect(redo.setEnabled)
    edit_menu.addSeparator()
    actions.add(edit_menu, "cut", "Cu&t", editor.cut, StandardKey.Cut)
    actions.add(edit_menu, "copy", "&Copy", editor.copy, StandardKey.Copy)
    actions.add(
        edit_menu,
        "paste",
        "&Paste",
        editor.paste,
        StandardKey.Paste,
        "Paste; text copied from a web page or document comes in as Markdown",
    )
    actions.add(
        edit_menu,
        "paste_plain",
        "Paste as Plain &Text",
        editor.paste_plain_text,
        "Ctrl+Shift+V",
        "Paste the copied text exactly as it is",
    )
    actions.add(edit_menu, "select_all", "Select &All", editor.selectAll, StandardKey.SelectAll)
    edit_menu.addSeparator()
    actions.add(edit_menu, "find", "&Find…", find_bar.open_find, "Ctrl+F")
    actions.add(
        edit_menu, "replace", "&Replace…", lambda: find_bar.open_find(with_replace=True), "Ctrl+H"
    )
    actions.add(edit_menu, "find_next", "Find &Next", find_bar.find_next, "F3")
    actions.add(edit_menu, "find_previous", "Find Pre&vious", find_bar.find_previous, "Shift+F3")
    edit_menu.addSeparator()
    editor.spelling.fill_menu(edit_menu.addMenu("&Spelling"))
    preferences = actions.add(
        edit_menu, "preferences", "Pr&eferences…", lambda: parts.preferences.open_dialog(), "Ctrl+,"
    )
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the application menu

    format_menu = bar.addMenu("F&ormat")
    actions.add(format_menu, "bold", "&Bold", editor.make_bold, "Ctrl+B")
    actions.add(format_menu, "italic", "&Italic", editor.make_italic, "Ctrl+I")
    actions.add(format_menu, "code", "&Code", editor.make_code, "Ctrl+E")
    actions.add(
        format_menu,
        "link",
        "&Link",
        editor.insert_link,
        "Ctrl+K",
        "Make the selection a link (to the address on the clipboard, if there is one)",
    )
    format_menu.addSeparator()
    for level in (1, 2, 3, 4):
        actions.add(
            format_menu,
            f"heading{level}",
            f"Heading &{level}",
            lambda level=level: editor.set_heading(level),
            f"Ctrl+{level}",
        )
    # Ctrl+0 is View > Actual Size (zoom), as in browsers and writing tools
    actions.add(
        format_menu, "paragraph", "&Paragraph", lambda: editor.set_heading(0), "Ctrl+Shift+0"
    )

    insert_menu = bar.addMenu("&Insert")
    tools = parts.insert_tools
    actions.add(
        insert_menu,
        "insert_quote",
        "&Quote…",
        tools.insert_quote,
        "Ctrl+Shift+Q",
        "Quote a source with its author and a link (edits the quote under the cursor)",
    )
    actions.add(
        insert_menu,
        "insert_image",
        "&Image…",
        tools.insert_image,
        "Ctrl+Shift+I",
        "Insert an image with caption, credit and alt text (or edit the image here)",
    )

    blog_menu = bar.addMenu("&Blog")
    actions.add(
        blog_menu,
        "publish",
        "&Publish",
        lambda: parts.publishing.publish(),
        "Ctrl+Shift+P",
        "Publish this post to its blog (it is saved first)",
    )
    actions.add(
        blog_menu,
        "publish_to",
        "Publish &To…",
        lambda: parts.publish_to_blogs.publish_to(),
        tip="Publish this post to another of your blogs (each blog keeps its own copy)",
    )
    actions.add(
        blog_menu,
        "publish_to_all",
        "Publish to A&ll",
        lambda: parts.publish_to_blogs.publish_to_all(),
        tip="Publish this post to every blog it is already on, one after another",
    )
    open_from_blog = actions.add(
        blog_menu,
        "open_from_blog",
        "&Open from Blog…",
        lambda: parts.publishing.open_from_blog(),
        tip="Open a post from your blog (the library's copy, or a new file)",
    )

    def offer_open_from_blog() -> None:
        """Offer Open from Blog only when an account's engine can read posts back."""
        capabilities = parts.publishing.capabilities
        known = capabilities.accounts()
        open_from_blog.setEnabled(not known or bool(capabilities.accounts_that_pull()))

    blog_menu.aboutToShow.connect(offer_open_from_blog)
    actions.add(
        blog_menu,
        "outbox",
        "Out&box…",
        lambda: parts.outbox.show_dialog(),
        tip="Posts waiting for their blog to answer: send now or cancel",
    )
    blog_menu.addSeparator()
    actions.add(
        blog_menu,
        "learn_look",
        "Learn the Blog's &Look…",
        parts.preview_style.learn_for_a_blog,
        tip="Learn your blog's theme from its newest post, to preview posts in it offline",
    )
    actions.add(
        blog_menu,
        "accounts",
        "&Accounts…",
        lambda: parts.publishing.manage_accounts(),
        tip="Add, test or remove the blogs you publish to",
    )

    view_menu = bar.addMenu("&View")
    sidebar = actions.add(
        view_menu,
        "toggle_sidebar",
        "&Library and Details",
        lambda: parts.sidebar.setVisible(not parts.sidebar.isVisible()),
        "Ctrl+Shift+L",
    )
    preview = actions.add(
        view_menu,
        "toggle_preview",
        "&Preview",
        lambda: parts.preview_pane.setVisible(not parts.preview_pane.isVisible()),
        "Ctrl+Alt+P",
    )
    for action in (sidebar, preview):
        action.setCheckable(True)
        action.setChecked(True)
    follow: QAction = actions.add(
        view_menu,
        "preview_follows_cursor",
        "Preview &Follows Cursor",
        lambda: parts.set_preview_follows_cursor(follow.isChecked()),
        tip="Scroll the preview to the paragraph you are editing when it is out of sight",
    )
    follow.setCheckable(True)
    follow.setChecked(parts.settings.preview_follows_cursor)
    parts.preview_style.build_menu(view_menu)
    actions.add(view_menu, "edit_title", "Edit &Title", parts.metadata.focus_title, "Ctrl+Shift+T")
    view_menu.addSeparator()
    actions.add(
        view_menu,
        "fold_islands",
        "F&old Raw Blocks",
        parts.editor.folds.fold_all,
        tip="Show each WordPress block kept as it is, and the publish record, as one line",
    )
    actions.add(
        view_menu,
        "unfold_islands",
        "&Unfold Raw Blocks",
        parts.editor.folds.unfold_all,
        tip="Show the markup of every WordPress block kept as it is, and the publish record",
    )
    _add_writing_views(actions, view_menu, parts)

    help_menu = bar.addMenu("&Help")
    actions.add(
        help_menu,
        "markdown_guide",
        "&Markdown Guide",
        lambda: _show_markdown_guide(window),
        StandardKey.HelpContents,
        tip="What you can write in a post, and every shortcut",
    )
    help_menu.addSeparator()
    actions.add(
        help_menu,
        "about",
        "&About Draftpress",
        lambda: message_box.about(window, "About Draftpress", about_text()),
    )
    actions.add(help_menu, "about_qt", "About &Qt", lambda: message_box.about_qt(window))

    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("main_toolbar")
    toolbar_names = (
        "new",
        "open",
        "save",
        None,
        "bold",
        "italic",
        "link",
        "code",
        None,
        "insert_quote",
        "insert_image",
        None,
        "find",
        None,
        "publish",
    )
    for name in toolbar_names:
        if name is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[name])
    window.addToolBar(toolbar)
    return actions
