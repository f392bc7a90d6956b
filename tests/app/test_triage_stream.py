"""`quell triage -` under hostile input: each bad line its own error, bounded memory, an end."""

from __future__ import annotations

import io
import json
import os
import tracemalloc

import pytest

from quell.app import cli_symptoms
from quell.app.cli_symptoms import MAX_LINE_BYTES, triage_lines
from quell.app.main import main


def answers(stream: bytes | str) -> tuple[int, list[dict[str, object]]]:
    source: io.BytesIO | io.StringIO = (io.BytesIO(stream) if isinstance(stream, bytes)
                                        else io.StringIO(stream))
    out = io.StringIO()
    code = triage_lines(source, out, "112")
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


HOSTILE_LINES = [
    ("nested lists over the cap", b"[" * 100000, "longer than 64 KB"),
    ("nested lists", b"[" * 30000, "nested too deeply"),
    ("nested objects", b'{"a":' * 10000, "nested too deeply"),
    ("nested in an answer", b'{"muscle_weakness":' + b"[" * 20000, "nested too deeply"),
    ("over-long line", b'{"x": "' + b"y" * (MAX_LINE_BYTES + 10) + b'"}', "longer than 64 KB"),
    ("NUL bytes", b"\x00" * 1000, "invalid JSON"),
    ("not UTF-8", b"\xff\xfe{}", "not UTF-8"),
    ("not JSON", b"hello", "invalid JSON"),
]


@pytest.mark.parametrize(("line", "problem"), [(line, p) for _n, line, p in HOSTILE_LINES],
                         ids=[name for name, _l, _p in HOSTILE_LINES])
def test_a_bad_line_gets_its_own_error_and_later_lines_are_answered(line: bytes, problem: str
                                                                    ) -> None:
    code, replies = answers(b"{}\n" + line + b"\n{}\n")
    assert code == 1
    assert len(replies) == 3
    assert "level" in replies[0] and "level" in replies[2]
    assert replies[1] == {"error": replies[1]["error"]}
    assert replies[1]["error"].startswith("line 2: ") and problem in replies[1]["error"]


def test_text_streams_are_bounded_too() -> None:
    code, replies = answers("[" * 30000 + "\n" + "x" * 100000 + "\n{}\n")
    assert code == 1
    assert "nested too deeply" in str(replies[0]["error"])
    assert "longer than 64 KB" in str(replies[1]["error"])
    assert "level" in replies[2]


def test_a_line_exactly_at_the_cap_is_read() -> None:
    padding = MAX_LINE_BYTES - len(b'{"": ""}')
    line = b'{"": "' + b"y" * padding + b'"}'
    assert len(line) == MAX_LINE_BYTES
    _code, replies = answers(line + b"\n")
    assert "longer than" not in str(replies[0])


def test_endless_input_without_a_newline_ends_with_an_error(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr(cli_symptoms, "MAX_SKIP_BYTES", 2 * 1024 * 1024)

    class Zero(io.RawIOBase):  # /dev/zero, without relying on the platform having one
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            buffer[:] = bytes(len(buffer))
            return len(buffer)

    tracemalloc.start()
    try:
        code, replies = answers_from(io.BufferedReader(Zero()))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1
    assert len(replies) == 1 and "stopped reading" in str(replies[0]["error"])
    assert peak < 1024 * 1024  # read in bounded pieces, never all at once


def answers_from(stream: io.BufferedReader) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = triage_lines(stream, out, "112")
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_as_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["triage", "/dev/zero"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "stopped reading" in out
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_bug_on_one_line_is_logged_and_the_rest_answered(monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture
                                                           ) -> None:
    from quell.core import triage

    real = triage.parse_answers

    def flaky(raw: object) -> object:
        if raw == {"boom": True}:
            raise ZeroDivisionError("a bug")
        return real(raw)  # type: ignore[arg-type]

    monkeypatch.setattr(triage, "parse_answers", flaky)
    code, replies = answers(b'{"boom": true}\n{}\n')
    assert code == 1
    assert "hit a bug" in str(replies[0]["error"]) and "level" in replies[1]
    assert caplog.text.count("Traceback") == 1
