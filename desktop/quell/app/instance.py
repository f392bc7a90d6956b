"""One Quell per user: the lock a second launch finds, so it hands over to the first."""

from __future__ import annotations

from PySide6.QtCore import QLockFile

from quell.storage.paths import Paths, ensure_runtime_dir


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
