"""The Qt face of the twitch diary and the symptom-check history, beside the habit Session."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QLocale, QObject, Signal

from quell import __version__
from quell.core import triage_text
from quell.core.days import day_of
from quell.core.entries import Source
from quell.core.report import Report, SymptomCheck, build_report, recent_trigger_facts
from quell.core.summary import DaySummary
from quell.core.triage import Answers, TriageResult, emergency_number_for, region_of
from quell.core.twitches import DEFAULT_INTENSITY, Twitch, TwitchDiary, TwitchStore
from quell.storage.check_store import SqliteCheckStore
from quell.storage.errors import StorageError
from quell.ui.services.session import Session

__all__ = ["RECENT_DAYS", "StorageError", "SymptomSession", "emergency_number",
           "health_anxiety_help"]

RECENT_DAYS = 7


def emergency_number(locale_setting: str) -> str:
    """The emergency number for the user's locale setting, or the system locale when unset.

    The setting may be a locale name (``en_GB``) or just a region (``GB``).
    """
    return emergency_number_for(_locale_name(locale_setting))


def _locale_name(locale_setting: str) -> str:
    """The locale the setting names (or the system's): a bare region ``GB`` as ``und_GB``,
    since the region is read from the part after the language."""
    name = locale_setting.strip() or QLocale().name()
    return f"und_{name}" if len(name) == 2 and name.isalpha() else name


def health_anxiety_help(locale_setting: str) -> str:
    """Where to get help with health anxiety, for the user's region (as emergency_number)."""
    return triage_text.health_anxiety_help(region_of(_locale_name(locale_setting)))


class SymptomSession(QObject):
    """Twitch diary and symptom checks for the widgets; every change is announced once.

    Signals (each only when what it names really changed, never for a glass of water):
        twitches_changed(): after an episode was logged, edited, deleted or restored here,
            after :meth:`notify_external_change` said twitches changed (a ``quell twitch``
            command, an import), and when the day rolls over (what "the last N days" covers
            moves).
        checks_changed(): after a symptom check was saved here, after
            :meth:`notify_external_change` said checks changed (an import), and when the day
            rolls over.

    A twitch written here is also announced through ``Session.changed``, so views that
    follow the session, such as History, see it too; a change of the habits alone (logging
    water) is not relayed as a twitch or check change.

    Methods raise :class:`quell.core.errors.InputError` for bad input, having written nothing,
    and :class:`StorageError` (storage's own, re-exported here so widgets import no storage)
    for a problem with the user's database they can act on (locked, read-only, full, damaged),
    having written nothing.
    """

    twitches_changed = Signal()
    checks_changed = Signal()

    def __init__(self, session: Session, twitch_store: TwitchStore, check_store: SqliteCheckStore,
                 *, app_version: str = __version__, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._diary = TwitchDiary(twitch_store, session.tracker.clock, session.settings)
        self._checks = check_store
        self._app_version = app_version
        session.day_changed.connect(self.twitches_changed)
        session.day_changed.connect(self.checks_changed)

    @property
    def session(self) -> Session:
        return self._session

    @property
    def diary(self) -> TwitchDiary:
        return self._diary

    def now(self) -> datetime:
        return self._session.tracker.clock.now()

    def current_day(self) -> date:
        return self._session.current_day()

    # -- twitches ------------------------------------------------------------------------

    def log_twitch(self, area: str, *, side: str = "", intensity: int = DEFAULT_INTENSITY,
                   at: datetime | None = None, note: str = "",
                   source: Source = Source.WINDOW) -> Twitch:
        twitch = self._diary.log(area, side=side, intensity=intensity, at=at, note=note,
                                 source=source)
        self._announce()
        return twitch

    def edit_twitch(self, twitch_id: int, *, area: str | None = None, side: str | None = None,
                    intensity: int | None = None, at: datetime | None = None,
                    note: str | None = None) -> Twitch:
        twitch = self._diary.edit(twitch_id, area=area, side=side, intensity=intensity, at=at,
                                  note=note)
        self._announce()
        return twitch

    def delete_twitch(self, twitch_id: int) -> Twitch:
        twitch = self._diary.delete(twitch_id)
        self._announce()
        return twitch

    def undo_delete_twitch(self, twitch_id: int) -> None:
        self._diary.undo_delete(twitch_id)
        self._announce()

    def _announce(self) -> None:
        self._session.forget_twitch_facts()
        self.twitches_changed.emit()
        # Through the habit session too, so views following it (History) see the twitch.
        self._session.changed.emit()

    def notify_external_change(self, *, twitches: bool = True, checks: bool = True) -> None:
        """Another process (a command, an import) changed the twitches and/or the checks.

        The composition root calls this after ``Session.notify_external_change`` for a change
        that touched them; one that logged a habit only does not call it.
        """
        if twitches:
            self._session.forget_twitch_facts()
            self.twitches_changed.emit()
        if checks:
            self.checks_changed.emit()

    def twitches_between(self, first_day: date, last_day: date) -> list[Twitch]:
        return self._diary.between(first_day, last_day)

    def last_twitch(self) -> Twitch | None:
        return self._diary.last()

    # -- symptom checks ------------------------------------------------------------------

    def emergency_number(self) -> str:
        return emergency_number(self._session.settings().locale)

    def health_anxiety_help(self) -> str:
        return health_anxiety_help(self._session.settings().locale)

    def save_check(self, answers: Answers, result: TriageResult,
                   revises: SymptomCheck | None = None) -> SymptomCheck:
        """Keep a finished check in history, filed under today's Quell day.

        A run whose answers were changed after seeing a result is a new check that names the
        one it *revises*; that earlier one is kept as it was. Raises StorageError, having kept
        nothing, when the database cannot take it.
        """
        now = self.now()
        check = SymptomCheck(now, day_of(now, self._session.settings().day_start_hour),
                             answers, result.level, result.reasons, self._app_version,
                             revises=revises.id if revises is not None else None)
        stored = self._checks.add_check(check)
        self.checks_changed.emit()
        return stored

    def checks(self) -> list[SymptomCheck]:
        """Every check, oldest first."""
        return self._checks.all_checks()

    def checks_between(self, first_day: date, last_day: date) -> list[SymptomCheck]:
        return self._checks.checks_between(first_day, last_day)

    # -- the user's own data -------------------------------------------------------------

    def day_summaries(self, first_day: date, last_day: date) -> list[DaySummary]:
        days = (last_day - first_day).days + 1
        return [self._session.summary(first_day + timedelta(days=n)) for n in range(days)]

    def recent_facts(self, answers: Answers, days: int = RECENT_DAYS) -> tuple[str, ...]:
        """Sentences from the last *days* days of the user's log about the triggers they named."""
        last = self.current_day()
        first = last - timedelta(days=days - 1)
        return recent_trigger_facts(answers, self.day_summaries(first, last),
                                    self.twitches_between(first, last))

    def build_report(self, first_day: date, last_day: date) -> Report:
        return build_report(
            first_day, last_day, made_at=self.now(),
            twitches=self.twitches_between(first_day, last_day),
            checks=self.checks_between(first_day, last_day),
            day_summaries=self.day_summaries(first_day, last_day),
            water_unit=self._session.settings().water_unit)
