"""The tray's Reminders submenu: pause for a while or until tomorrow, resume, what comes next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.scheduling.reminders import Reminders, locale_time
from desktop.ui.reminder_presenter import ReminderPresenter

PAUSES: tuple[tuple[str, timedelta], ...] = (
    ("pause30", timedelta(minutes=30)),
    ("pause60", timedelta(hours=1)),
    ("pause120", timedelta(hours=2)),
)


class ReminderTrayMenu(QMenu):
    """A submenu for the tray. Its title says when paused reminders resume.

    Keep it without a parent menu (the tray rebuilds its own menu) and insert it with
    ``tray_menu.addMenu(reminder_menu)`` each time the tray menu is built.

    Signals:
        open_settings(): the user asked for the reminder settings.
    """

    open_settings = Signal()

    def __init__(self, reminders: Reminders, presenter: ReminderPresenter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reminders = reminders
        self._presenter = presenter
        self.setObjectName("remindersMenu")
        self.status = self._add("reminderStatus", "", None)
        self.status.setEnabled(False)
        self.addSeparator()
        labels = {"pause30": self.tr("Pause for &30 minutes"),
                  "pause60": self.tr("Pause for &1 hour"),
                  "pause120": self.tr("Pause for &2 hours")}
        for name, length in PAUSES:
            self._add(name, labels[name], lambda span=length: self._reminders.pause(span))
        self.pause_tomorrow = self._add("pauseTomorrow", self.tr("Pause until &tomorrow"),
                                        self._reminders.pause_until_tomorrow)
        self.resume = self._add("resumeReminders", self.tr("&Resume reminders"),
                                self._reminders.resume)
        if presenter is not None:
            self.addSeparator()
            self.answer = self._add("answerReminder", self.tr("&Answer the reminder"),
                                    presenter.focus_card)
            self._add("stretchNow", self.tr("&Stretch now…"), presenter.show_stretch_routine)
            self._add("breatheNow", self.tr("&Breathe now…"), presenter.show_breathing)
        self.addSeparator()
        self._add("reminderSettings", self.tr("Reminder &settings…"), self.open_settings.emit)
        # The next reminder is worked out once per schedule change, not for every look at the
        # tray after each logged entry. Connected before refresh, so it is never stale there.
        self._next_text: tuple[str, datetime | None, date] | None = None
        for signal in (reminders.pause_changed, reminders.schedule_changed, self.aboutToShow):
            signal.connect(self._forget_next)
            signal.connect(self.refresh)
        self.refresh()

    def _add(self, name: str, text: str, slot: Callable[[], object] | None) -> QAction:
        action = self.addAction(text)
        action.setObjectName(name)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def action_named(self, name: str) -> QAction:
        for action in self.actions():
            if action.objectName() == name:
                return action
        raise KeyError(name)

    def refresh(self) -> None:
        until = self._reminders.paused_until
        if until is not None:
            when = self._when(until, self._reminders_now())
            self.setTitle(self.tr("&Reminders (paused until {when})").format(when=when))
            self.status.setText(self.tr("Paused until {when}").format(when=when))
        else:
            self.setTitle(self.tr("&Reminders"))
            self.status.setText(self.status_text())
        self.resume.setEnabled(until is not None)
        if self._presenter is not None:
            self.answer.setVisible(self._presenter.has_card())

    def status_text(self) -> str:
        """One line for the tray: paused until when, or the next reminder."""
        until = self._reminders.paused_until
        now = self._reminders_now()
        if until is not None:
            return self.tr("Reminders paused until {when}").format(when=self._when(until, now))
        known = self._next_text
        if known is not None:
            text, until, on = known
            if on == now.date() and (until is None or _utc(now) < _utc(until)):
                return text
        upcoming = self._reminders.next_reminder()
        if upcoming is None or upcoming.next is None:
            text, until = self.tr("No reminders coming up"), None
        else:
            text = self.tr("Next: {reminder} at {when}").format(
                reminder=upcoming.kind.label, when=self._when(upcoming.next, now))
            until = upcoming.next
        self._next_text = (text, until, now.date())
        return text

    def _forget_next(self) -> None:
        self._next_text = None

    def _reminders_now(self) -> datetime:
        return self._reminders.now()

    def _when(self, moment: datetime, now: datetime) -> str:
        days = (moment.astimezone(now.tzinfo).date() - now.date()).days
        text = locale_time(moment.astimezone(now.tzinfo))
        if days <= 0 or moment.astimezone(timezone.utc) <= now.astimezone(timezone.utc):
            return text
        if days == 1:
            return self.tr("tomorrow {time}").format(time=text)
        return self.tr("{day} {time}").format(day=moment.strftime("%a"), time=text)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
