"""Terms are matched by the recorded id, so two same-named terms stay apart (no server).

A stand-in client records which names the publisher looks up: the real WordPress cannot tell us
which of its terms a client *would* have asked for; tests/integration covers the real blog.
"""

from __future__ import annotations

from editor.publish.publisher import Publisher
from editor.publish.remote_record import RemoteRecord


class LookupRecorder:
    """Answers term look-ups with new ids and remembers what was asked."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def term_ids(self, taxonomy: str, names: list[str]) -> dict[str, int]:
        self.asked.append(list(names))
        return {name: 100 + index for index, name in enumerate(names)}


def test_same_named_categories_are_sent_by_their_recorded_ids_without_a_lookup():
    client = LookupRecorder()
    record = RemoteRecord(blog="b", id=1, terms={"categories": {"News": [3, 7], "Art": 5}})
    ids = Publisher(client)._term_ids(record, "categories", ["News", "Art", "News"])  # type: ignore[arg-type]
    assert ids == [3, 5, 7] and client.asked == []
    assert record.terms["categories"] == {"News": [3, 7], "Art": 5}


def test_a_new_name_is_looked_up_and_a_dropped_one_forgotten():
    client = LookupRecorder()
    record = RemoteRecord(blog="b", id=1, terms={"categories": {"News": [3, 7]}})
    ids = Publisher(client)._term_ids(record, "categories", ["News", "Travel"])  # type: ignore[arg-type]
    assert ids == [3, 100] and client.asked == [["Travel"]]
    assert record.terms["categories"] == {"News": 3, "Travel": 100}
