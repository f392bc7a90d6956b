"""The log rolls over instead of growing without end; the log and crash files are private."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.app import logs
from quell.app.logs import RotatingLog, disable_crash_trail, enable_crash_trail, setup_logging
from quell.files import Paths


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


@pytest.fixture
def quell_logging() -> Iterator[None]:
    """setup_logging changes the root logger: put it back afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_log_and_crash_files_are_private_from_the_first_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quell_logging: None) -> None:
    """0600 as created (never 0644 first), whatever the umask; the rolled-over ones too."""
    paths = Paths(tmp_path / "data", tmp_path / "config", tmp_path / "logs", tmp_path / "run")
    chmods: list[str] = []
    monkeypatch.setattr(logs.os, "chmod", lambda path, mode: chmods.append(str(path)))
    old_umask = os.umask(0o022)
    try:
        assert setup_logging(paths) == paths.log_file
        logging.getLogger("quell").warning("written")
        enable_crash_trail(paths)
        disable_crash_trail()
        handler = logs.RotatingLog(tmp_path / "logs" / "small.log", max_bytes=10)
        for _ in range(3):
            handler.emit(logging.makeLogRecord({"msg": "x" * 20}))
        handler.close()
    finally:
        os.umask(old_umask)
    assert chmods == []
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert {"quell.log", "crash.txt", "small.log", "small.log.1"} <= set(files)
    for name in files:
        assert stat.S_IMODE((tmp_path / "logs" / name).stat().st_mode) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_log_left_readable_by_an_older_quell_is_made_private(
        tmp_path: Path, quell_logging: None) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path / "logs", tmp_path)
    paths.logs.mkdir(mode=0o700)
    paths.log_file.write_text("old line\n")
    paths.log_file.chmod(0o644)
    setup_logging(paths)
    assert stat.S_IMODE(paths.log_file.stat().st_mode) == 0o600
    assert paths.log_file.read_text().startswith("old line\n")  # appended to, not emptied
