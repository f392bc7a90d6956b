"""The doctor's report, gathered from the stores and saved: the Qt-side adapter between the
report's layout (ui/report/pdf.py) and storage.

``collect_report`` reads what a period's report needs (the day summaries, the twitch diary,
the symptom checks) and builds it; ``check_period`` is the rule for a period a report may
cover; ``check_destination`` and ``save_pdf`` write the laid-out bytes atomically, raising a
StorageError whose message tells the user what to do.
"""

from __future__ import annotations

import errno
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from quell.core.errors import InputError
from quell.core.i18n import ngettext
from quell.core.report import Report, build_report
from quell.core.tracker import Tracker
from quell.core.twitches import TwitchStore
from quell.files import write_atomic
from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import StorageError

# Longer periods make a report no one reads, and take a while to gather.
MAX_REPORT_DAYS = 366 * 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("report_pdf", text)


def collect_report(tracker: Tracker, twitches: TwitchStore, checks: SqliteCheckStore,
                   first_day: date, last_day: date, *, water_unit: str = "ml") -> Report:
    """Read everything the report for *first_day*..*last_day* needs and build it.

    A period running past today ends today (the report says which days it covers).
    """
    first_day, last_day = check_period(first_day, last_day, tracker.current_day())
    days = (last_day - first_day).days + 1
    return build_report(
        first_day, last_day, made_at=tracker.clock.now(),
        twitches=twitches.twitches_between(first_day, last_day),
        checks=checks.checks_between(first_day, last_day),
        day_summaries=[tracker.summary(first_day + timedelta(days=n)) for n in range(days)],
        water_unit=water_unit,
    )


def check_period(first_day: date, last_day: date, today: date) -> tuple[date, date]:
    """The period, ending no later than *today*; InputError if it is out of order, starts
    after today, or is too long."""
    if last_day < first_day:
        raise InputError(_tr("the report period ends ({end}) before it starts ({start})").format(
            end=last_day.isoformat(), start=first_day.isoformat()))
    if first_day > today:
        raise InputError(_tr("the report period starts after today ({start})").format(
            start=first_day.isoformat()))
    last_day = min(last_day, today)
    if (last_day - first_day).days + 1 > MAX_REPORT_DAYS:
        raise InputError(ngettext("a report covers at most {n} day; choose a shorter period",
                                  "a report covers at most {n} days; choose a shorter period",
                                  MAX_REPORT_DAYS).format(n=MAX_REPORT_DAYS))
    return first_day, last_day


def check_destination(path: Path) -> None:
    """StorageError (what to do) when *path* cannot take the PDF: a folder, or in a folder
    that does not exist. Checked before the report is laid out."""
    if path.is_dir():
        raise StorageError(_tr("{path} is a folder; give a file name ending in .pdf").format(
            path=path))
    folder = path.parent
    if not folder.is_dir():
        raise StorageError(_tr("The folder {folder} does not exist. Choose another folder or "
                               "create it first.").format(folder=folder))


def save_pdf(data: bytes, path: Path) -> None:
    """Write *data* to *path* atomically (readable by the user only): the old file stays whole
    until the new one is complete. StorageError, with what to do, when it cannot be written."""
    check_destination(path)
    try:
        write_atomic(path, data, mode=0o600)
    except OSError as error:
        raise StorageError(_unwritable_message(path.parent, error)) from None


def _unwritable_message(folder: Path, error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _tr("Quell cannot write to the folder {folder}: you do not have permission to "
                   "save there. Choose another folder, such as your Documents.").format(
            folder=folder)
    if error.errno == errno.ENOSPC:
        return _tr("There is not enough free space in {folder} to save the report. Free some "
                   "space or choose another place.").format(folder=folder)
    return _tr("Quell cannot save the report in {folder}: {problem}.").format(
        folder=folder, problem=error.strerror or str(error))
