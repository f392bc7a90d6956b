"""The log rolls over instead of growing without end."""

from __future__ import annotations

import logging
from pathlib import Path

from desktop.app.logs import RotatingLog


def test_log_rolls_over_keeping_three(tmp_path: Path) -> None:
    handler = RotatingLog(tmp_path / "quell.log", max_bytes=200, keep=3)
    logger = logging.getLogger("test.rolling")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for index in range(100):
            logger.warning("line %03d %s", index, "x" * 20)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["quell.log", "quell.log.1", "quell.log.2", "quell.log.3"]
    assert all(p.stat().st_size < 260 for p in tmp_path.iterdir())
    assert "line 099" in (tmp_path / "quell.log").read_text()
