"""One Quell per user: the lock a second launch finds, so it hands over to the first."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from PySide6.QtCore import QLockFile

from quell.core.i18n import _
from quell.files import Paths, runtime_problem
from quell.storage.errors import RuntimeFolderUnsafe


def ensure_runtime_dir(folder: Path) -> Path:
    """Create the runtime folder 0700, or check that an existing one is ours alone.

    Raises RuntimeFolderUnsafe (a StorageError) when it is a symlink, not a folder, another
    user's, or writable by others: its socket and lock could then be someone else's.
    """
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise RuntimeFolderUnsafe(_(
            "Quell cannot create its runtime folder {folder}: {reason}. Check the "
            "permissions of {parent}, or set XDG_RUNTIME_DIR to a folder of your own."
        ).format(folder=folder, reason=error.strerror or error, parent=folder.parent)) from None
    problem = runtime_problem(folder)
    if problem is not None:
        raise RuntimeFolderUnsafe(_(
            "Quell's runtime folder {folder} {problem}, so another user could pose as Quell. "
            "Remove it (or ask your administrator to), or set XDG_RUNTIME_DIR to a folder of "
            "your own, then try again.").format(folder=folder, problem=problem))
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        os.chmod(folder, 0o700)  # ours and only readable by others: keep it to ourselves
    return folder


class InstanceLock:
    """The per-user lock that makes a second launch hand over to the first.

    Raises RuntimeFolderUnsafe (a StorageError) when the runtime folder is not ours alone,
    and OSError when it cannot be created.
    """

    def __init__(self, paths: Paths) -> None:
        ensure_runtime_dir(paths.runtime)
        self._lock = QLockFile(str(paths.runtime / "quell.lock"))
        # A lock left by a crashed Quell is detected by its PID; don't wait for it to age.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> bool:
        return self._lock.tryLock(200)

    def release(self) -> None:
        self._lock.unlock()
