"""User folders: the platform's, $QUELL_HOME, and Flatpak's shared runtime folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from quell.storage.paths import Paths


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
