"""`quell rate` and the rating in `quell today`: the contract's lines, codes and JSON."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from quell.app import clock as clock_module
from quell.app import ipc
from quell.app.cli_symptoms import rate_request
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.main import main
from quell.core.ratings import TwitchRating
from quell.files import Paths
from quell.storage.rating_store import SqliteRatingStore
from tests.conftest import LONDON, FakeClock

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def cli_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """main()'s clock fixed at 2026-03-10 14:30 London: "today" never depends on the hour."""
    monkeypatch.setattr(clock_module, "SystemClock", lambda: clock)
    return clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stored() -> list[TwitchRating]:
    context = open_context(FakeClock(datetime.now().astimezone()))
    try:
        return SqliteRatingStore(context.database.connection).ratings_between(
            date(2000, 1, 1), date(2100, 1, 1))
    finally:
        context.close()


def test_rate_stores_todays_rating_with_its_areas(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rate", "2", "--areas", "calf, eyelid")
    assert (code, err) == (0, "")
    assert out == "Rated today: 2 of 4 (somewhat); where: eyelid, calf.\n"
    assert stored() == [TwitchRating(TODAY, 2, ("eyelid", "calf"))]


def test_a_second_rating_of_the_day_replaces_the_first_and_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "rate", "3", "--areas", "calf")
    code, out, _err = run(capsys, "rate", "0")
    assert code == 0
    assert out == ("Rated today: 0 of 4 (not at all). It replaces the rating of 3 given "
                   "before.\n")
    assert stored() == [TwitchRating(TODAY, 0)]


def test_day_takes_a_date_or_yesterday(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "rate", "4", "--day", "yesterday")[1] == (
        "Rated yesterday: 4 of 4 (a lot).\n")
    assert run(capsys, "rate", "1", "--day", "2026-03-01")[1] == (
        "Rated 2026-03-01: 1 of 4 (a little).\n")
    assert [(r.day, r.rating) for r in stored()] == [(date(2026, 3, 1), 1),
                                                     (date(2026, 3, 9), 4)]


def test_after_midnight_today_is_still_the_evening_before(
        capsys: pytest.CaptureFixture[str], cli_clock: FakeClock) -> None:
    cli_clock.set(datetime(2026, 3, 11, 1, 15, tzinfo=LONDON))  # days start at 04:00
    assert run(capsys, "rate", "2")[1] == "Rated today: 2 of 4 (somewhat).\n"
    assert stored()[0].day == TODAY


@pytest.mark.parametrize(("args", "problem"), [
    (("rate", "5"), "from 0 (not at all) to 4 (a lot), not 5"),
    (("rate", "--", "-1"), "not -1"),
    (("rate", "2.5"), "not 2.5"),
    (("rate", "lots"), "not lots"),
    (("rate", ""), "the rating is empty"),
    (("rate", "2", "--day", "2026-03-11"), "2026-03-11 has not come yet"),
    (("rate", "2", "--day", "2016-01-01"), "more than ten years ago"),
    (("rate", "2", "--day", "last week"), "'last week' is not a date"),
    (("rate", "2", "--day", ""), "--day is empty"),
    (("rate", "2", "--areas", "calf,knee"), "unknown body area 'knee'"),
    (("rate", "2", "--areas", "x" * 3000), "--areas is longer than"),
])
def test_bad_ratings_are_one_line_exit_1_and_store_nothing(
        capsys: pytest.CaptureFixture[str], args: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert err.startswith("quell: ") and err.count("\n") == 1 and problem in err
    assert stored() == []


def test_rate_without_a_number_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "rate")
    assert code == 2 and "usage:" in err


def test_today_json_carries_the_rating_or_null(capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(capsys, "today", "--json")[1])["twitch_rating"] is None
    run(capsys, "rate", "1", "--day", "yesterday")
    assert json.loads(run(capsys, "today", "--json")[1])["twitch_rating"] is None
    run(capsys, "rate", "3", "--areas", "neck")
    assert json.loads(run(capsys, "today", "--json")[1])["twitch_rating"] == 3


def test_today_text_says_how_much_twitching_bothered(capsys: pytest.CaptureFixture[str]) -> None:
    assert "Twitching" not in run(capsys, "today")[1]
    run(capsys, "rate", "3", "--areas", "neck")
    assert run(capsys, "today")[1].endswith(
        "Twitching bothered you: 3 of 4 (quite a lot); where: neck.\n")


@pytest.fixture
def running(qtbot, qapp: QApplication, clock: FakeClock):
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    quell.start()
    quell.start_server()
    yield quell, paths
    quell.stop()
    quell.tray.menu.deleteLater()
    if quell.windows.main_window is not None:
        quell.windows.main_window.deleteLater()


def test_rate_goes_through_the_running_app_which_hears_of_it(qtbot, running) -> None:
    quell, paths = running
    result: dict[str, Any] = {}

    def client() -> None:
        result["reply"] = ipc.send(paths, rate_request("2", areas="hand"))

    thread = threading.Thread(target=client)
    with qtbot.wait_signal(quell.session.changed, timeout=5000):
        thread.start()
        qtbot.wait_until(lambda: not thread.is_alive(), timeout=5000)
    assert result["reply"]["ok"] is True
    assert result["reply"]["output"] == "Rated today: 2 of 4 (somewhat); where: hand."
    assert SqliteRatingStore(quell._context.database.connection).rating_on(TODAY) == (
        TwitchRating(TODAY, 2, ("hand",)))
