"""The Twitches tab: its period box, the daily rating (or the episodes), and hidden charts."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from quell.core.insights import Outcome
from quell.core.settings import HIDE_CHARTS_FOR
from quell.ui.history.window import HistoryWindow
from tests.ui.history.history_parts import TODAY, add_twitches, show


def test_the_period_box_takes_the_wheel_only_when_focused(qtbot, window: HistoryWindow
                                                          ) -> None:
    from tests.ui.settings.test_dialog import wheel

    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    box = window.twitches_tab.twitch_period
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
    wheel(box, notches=-1)
    assert box.currentIndex() == 0


def rate_days(parts, ratings: dict[int, int], areas: tuple[str, ...] = ()) -> None:
    """Rate each of the days back from TODAY."""
    for back, value in ratings.items():
        parts.session.rate(value, day=TODAY - timedelta(days=back), areas=areas)


def test_with_ratings_the_tab_shows_the_daily_rating(qtbot, window: HistoryWindow,
                                                     parts) -> None:
    rate_days(parts, {0: 2, 1: 4, 3: 0}, areas=("calf",))
    rate_days(parts, {5: 1})
    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    tab = window.twitches_tab
    tab.fill()
    assert tab.shows() is Outcome.RATING and not tab.measure.isVisible()
    assert tab.rating_chart.isVisible() and not tab.twitch_chart.isVisible()
    assert tab.twitch_summary.text() == "Rated 4 of 91 days · on average 1.8 of 4"
    chart = tab.rating_chart
    assert chart.item_count() == 91
    assert chart.item_text(90).endswith(": 2 of 4, somewhat")
    assert chart.item_text(87).endswith(": 0 of 4, not at all")
    assert chart.item_text(88).endswith(": not rated")
    rows = [[tab.area_list.topLevelItem(i).text(c) for c in range(3)]
            for i in range(tab.area_list.topLevelItemCount())]
    assert rows == [["Calf", "3", "75 %"]]


def test_with_both_the_user_chooses_rating_or_episodes(qtbot, window: HistoryWindow,
                                                        parts) -> None:
    rate_days(parts, {0: 3})
    add_twitches(parts, [0, 1])
    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    tab = window.twitches_tab
    tab.fill()
    assert tab.measure.isVisible() and tab.shows() is Outcome.RATING
    tab.measure.setCurrentIndex(tab.measure.findData(Outcome.EPISODES))
    assert tab.twitch_chart.isVisible() and not tab.rating_chart.isVisible()
    assert tab.twitch_summary.text().startswith("6 episodes on 2 of 91 days")


def test_without_anything_the_tab_invites_a_rating_not_episode_counting(
        qtbot, window: HistoryWindow) -> None:
    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    tab = window.twitches_tab
    tab.fill()
    assert tab.shows() is Outcome.RATING
    assert tab.twitch_empty.isVisible() and "quell rate 2" in tab.twitch_empty.text()
    assert not tab.areas_heading.isVisible()


def test_hidden_charts_show_a_calm_note_until_the_day_or_until_shown_again(
        qtbot, window: HistoryWindow, parts, clock) -> None:
    rate_days(parts, {0: 2})
    session = parts.session
    session.save_settings(session.settings().replace(
        twitch_charts_hidden_until=clock.now() + HIDE_CHARTS_FOR))
    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    tab = window.twitches_tab
    tab.fill()
    assert tab.hidden_box.isVisible() and not tab.charts.isVisible()
    assert "hidden until Tuesday 24 March" in tab.hidden_note.text()
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    assert session.settings().twitch_charts_hidden_until is None
    assert tab.charts.isVisible() and not tab.hidden_box.isVisible()
    session.save_settings(session.settings().replace(
        twitch_charts_hidden_until=clock.now() + HIDE_CHARTS_FOR))
    clock.set(clock.now() + HIDE_CHARTS_FOR + timedelta(minutes=1))
    tab.fill()
    assert tab.charts.isVisible()  # the two weeks are over
