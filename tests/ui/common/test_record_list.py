"""Deleting a record from a window's list with Undo: the bar says what went, the keyboard
stays on the row, and undo brings records back newest first."""

from __future__ import annotations

from dataclasses import dataclass

from quell.core.errors import InputError
from quell.ui.common.record_list import DeletedRecords, RecordList
from quell.ui.common.style import InlineMessage
from quell.ui.common.undo_bar import UndoBar


@dataclass(frozen=True)
class Note:
    id: int | None
    text: str


class Notes:
    """A store of notes that can delete one and bring it back."""

    def __init__(self, *texts: str) -> None:
        self.kept = {index: Note(index, text) for index, text in enumerate(texts, 1)}
        self.gone: dict[int, Note] = {}

    def delete(self, note_id: int) -> Note:
        if note_id not in self.kept:
            raise InputError(f"note {note_id} is already gone")
        self.gone[note_id] = self.kept.pop(note_id)
        return self.gone[note_id]

    def restore(self, note_id: int) -> None:
        self.kept[note_id] = self.gone.pop(note_id)


def make(qtbot, store: Notes) -> tuple[RecordList, UndoBar, InlineMessage, DeletedRecords[Note]]:
    records = RecordList(["Note"], "Notes")
    qtbot.addWidget(records)
    bar = UndoBar("Bring the note back")
    qtbot.addWidget(bar)
    error = InlineMessage()
    qtbot.addWidget(error)

    def show() -> None:
        records.show_records((note.id, [note.text]) for note in sorted(
            store.kept.values(), key=lambda n: n.id or 0))

    def restore(note_id: int) -> None:
        store.restore(note_id)
        show()

    show()
    return records, bar, error, DeletedRecords(records, bar, error, restore)


def test_delete_says_what_went_and_keeps_the_row(qtbot) -> None:
    store = Notes("one", "two", "three")
    records, bar, _error, deleted = make(qtbot, store)
    bar.show()  # so its visibility follows the bar's own show and hide
    records.select_id(2)

    def delete() -> Note:
        note = store.delete(2)
        records.show_records((n.id, [n.text]) for n in store.kept.values())
        return note

    gone = deleted.delete(delete, lambda note: f"Deleted {note.text}.")
    assert gone == Note(2, "two")
    assert bar.message.text() == "Deleted two." and bar.isVisible()
    assert records.current_row() == 1 and records.currentItem().text(0) == "three"


def test_a_refused_delete_shows_inline_and_offers_no_undo(qtbot) -> None:
    store = Notes("one")
    records, bar, error, deleted = make(qtbot, store)
    records.select_id(1)
    store.delete(1)  # gone elsewhere meanwhile
    assert deleted.delete(lambda: store.delete(1), lambda note: note.text) is None
    assert error.message == "Note 1 is already gone"
    assert bar.message.text() == ""
    deleted.undo_last()  # nothing to bring back
    assert 1 not in store.kept


def test_undo_brings_back_the_newest_first_and_selects_it(qtbot) -> None:
    store = Notes("one", "two", "three")
    records, bar, _error, deleted = make(qtbot, store)
    for note_id in (1, 3):
        records.select_id(note_id)
        deleted.delete(lambda n=note_id: store.delete(n), lambda note: note.text)
    bar.show()
    deleted.undo_last()
    assert sorted(store.kept) == [2, 3] and records.selected_id() == 3
    assert not bar.isVisible() and not bar.timer.isActive()
    deleted.undo_last()
    assert sorted(store.kept) == [1, 2, 3] and records.selected_id() == 1
    deleted.undo_last()  # nothing left: nothing happens
    assert sorted(store.kept) == [1, 2, 3]
