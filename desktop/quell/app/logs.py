"""Logging to a rotating file, and a crash trail: faulthandler output reported on next start."""

from __future__ import annotations

import faulthandler
import io
import logging
import os
import sys
from pathlib import Path
from typing import IO

from quell.files import Paths, ensure_private_dir

log = logging.getLogger("quell")
_fault_file: IO[str] | None = None


class RotatingLog(logging.FileHandler):
    """A log file that rolls over at *max_bytes*, keeping *keep* old ones (quell.log.1, ...).

    Like ``logging.handlers.RotatingFileHandler``, without importing that module's socket,
    pickle and queue machinery at start-up.
    """

    def __init__(self, path: Path, max_bytes: int = 1_000_000, keep: int = 3) -> None:
        self._max_bytes = max_bytes
        self._keep = keep
        super().__init__(path, encoding="utf-8", delay=False)

    def _open(self) -> io.TextIOWrapper:
        # 0600 from the first byte: the log names habits and file paths of the user.
        return open_private(Path(self.baseFilename), "a")

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is not None and self.stream.tell() >= self._max_bytes:
            self._roll_over()
        super().emit(record)

    def _roll_over(self) -> None:
        self.close()
        base = self.baseFilename
        for index in range(self._keep - 1, 0, -1):
            if os.path.exists(f"{base}.{index}"):
                os.replace(f"{base}.{index}", f"{base}.{index + 1}")
        os.replace(base, f"{base}.1")
        self.stream = self._open()


def open_private(path: Path, mode: str) -> io.TextIOWrapper:
    """Open the text file *path* for appending ("a") or from empty ("w"), mode 0600.

    A file left by an older Quell with wider permissions is narrowed to 0600 too.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        if os.name == "posix" and os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
        # The caller keeps it open (the log and the crash trail live as long as the process).
        if mode == "a":
            return open(fd, "a", encoding="utf-8")
        return open(fd, "w", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def setup_logging(paths: Paths, *, verbose: bool = False) -> Path | None:
    """Log to quell.log in the user log folder (1 MB x 3); return its path, or None if unwritable.

    When the log folder cannot be written, warnings still reach stderr: logging must never be
    the reason Quell does not start.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for old in list(root.handlers):
        if getattr(old, "quell", False):
            root.removeHandler(old)
            old.close()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    no_log = ""
    try:
        ensure_private_dir(paths.logs)
        handler: logging.Handler = RotatingLog(paths.log_file)
        path: Path | None = paths.log_file
    except OSError as error:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        path = None
        # Not printed: a command whose real problem is the same unwritable folder must say
        # that in its one line, not after a line about the log.
        no_log = f"cannot write the log in {paths.logs}: {error.strerror}; logging to stderr"
    handler.setFormatter(formatter)
    handler.quell = True  # type: ignore[attr-defined]  # ours to replace on a second call
    root.addHandler(handler)
    if no_log:
        log.info(no_log)
    return path


def enable_crash_trail(paths: Paths) -> None:
    """Write hard crashes (segfaults, aborts) to crash.txt; report an earlier one to the log."""
    global _fault_file
    crash = paths.crash_file
    try:
        if crash.exists() and crash.stat().st_size > 0:
            previous = crash.read_text(encoding="utf-8", errors="replace")
            log.error("Quell crashed last time:\n%s", previous)
            crash.replace(crash.with_name("crash-previous.txt"))
        _fault_file = open_private(crash, "w")
        faulthandler.enable(file=_fault_file)
    except OSError as error:
        log.warning("no crash trail: %s", error)


def disable_crash_trail() -> None:
    """On a clean exit, leave an empty crash file so the next start reports nothing."""
    global _fault_file
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
