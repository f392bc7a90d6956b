"""Opening an import ZIP and reading its members within bounds (Limits), noting each problem."""

from __future__ import annotations

import os
import stat
import struct
import time as monotonic_time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from quell.core.errors import InputError
from quell.core.formatting import number
from quell.core.i18n import _
from quell.storage.zip_format import COLUMNS, SETTINGS

MAX_PROBLEMS = 50
SHOWN_PROBLEMS = 3  # in the one-line message; the UI lists them all
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The most an import reads; README.md states them. Five years of real use (as
    tests/bench/datagen.py makes it) is 33,000 entries, 16,000 reminder outcomes and 3,000
    twitch episodes: 52,000 rows, a 0.3 MB ZIP of 2.7 MB of CSV text. Each cap is about ten
    times that or more (the row cap bounds the memory a checked file takes)."""

    file_bytes: int = 64 * MB        # the ZIP file itself
    member_bytes: int = 128 * MB     # one file inside it, counted as it is decompressed
    total_bytes: int = 256 * MB      # all files inside it together
    directory_bytes: int = 1 * MB    # the ZIP's table of contents
    members: int = 100               # files inside the ZIP
    rows: int = 500_000              # rows of all CSV files together
    lines: int = 1_000_000           # lines of one CSV file, blank ones too
    line_bytes: int = 64 * 1024      # one line of a CSV file
    seconds: float = 120.0           # reading and checking, on a slow machine


LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: which file, which line (1 is the header), and what."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return _("{file}, line {line}: {problem}").format(file=self.file, line=self.line,
                                                          problem=self.message)


class ImportRejected(InputError):
    """The file has problems; nothing was imported. ``problems`` lists them all (capped)."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems = tuple(problems)
        self.more = more
        shown = self.problems[:SHOWN_PROBLEMS]
        extra = len(self.problems) - len(shown) + more
        text = "; ".join(str(problem) for problem in shown)
        if extra:
            text += " " + _("(and {n} more problems; nothing was imported)").format(n=extra)
        else:
            text += " " + _("(nothing was imported)")
        super().__init__(text)


Progress = Callable[[int, int], None]
"""Told (bytes read so far, bytes expected) while a file is checked; may raise to stop it."""


class LimitReached(Exception):
    """A limit was reached: stop reading at once and report what was found so far."""


class ImportChecker:
    """Collects problems across files, so the user sees them all at once, and keeps the
    byte and time budgets of the whole import."""

    def __init__(self, limits: Limits, expected: int, progress: Progress | None) -> None:
        self.problems: list[Problem] = []
        self.more = 0
        self.limits = limits
        self._expected = max(expected, 1)
        self._progress = progress
        self._read = 0
        self.rows = 0
        self._deadline = monotonic_time.monotonic() + limits.seconds

    def add(self, file: str, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, line, message))
        else:
            self.more += 1

    def stop(self, file: str, line: int | None, message: str) -> LimitReached:
        """The problem that ends reading, shown first (it is why the rest was not read)."""
        self.problems.insert(0, Problem(file, line, message))
        if len(self.problems) > MAX_PROBLEMS:
            self.problems.pop()
            self.more += 1
        return LimitReached()

    def took(self, file: str, count: int) -> None:
        """*count* more bytes decompressed: check the total and the clock, tell progress."""
        self._read += count
        if self._read > self.limits.total_bytes:
            raise self.stop(file, None, _("the files in the ZIP hold more than {n} MB; nothing "
                                          "was read further").format(
                n=self.limits.total_bytes // MB))
        if monotonic_time.monotonic() > self._deadline:
            raise self.stop(file, None, _("checking took longer than {n} seconds").format(
                n=number(self.limits.seconds)))
        if self._progress is not None:
            self._progress(min(self._read, self._expected), self._expected)

    def raise_problems(self) -> None:
        if self.problems:
            raise ImportRejected(self.problems, self.more)


def open_import_file(path: Path, limits: Limits = LIMITS) -> IO[bytes]:
    """*path* opened for reading if it is a regular file no larger than the limit.

    Checked on the opened descriptor (no race with a file swapped in between), opened without
    blocking (a named pipe would otherwise wait for a writer forever); raises InputError.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise InputError(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise InputError(_("cannot open {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    _check_kind(path, before, limits)  # refuse devices and pipes before even opening them
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(_("{path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise InputError(_("{path} is a folder").format(path=path)) from None
    except OSError as error:
        raise InputError(_("cannot open {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    try:
        _check_kind(path, os.fstat(fd), limits)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_kind(path: Path, info: os.stat_result, limits: Limits) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(_("{path} is a folder").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(_("{path} is not a regular file (it is a pipe, device or socket); "
                           "choose a ZIP file").format(path=path))
    if info.st_size > limits.file_bytes:
        raise InputError(_("{path} is larger than {n} MB, more than Quell ever exports; "
                           "nothing was imported").format(path=path, n=limits.file_bytes // MB))


_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SIZE = 22


def check_zip_directory(handle: IO[bytes], name: str, limits: Limits) -> None:
    """Refuse a ZIP whose table of contents is huge before zipfile parses it into memory."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, _END_SIZE + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise ImportRejected([Problem(name, None, _("not a ZIP file ({problem})").format(
            problem=_("no ZIP directory at its end")))])
    count, directory_size = struct.unpack("<HL", tail[at + 10:at + 16])
    if at >= 20 and tail[at - 20:at - 16] == _END64_LOCATOR:
        raise ImportRejected([Problem(name, None, _(
            "is a ZIP64 archive, which Quell's exports never are; nothing was imported"))])
    if count > limits.members:
        raise ImportRejected([Problem(name, None, _(
            "holds {count} files; an export has 8 (at most {n} are read)").format(
            count=number(count), n=limits.members))])
    if directory_size > limits.directory_bytes:
        raise ImportRejected([Problem(name, None, _(
            "its table of contents is larger than {n} MB").format(
            n=limits.directory_bytes // MB))])


def _safe_member_name(filename: str) -> bool:
    parts = PurePosixPath(filename).parts
    return not (filename.startswith("/") or "\\" in filename or ".." in parts
                or (parts and ":" in parts[0]))


def known_members(archive: zipfile.ZipFile, zip_name: str, limits: Limits
             ) -> dict[str, zipfile.ZipInfo]:
    """Known files by name, also when they sit in one folder inside the ZIP; raises
    ImportRejected for unsafe, duplicated or encrypted members."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise ImportRejected([Problem(zip_name, None, _(
            "holds {count} files; an export has 8 (at most {n} are read)").format(
            count=number(len(infos)), n=limits.members))])
    problems: list[Problem] = []
    seen: set[str] = set()
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not _safe_member_name(info.filename):
            problems.append(Problem(zip_name, None, _(
                "holds a file named '{member}', which points outside the ZIP").format(
                member=info.filename[:80])))
            continue
        if info.filename in seen:
            problems.append(Problem(zip_name, None, _(
                "holds '{member}' twice").format(member=info.filename[:80])))
            continue
        seen.add(info.filename)
        if info.is_dir():
            continue
        base = PurePosixPath(info.filename).name
        if base not in COLUMNS and base != SETTINGS:
            continue
        if base in found:
            problems.append(Problem(zip_name, None, _(
                "holds two copies of {member} ('{first}' and '{second}'); keep one").format(
                member=base, first=found[base].filename[:80], second=info.filename[:80])))
            continue
        if info.flag_bits & 0x1:
            problems.append(Problem(base, None, _(
                "is encrypted; export it again without a password")))
            continue
        found[base] = info
    if problems:
        raise ImportRejected(problems)
    return found


def member_lines(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                  checker: ImportChecker) -> Iterator[str]:
    """The member's lines, decoded, counted as they are decompressed (the sizes in the ZIP's
    header are not trusted); raises LimitReached at a limit or damage, with the problem added."""
    limits = checker.limits
    read = 0
    line = 0
    try:
        with archive.open(info) as stream:
            while True:
                raw = stream.readline(limits.line_bytes + 1)
                if not raw:
                    return
                line += 1
                if line > limits.lines:
                    raise checker.stop(name, line, _("has more than {n} lines").format(
                        n=number(limits.lines)))
                read += len(raw)
                checker.took(name, len(raw))
                if read > limits.member_bytes:
                    raise checker.stop(name, None, _("holds more than {n} MB of text").format(
                        n=limits.member_bytes // MB))
                if len(raw) > limits.line_bytes:
                    raise checker.stop(name, line, _(
                        "the line is longer than {n} KB (is this a CSV file?)").format(
                        n=limits.line_bytes // 1024))
                if line == 1:
                    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                        raise checker.stop(name, None, _(
                            "is UTF-16 text; save it as CSV UTF-8"))
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if b"\x00" in raw:
                    raise checker.stop(name, line, _(
                        "holds a NUL character (the file is damaged or not text)"))
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise checker.stop(name, line, _(
                        "is not UTF-8 text (save it as CSV UTF-8)")) from None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
            zlib.error) as error:
        raise checker.stop(name, None, _("cannot be read ({problem})").format(
            problem=error)) from None
