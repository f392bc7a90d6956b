"""The frame of Quell's form dialogs: fields over OK and Cancel, and bad input said inline.

OK is the default button, so Enter in a field presses it; it applies the fields, and an
InputError shows its message under them while the dialog stays open with what the user typed.
Buttons beside the dialog's own (quick amounts, "Choose…") never take Enter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quell.core.errors import InputError
from quell.ui.common.style import InlineMessage, header_font

StandardButton = QDialogButtonBox.StandardButton


def plain_button(text: str, on_click: Callable[..., object] | SignalInstance) -> QPushButton:
    """A push button that Enter never presses (Enter belongs to the dialog's default button)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(on_click)
    return button


def ok_cancel_buttons(dialog: QDialog, on_ok: Callable[[], object], *,
                      ok: StandardButton = StandardButton.Ok
                      ) -> tuple[QDialogButtonBox, QPushButton]:
    """OK and Cancel for *dialog*, and the OK button.

    OK is the default button and calls *on_ok*, which accepts the dialog when the input is
    good; Cancel rejects it. *ok* is the standard button that stands for OK (Save, say).
    """
    buttons = QDialogButtonBox(ok | StandardButton.Cancel)
    ok_button = buttons.button(ok)
    ok_button.setDefault(True)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button


def apply_and_accept(dialog: QDialog, error: InlineMessage, apply: Callable[[], object]) -> bool:
    """Run *apply* and accept *dialog*; True when it was accepted.

    When *apply* raises InputError, its message shows in *error* and the dialog stays open,
    its fields keeping what was typed.
    """
    try:
        apply()
    except InputError as problem:
        error.show_message(str(problem))
        return False
    error.clear_message()
    dialog.accept()
    return True


class FormDialog(QDialog):
    """A form under a heading, an inline message for bad input, and OK and Cancel.

    A subclass adds its rows to :attr:`form` (and anything under the title to
    :attr:`heading`) and implements :meth:`_apply`. The rows join the focus chain after the
    buttons, so the dialog opens with OK focused unless a subclass focuses a field.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setFont(header_font(self.font()))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(10)
        self.error = InlineMessage(self)
        self.buttons, self.ok_button = ok_cancel_buttons(self, self._submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        self.heading = QVBoxLayout()
        self.heading.setSpacing(2)
        self.heading.addWidget(self.title)
        layout.addLayout(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        apply_and_accept(self, self.error, self._apply)

    def _apply(self) -> None:
        """Carry out what the fields say; raise InputError, having changed nothing, if they
        say something the core refuses."""
        raise NotImplementedError
