"""Days and clock times between Python and Qt, the shared date field, and how they read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QDate, QLocale, QTime

from quell.ui.common.dates import date_edit, day_text, pydate, pytime, qdate, qtime, time_text
from tests.conftest import LONDON


@pytest.fixture
def british() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


def test_days_and_times_go_to_qt_and_back() -> None:
    assert qdate(date(2026, 3, 9)) == QDate(2026, 3, 9)
    assert pydate(QDate(2026, 12, 31)) == date(2026, 12, 31)
    assert qtime(time(23, 59, 30)) == QTime(23, 59)  # to the minute, as the fields show
    assert pytime(QTime(7, 5, 40)) == time(7, 5)


def test_the_date_field_shows_names_and_a_calendar(qtbot, british: None) -> None:
    edit = date_edit(date(2026, 3, 10))
    qtbot.addWidget(edit)
    assert edit.date() == QDate(2026, 3, 10) and edit.calendarPopup()
    assert edit.text() == "Tue 10 Mar 2026"


def test_a_day_and_a_time_read_as_people_say_them(british: None) -> None:
    assert day_text(date(2026, 3, 9)) == "Monday 9 March"
    assert time_text(time(14, 30)) == "14:30"
    assert time_text(datetime(2026, 3, 9, 7, 5, 59, tzinfo=LONDON)) == "07:05"
