"""Notes are one clean line: whitespace folded, control characters and bidi overrides dropped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quell.core.errors import InputError
from quell.core.notes import NOTE_MAX, clean_note


@pytest.mark.parametrize(("raw", "clean"), [
    ("  after  coffee ", "after coffee"),
    ("line one\r\nline two\ttab", "line one line two tab"),
    ("bell\x07 esc\x1b[31mred nul\x00", "bell esc[31mred nul"),
    ("del\x7f c1\x85x\x9b", "del c1 x"),
    ("safe \u202etxt.exe", "safe txt.exe"),
    ("émoji ☕ and 日本語", "émoji ☕ and 日本語"),
    ("", ""),
])
def test_notes_are_cleaned(raw: str, clean: str) -> None:
    assert clean_note(raw) == clean


def test_the_limit_counts_what_is_kept() -> None:
    assert clean_note("a" * NOTE_MAX + "\x00" * 10) == "a" * NOTE_MAX
    with pytest.raises(InputError) as refused:
        clean_note("a" * (NOTE_MAX + 1))
    assert str(refused.value) == "the note is longer than 500 characters"


@given(st.text(max_size=200))
def test_a_cleaned_note_has_no_control_characters_and_is_stable(raw: str) -> None:
    cleaned = clean_note(raw)
    assert all(ord(c) >= 32 and not 0x7f <= ord(c) <= 0x9f for c in cleaned)
    assert clean_note(cleaned) == cleaned
    assert cleaned == cleaned.strip()
