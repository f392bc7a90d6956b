"""The Reminders tab: outcomes by local hour, the share done, and the table of hours."""

from __future__ import annotations

from quell.ui.history.window import HistoryTab, HistoryWindow
from tests.ui.history.history_parts import Parts


def test_outcomes_by_hour_and_the_share_done(qtbot, window: HistoryWindow, parts: Parts
                                             ) -> None:
    # 09:00 UTC in summer time (+1 h) is 10:00 local; a suppressed one is not shown.
    parts.store.connection.execute(
        "INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome, reason)"
        " VALUES ('water', 1782205200, NULL, 3600, 'done', ''),"
        " ('water', 1782205200, NULL, 3600, 'done', ''),"
        " ('water', 1782205200, NULL, 3600, 'skipped', ''),"
        " ('water', 1782208800, NULL, 3600, 'missed', 'away'),"
        " ('water', 1782208800, NULL, 3600, 'suppressed', 'paused')")
    parts.store.connection.commit()
    window.present(HistoryTab.REMINDERS)
    qtbot.waitExposed(window)
    tab = window.reminders_tab
    assert tab.reminder_summary.text() == "2 of 4 reminders done (50 %)"
    rows = [[tab.hour_list.topLevelItem(i).text(c) for c in range(6)]
            for i in range(tab.hour_list.topLevelItemCount())]
    assert rows == [["10:00", "2", "0", "1", "0", "67 %"], ["11:00", "0", "0", "0", "1", "0 %"]]
    assert not tab.hour_list.isHidden()
