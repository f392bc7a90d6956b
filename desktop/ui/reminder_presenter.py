"""Shows what falls due, one reminder at a time, and reports the user's answers.

The card itself (``reminder_card``) is built the first time something is due: its module and
widgets cost about 5 MB that a tray app waiting for its next reminder need not hold.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from desktop.core.caffeine import Drink
from desktop.core.entries import Entry, Source
from desktop.core.errors import InputError
from desktop.core.reminders import (
    DayFactsReader,
    Reminder,
    ReminderKind,
    late_caffeine_text,
)
from desktop.scheduling.reminders import AwayNotice, Reminders, locale_time
from desktop.ui.session import Session

if TYPE_CHECKING:
    from desktop.ui.reminder_card import ReminderCard

log = logging.getLogger(__name__)

ICONS = {
    ReminderKind.WATER: "reminder-water",
    ReminderKind.STRETCH: "reminder-stretch",
    ReminderKind.BREATHE: "reminder-breathe",
    ReminderKind.CAFFEINE_CUTOFF: "reminder-caffeine",
    ReminderKind.WIND_DOWN: "reminder-wind-down",
    ReminderKind.SLEEP_LOG: "reminder-sleep-log",
}


@dataclass
class _Notice:
    icon: str
    title: str
    body: str
    lines: tuple[str, ...] = ()


@dataclass
class _Queue:
    items: list[Reminder | _Notice] = field(default_factory=list)


class ReminderPresenter(QObject):
    """Shows what the reminder service says is due, one card at a time, and reports answers.

    Uses a card, or the tray's own messages when the user chose notifications (clicking one
    opens the card). Done on stretch or breathe opens the guided exercise; finishing it logs
    the session. Also warns gently when caffeine is logged after the day's cut-off.

    Signals:
        open_log_dialog(str): Done on "log your sleep" asks for the sleep dialog ("sleep").
    """

    open_log_dialog = Signal(str)

    def __init__(self, reminders: Reminders, session: Session,
                 tray: QSystemTrayIcon | None = None, *, watch_caffeine: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reminders = reminders
        self._session = session
        self._tray = tray
        self._card: ReminderCard | None = None
        self._queue = _Queue()
        self._current: Reminder | _Notice | None = None
        self._notified: Reminder | _Notice | None = None
        self._stretch: QWidget | None = None
        self._breathing: QWidget | None = None
        self._notify_timer = QTimer(self)
        self._notify_timer.setSingleShot(True)
        self._notify_timer.timeout.connect(self._notification_expired)
        self._caffeine_seen: set[int] = set()
        self._caffeine_checked: tuple[Entry, ...] = ()

        reminders.due.connect(self._enqueue)
        reminders.away.connect(self._away)
        reminders.withdrawn.connect(self._withdrawn)
        if tray is not None:
            tray.messageClicked.connect(self._message_clicked)
        if watch_caffeine:
            self._caffeine_seen = self._caffeine_ids()
            session.changed.connect(self._check_new_caffeine)

    @property
    def card(self) -> ReminderCard:
        """The card, built the first time it is needed."""
        if self._card is None:
            from desktop.ui.reminder_card import ReminderCard

            card = ReminderCard()
            card.done.connect(self._done)
            card.snoozed.connect(self._snoozed)
            card.skipped.connect(self._skipped)
            card.acknowledged.connect(self._next)
            card.faded.connect(self._faded)
            self._card = card
        return self._card

    # -- guided exercises -----------------------------------------------------------------

    @property
    def stretch_routine(self) -> QWidget | None:
        """The stretch routine window, once opened."""
        return self._stretch

    @property
    def breathing_window(self) -> QWidget | None:
        """The breathing exercise window, once opened."""
        return self._breathing

    def show_stretch_routine(self) -> QWidget:
        from desktop.ui.stretch_routine import StretchRoutine

        if self._stretch is None:
            self._stretch = StretchRoutine(self._session)
            self._stretch.destroyed.connect(self._forget_stretch)
        _present(self._stretch)
        return self._stretch

    def show_breathing(self) -> QWidget:
        from desktop.ui.breathing import BreathingExercise

        if self._breathing is None:
            minutes = self._session.settings().reminders.breathe_minutes
            self._breathing = BreathingExercise(self._session, minutes=minutes)
            self._breathing.destroyed.connect(self._forget_breathing)
        _present(self._breathing)
        return self._breathing

    def _forget_stretch(self) -> None:
        self._stretch = None

    def _forget_breathing(self) -> None:
        self._breathing = None

    # -- keyboard access ------------------------------------------------------------------

    @property
    def current(self) -> Reminder | None:
        """The reminder on the card (or in a notification) now, if any."""
        shown = self._current or self._notified
        return shown if isinstance(shown, Reminder) else None

    def has_card(self) -> bool:
        return self._current is not None or self._notified is not None

    def focus_card(self) -> bool:
        """Bring the waiting card forward with keyboard focus (from the tray menu)."""
        if self._notified is not None:
            self._message_clicked()
        if self._current is None:
            return False
        self.card.take_focus()
        return True

    # -- caffeine -------------------------------------------------------------------------

    def warn_late_caffeine(self, entry: Entry) -> bool:
        """Show a gentle card when *entry* (just logged) is after the day's cut-off.

        Returns whether it warned. Off when the caffeine reminder is switched off.
        """
        if entry.habit != "caffeine":
            return False
        policy = self._reminders.policy()
        if not policy.enabled(ReminderKind.CAFFEINE_CUTOFF):
            return False
        facts = DayFactsReader(self._session.summary, self._session.targets,
                               self._session.current_day())(entry.day)
        drink = Drink(entry.at, entry.amount)
        late = policy.caffeine.late_drink(drink, facts.caffeine, policy.bedtime(entry.day))
        if late is None:
            return False
        title, body = late_caffeine_text(late, locale_time)
        self._enqueue(_Notice("reminder-caffeine", title, body))
        return True

    def _caffeine_ids(self) -> set[int]:
        progress = self._session.summary().get("caffeine")
        if progress is None:
            return set()
        self._caffeine_checked = progress.entries
        return {e.id for e in progress.entries if e.id is not None}

    def _check_new_caffeine(self) -> None:
        progress = self._session.summary().get("caffeine")
        if progress is None or progress.entries is self._caffeine_checked:
            return  # no caffeine changed (the summary keeps an unchanged habit's entries)
        self._caffeine_checked = progress.entries
        now = self._session.tracker.clock.now().astimezone(timezone.utc)
        fresh = [e for e in progress.entries
                 if e.id is not None and e.id not in self._caffeine_seen
                 and e.source is not Source.IMPORT
                 and abs(now - e.at.astimezone(timezone.utc)) <= timedelta(minutes=30)]
        self._caffeine_seen |= {e.id for e in progress.entries if e.id is not None}
        if fresh:
            self.warn_late_caffeine(max(fresh, key=lambda e: e.at))

    # -- the queue ------------------------------------------------------------------------

    def _enqueue(self, item: Reminder | _Notice) -> None:
        self._queue.items.append(item)
        if self._current is None and self._notified is None:
            self._next()

    def _away(self, notice: AwayNotice) -> None:
        body = self.tr("No need to catch up on everything at once: pick what helps now.")
        self._enqueue(_Notice("reminder-away", notice.title, body, notice.lines))

    def _withdrawn(self, reminder: Reminder) -> None:
        if reminder in self._queue.items:
            self._queue.items.remove(reminder)
        if self._current == reminder or self._notified == reminder:
            self._notify_timer.stop()
            self._current = self._notified = None
            if self._card is not None:
                self._card.dismiss()
            self._next()

    def _next(self) -> None:
        self._current = None
        self._notified = None
        if not self._queue.items:
            return
        item = self._queue.items.pop(0)
        settings = self._session.settings().reminders
        visible_for = timedelta(minutes=settings.card_minutes)
        if settings.sound:
            play_sound()
        if (settings.style == "notification" and self._tray is not None
                and self._tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            self._notified = item
            body = item.body if isinstance(item, Reminder) else "\n".join(
                [*item.lines, item.body])
            self._tray.showMessage(item.title, body, QIcon(),
                                   int(visible_for.total_seconds() * 1000))
            self._notify_timer.start(int(visible_for.total_seconds() * 1000))
            if isinstance(item, Reminder):
                self._reminders.shown(item)
            return
        self._show_card(item, visible_for)

    def _show_card(self, item: Reminder | _Notice, visible_for: timedelta) -> None:
        self._current = item
        if isinstance(item, Reminder):
            self.card.show_reminder(item, visible_for)
        else:
            self.card.show_notice(item.icon, item.title, item.body, visible_for, item.lines)
        tray = self._tray.geometry() if self._tray is not None and self._tray.isVisible() \
            else None
        self.card.present(tray)
        if isinstance(item, Reminder):
            self._reminders.shown(item)

    def _message_clicked(self) -> None:
        item = self._notified
        if item is None:
            return
        self._notify_timer.stop()
        self._notified = None
        self._show_card(item, timedelta(minutes=self._session.settings().reminders.card_minutes))
        self.card.take_focus()

    def _notification_expired(self) -> None:
        item = self._notified
        self._notified = None
        if isinstance(item, Reminder):
            self._reminders.missed(item)
        self._next()

    # -- answers --------------------------------------------------------------------------

    def _done(self) -> None:
        reminder = self._current
        if not isinstance(reminder, Reminder):
            self._next()
            return
        try:
            self._reminders.done(reminder)
        except InputError as error:
            self._current = None
            self._enqueue(_Notice(ICONS[reminder.kind], self.tr("Not logged"), str(error)))
            return
        if reminder.kind is ReminderKind.STRETCH:
            self.show_stretch_routine()
        elif reminder.kind is ReminderKind.BREATHE:
            self.show_breathing()
        elif reminder.kind is ReminderKind.SLEEP_LOG:
            self.open_log_dialog.emit("sleep")
        self._next()

    def _snoozed(self, minutes: int) -> None:
        if isinstance(self._current, Reminder):
            self._reminders.snooze(self._current, timedelta(minutes=minutes))
        self._next()

    def _skipped(self) -> None:
        if isinstance(self._current, Reminder):
            self._reminders.skip(self._current)
        self._next()

    def _faded(self) -> None:
        if isinstance(self._current, Reminder):
            self._reminders.missed(self._current)
        self._next()


def _present(widget: QWidget) -> None:
    widget.show()
    widget.raise_()
    widget.activateWindow()


def play_sound() -> None:
    """A short, soft sound: the desktop's message sound when it can play one, else a beep."""
    player = shutil.which("canberra-gtk-play")
    if player and QProcess.startDetached(player, ["-i", "message-new-instant", "-d", "Quell"])[0]:
        return
    QApplication.beep()

