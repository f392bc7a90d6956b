"""The tray's Reminders submenu: what comes next or why reminders wait, pause, resume, and
postpone the next one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from quell.core.presence import Hold, HoldReason, waiting_text
from quell.core.reminders import ReminderKind
from quell.scheduling.reminders import Reminders, locale_time
from quell.ui.reminders.presenter import ReminderPresenter

PAUSES: tuple[tuple[str, timedelta], ...] = (
    ("pause30", timedelta(minutes=30)),
    ("pause60", timedelta(hours=1)),
    ("pause120", timedelta(hours=2)),
)
POSTPONES: tuple[tuple[str, timedelta], ...] = (
    ("postpone15", timedelta(minutes=15)),
    ("postpone30", timedelta(minutes=30)),
    ("postpone60", timedelta(hours=1)),
)


class ReminderTrayMenu(QMenu):
    """A submenu for the tray. Its title says when paused reminders resume, or why they wait
    (you are away, do not disturb, a meeting...) and which ones do.

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
        self.waiting = self._add("remindersWaiting", "", None)
        self.waiting.setEnabled(False)
        self.addSeparator()
        labels = {"pause30": self.tr("Pause for &30 minutes"),
                  "pause60": self.tr("Pause for &1 hour"),
                  "pause120": self.tr("Pause for &2 hours")}
        for name, length in PAUSES:
            self._add(name, labels[name], partial(self._reminders.pause, length))
        self.pause_tomorrow = self._add("pauseTomorrow", self.tr("Pause until &tomorrow"),
                                        self._reminders.pause_until_tomorrow)
        self.resume = self._add("resumeReminders", self.tr("&Resume reminders"),
                                self._reminders.resume)
        self.postpone = QMenu(self.tr("&Postpone the next reminder"), self)
        self.postpone.setObjectName("postponeMenu")
        postpone_labels = {"postpone15": self.tr("By &15 minutes"),
                           "postpone30": self.tr("By &30 minutes"),
                           "postpone60": self.tr("By &1 hour")}
        for name, length in POSTPONES:
            action = self.postpone.addAction(postpone_labels[name])
            action.setObjectName(name)
            action.triggered.connect(
                lambda _checked=False, span=length: self._reminders.postpone_next(span))
        self.addMenu(self.postpone)
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
        for signal in (reminders.pause_changed, reminders.schedule_changed):
            signal.connect(self._forget_next)
            signal.connect(self.refresh)
        reminders.hold_changed.connect(self.refresh)
        # About to be seen: presence is read afresh (the last hold seen may be minutes old).
        self.aboutToShow.connect(self._about_to_show)
        self.refresh()

    def _add(self, name: str, text: str, slot: Callable[[], object] | None) -> QAction:
        action = self.addAction(text)
        action.setObjectName(name)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def action_named(self, name: str) -> QAction:
        """The action called *name*, here or in the Postpone submenu."""
        for action in (*self.actions(), *self.postpone.actions()):
            if action.objectName() == name:
                return action
        raise KeyError(name)

    def refresh(self) -> None:
        self._show(self._reminders.current_hold())

    def _about_to_show(self) -> None:
        self._forget_next()
        self._show(self._reminders.hold())

    def _show(self, hold: Hold | None) -> None:
        until = self._reminders.paused_until
        waits = ""
        if until is not None:
            when = self._when(until, self._reminders_now())
            self.setTitle(self.tr("&Reminders (paused until {when})").format(when=when))
            self.status.setText(self.tr("Paused until {when}").format(when=when))
        elif hold is not None:
            text = self._waiting_text(hold)
            self.setTitle("&" + text)
            self.status.setText(text)
            waits = self._waits_text(hold)
        else:
            self.setTitle(self.tr("&Reminders"))
            self.status.setText(self._next_reminder_text())
        self.waiting.setText(waits)
        self.waiting.setVisible(bool(waits))
        self.resume.setEnabled(until is not None)
        # Nothing to postpone when nothing is armed, or while paused (nothing shows anyway).
        self.postpone.setEnabled(until is None and bool(self._reminders.armed()))
        if self._presenter is not None:
            self.answer.setVisible(self._presenter.has_card())

    def status_text(self) -> str:
        """One line for the tray: paused until when, why reminders wait, or the next one.

        Reads no presence (the tray asks for this often): the last hold the service saw.
        """
        until = self._reminders.paused_until
        now = self._reminders_now()
        if until is not None:
            return self.tr("Reminders paused until {when}").format(when=self._when(until, now))
        hold = self._reminders.current_hold()
        if hold is not None:
            return self._waiting_text(hold)
        return self._next_reminder_text()

    def _waiting_text(self, hold: Hold) -> str:
        now = self._reminders_now()
        return waiting_text(hold, lambda moment: locale_time(moment.astimezone(now.tzinfo)))

    def _waits_text(self, hold: Hold) -> str:
        """Which reminders wait and until when: "Water and Stretch break wait until you are
        back"; empty when none does yet."""
        kinds: list[ReminderKind] = []
        for waiting in self._reminders.held():
            if waiting.kind not in kinds:
                kinds.append(waiting.kind)
        if not kinds:
            return ""
        until = {
            HoldReason.SCREEN_LOCKED: self.tr("until you are back"),
            HoldReason.AWAY: self.tr("until you are back"),
            HoldReason.MEETING: self.tr("until your meeting ends"),
            HoldReason.FULLSCREEN: self.tr("until the full-screen window closes"),
            HoldReason.DO_NOT_DISTURB: self.tr("until do not disturb is off"),
        }[hold.reason]
        labels = [kind.label for kind in kinds]
        if len(labels) == 1:
            return self.tr("{reminder} waits {until}").format(reminder=labels[0], until=until)
        names = self.tr("{first} and {last}").format(first=", ".join(labels[:-1]),
                                                      last=labels[-1])
        return self.tr("{reminders} wait {until}").format(reminders=names, until=until)

    def _next_reminder_text(self) -> str:
        now = self._reminders_now()
        known = self._next_text
        if known is not None:
            text, until, on = known
            if on == now.date() and (until is None or _utc(now) < _utc(until)):
                return text
        upcoming = self._soonest()
        if upcoming is None:
            text, until = self.tr("No reminders coming up"), None
        else:
            kind, until = upcoming
            text = self.tr("Next: {reminder} at {when}").format(
                reminder=kind.label, when=self._when(until, now))
        self._next_text = (text, until, now.date())
        return text

    def _soonest(self) -> tuple[ReminderKind, datetime] | None:
        """The next reminder and its time; a snoozed or postponed one comes at its snooze's
        end (its planned time has passed, or is skipped for it)."""
        soonest: tuple[ReminderKind, datetime] | None = None
        for status in self._reminders.statuses():
            when = self._reminders.snoozed_until(status.kind) or status.next
            if when is not None and (soonest is None or _utc(when) < _utc(soonest[1])):
                soonest = (status.kind, when)
        return soonest

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
