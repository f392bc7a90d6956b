"""The settings file: JSON in the user's config folder, read leniently, written atomically."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

from quell.core.i18n import _
from quell.core.settings import Settings
from quell.files import ensure_private_dir, write_atomic
from quell.storage.errors import SettingsUnreadable, StorageError

log = logging.getLogger(__name__)

# Real settings are about 1 KB; anything far bigger is not a settings file Quell wrote.
MAX_SETTINGS_BYTES = 1_000_000


class _Damaged(Exception):
    """The settings file cannot be understood; it is kept aside."""


def load_settings(path: Path, notices: list[str] | None = None) -> Settings:
    """Read the settings, falling back to defaults (logged) for anything unreadable.

    A file that cannot be understood (not JSON, not UTF-8, not an object, nested too deep, far
    too large) or a folder in its place is moved aside, the defaults are used and a sentence
    for the user is added to *notices*. A file Quell may not read is not damage: that raises
    SettingsUnreadable (a StorageError) and the file is left as it is.
    """
    try:
        try:
            data = _read(path)
        except FileNotFoundError:
            return Settings()
    except _Damaged as damage:
        aside = _move_aside(path, str(damage))
        log.warning("settings file %s unreadable (%s); moved to %s, using defaults",
                    path, damage, aside)
        if notices is not None:
            notices.append(_(
                "Quell's settings file {path} could not be read ({reason}). It was kept as "
                "{aside} and the default settings are used.").format(
                    path=path, reason=damage, aside=aside))
        return Settings()
    settings, problems = Settings.from_dict(data)
    for problem in problems:
        log.warning("%s: %s", path, problem)
    return settings


def _read(path: Path) -> dict[str, object]:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _Damaged(_("it is a folder"))
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the start for ever
            raise _Damaged(_("it is not a regular file"))
        if info.st_size > MAX_SETTINGS_BYTES:
            raise _Damaged(_("it is far too large"))
        raw = path.read_bytes()
    except (FileNotFoundError, _Damaged):
        raise
    except PermissionError:
        raise SettingsUnreadable(_(
            "Quell may not read its settings file {path} (permission denied). Make it "
            "readable by you (chmod u+rw) and try again; Quell left it as it is."
        ).format(path=path)) from None
    except OSError as error:
        raise SettingsUnreadable(_(
            "Quell cannot read its settings file {path}: {reason}. Check the disk, then try "
            "again; Quell left the file as it is.").format(
                path=path, reason=error.strerror or error)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Damaged(_("it is not UTF-8 text")) from None
    except (ValueError, RecursionError) as error:
        raise _Damaged(_("it is not valid JSON: {error}").format(
            error=str(error)[:200] or type(error).__name__)) from None
    if not isinstance(data, dict):
        raise _Damaged(_("it is not a JSON object"))
    return data


def _move_aside(path: Path, reason: str) -> Path:
    aside = path.with_suffix(".json.broken")
    number = 1
    while os.path.lexists(aside):  # keep every earlier broken copy too
        number += 1
        aside = path.with_suffix(f".json.broken-{number}")
    try:
        path.replace(aside)
    except OSError as error:
        raise StorageError(_(
            "Quell's settings file {path} could not be read ({reason}) and could not be "
            "moved aside: {error}. Move it away yourself and try again.").format(
                path=path, reason=reason, error=error.strerror or error)) from None
    if os.name == "posix" and not aside.is_symlink() and aside.is_file() \
            and stat.S_IMODE(aside.stat().st_mode) & 0o077:
        os.chmod(aside, 0o600)  # it may hold the user's preferences: keep them private
    return aside


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (0600); StorageError with the cause when impossible."""
    text = json.dumps(settings.to_dict(), indent=2, sort_keys=True) + "\n"
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        raise StorageError(_(
            "Quell could not save its settings in {path}: {reason}. Free some space or fix "
            "the folder's permissions, then change the setting again.").format(
                path=path, reason=error.strerror or error)) from None
