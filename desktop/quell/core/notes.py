"""Notes the user writes on entries and episodes: one clean line, no control characters."""

from __future__ import annotations

import unicodedata

from quell.core.errors import InputError
from quell.core.i18n import _

NOTE_MAX = 500

# Invisible characters that reorder or hide text (a note that displays as something else).
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_note(note: str) -> str:
    """*note* as one line: whitespace runs (newlines and tabs too) become one space, control
    characters (ESC, BEL, NUL, DEL, C1) and bidirectional overrides are dropped.

    Raises InputError when what is left is longer than NOTE_MAX characters.
    """
    kept = "".join(
        char for char in note
        if char.isspace() or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )
    cleaned = " ".join(kept.split())  # split() takes every kind of whitespace, as isspace()
    if len(cleaned) > NOTE_MAX:
        raise InputError(_("the note is longer than {n} characters").format(n=NOTE_MAX))
    return cleaned
