"""Where Quell keeps its files: the user's data, config, log and runtime folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop import APP_ID, APP_NAME


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

    @classmethod
    def for_user(cls) -> Paths:
        """The platform's folders, or all under ``$QUELL_HOME`` when that is set (tests, demos)."""
        home = os.environ.get("QUELL_HOME")
        if home:
            root = Path(home)
            return cls(root / "data", root / "config", root / "logs", root / "run")
        import platformdirs  # only here: tests and demos never need it

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


def ensure_private_dir(path: Path) -> Path:
    """Create *path* (and parents) readable by the user only; raise OSError if impossible."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
