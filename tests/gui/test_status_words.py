"""The details panel's Status: the writer's words, only the blog's statuses, the file's word
kept until the writer picks another (issue 13: one status vocabulary)."""

from __future__ import annotations

from editor.core.post import PostMeta
from editor.gui.sidebar import MetadataPanel
from editor.publish.engines import ghost, xmlrpc


def shown(panel: MetadataPanel) -> list[tuple[str, str]]:
    combo = panel.status_combo
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_each_engine_offers_its_statuses_in_the_writers_words(qtbot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    meta = PostMeta(title="Hi", status="draft")
    panel.show_capabilities(ghost.CAPABILITIES)
    panel.show_meta(meta)
    assert shown(panel) == [("Draft", "draft"), ("Published", "publish"), ("Scheduled", "future")]
    panel.show_capabilities(xmlrpc.CAPABILITIES)
    panel.show_meta(meta)
    assert [text for text, _ in shown(panel)] == ["Draft", "Published", "Scheduled"]
    panel.show_capabilities(None)  # no blog known: every status
    panel.show_meta(meta)
    assert [text for text, _ in shown(panel)] == [
        "Draft", "Published", "Scheduled", "Pending review", "Private"]  # fmt: skip


def test_ghosts_word_in_an_older_file_shows_as_ours_and_stays_until_chosen(qtbot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    edits: list[tuple[str, object]] = []
    panel.field_edited.connect(lambda key, value: edits.append((key, value)))
    panel.show_capabilities(ghost.CAPABILITIES)
    panel.show_meta(PostMeta(title="Hi", status="published"))  # Ghost's word, from a file
    assert panel.status_combo.currentText() == "Published"
    assert len(shown(panel)) == 3  # not listed twice
    assert edits == []  # showing it changes nothing in the file
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("future"))
    panel.status_combo.activated.emit(panel.status_combo.currentIndex())
    assert edits == [("status", "future")]  # the front matter's word


def test_a_blogs_own_status_shows_as_it_is(qtbot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    panel.show_capabilities(ghost.CAPABILITIES)
    panel.show_meta(PostMeta(title="Hi", status="in-review"))
    assert shown(panel)[-1] == ("in-review", "in-review")
    assert panel.status_combo.currentText() == "in-review"
