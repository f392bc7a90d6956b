"""The runtime folder is chosen without warnings and only where it is the user's alone."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from quell.storage.paths import runtime_folder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX runtime folders")
UNUSED_UID = 987_654  # no /run/user/987654 on any machine running the suite


def test_xdg_runtime_dir_is_used_when_it_is_the_users_own(tmp_path: Path) -> None:
    own = tmp_path / "xdg"
    own.mkdir(mode=0o700)
    uid = os.geteuid()
    assert runtime_folder({"XDG_RUNTIME_DIR": str(own)}, uid, tmp_path) == own / "Quell"


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
