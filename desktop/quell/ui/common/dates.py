"""Days and clock times in Qt's terms: to and from QDate and QTime, the date field the dialogs
share, and how a day or a time reads in the user's language."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import QDateEdit


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def qtime(value: time) -> QTime:
    """*value* to the minute (a QTime field shows no seconds)."""
    return QTime(value.hour, value.minute)


def pytime(value: QTime) -> time:
    """*value* to the minute."""
    return time(value.hour(), value.minute())


def date_edit(day: date) -> QDateEdit:
    """A field for a day, showing *day*, with a calendar to pick from."""
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    # Day and month names from the locale: "Tue 10 Mar 2026" reads better than "10 03 2026".
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


def day_text(day: date) -> str:
    """A day as people say it: 'Monday 9 March' (names in the user's language)."""
    return QLocale().toString(qdate(day), "dddd d MMMM")


def time_text(moment: datetime | time) -> str:
    """A clock time in the user's short format ('14:30' or '2:30 PM')."""
    return QLocale().toString(QTime(moment.hour, moment.minute),
                              QLocale.FormatType.ShortFormat)
