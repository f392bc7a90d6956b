"""The history of symptom checks: when, what they said, what was answered, and what changed."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quell.core.formatting import time_on_day
from quell.core.report import (
    SymptomCheck,
    changed_answers,
    level_label,
    named_triggers,
    revision_note,
)
from quell.core.triage import REASON_LEVELS, TriageLevel, reason_text
from quell.ui.common.dates import qdate, time_text
from quell.ui.common.form_dialog import plain_button
from quell.ui.common.readable_widgets import Bullet, scrolling
from quell.ui.common.style import (
    bold_font,
    dialog_layout,
    hint_label,
    muted_color,
    set_text_color,
    warning_color,
)
from quell.ui.services.symptom_session import SymptomSession
from quell.ui.symptoms.result import LEVEL_SIGNS

_CHECK_ID = Qt.ItemDataRole.UserRole


def clock_text(check: SymptomCheck) -> str:
    return time_text(check.at)


def when_text(check: SymptomCheck) -> str:
    """'Tue 10 Mar 2026, 14:30' in the user's language, under the check's Quell day.

    A check at 01:30 (before the day starts) reads 'Mon 9 Mar 2026, 01:30 (after midnight)',
    the way the diary, the Today window and the report file it.
    """
    day = QLocale().toString(qdate(check.day), "ddd d MMM yyyy")
    return f"{day}, {time_on_day(clock_text(check), check.at, check.day)}"


def result_text(check: SymptomCheck) -> str:
    """The level with its sign, so it never rests on colour alone."""
    return f"{LEVEL_SIGNS[check.level]} {level_label(check.level)}"


class CheckHistoryDialog(QDialog):
    """Every symptom check, newest first; select one to read it, or two to compare them.

    Signals:
        new_check_requested(): the user asked to start a new symptom check.
    """

    new_check_requested = Signal()

    def __init__(self, symptoms: SymptomSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self._checks: dict[int, SymptomCheck] = {}
        self.setWindowTitle(self.tr("Symptom check history"))
        line = self.fontMetrics().height()
        self.resize(max(560, line * 40), max(520, line * 36))

        layout = dialog_layout(self, self.tr("Your symptom checks"), margins=(16, 12, 16, 12),
                               spacing=8)
        layout.addWidget(hint_label(self.tr("Select one check to read it, or two (Ctrl+click) "
                                            "to see what changed between them."),
                                    self.font(), self.palette()))

        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("When"), self.tr("Result"),
                                   self.tr("What was reported")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName(self.tr("Symptom checks"))
        header = self.list.header()
        header.setStretchLastSection(True)
        for column in range(2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemSelectionChanged.connect(self._show_selection)

        self.empty = QLabel(self.tr("No symptom checks yet.\nA check takes about three "
                                    "minutes and is kept here so you can compare over time."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        set_text_color(self.empty, muted_color(self.palette()))
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.empty)

        self.details = QWidget()
        self.details_layout = QVBoxLayout(self.details)
        self.details_layout.setContentsMargins(2, 4, 10, 4)
        self.details_layout.setSpacing(4)
        self.details_scroll = scrolling(self.details)
        self.details_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.details_scroll.setAccessibleName(self.tr("Details"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.details_scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([line * 8, line * 16])
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.new_button = plain_button(self.tr("&New check…"), self.new_check_requested)
        close = plain_button(self.tr("&Close"), self.accept)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)

        symptoms.checks_changed.connect(self.refresh)
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_ids()
        checks = list(reversed(self._symptoms.checks()))
        self._checks = {c.id: c for c in checks if c.id is not None}
        self.list.clear()
        for check in checks:
            reported = "; ".join(check.reported())
            when = when_text(check)
            if check.revises is not None:
                when = self.tr("{when} · changed answers").format(when=when)
            item = QTreeWidgetItem([when, result_text(check), reported])
            item.setData(0, _CHECK_ID, check.id)
            item.setToolTip(2, reported)
            if check.revises is not None:
                item.setToolTip(0, self._revision_text(check))
            if check.level is TriageLevel.EMERGENCY:
                item.setForeground(1, warning_color(self.palette()))
                item.setFont(1, bold_font(self.font()))
            self.list.addTopLevelItem(item)
            if check.id in selected:
                item.setSelected(True)
        self.list_stack.setCurrentWidget(self.list if checks else self.empty)
        if checks and not self.list.selectedItems():
            first = self.list.topLevelItem(0)
            if first is not None:
                self.list.setCurrentItem(first)
        self._show_selection()

    def selected_ids(self) -> list[int]:
        return [int(item.data(0, _CHECK_ID)) for item in self.list.selectedItems()]

    def select(self, *check_ids: int) -> None:
        """Select the checks with these ids (for tests and for opening on a given check)."""
        self.list.clearSelection()
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            if item is not None and item.data(0, _CHECK_ID) in check_ids:
                item.setSelected(True)

    # -- details -------------------------------------------------------------------------

    def _clear_details(self) -> None:
        while self.details_layout.count():
            item = self.details_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _heading(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setFont(bold_font(self.font()))
        label.setContentsMargins(0, 6, 0, 0)
        self.details_layout.addWidget(label)

    def _bullets(self, texts: list[str]) -> None:
        for text in texts:
            self.details_layout.addWidget(Bullet(text))

    def _show_selection(self) -> None:
        self._clear_details()
        checks = sorted((self._checks[i] for i in self.selected_ids() if i in self._checks),
                        key=lambda c: c.at)
        if len(checks) == 1:
            self._show_one(checks[0])
        elif len(checks) >= 2:
            self._show_comparison(checks[0], checks[-1])
        self.details_layout.addStretch(1)

    @property
    def details_text(self) -> str:
        """Everything the details pane says, one line per label (for tests)."""
        lines = []
        for index in range(self.details_layout.count()):
            item = self.details_layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                lines.append(widget.text())
            elif isinstance(widget, Bullet):
                lines.append("• " + widget.text())
        return "\n".join(lines)

    def _revision_text(self, check: SymptomCheck) -> str:
        """'Changed answers of the check at 14:02 (then: Emergency: call now).'"""
        revised = self._checks.get(check.revises) if check.revises is not None else None
        return revision_note(check, revised, time_text)

    def _show_one(self, check: SymptomCheck) -> None:
        self._heading(f"{when_text(check)}: {result_text(check)}")
        if check.revises is not None:
            self._bullets([self._revision_text(check)])
        later = [c for c in self._checks.values() if c.revises == check.id]
        for revision in sorted(later, key=lambda c: c.at):
            self._bullets([self.tr("Answers changed at {time} in a later check (result: "
                                   "{level}).").format(
                time=clock_text(revision) if revision.day == check.day else when_text(revision),
                level=level_label(revision.level))])
        main = [reason_text(r) for r in check.reasons
                if r in REASON_LEVELS and REASON_LEVELS[r] is check.level]
        lower = [reason_text(r) for r in check.reasons
                 if r in REASON_LEVELS and REASON_LEVELS[r] is not check.level]
        if main:
            self._heading(self.tr("Why"))
            self._bullets(main)
        if lower:
            self._heading(self.tr("Also worth mentioning to a doctor"))
            self._bullets(lower)
        self._heading(self.tr("What was reported"))
        self._bullets(list(check.reported()))
        if check.stopped_early:
            self._bullets([self.tr("The check stopped at the emergency questions, so the "
                                   "others were not asked.")])
        triggers = named_triggers(check.answers)
        if triggers:
            self._heading(self.tr("Possible triggers named"))
            self._bullets(list(triggers))

    def _show_comparison(self, older: SymptomCheck, newer: SymptomCheck) -> None:
        self._heading(self.tr("From {older} to {newer}").format(older=when_text(older),
                                                              newer=when_text(newer)))
        if older.level is newer.level:
            self._bullets([self.tr("Same result both times: {level}").format(
                level=result_text(newer))])
        else:
            self._bullets([self.tr("Result: {before} → {after}").format(
                before=level_label(older.level), after=level_label(newer.level))])
        changes = changed_answers(older.answers, newer.answers)
        new = [after for _name, before, after in changes if before is None and after]
        gone = [before for _name, before, after in changes if after is None and before]
        moved = [self.tr("{before} → {after}").format(before=before, after=after)
                 for _name, before, after in changes if before and after]
        if not changes:
            self._heading(self.tr("The answers were the same."))
        if new:
            self._heading(self.tr("New since then"))
            self._bullets(new)
        if gone:
            self._heading(self.tr("No longer reported"))
            self._bullets(gone)
        if moved:
            self._heading(self.tr("Changed"))
            self._bullets(moved)
