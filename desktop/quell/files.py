"""Where Quell keeps its files and how it writes them: a leaf every layer but the core may use.

The user's data, config, log and runtime folders (:class:`Paths`), the runtime folder's
ownership checks, private folders, and atomic 0600 writes. Imports only the standard library,
platformdirs and :mod:`quell.core.i18n`, so the platform adapters and the storage share one set
of file primitives without the platform depending on the database.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quell import APP_ID, APP_NAME
from quell.core.i18n import _


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path
    logs: Path
    runtime: Path

    @property
    def database(self) -> Path:
        return self.data / "quell.db"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def settings(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "quell.log"

    @property
    def crash_file(self) -> Path:
        return self.logs / "crash.txt"

    @property
    def socket_name(self) -> str:
        """The app's local socket: a path in the private runtime folder, or a per-user pipe."""
        if os.name == "posix":
            return str(self.runtime / "quell.sock")
        import getpass

        return f"{APP_ID}-{getpass.getuser()}"

    def runtime_is_private(self) -> bool:
        """Whether the runtime folder exists and is ours alone (so its socket is the app's)."""
        return runtime_problem(self.runtime) is None

    @classmethod
    def for_user(cls) -> Paths:
        """The platform's folders, or all under ``$QUELL_HOME`` when that is set (tests, demos)."""
        home = os.environ.get("QUELL_HOME")
        if home:
            root = Path(home)
            return cls(root / "data", root / "config", root / "logs", root / "run")
        import platformdirs  # only here: tests and demos never need it

        if os.name == "posix" and sys.platform != "darwin":
            # Not platformdirs' user_runtime_dir: without XDG_RUNTIME_DIR it prints a Python
            # warning on every command and raises if another user pre-created its fallback.
            runtime = runtime_folder(os.environ, os.geteuid())
        else:
            runtime = Path(platformdirs.user_runtime_dir(APP_NAME, appauthor=False))
        flatpak = os.environ.get("FLATPAK_ID")
        if flatpak and os.environ.get("XDG_RUNTIME_DIR"):
            # Each `flatpak run` has its own runtime dir; only app/<id> is shared between them,
            # and the second launch and the CLI must find the running app's socket there.
            runtime = Path(os.environ["XDG_RUNTIME_DIR"]) / "app" / flatpak
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            logs=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            runtime=runtime,
        )


def runtime_folder(environ: Mapping[str, str], uid: int, temp: Path | None = None) -> Path:
    """Quell's runtime folder on Linux and the BSDs, chosen without warnings.

    ``$XDG_RUNTIME_DIR/Quell`` when that folder is the user's own (as the XDG spec requires),
    else ``/run/user/UID/Quell`` when that is (a shell started with ``su`` then still finds the
    desktop's app), else ``quell-UID`` in the temporary folder, which
    :func:`ensure_runtime_dir` creates safely or refuses when someone else made it.
    """
    candidates = [environ.get("XDG_RUNTIME_DIR", ""), f"/run/user/{uid}"]
    for base in candidates:
        if base and os.path.isabs(base) and _owned_privately(Path(base), uid):
            return Path(base) / APP_NAME
    if temp is None:
        import tempfile  # only for this fallback: the usual start does not pay for it

        temp = Path(tempfile.gettempdir())
    return temp / f"quell-{uid}"


def _owned_privately(folder: Path, uid: int) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == uid
            and stat.S_IMODE(info.st_mode) & 0o077 == 0)


def runtime_problem(folder: Path) -> str | None:
    """Why *folder* is not a private runtime folder of ours (None when it is)."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return _("does not exist")
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISLNK(info.st_mode):
        return _("is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        return _("is not a folder")
    if os.name != "posix":
        return None
    if info.st_uid != os.geteuid():
        return _("belongs to another user (uid {uid})").format(uid=info.st_uid)
    if stat.S_IMODE(info.st_mode) & 0o022:
        return _("can be changed by other users")
    return None


def ensure_private_dir(path: Path) -> Path:
    """Create *path* (and parents) readable by the user only; raise OSError if impossible.

    An existing folder only loses group and other access: permissions the user took away
    (a read-only folder, say) are not given back, so Quell reports them instead.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    return path

def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace *path* with *data* so that readers see the old or the new file, never half."""
    import tempfile  # writes come after start-up, which does not pay for tempfile (and shutil)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in *folder* survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
