"""Finding Quell's bundled files (icons, illustrations) from a checkout, a wheel or a bundle."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

_PACKAGE = Path(__file__).resolve().parents[2]  # the quell package


@lru_cache(maxsize=1)
def resources_root() -> Path:
    """The resources folder: inside the installed package, a PyInstaller bundle, or the repo."""
    candidates = [_PACKAGE / "resources", _PACKAGE.parents[1] / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "quell" / "resources")
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError("Quell's resources folder is missing; reinstall Quell")


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "io.github.quellapp.Quell.svg")))
