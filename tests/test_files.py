"""User folders: the platform's, $QUELL_HOME, Flatpak's shared runtime folder, and a runtime
folder chosen without warnings and only where it is the user's alone."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from quell.files import Paths, runtime_folder

UNUSED_UID = 987_654  # no /run/user/987654 on any machine running the suite


def test_quell_home_puts_everything_in_one_place(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUELL_HOME", str(tmp_path))
    paths = Paths.for_user()
    assert paths.database == tmp_path / "data" / "quell.db"
    assert paths.settings == tmp_path / "config" / "settings.json"
    assert paths.socket_name == str(tmp_path / "run" / "quell.sock")


def test_platform_folders_and_flatpak_runtime(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUELL_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)  # the XDG spec's runtime folder: the user's own
    paths = Paths.for_user()
    assert paths.data == tmp_path / "share" / "Quell"
    assert paths.runtime == tmp_path / "run" / "Quell"
    monkeypatch.setenv("FLATPAK_ID", "io.github.quellapp.Quell")
    assert Paths.for_user().runtime == tmp_path / "run" / "app" / "io.github.quellapp.Quell"


@pytest.mark.skipif(os.name != "posix", reason="POSIX runtime folders")
def test_xdg_runtime_dir_is_used_when_it_is_the_users_own(tmp_path: Path) -> None:
    own = tmp_path / "xdg"
    own.mkdir(mode=0o700)
    uid = os.geteuid()
    assert runtime_folder({"XDG_RUNTIME_DIR": str(own)}, uid, tmp_path) == own / "Quell"


@pytest.mark.skipif(os.name != "posix", reason="POSIX runtime folders")
@pytest.mark.parametrize("problem", ["unset", "missing", "open-to-all", "relative", "symlink"])
def test_otherwise_a_private_folder_in_the_temp_folder(tmp_path: Path, problem: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # e.g. XDG_RUNTIME_DIR=/tmp on a misconfigured system
    link = tmp_path / "link"
    link.symlink_to(shared)
    environ = {"unset": {}, "missing": {"XDG_RUNTIME_DIR": str(tmp_path / "gone")},
               "open-to-all": {"XDG_RUNTIME_DIR": str(shared)},
               "relative": {"XDG_RUNTIME_DIR": "run"},
               "symlink": {"XDG_RUNTIME_DIR": str(link)}}[problem]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # platformdirs warned here on every command
        chosen = runtime_folder(environ, UNUSED_UID, tmp_path)
    assert chosen == tmp_path / f"quell-{UNUSED_UID}"
    assert not chosen.exists()  # chosen, not created: only the app creates it (safely)


def test_importing_the_file_primitives_costs_no_tempfile() -> None:
    """Every command imports quell.files; tempfile (3 ms with its random and shutil) is only
    for writes and the rare runtime-folder fallback, so `quell today` does not pay for it."""
    code = "import sys, quell.files; print('tempfile' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True, cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "False"
