"""The form dialogs' frame: OK is the default and applies, bad input shows inline and keeps the
dialog open, Cancel rejects; buttons beside it never take Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout

from quell.core.errors import InputError
from quell.ui.common.form_dialog import (
    FormDialog,
    StandardButton,
    apply_and_accept,
    ok_cancel_buttons,
    plain_button,
)
from quell.ui.common.style import InlineMessage


class NameDialog(FormDialog):
    """A form of one field that refuses an empty name."""

    def __init__(self) -> None:
        super().__init__()
        self.title.setText("Name it")
        self.name = QLineEdit()
        self.form.addRow("&Name", self.name)
        self.applied: list[str] = []

    def _apply(self) -> None:
        if not self.name.text():
            raise InputError("a name is needed")
        self.applied.append(self.name.text())


def test_enter_in_a_field_applies_and_accepts(qtbot) -> None:
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setFocus()
    QTest.keyClicks(dialog.name, "Walk")
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.applied == ["Walk"]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_bad_input_shows_inline_and_keeps_what_was_typed(qtbot) -> None:
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.error.isVisible() and dialog.error.message == "A name is needed"
    dialog.name.setText("Walk")
    dialog.ok_button.click()
    assert dialog.applied == ["Walk"] and not dialog.error.message


def test_cancel_rejects_without_applying(qtbot) -> None:
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Walk")
    dialog.buttons.button(StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.applied


def test_the_frame_reads_heading_form_message_buttons(qtbot) -> None:
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    assert (layout.spacing(), layout.contentsMargins().top()) == (12, 16)
    assert layout.itemAt(0).layout() is dialog.heading
    assert dialog.heading.itemAt(0).widget() is dialog.title
    assert layout.itemAt(1).layout() is dialog.form
    assert layout.itemAt(2).widget() is dialog.error
    assert layout.itemAt(layout.count() - 1).widget() is dialog.buttons
    assert dialog.ok_button.isDefault() and not dialog.error.isVisible()


def test_ok_can_stand_as_save(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    called: list[bool] = []
    buttons, save = ok_cancel_buttons(dialog, lambda: called.append(True),
                                      ok=StandardButton.Save)
    assert buttons.button(StandardButton.Save) is save and save.isDefault()
    assert buttons.button(QDialogButtonBox.StandardButton.Ok) is None
    save.click()
    assert called == [True] and dialog.result() == QDialog.DialogCode.Rejected  # on_ok decides


def test_apply_and_accept_says_the_problem_or_accepts(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    error = InlineMessage(dialog)

    def refuse() -> None:
        raise InputError("too much")

    assert apply_and_accept(dialog, error, refuse) is False
    assert error.message == "Too much" and dialog.result() == QDialog.DialogCode.Rejected
    assert apply_and_accept(dialog, error, lambda: None) is True
    assert error.message == "" and dialog.result() == QDialog.DialogCode.Accepted


def test_a_plain_button_never_takes_enter(qtbot) -> None:
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    clicks: list[str] = []
    extra = plain_button("&Choose…", lambda: clicks.append("choose"))
    dialog.form.addRow("", extra)
    dialog.name.setText("Walk")
    dialog.show()
    assert not extra.autoDefault() and not extra.isDefault()
    extra.setFocus()
    QTest.keyClick(extra, Qt.Key.Key_Space)
    assert clicks == ["choose"]
    dialog.name.setFocus()
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    assert clicks == ["choose"] and dialog.applied == ["Walk"]


def test_a_plain_button_can_emit_a_signal(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    button = plain_button("&Close", dialog.accepted)
    with qtbot.wait_signal(dialog.accepted, timeout=500):
        button.click()
