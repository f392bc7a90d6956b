"""Translation hook for user-visible text produced by the core.

The core cannot import Qt, so it marks strings with ``_()`` and the app installs the real
translator (Qt's ``QCoreApplication.translate``) once at start-up. Until then text is English.
"""

from __future__ import annotations

from collections.abc import Callable

_translator: Callable[[str], str] = str


def install(translator: Callable[[str], str]) -> None:
    """Route every later ``_()`` call through *translator* (called once by the app)."""
    global _translator
    _translator = translator


def _(text: str) -> str:
    """Return *text* translated into the user's language (English when none is installed)."""
    return _translator(text)
