"""The heatmap's month names: each where its month starts, and the last one whole."""

from __future__ import annotations

from quell.ui.history.heatmap import label_left


def test_a_month_name_stays_where_its_month_starts_when_it_fits() -> None:
    assert label_left(100, 22, 800) == 100
    assert label_left(778, 22, 800) == 778  # ends exactly at the edge


def test_the_last_month_name_moves_left_to_end_inside_the_header() -> None:
    # "Dec" starting in the last week's column used to lose its end ("De").
    assert label_left(790, 22, 800) == 778
    assert label_left(0, 900, 800) == 0  # never before the start
