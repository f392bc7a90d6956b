"""Where Quell keeps its files: the user's data, config, log and runtime folders."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quell import APP_ID, APP_NAME
from quell.core.i18n import _
from quell.storage.errors import RuntimeFolderUnsafe


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
