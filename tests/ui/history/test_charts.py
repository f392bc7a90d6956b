"""The charts' axis tops: round numbers whose labelled middle line reads exactly."""

from __future__ import annotations

import pytest

from quell.ui.history.charts import nice_ceiling


@pytest.mark.parametrize(("value", "top"), [
    (0, 1), (0.3, 1), (1, 1), (1.1, 2), (1.4, 2), (2.2, 3), (2.6, 3), (3.5, 4), (7, 8),
    (9, 10), (11, 15), (24, 25), (130, 150), (1400, 1500), (2200, 2500), (2600, 3000),
])
def test_the_top_is_round_and_its_half_reads_with_one_decimal(value: float, top: float) -> None:
    assert nice_ceiling(value) == top
    assert round(top / 2, 1) == top / 2
