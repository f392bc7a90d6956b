"""Shows what falls due, one reminder at a time, and reports the user's answers.

A reminder goes on Quell's card, in a native desktop notification with Done / Snooze / Skip
buttons, or both (the user's ``style``; ``Reminder.style`` overrides it for one reminder).
A notification is used only where the desktop's notification server shows buttons (the
"actions" capability, Linux); elsewhere, on Windows and macOS too, the card is the fallback:
it is always answerable, which Qt's tray balloons (no buttons, and nothing at all without a
tray) are not. An answer from the notification is handled exactly like the card's button.

The card itself (``reminder_card``) and the notification client are built the first time
something is due: a tray app waiting for its next reminder need not hold them.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QSize, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from quell.core.caffeine import Drink
from quell.core.entries import Entry, Source
from quell.core.errors import InputError
from quell.core.presence import waited_text
from quell.core.reminders import (
    DayFactsReader,
    Reminder,
    ReminderKind,
    late_caffeine_text,
    with_rating_question,
)
from quell.core.settings import ReminderStyle
from quell.scheduling.reminders import SNOOZE, AwayNotice, Reminders, locale_time
from quell.ui.services.session import Session

if TYPE_CHECKING:
    from quell.platform.notifications import Notifications
    from quell.ui.reminders.card import ReminderCard

log = logging.getLogger(__name__)

ICONS = {
    ReminderKind.WATER: "reminder-water",
    ReminderKind.STRETCH: "reminder-stretch",
    ReminderKind.BREATHE: "reminder-breathe",
    ReminderKind.CAFFEINE_CUTOFF: "reminder-caffeine",
    ReminderKind.WIND_DOWN: "reminder-wind-down",
    ReminderKind.SLEEP_LOG: "reminder-sleep-log",
}
# Done on these opens a guided exercise: the notification's button says "Start".
_STARTS = (ReminderKind.STRETCH, ReminderKind.BREATHE)
SOUND_NAME = "message-new-instant"  # the freedesktop sound theme's name for a new message


def reminder_text(reminder: Reminder) -> str:
    """The reminder's body as shown, with "It waited while you were away." when it waited."""
    if reminder.held is None:
        return reminder.body
    return f"{reminder.body}\n\n{waited_text(reminder.held)}"


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
    """Shows what the reminder service says is due, one at a time, and reports answers.

    On the card, in a native notification (clicking it opens the card with focus), or both;
    an unanswered one that expires, is dismissed or fades counts as missed. Done on stretch
    or breathe opens the guided exercise; finishing it logs the session. Also warns gently
    when caffeine is logged after the day's cut-off.

    Signals:
        open_log_dialog(str): Done on "log your sleep" asks for the sleep dialog ("sleep").
        open_twitch_rating(): Done on the wind-down that asks the day's twitch rating.
    """

    open_log_dialog = Signal(str)
    open_twitch_rating = Signal()

    def __init__(self, reminders: Reminders, session: Session,
                 tray: QSystemTrayIcon | None = None, *, watch_caffeine: bool = True,
                 notifications: Notifications | None = None,
                 parent: QObject | None = None) -> None:
        """*tray* places the card next to its icon; *notifications* is the desktop's
        notification service (default: over the session bus, built when first needed)."""
        super().__init__(parent)
        self._reminders = reminders
        self._session = session
        self._tray = tray
        self._card: ReminderCard | None = None
        self._notifications: Notifications | None = None
        if notifications is not None:
            self._use_notifications(notifications)
        self._fallback_logged = False
        self._queue = _Queue()
        # What is shown now: on the card (_current), in a notification (_notified, with its
        # id), or both at once (the same item in each).
        self._current: Reminder | _Notice | None = None
        self._notified: Reminder | _Notice | None = None
        self._notification_id = 0
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
        if watch_caffeine:
            self._caffeine_seen = self._caffeine_ids()
            session.changed.connect(self._check_new_caffeine)

    @property
    def card(self) -> ReminderCard:
        """The card, built the first time it is needed."""
        if self._card is None:
            from quell.ui.reminders.card import ReminderCard

            card = ReminderCard()
            card.done.connect(self._done)
            card.snoozed.connect(self._snoozed)
            card.skipped.connect(self._skipped)
            card.acknowledged.connect(self._next)
            card.faded.connect(self._faded)
            self._card = card
        return self._card

    @property
    def notifications(self) -> Notifications:
        """The desktop's notification service, built the first time it is needed."""
        if self._notifications is None:
            from quell.platform.notifications import Notifications

            self._use_notifications(Notifications(parent=self))
        assert self._notifications is not None
        return self._notifications

    def _use_notifications(self, notifications: Notifications) -> None:
        notifications.action_invoked.connect(self._action_invoked)
        notifications.closed.connect(self._notification_closed)
        self._notifications = notifications

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
        from quell.ui.exercises.stretch_routine import StretchRoutine

        if self._stretch is None:
            self._stretch = StretchRoutine(self._session)
            self._stretch.destroyed.connect(self._forget_stretch)
        _present(self._stretch)
        return self._stretch

    def show_breathing(self) -> QWidget:
        from quell.ui.exercises.breathing import BreathingExercise

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
        if self._notified is not None and self._current is None:
            self._open_notified()
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
        if isinstance(item, Reminder) and self._session.today_rating() is None:
            item = with_rating_question(item)  # the wind-down asks the day's one question
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
            self._next()

    def _style(self, item: Reminder | _Notice) -> ReminderStyle:
        if isinstance(item, Reminder) and item.style is not None:
            return ReminderStyle(item.style)  # (a caller of remind_now may give its name)
        return self._session.settings().reminders.style

    def _next(self) -> None:
        """Clear what is shown (card and notification), then show the next item, if any."""
        self._notify_timer.stop()
        if self._notification_id and self._notifications is not None:
            self._notifications.close(self._notification_id)
        if self._current is not None and self._card is not None:
            self._card.dismiss()
        self._current = None
        self._notified = None
        self._notification_id = 0
        if not self._queue.items:
            return
        item = self._queue.items.pop(0)
        settings = self._session.settings().reminders
        visible_for = timedelta(minutes=settings.card_minutes)
        style = self._style(item)
        sound = settings.sound
        on_card = style in (ReminderStyle.CARD, ReminderStyle.BOTH)
        if style in (ReminderStyle.NOTIFICATION, ReminderStyle.BOTH):
            capabilities = self._notification_capabilities(item)
            if capabilities is None:
                on_card = True
            else:
                hint = sound and "sound" in capabilities  # the server plays it
                self._notify(item, visible_for, with_timer=not on_card,
                             sound=SOUND_NAME if hint else "")
                sound = sound and not (hint and self._notified is not None)
                on_card = on_card or self._notified is None
        if sound:
            play_sound()
        if on_card:
            self._show_card(item, visible_for)
        if isinstance(item, Reminder):
            self._reminders.shown(item)

    def _notification_capabilities(self, item: Reminder | _Notice) -> frozenset[str] | None:
        """The server's capabilities if *item* can go in a notification, else None (logged
        once: the card stands in)."""
        notifications = self.notifications
        capabilities = notifications.capabilities() if notifications.available() else None
        if capabilities is not None and (
                "actions" in capabilities or not isinstance(item, Reminder)):
            return capabilities
        if not self._fallback_logged:
            self._fallback_logged = True
            log.info("reminders show on the card: %s",
                     "the notification server shows no buttons" if capabilities is not None
                     else "there is no desktop notification service")
        return None

    def _notify(self, item: Reminder | _Notice, visible_for: timedelta, *, with_timer: bool,
                sound: str) -> None:
        open_label = self.tr("Open")
        if isinstance(item, Reminder):
            title, body, icon = item.title, reminder_text(item), ICONS[item.kind]
            done = ("start", self.tr("Start")) if item.kind in _STARTS \
                else ("done", item.done_label)
            actions = [("default", open_label), done, ("snooze", self.tr("Snooze 10 min")),
                       ("skip", self.tr("Skip"))]
        else:
            title, icon = item.title, item.icon
            body = "\n".join([*("• " + line for line in item.lines), item.body])
            actions = [("default", open_label)]
        ms = int(visible_for.total_seconds() * 1000)
        notification_id = self.notifications.notify(
            title, body, actions=actions, icon=_illustration(icon), timeout_ms=ms,
            category="x-quell.reminder", sound=sound)
        if not notification_id:
            return
        self._notified = item
        self._notification_id = notification_id
        if with_timer:  # many servers keep it in a list for ever; it counts as missed after
            self._notify_timer.start(ms)

    def _show_card(self, item: Reminder | _Notice, visible_for: timedelta) -> None:
        self._current = item
        if isinstance(item, Reminder):
            self.card.show_reminder(item, visible_for)
        else:
            self.card.show_notice(item.icon, item.title, item.body, visible_for, item.lines)
        tray = self._tray.geometry() if self._tray is not None and self._tray.isVisible() \
            else None
        self.card.present(tray)

    def _open_notified(self) -> None:
        """A click on the notification: it becomes the card, with keyboard focus."""
        item = self._notified
        if item is None:
            return
        self._notify_timer.stop()
        if self._notifications is not None:
            self._notifications.close(self._notification_id)
        self._notified = None
        self._notification_id = 0
        if self._current is None:
            self._show_card(
                item, timedelta(minutes=self._session.settings().reminders.card_minutes))
        self.card.take_focus()

    def _action_invoked(self, notification_id: int, key: str) -> None:
        if notification_id != self._notification_id or self._notified is None:
            return
        if key == "default" or not isinstance(self._notified, Reminder):
            self._open_notified()
        elif key in ("done", "start"):
            self._done(self._notified)
        elif key == "snooze":
            self._snoozed(int(SNOOZE.total_seconds() // 60), self._notified)
        elif key == "skip":
            self._skipped(self._notified)

    def _notification_closed(self, notification_id: int, _reason: int) -> None:
        """Expired or dismissed unanswered: missed, like a faded card (unless the card is up
        too: then the card carries on alone)."""
        if notification_id != self._notification_id:
            return
        self._notification_id = 0
        item, self._notified = self._notified, None
        if self._current is None:
            self._missed(item)

    def _notification_expired(self) -> None:
        if self._notified is not None and self._current is None:
            self._missed(self._notified)

    # -- answers --------------------------------------------------------------------------

    def _shown(self) -> Reminder | _Notice | None:
        return self._current or self._notified

    def _done(self, item: Reminder | _Notice | None = None) -> None:
        reminder = item or self._shown()
        if not isinstance(reminder, Reminder):
            self._next()
            return
        try:
            self._reminders.done(reminder)
        except InputError as error:
            self._next()
            self._enqueue(_Notice(ICONS[reminder.kind], self.tr("Not logged"), str(error)))
            return
        if reminder.kind is ReminderKind.STRETCH:
            self.show_stretch_routine()
        elif reminder.kind is ReminderKind.BREATHE:
            self.show_breathing()
        elif reminder.kind is ReminderKind.SLEEP_LOG:
            self.open_log_dialog.emit("sleep")
        elif reminder.asks_rating:
            self.open_twitch_rating.emit()
        self._next()

    def _snoozed(self, minutes: int, item: Reminder | _Notice | None = None) -> None:
        reminder = item or self._shown()
        if isinstance(reminder, Reminder):
            self._reminders.snooze(reminder, timedelta(minutes=minutes))
        self._next()

    def _skipped(self, item: Reminder | _Notice | None = None) -> None:
        reminder = item or self._shown()
        if isinstance(reminder, Reminder):
            self._reminders.skip(reminder)
        self._next()

    def _faded(self) -> None:
        self._missed(self._shown())

    def _missed(self, item: Reminder | _Notice | None) -> None:
        if isinstance(item, Reminder):
            self._reminders.missed(item)
        self._next()


def _illustration(name: str) -> QImage | None:
    """Illustration *name* as a 64 px picture for a notification, in the app's palette."""
    from quell.ui.common.illustration import render

    try:
        return render(name, QSize(64, 64), QApplication.palette()).toImage()
    except OSError:  # a missing resource file: the server shows Quell's icon instead
        return None


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

