"""The settings file: JSON in the user's config folder, read leniently, written atomically."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from desktop.core.settings import Settings
from desktop.storage.atomic import write_atomic
from desktop.storage.paths import ensure_private_dir

log = logging.getLogger(__name__)


def load_settings(path: Path) -> Settings:
    """Read the settings, falling back to defaults (logged) for anything unreadable."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as error:
        broken = path.with_suffix(".json.broken")
        path.replace(broken)
        log.warning("settings file %s unreadable (%s); moved to %s, using defaults",
                    path, error, broken)
        return Settings()
    settings, problems = Settings.from_dict(data)
    for problem in problems:
        log.warning("%s: %s", path, problem)
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    ensure_private_dir(path.parent)
    text = json.dumps(settings.to_dict(), indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"))
