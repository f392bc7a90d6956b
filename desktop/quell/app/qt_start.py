"""Loading Qt for the tray app without PySide6 keeping a copy of every module's source.

shiboken6 replaces ``__import__``. For each module imported after it, its ``__feature__``
support reads the module's whole source with :func:`inspect.getsource` (to see whether the
module names PySide6), and :mod:`linecache` then keeps those lines for the life of the
process: 7 MB at Quell's start, which a bare tray app (one module) never pays. The check stays
PySide6's own, with the same answer; only the lines it leaves in the cache are dropped again.
A traceback reads them back from the file when it needs them. A frozen build has no sources,
so there the check finds none and nothing changes.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from types import ModuleType

_LEAN = "_quell_keeps_no_source"


def load_qt() -> None:
    """Import QtCore (which installs shiboken6's import hook), then make the hook's source
    check leave nothing behind. Call it before the tray app's modules are imported."""
    import PySide6.QtCore  # noqa: F401  (loads shiboken6 and its import hook)

    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:  # a PySide6 without the hook: nothing to do
        return
    check: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, _LEAN, False):
        return
    feature._mod_uses_pyside = keeping_no_source(check)


def keeping_no_source(check: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """*check*, which may read a module's source through linecache, with the cache left as
    it found it: lines it added are dropped, lines that were there stay."""

    def uses_pyside(module: ModuleType) -> bool:
        before = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in set(linecache.cache) - before:
                linecache.cache.pop(name, None)

    setattr(uses_pyside, _LEAN, True)
    return uses_pyside
