"""The main window: assembles the library, editor, preview and metadata panes and their actions."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from editor.core.post import Post
from editor.core.revisions import RevisionLimits
from editor.core.settings import Settings, config_dir, remember_recent_file, save_settings
from editor.gui.document import DiskChanges, DocumentController, EncodingIndicator
from editor.gui.editing import FindBar, MarkdownEditor
from editor.gui.inserting import InsertTools
from editor.gui.library_actions import LibraryActions
from editor.gui.menus import build_menus
from editor.gui.preferences import Appearance, PreferencesController
from editor.gui.preview import LivePreview, PreviewPane, PreviewStyle, PreviewView
from editor.gui.publishing import PublishingRoom
from editor.gui.safety import Autosave, RecoveryController, RevisionsController
from editor.gui.sidebar import LibraryPane, MetadataPanel
from editor.gui.start_up import AfterFirstScreen
from editor.gui.writing import GOAL_FIELD, WordGoal, WritingModes
from editor.render.preview_render import PostDetails
from editor.resource_locator import resource_path

if TYPE_CHECKING:
    from editor.gui.publishing import OutboxController, PublishController, PublishToBlogs

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Library | editor | preview, with the metadata form under the library."""

    def __init__(self, settings: Settings, library_root: Path) -> None:
        super().__init__()
        self.settings = settings
        self.library_root = library_root
        self.setWindowIcon(QIcon(str(resource_path("icons", "draftpress-256.png"))))
        self.resize(1400, 860)

        self.editor = MarkdownEditor()
        self.editor.use_writing_settings(settings)
        self.find_bar = FindBar(self.editor)
        self.preview = PreviewView()
        self.preview_pane = PreviewPane(self.preview)  # the view and its message bar
        self.library = LibraryPane()
        self.metadata = MetadataPanel()
        self.document = DocumentController(self.editor, self, library_root)
        self.insert_tools = InsertTools(self.editor, self.document, settings, self)
        # Publish, Accounts, the outbox: built on first use or once the first screen is up
        self.publishing_room = PublishingRoom(
            self, self.document, library_root, self._place_outbox_indicator
        )
        self.document.revision_limits = RevisionLimits(
            settings.revisions_max_count, settings.revisions_max_age_days
        )
        say = self.statusBar().showMessage
        # unsaved text to the recovery journal; text left by a run that died; versions replaced
        self.autosave = Autosave(self.editor, self.document, settings, self, say)
        self.recovery = RecoveryController(self.autosave, self.document, library_root, self, say)
        self.recovery.file_saved.connect(lambda _path: self.library.refresh())
        self.revisions = RevisionsController(self.editor, self.document, self, say)

        editor_column = QWidget()
        column = QVBoxLayout(editor_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.editor, 1)
        column.addWidget(self.find_bar)

        self.sidebar = QSplitter(Qt.Orientation.Vertical)
        self.sidebar.addWidget(self.library)
        self.sidebar.addWidget(self.metadata)
        self.sidebar.setStretchFactor(0, 3)
        self.sidebar.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(editor_column)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setSizes([300, 560, 540])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._post_title = ""
        self.words_label = WordGoal(settings.words_per_minute)  # words, the post's goal, session
        self.words_label.goal_chosen.connect(lambda goal: self.document.set_field(GOAL_FIELD, goal))
        self.writing = WritingModes(
            self, self.editor, editor_column, (self.sidebar, self.preview_pane), settings,
            self._save_settings,
        )
        self.statusBar().addPermanentWidget(self.words_label)
        self.editor.spelling.message.connect(lambda text: self.statusBar().showMessage(text, 20000))
        self.editor.spelling.settings_changed.connect(self._spelling_settings_changed)
        self.editor.spelling.configure(settings.spelling_enabled, settings.spelling_language)
        self.preview_style = PreviewStyle(self.preview, self)  # Draftpress's or a blog's look
        self.preview_style.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.menu_actions = build_menus(self, self)
        self.writing.distraction_free.keep_shortcuts(self.menu_actions.by_name.values())

        self.live = LivePreview(
            self.editor, self.preview, self.document.base_folder, settings, self
        )
        self.live.details_ready.connect(self._show_details)
        self.appearance = Appearance(self.editor, self.preview, settings)  # font, zoom, theme
        self.appearance.apply()
        self.preferences = PreferencesController(
            self.appearance, settings, self._apply_settings, self._save_settings, self
        )
        self.publishing_room.default_blog = settings.default_blog
        self.live.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.live.notice.connect(lambda message: self.statusBar().showMessage(message, 60000))
        self.preview.link_refused.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.editor.document().modificationChanged.connect(self.setWindowModified)
        self.metadata.field_edited.connect(self.document.set_field)
        self.library.post_activated.connect(self.document.open_path)
        self.library.new_post_requested.connect(self.document.new_post)
        self.library_actions = LibraryActions(self.library, self.document, self, say)
        self.document.opened.connect(self._post_opened)
        remote_images, document = self.preview_pane.remote_images, self.document
        # the remote images choice of the post being loaded, before its text is rendered
        self.editor.loading_started.connect(lambda: remote_images.show_post(document.post.path))
        self.document.saved.connect(lambda post: remote_images.post_saved(post.path))
        self.document.saved.connect(self._post_saved)
        self.document.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.document.busy_changed.connect(self._busy)
        self.insert_tools.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.publishing_room.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self._details_blog: str | None = None  # the shown post's blog, for its fields
        self.publishing_room.built.connect(self._show_blog_fields)

        self._watch_the_file()
        self._restore_layout()
        self.library.set_root(library_root)
        self._update_title()
        self.live.show_whole_text()
        # what the first screen does not need, once it is up (or when first used)
        self.after_first_screen = AfterFirstScreen(
            self, self.preview, self._preview_shows_text, self._build_publishing_room_when_idle
        )

    # -- parts built after the first screen ---------------------------------------------------

    def _build_publishing_room_when_idle(self) -> None:
        """Build the publishing room once a long post has finished loading (its modules load
        on a worker thread): the window keeps answering meanwhile."""
        if self.editor.loading:
            self.editor.loading_finished.connect(self._loaded_then_build_room)
            return
        self._build_publishing_room_if_needed()

    def _loaded_then_build_room(self, _text: str) -> None:
        """The long post is in: build the publishing room now (once)."""
        self.editor.loading_finished.disconnect(self._loaded_then_build_room)
        self._build_publishing_room_if_needed()

    def _build_publishing_room_if_needed(self) -> None:
        """Build the room for a post that goes to a blog, or if publishes wait in the outbox;
        else when first used (its blog clients stay out of the window's memory meanwhile)."""
        if self._names_a_blog():
            self.publishing_room.build_soon()
        else:
            self.publishing_room.build_if_needed()

    @property
    def publishing(self) -> PublishController:
        """Blog > Publish, Accounts…, Open from Blog… (the publishing room is built if need be)."""
        return self.publishing_room.publishing

    @property
    def publish_to_blogs(self) -> PublishToBlogs:
        """Blog > Publish To… and Publish to All (the publishing room is built if need be)."""
        return self.publishing_room.publish_to_blogs

    @property
    def outbox(self) -> OutboxController:
        """The outbox and its status-bar count (the publishing room is built if need be)."""
        return self.publishing_room.outbox

    def _place_outbox_indicator(self, indicator: QWidget) -> None:
        """Put the outbox's count in the status bar, left of the word count, as it always was."""
        self.statusBar().insertPermanentWidget(0, indicator)

    def _preview_shows_text(self) -> bool:
        """Tell whether the preview shows a rendered post (not the empty start page)."""
        result = self.live.last_result
        return result is not None and bool(result.text)

    # -- rendering -------------------------------------------------------------------------

    def _show_details(self, details: PostDetails) -> None:
        """Show the post's details: metadata form, word count, title."""
        self.metadata.show_meta(details.meta, details.problem)
        self._details_blog = details.meta.blog if details.meta is not None else None
        self._show_blog_fields()
        goal = details.meta.word_goal if details.meta is not None else self.words_label.goal
        self.words_label.show_count(details.words, goal, self.live.details_number)
        self._post_title = details.title
        self._update_title()

    def _show_blog_fields(self) -> None:
        """Show only the fields the post's blog can store (once the publishing room knows)."""
        if self._details_blog is None:
            return
        if self.publishing_room.is_built:
            self.metadata.show_capabilities(
                self.publishing_room.capabilities_for(self._details_blog)
            )
        elif self._names_a_blog() and not self.after_first_screen.pending:
            self.publishing_room.build_soon()  # it knows the blogs; once built, `built` shows them

    def _names_a_blog(self) -> bool:
        """Tell whether the open post goes to a blog: its own, or the default one."""
        blog = self._details_blog
        return blog is not None and bool(blog or self.publishing_room.default_blog)

    def set_preview_follows_cursor(self, follow: bool) -> None:
        """Turn View > Preview Follows Cursor on or off, and remember it."""
        self.settings.preview_follows_cursor = follow
        self.live.scroll_sync.set_follow_cursor(follow)
        self._save_settings()

    def _apply_settings(self, settings: Settings) -> None:
        """Hand changed preferences to the parts that use them (the look is applied already)."""
        self.live.scroll_sync.set_follow_cursor(settings.preview_follows_cursor)
        self.menu_actions["preview_follows_cursor"].setChecked(settings.preview_follows_cursor)
        self.autosave.idle_timer.setInterval(max(0, settings.autosave_idle_ms))
        wait = max(settings.autosave_idle_ms, settings.autosave_max_wait_ms)
        self.autosave.max_wait_timer.setInterval(wait)
        self.publishing_room.default_blog = settings.default_blog
        self.editor.spelling.configure(settings.spelling_enabled, settings.spelling_language)

    def zoom(self, steps: int) -> None:
        """View > Zoom In (steps > 0), Zoom Out, Actual Size (0): the editor and the preview."""
        percent = self.appearance.zoom_by(steps)
        self._save_settings()
        self.statusBar().showMessage(f"Zoom {percent} %", 3000)

    # -- documents -------------------------------------------------------------------------

    def _post_opened(self, post: Post) -> None:
        """Show a newly opened post everywhere (the editor's load already re-rendered it)."""
        self.library.refresh()
        self.library.mark_current(post.path)
        self._remember(post)
        # counted in the background: its first count is the one asked for as its text went in
        self.words_label.post_opened(post.path, self.live.text_details_number)
        self.statusBar().showMessage(f"Opened {post.path}", 4000)

    def _post_saved(self, post: Post) -> None:
        """Reflect a finished save."""
        self._remember(post)
        self.library.refresh()
        self.library.mark_current(post.path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {post.path}", 4000)

    def _remember(self, post: Post) -> None:
        """Put the post at the top of the recent files."""
        if post.path is None:
            return
        remember_recent_file(self.settings, post.path)
        self._save_settings()
        self.menu_actions.refresh_recent()

    def _busy(self, busy: bool) -> None:
        """Show a busy cursor while a file is being read or written."""
        if busy:
            self.statusBar().showMessage("Working…")
        else:
            self.statusBar().clearMessage()

    def _update_title(self) -> None:
        """Title bar: the post's title (or file name), an unsaved mark, the app name."""
        name = self._post_title or self.document.display_name()
        self.setWindowTitle(f"{name}[*] — Draftpress")
        self.setWindowModified(self.document.is_modified)

    def _watch_the_file(self) -> None:
        """Follow changes to the open file on disk; show its encoding in the status bar."""
        self.disk_changes = DiskChanges(self.document)
        self.encoding_indicator = EncodingIndicator(self.document, self)
        self.encoding_indicator.follow(self.menu_actions["convert_to_utf8"])
        self.statusBar().addPermanentWidget(self.encoding_indicator.button)
        for source in (self.disk_changes, self.encoding_indicator):
            source.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    # -- persistence -----------------------------------------------------------------------

    def _layout_store(self) -> QSettings:
        """Return the ini file that holds window geometry and splitter sizes."""
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        """Restore the window's geometry and splitter sizes from the last run."""
        store = self._layout_store()
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("state", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("sidebar", self.sidebar.restoreState),
        ):
            value = store.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def save_layout(self) -> None:
        """Remember the window's geometry and splitter sizes."""
        store = self._layout_store()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("state", self.saveState())
        store.setValue("splitter", self.splitter.saveState())
        store.setValue("sidebar", self.sidebar.saveState())
        store.sync()

    def _spelling_settings_changed(self, enabled: bool, language: str) -> None:
        """Remember Edit > Spelling's choices."""
        self.settings.spelling_enabled, self.settings.spelling_language = enabled, language
        self._save_settings()

    def _save_settings(self) -> None:
        """Write the settings file, logging (not raising) a failure."""
        try:
            save_settings(self.settings)
        except OSError as error:
            log.warning("could not save settings: %s", error)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        """Ask about unsaved changes; close only once they are saved or discarded."""
        if self.document.is_modified:
            event.ignore()
            self.document.confirm_unsaved(self._close_now)
            return
        self.save_layout()
        self.after_first_screen.cancel()
        self.publishing_room.shut_down()  # a publish under way ends now; closing never waits on it
        self.live.wait_idle()
        self.autosave.shut_down()
        self.recovery.release()
        event.accept()

    def _close_now(self) -> None:
        """Close after the unsaved changes were saved or discarded."""
        self.editor.document().setModified(False)
        QTimer.singleShot(0, self.close)  # a close asked for inside closeEvent would be ignored
