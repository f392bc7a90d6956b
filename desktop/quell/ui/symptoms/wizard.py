"""The symptom check: calm questions one topic at a time, then how soon to get help and why."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quell.core.report import SymptomCheck
from quell.core.triage import (
    Answers,
    TriageLevel,
    TriageResult,
    disclaimer,
    is_emergency_answer,
    parse_answers,
    triage,
)
from quell.ui.common.form_dialog import plain_button
from quell.ui.common.readable_widgets import Bullet, OptionCheck, OptionRadio, paragraph, scrolling
from quell.ui.common.style import (
    ProgressBar,
    bold_font,
    header_font,
    muted_color,
    set_text_color,
    small_font,
)
from quell.ui.services.symptom_session import StorageError, SymptomSession
from quell.ui.symptoms.questions import Topic, topics
from quell.ui.symptoms.result import AboutView, ResultView

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    """Translate text used outside a QObject (the context names this module)."""
    return QCoreApplication.translate("symptom_wizard", text)


# --- pages ---------------------------------------------------------------------------------


class QuestionPage(QWidget):
    """The questions of one topic; reads and sets their answers.

    Nothing is chosen to begin with: a page is answered once every choice question has an
    option picked and, when it has boxes to tick, at least one box or its "None of these" (or
    "No") box is ticked. That box and the others exclude each other, so a plain no is one click.

    Signals:
        changed(): after any answer on the page changed.
    """

    changed = Signal()

    def __init__(self, topic: Topic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.topic = topic
        self._checks: dict[str, OptionCheck] = {}
        self._groups: dict[str, QButtonGroup] = {}
        self._radios: dict[str, dict[str, OptionRadio]] = {}
        self.none_box: OptionCheck | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(8)
        self.title = paragraph(topic.title, font=header_font(self.font(), scale=1.3))
        self.title.setAccessibleName(topic.title)
        layout.addWidget(self.title)
        if topic.intro:
            layout.addWidget(paragraph(topic.intro))
        for example in topic.examples:
            layout.addWidget(Bullet(example))
        if topic.note:
            layout.addWidget(paragraph(topic.note))
        boxes = [q for q in topic.questions if not q.options]
        for question in topic.questions:
            layout.addSpacing(4)
            if boxes and question is boxes[0]:  # how to answer, just above the boxes
                label = paragraph(_tr("Tick any that apply, or “None of these” (Alt+O).")
                                  if len(boxes) > 1 else
                                  _tr("Tick it if it applies, or “No” (Alt+O)."),
                                  font=small_font(self.font()))
                set_text_color(label, muted_color(self.palette()))
                layout.addWidget(label)
            if question.options:
                if question.label:
                    layout.addWidget(paragraph(question.label, font=bold_font(self.font())))
                group = QButtonGroup(self)
                self._groups[question.key] = group
                self._radios[question.key] = {}
                for option in question.options:
                    radio = OptionRadio(option.label, option.hint)
                    group.addButton(radio)
                    self._radios[question.key][option.value] = radio
                    layout.addWidget(radio)
                group.buttonToggled.connect(self._toggled)
            else:
                check = OptionCheck(question.label, question.hint)
                check.toggled.connect(self._box_toggled)
                self._checks[question.key] = check
                layout.addWidget(check)
            if boxes and question is boxes[-1]:
                self.none_box = OptionCheck(_tr("None of these") if len(boxes) > 1
                                            else _tr("No"))
                self.none_box.toggled.connect(self._none_toggled)
                layout.addWidget(self.none_box)
                # Only the page on show is visible, so only its short-cut is live.
                QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_O), self, self._choose_none)
        layout.addStretch(1)

    def _choose_none(self) -> None:
        if self.none_box is not None:
            self.none_box.setChecked(True)
            self.none_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def _box_toggled(self, checked: bool) -> None:
        if checked and self.none_box is not None:
            self.none_box.setChecked(False)
        self.changed.emit()

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for check in self._checks.values():
                check.setChecked(False)
        self.changed.emit()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.topic.questions)

    def is_answered(self) -> bool:
        """Whether the user has answered every question on this page."""
        if any(group.checkedButton() is None for group in self._groups.values()):
            return False
        if self._checks and self.none_box is not None:
            return self.none_box.isChecked() or any(c.isChecked() for c in self._checks.values())
        return True

    def values(self) -> dict[str, str | bool]:
        """The answers given on this page (a choice not yet made is left out)."""
        values: dict[str, str | bool] = {key: check.isChecked()
                                         for key, check in self._checks.items()}
        for key, radios in self._radios.items():
            chosen = next((value for value, radio in radios.items() if radio.isChecked()), None)
            if chosen is not None:
                values[key] = chosen
        return {key: values[key] for key in self.keys if key in values}

    def set_value(self, key: str, value: str | bool) -> None:
        if key in self._checks:
            self._checks[key].setChecked(bool(value))
        else:
            self._radios[key][str(value)].setChecked(True)

    def answer_no(self) -> None:
        """Tick "None of these" (or "No"): the plain answer, one click for the user."""
        if self.none_box is not None:
            self.none_box.setChecked(True)

    def first_control(self) -> QWidget:
        """Where the keyboard starts: the chosen option of the first question, or its first."""
        first = self.topic.questions[0].key
        if first in self._checks:
            return self._checks[first]
        group = self._groups[first]
        checked = group.checkedButton()
        return checked if checked is not None else group.buttons()[0]

    def has_emergency_answer(self) -> bool:
        return any(is_emergency_answer(key, value) for key, value in self.values().items())


# --- the dialog ----------------------------------------------------------------------------


class SymptomWizard(QDialog):
    """The symptom check, one topic per page, the emergency screen first.

    No answer is chosen for the user: Next stays disabled until the page is answered (a plain
    no is one click on "None of these" or "No"). An emergency answer on the emergency screen
    goes straight to the result. Each result shown is stored in history; going back, changing
    an answer and seeing the result again stores a new check that revises the earlier one,
    which is kept.

    Signals:
        check_saved(object): the :class:`SymptomCheck` just stored.
        emergency_signs_requested(): the first page's "Emergency signs" button (the card opens
            beside the check, which stays where it is).

    Keys: Enter or Alt+N goes on (once the page is answered), Alt+B or Alt+Left goes back,
    Tab and the arrows move between options, Space picks one or ticks a box, Alt+O ticks
    "None of these", Escape closes.
    """

    check_saved = Signal(object)
    emergency_signs_requested = Signal()

    def __init__(self, symptoms: SymptomSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self._history: list[int] = []
        self.triage_result: TriageResult | None = None
        self.saved_check: SymptomCheck | None = None
        self.setWindowTitle(self.tr("Symptom check"))
        self.setMinimumSize(420, 400)
        self._fit_to_font()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.step_label = QLabel()
        self.step_label.setFont(small_font(self.font()))
        set_text_color(self.step_label, muted_color(self.palette()))
        self.progress = ProgressBar()
        self.progress.setFixedHeight(6)
        self.progress.setAccessibleName(self.tr("Progress"))
        top.addWidget(self.step_label)
        top.addWidget(self.progress, 1)
        layout.addLayout(top)

        self.stack = QStackedWidget()
        self.intro = self._build_intro()
        self.stack.addWidget(scrolling(self.intro))
        self.pages = [QuestionPage(topic) for topic in topics()]
        for page in self.pages:
            page.changed.connect(self._update_buttons)
            self.stack.addWidget(scrolling(page))
        self.result_view = ResultView()
        self.result_scroll = scrolling(self.result_view)
        self.result_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.result_scroll.setAccessibleName(self.tr("Result"))
        self.stack.addWidget(self.result_scroll)
        self.about_view = AboutView()
        self.about_scroll = scrolling(self.about_view)
        self.about_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack.addWidget(self.about_scroll)
        layout.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.about_button = QPushButton(self.tr("&About this check"))
        self.about_button.setAutoDefault(False)
        self.about_button.clicked.connect(self.show_about)
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.clicked.connect(self.next)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._close)
        buttons.addWidget(self.about_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.back)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), self, self.next)
        self._show(0)

    def _fit_to_font(self) -> None:
        """Size for about 70 characters a line at the user's font size, within the screen."""
        line = self.fontMetrics().height()
        width, height = line * 38, line * 42
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 40)
        self.resize(max(width, 420), max(height, 400))

    def _close(self) -> None:
        """Close: accepted once a result was shown (and stored), rejected before that."""
        if self.triage_result is not None:
            self.accept()
        else:
            self.reject()

    def _build_intro(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(10)
        layout.addWidget(paragraph(self.tr("Symptom check"),
                                    font=header_font(self.font(), scale=1.3)))
        layout.addWidget(paragraph(self.tr(
            "A few short questions about your twitches and how you feel. At the end you will "
            "see how soon to get help, if at all, and why. It takes about three minutes.")))
        layout.addWidget(paragraph(self.tr(
            "The first questions are about sudden or serious changes. If one of them applies, "
            "the check stops there and tells you what to do straight away.")))
        layout.addWidget(paragraph(disclaimer()))
        self.intro_number = paragraph("", font=bold_font(self.font()))
        layout.addWidget(self.intro_number)
        row = QHBoxLayout()
        # Enter still goes on with the check.
        self.emergency_button = plain_button(self.tr("&Emergency signs…"),
                                             self.emergency_signs_requested)
        self.emergency_button.setObjectName("emergencySignsButton")
        self.emergency_button.setToolTip(self.tr("When to call emergency services now"))
        row.addWidget(self.emergency_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # -- where we are --------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    @property
    def result_index(self) -> int:
        return len(self.pages) + 1

    @property
    def about_index(self) -> int:
        return len(self.pages) + 2

    def current_page(self) -> QuestionPage | None:
        number = self.index - 1
        return self.pages[number] if 0 <= number < len(self.pages) else None

    def page_for(self, key: str) -> QuestionPage:
        return next(page for page in self.pages if key in page.keys)

    def answers(self) -> Answers:
        """Every answer as the pages hold it now.

        Questions never reached (the check stopped at an emergency answer) take the engine's
        defaults, which is how a stored check tells they were not asked.
        """
        values: dict[str, object] = {}
        for page in self.pages:
            values.update(page.values())
        return parse_answers(values)

    def set_answer(self, key: str, value: str | bool) -> None:
        self.page_for(key).set_value(key, value)

    # -- moving --------------------------------------------------------------------------

    def can_go_on(self) -> bool:
        """Whether Next may be pressed: the page is answered, or holds an emergency answer."""
        if self.index >= self.result_index:
            return False
        page = self.current_page()
        return page is None or page.is_answered() or page.has_emergency_answer()

    def next(self) -> None:
        index = self.index
        if not self.can_go_on():
            return
        page = self.current_page()
        if page is not None and (page.has_emergency_answer() or index == len(self.pages)):
            self._history.append(index)
            self._show_result()
            return
        self._history.append(index)
        self._show(index + 1)

    def back(self) -> None:
        if not self._history:
            return
        self._show(self._history.pop())

    def show_about(self) -> None:
        if self.index == self.about_index:
            return
        self._history.append(self.index)
        self.about_view.set_emergency_number(self._symptoms.emergency_number())
        self.about_view.set_worry_help(self._symptoms.health_anxiety_help())
        self._show(self.about_index)

    def _show_result(self) -> None:
        answers = self.answers()
        number = self._symptoms.emergency_number()
        result = triage(answers, emergency_number=number)
        self.triage_result = result
        facts: tuple[str, ...] = ()
        if result.level is TriageLevel.SELF_CARE:
            try:
                facts = self._symptoms.recent_facts(answers)
            except Exception:  # the facts are extra: no failure to read them holds back the advice
                log.exception("could not read the recent log for the self-care advice")
        # The result shows first: a database problem must never hold back what to do.
        self.result_view.show_result(result, answers, number, facts,
                                     worry_help=self._symptoms.health_anxiety_help())
        self._show(self.result_index)
        if self.saved_check is not None and self.saved_check.answers == answers:
            return  # back and forth without a change: the same check, already kept
        try:
            # A changed run is a new check naming the one it revises; that one stays as it was.
            self.saved_check = self._symptoms.save_check(answers, result, self.saved_check)
        except StorageError:
            log.exception("could not store the symptom check")
            self.result_view.show_not_saved()
            return
        self.check_saved.emit(self.saved_check)

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        questions = len(self.pages)
        page = self.current_page()
        if page is not None:
            number = index
            self.step_label.setText(self.tr("Question {n} of {total}").format(
                n=number, total=questions))
            self.progress.set_progress(number / (questions + 1))
        elif index == 0:
            self.step_label.setText(self.tr("Before you start"))
            self.progress.set_progress(0.0)
            self.intro_number.setText(self.tr(
                "If you feel very unwell right now, do not wait for the check: call {number}."
            ).replace("{number}", self._symptoms.emergency_number()))
        else:
            self.step_label.setText(self.tr("Result") if index == self.result_index
                                    else self.tr("About this check"))
            self.progress.set_progress(1.0)
        self._update_buttons()
        self._focus_page()

    def _focus_page(self) -> None:
        page = self.current_page()
        if page is not None:
            page.first_control().setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.index == 0:
            self.next_button.setFocus()
        else:
            self.close_button.setFocus()
            (self.result_scroll if self.index == self.result_index
             else self.about_scroll).verticalScrollBar().setValue(0)

    def _update_buttons(self) -> None:
        index = self.index
        page = self.current_page()
        finished = index >= self.result_index
        self.back_button.setEnabled(bool(self._history))
        self.back_button.setText(self.tr("&Change answers") if index == self.result_index
                                 else self.tr("&Back"))
        self.about_button.setVisible(index == self.result_index)
        self.next_button.setVisible(not finished)
        self.close_button.setText(self.tr("&Close") if finished else self.tr("Cancel"))
        self.close_button.setDefault(finished)
        self.close_button.setAutoDefault(finished)
        self.next_button.setDefault(not finished)
        self.next_button.setEnabled(self.can_go_on())
        if index == 0:
            self.next_button.setText(self.tr("&Start"))
        elif page is not None and page.has_emergency_answer():
            self.next_button.setText(self.tr("&What to do now"))
        elif page is not None and index == len(self.pages):
            self.next_button.setText(self.tr("&See the result"))
        else:
            self.next_button.setText(self.tr("&Next"))

