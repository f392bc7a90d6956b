"""The Qt face of the tracker: every change goes through here and is announced once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from quell.core.days import hours_between
from quell.core.entries import Entry, Source, Target
from quell.core.habits import Habit, HabitCatalog
from quell.core.ratings import RatingChange, TwitchRating, TwitchRatings
from quell.core.settings import Settings, TwitchDiary, changed_keys
from quell.core.summary import DaySummary
from quell.core.tracker import Logged, Tracker
from quell.storage.rating_store import SqliteRatingStore
from quell.storage.store import SqliteStore
from quell.storage.twitch_store import SqliteTwitchStore

T = TypeVar("T")

# The longest the day-change check waits, so a wake from sleep past the day start is noticed.
DAY_CHECK_CAP_SECONDS = 300

# Summaries kept between two changes (today, yesterday, the day a window shows, ...).
_KEPT_SUMMARIES = 8


class Session(QObject):
    """Wraps :class:`Tracker` for the widgets.

    Signals:
        changed(): after any committed change to entries, targets, habits or a day's twitch
            rating, and when the day rolls over; views re-read what they show. The day's
            summary is built once per change and shared: every listener that asks gets the
            same object.
        settings_changed(frozenset[str]): once per save that changed something, with what
            changed (:func:`quell.core.settings.changed_keys`: field names, and
            ``"reminders.<field>"``); listeners refresh only when a key they show is in it.
        day_changed(): when the Quell day rolls over (at the day-start hour).

    Methods raise :class:`quell.core.errors.InputError` for bad input, having written nothing;
    dialogs show its message inline.
    """

    changed = Signal()
    settings_changed = Signal(object)
    day_changed = Signal()

    def __init__(
        self,
        tracker: Tracker,
        settings: Callable[[], Settings],
        save_settings: Callable[[Settings], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tracker = tracker
        # The daily twitch rating and the diary's episodes live in the same database.
        store = tracker.store
        if not isinstance(store, SqliteStore):
            raise TypeError("Session needs the tracker of a Quell database")
        self._ratings = TwitchRatings(SqliteRatingStore(store.connection), tracker.clock,
                                      settings)
        self._twitches = SqliteTwitchStore(store.connection)
        # Read once and again only after a change that may move them (not for each glass).
        self._has_episodes: bool | None = None
        self._rating_today: tuple[date, TwitchRating | None] | None = None
        self._settings = settings
        self._save_settings = save_settings
        self._day = tracker.current_day()
        self._announced_settings = settings()
        # Connected first, so the cache is dropped before any listener asks for a summary,
        # whoever emits the change.
        self._summaries: dict[date, DaySummary] = {}
        self.changed.connect(self._summaries.clear)
        # One wait aimed at the next day start, re-armed after each check: no polling. Capped,
        # because a timer's clock stops while the machine sleeps and the wall clock does not.
        self._day_timer = QTimer(self)
        self._day_timer.setSingleShot(True)
        self._day_timer.timeout.connect(self.check_day)
        self._arm_day_timer()

    @property
    def tracker(self) -> Tracker:
        return self._tracker

    def settings(self) -> Settings:
        return self._settings()

    def habits(self) -> HabitCatalog:
        """Every habit: the built-ins and the user's own (archived ones flagged)."""
        return self._tracker.habits

    def current_day(self) -> date:
        return self._tracker.current_day()

    def summary(self, day: date | None = None) -> DaySummary:
        """The summary of *day* (today by default), built once per change."""
        day = day or self._tracker.current_day()
        cached = self._summaries.get(day)
        if cached is None:
            cached = self._tracker.summary(day)
            if len(self._summaries) < _KEPT_SUMMARIES:
                self._summaries[day] = cached
        return cached

    def enabled_habits(self) -> list[str]:
        return self._tracker.enabled_habits()

    # -- the daily twitch rating ---------------------------------------------------------

    def today_rating(self) -> TwitchRating | None:
        """Today's twitch rating (0–4), or None before the user has given one."""
        day = self.current_day()
        if self._rating_today is None or self._rating_today[0] != day:
            self._rating_today = (day, self._ratings.on(day))
        return self._rating_today[1]

    def rating_on(self, day: date) -> TwitchRating | None:
        return self._ratings.on(day)

    def rate(self, value: int, *, day: date | None = None, areas: Sequence[str] = ()
             ) -> RatingChange:
        """Rate how much twitching bothered the user on *day* (today when None); a second
        rating of the day replaces the first. InputError for a bad value, nothing written."""
        change = self._ratings.rate(value, day=day, areas=areas)
        self._rating_today = None
        return self._announce(change)

    def clear_rating(self, day: date | None = None) -> TwitchRating | None:
        cleared = self._ratings.clear(day)
        self._rating_today = None
        return self._announce(cleared)

    def forget_twitch_facts(self) -> None:
        """Twitch episodes were logged or deleted (here or elsewhere): whether the diary holds
        any is read again when next asked."""
        self._has_episodes = None

    def twitch_diary_offered(self) -> bool:
        """Whether "Log a twitch" is offered: the user chose "Log each twitch", or has not
        chosen and the diary already holds episodes (so an upgrade keeps it as it was)."""
        choice = self._settings().twitch_diary
        if choice is not TwitchDiary.AUTO:
            return choice.offered(False)
        if self._has_episodes is None:
            self._has_episodes = self._twitches.has_twitches()
        return self._has_episodes

    def targets(self, day: date | None = None) -> dict[str, Target]:
        return self._tracker.targets(day)

    # -- changes -------------------------------------------------------------------------

    def log(self, key: str, amount: float | None = None, *, at: datetime | None = None,
            note: str = "", detail: dict[str, Any] | None = None,
            source: Source = Source.WINDOW) -> Logged:
        return self._announce(self._tracker.log(key, amount, at=at, note=note, detail=detail,
                                                source=source))

    def log_drink(self, preset: str, *, at: datetime | None = None, note: str = "",
                  source: Source = Source.WINDOW) -> Logged:
        return self._announce(self._tracker.log_drink(preset, at=at, note=note, source=source))

    def log_sleep(self, bed_at: datetime, wake_at: datetime, *, note: str = "",
                  source: Source = Source.WINDOW) -> Logged:
        return self._announce(self._tracker.log_sleep(bed_at, wake_at, note=note,
                                                      source=source))

    def log_exercise(self, minutes: float, intensity: str, *, at: datetime | None = None,
                     note: str = "", source: Source = Source.WINDOW) -> Logged:
        return self._announce(self._tracker.log_exercise(minutes, intensity, at=at, note=note,
                                                         source=source))

    def edit(self, entry_id: int, *, amount: float | None = None, at: datetime | None = None,
             note: str | None = None) -> Entry:
        return self._announce(self._tracker.edit(entry_id, amount=amount, at=at, note=note))

    def delete(self, entry_id: int) -> Entry:
        return self._announce(self._tracker.delete(entry_id))

    def undo_delete(self, entry_id: int) -> None:
        self._tracker.undo_delete(entry_id)
        self.changed.emit()

    def set_targets(self, targets: dict[str, tuple[float | None, float | None]]) -> None:
        """Apply several targets at once (validated first, so none is half-applied)."""
        for key, (value, value_max) in targets.items():
            self._tracker.validate_target(key, value, value_max)
        for key, (value, value_max) in targets.items():
            self._tracker.set_target(key, value, value_max)
        self.changed.emit()

    def set_enabled_habits(self, keys: Sequence[str]) -> None:
        self._tracker.set_enabled_habits(keys)
        self.changed.emit()

    # The user's own habits (Tracker's rules); each emits ``changed`` once, after the commit.

    def add_habit(self, habit: Habit) -> Habit:
        return self._announce(self._tracker.add_habit(habit))

    def update_habit(self, habit: Habit) -> Habit:
        return self._announce(self._tracker.update_habit(habit))

    def archive_habit(self, key: str) -> None:
        self._tracker.archive_habit(key)
        self.changed.emit()

    def restore_habit(self, key: str) -> None:
        self._tracker.restore_habit(key)
        self.changed.emit()

    def set_habit_order(self, keys: Sequence[str]) -> None:
        self._tracker.set_habit_order(keys)
        self.changed.emit()

    def set_day_off(self, day: date, off: bool, reason: str = "", *,
                    store: Callable[[date, bool, str], None]) -> None:
        """Mark *day* a day off for *reason* (or not, when *off* is False) through *store*
        (the history store's ``mark_day_off``), then announce it like any other change.

        *store* writes in one transaction; when it raises (InputError, StorageError) nothing
        was written and nothing is announced.
        """
        store(day, off, reason)
        self.changed.emit()

    def save_settings(self, settings: Settings) -> None:
        """Save *settings*; then one ``settings_changed`` with what changed (none when nothing
        did). A new day-start hour can move today to another day: that is announced as a new
        day (``day_changed`` and ``changed``), as at the day start."""
        self._save_settings(settings.validate())
        self._announce_settings()

    def _announce_settings(self) -> None:
        current = self._settings()
        keys = changed_keys(self._announced_settings, current)
        self._announced_settings = current
        if not keys:
            return
        self.settings_changed.emit(keys)
        if "day_start_hour" in keys:
            self._summaries.clear()
            self.check_day()

    def notify_external_change(self, *, settings: bool = False) -> None:
        """A command from the command line changed the data (and perhaps the settings).

        With *settings*, settings_changed is emitted only when the settings differ from those
        last announced: most commands log an entry, and re-arming every reminder for each of
        them is wasted work.
        """
        if settings:
            self._announce_settings()
        self._rating_today = None  # `quell rate`, an import
        self._has_episodes = None
        self.changed.emit()

    def _arm_day_timer(self) -> None:
        tracker = self._tracker
        next_start = tracker.moment_on_day(tracker.current_day() + timedelta(days=1),
                                           time(self._settings().day_start_hour, 0))
        seconds = hours_between(tracker.clock.now(), next_start) * 3600 + 1
        self._day_timer.start(int(min(max(seconds, 1), DAY_CHECK_CAP_SECONDS) * 1000))

    def check_day(self) -> None:
        """Announce a new day if it has begun (also called when a window or menu opens)."""
        self._arm_day_timer()
        day = self._tracker.current_day()
        if day != self._day:
            self._day = day
            self.day_changed.emit()
            self.changed.emit()

    def _announce(self, result: T) -> T:
        self.changed.emit()
        return result
