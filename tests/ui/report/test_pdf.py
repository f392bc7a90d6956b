"""The doctor's report as a PDF: what it says, atomic writes, clear messages, and its dialog."""

from __future__ import annotations

import errno
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate

from quell import files
from quell.core.triage import parse_answers, triage
from quell.storage.database import StorageError
from quell.ui.report.dialog import ReportDialog
from quell.ui.report.pdf import MAX_REPORT_DAYS, check_period, render_pdf, write_report_pdf
from quell.ui.services import report as services_report
from quell.ui.services.symptom_session import SymptomSession
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms

TODAY = date(2026, 3, 10)


@pytest.fixture
def symptoms(qtbot, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
             ) -> Iterator[SymptomSession]:
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    now = clock.now()
    for back in range(20):
        symptoms.log_twitch("calf" if back % 3 else "eyelid", side="left",
                            intensity=1 + back % 5, at=now - timedelta(days=back),
                            note="after coffee" if back == 2 else "")
        symptoms.session.log("caffeine", 350 if back % 2 else 150, at=now - timedelta(days=back))
    answers = parse_answers({"twitch_duration": "2_weeks_to_3_months"})
    symptoms.save_check(answers, triage(answers, emergency_number="999"))
    yield symptoms
    close_symptoms(symptoms, database)


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    # NFKC turns the fonts' ligatures ("ﬀ" in "Caﬀeine") back into letters.
    return " ".join(unicodedata.normalize("NFKC", done.stdout).split())


def test_the_pdf_says_what_the_doctor_needs(symptoms: SymptomSession, tmp_path: Path) -> None:
    report = symptoms.build_report(TODAY - timedelta(days=29), TODAY)
    path = tmp_path / "report.pdf"
    pages = write_report_pdf(report, path)
    assert pages >= 1
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_mode & 0o777 == 0o600  # health data: the user's eyes only
    text = pdf_text(path)
    for words in ("Quell: twitch diary and symptom checks", "9 Feb 2026 to 10 Mar 2026",
                  "20 episodes on 20 of 30 days", "Calf", "Eyelid", "Week by week",
                  "Symptom checks", "Routine appointment", "for 2 weeks to 3 months",
                  "Caffeine: 250 mg a day on average over 20 days; over the limit on 10",
                  "after coffee", "not a diagnosis", f"page 1 of {pages}"):
        assert words in text, words


def test_an_empty_period_still_makes_a_one_page_report(symptoms: SymptomSession,
                                                       tmp_path: Path) -> None:
    report = symptoms.build_report(date(2025, 1, 1), date(2025, 1, 31))
    data, pages = render_pdf(report)
    assert pages == 1 and data.startswith(b"%PDF")
    path = tmp_path / "empty.pdf"
    path.write_bytes(data)
    assert "No twitches were logged in this period." in pdf_text(path)


def test_a_long_diary_runs_over_several_pages(symptoms: SymptomSession, clock: FakeClock
                                              ) -> None:
    now = clock.now()
    for back in range(200):
        symptoms.log_twitch("thigh", at=now - timedelta(hours=6 * back + 1))
    _data, pages = render_pdf(symptoms.build_report(TODAY - timedelta(days=59), TODAY))
    assert pages >= 3


def test_writing_replaces_the_old_file_whole(symptoms: SymptomSession, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"old report")
    write_report_pdf(symptoms.build_report(TODAY, TODAY), path)
    assert path.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["report.pdf"]


def test_an_unwritable_folder_gets_a_clear_message_and_the_old_file_stays(
        symptoms: SymptomSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"old report")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(services_report, "write_atomic", refuse)
    with pytest.raises(StorageError) as raised:
        write_report_pdf(symptoms.build_report(TODAY, TODAY), path)
    message = str(raised.value)
    assert f"cannot write to the folder {tmp_path}" in message and "permission" in message
    assert path.read_bytes() == b"old report"


def test_a_full_disk_is_said_plainly(symptoms: SymptomSession, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(services_report, "write_atomic", full)
    with pytest.raises(StorageError, match="not enough free space"):
        write_report_pdf(symptoms.build_report(TODAY, TODAY), tmp_path / "r.pdf")


def test_a_failed_write_leaves_no_temp_file(symptoms: SymptomSession, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(StorageError, match="Input/output error"):
        write_report_pdf(symptoms.build_report(TODAY, TODAY), folder / "r.pdf")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("name", "words"), [
    ("missing/r.pdf", "does not exist"),
    ("", "is a folder"),
])
def test_bad_paths(symptoms: SymptomSession, tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(StorageError, match=words):
        write_report_pdf(symptoms.build_report(TODAY, TODAY), tmp_path / name)


def test_check_period() -> None:
    assert check_period(TODAY, TODAY + timedelta(days=5), TODAY) == (TODAY, TODAY)
    with pytest.raises(Exception, match="before it starts"):
        check_period(TODAY, TODAY - timedelta(days=1), TODAY)
    with pytest.raises(Exception, match="starts after today"):
        check_period(TODAY + timedelta(days=1), TODAY + timedelta(days=2), TODAY)
    with pytest.raises(Exception, match=f"at most {MAX_REPORT_DAYS} days"):
        check_period(TODAY - timedelta(days=MAX_REPORT_DAYS), TODAY, TODAY)


# -- the dialog -----------------------------------------------------------------------------

def test_dialog_saves_the_chosen_period(qtbot, symptoms: SymptomSession, tmp_path: Path
                                        ) -> None:
    dialog = ReportDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.period() == (TODAY - timedelta(days=29), TODAY)
    dialog.set_last_days(90)
    assert dialog.period() == (TODAY - timedelta(days=89), TODAY)
    assert dialog.path.text().endswith("Quell report 2026-03-10.pdf")
    path = tmp_path / "for the GP.pdf"
    dialog.path.setText(str(path))
    with qtbot.wait_signal(dialog.saved) as saved:
        dialog.save_button.click()
    assert saved.args == [str(path)]
    assert path.read_bytes().startswith(b"%PDF")
    assert "Saved" in dialog.done_label.text() and str(path) in dialog.done_label.text()
    assert dialog.open_button.isVisibleTo(dialog)
    assert "11 Dec 2025 to 10 Mar 2026" in pdf_text(path)


def test_dialog_shows_problems_inline(qtbot, symptoms: SymptomSession, tmp_path: Path) -> None:
    dialog = ReportDialog(symptoms)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "nowhere" / "r.pdf"))
    with qtbot.assert_not_emitted(dialog.saved):
        dialog.save_button.click()
    assert "does not exist" in dialog.error.message
    dialog.path.setText(str(tmp_path / "r.pdf"))
    dialog.first.setDate(QDate(2026, 3, 10))
    dialog.last.setDate(QDate(2026, 3, 1))
    dialog.save_button.click()
    assert "before it starts" in dialog.error.message
    assert not (tmp_path / "r.pdf").exists()
    dialog.path.setText("  ")
    dialog.save_button.click()
    assert "Choose where" in dialog.error.message


# -- one day rule, every result kept, plurals -----------------------------------------------

def test_the_small_hours_are_in_the_days_pdf_as_in_the_diary(
        symptoms: SymptomSession, clock: FakeClock, tmp_path: Path) -> None:
    clock.set(clock.now().replace(hour=3, minute=48))  # 10 March, before the 04:00 start
    twitch = symptoms.log_twitch("thigh")
    answers = parse_answers({"suspects_medication": True})
    clock.advance(minutes=2)
    check = symptoms.save_check(answers, triage(answers, emergency_number="999"))
    yesterday = TODAY - timedelta(days=1)
    assert twitch.day == yesterday and check.day == yesterday
    assert symptoms.checks_between(yesterday, yesterday) == [check]
    path = tmp_path / "night.pdf"
    write_report_pdf(symptoms.build_report(yesterday, yesterday), path)
    text = pdf_text(path)
    assert "9 Mar 2026, 03:50 (after Routine appointment" in text  # the cell wraps
    assert "9 Mar 2026, 03:48 (after midnight) Thigh" in text
    assert "10 Mar 2026, 03:4" not in text


def test_a_changed_check_and_the_one_it_revises_are_both_in_the_pdf(
        symptoms: SymptomSession, clock: FakeClock, tmp_path: Path) -> None:
    clock.set(clock.now().replace(hour=14, minute=2))
    emergency = parse_answers({"breathing": "struggling_to_breathe"})
    first = symptoms.save_check(emergency, triage(emergency, emergency_number="999"))
    clock.advance(minutes=4)
    calmer = parse_answers({"breathing": "breathless_on_exertion"})
    symptoms.save_check(calmer, triage(calmer, emergency_number="999"), first)
    path = tmp_path / "both.pdf"
    write_report_pdf(symptoms.build_report(TODAY, TODAY), path)
    text = pdf_text(path)
    assert "Emergency: call now" in text and "Doctor within days" in text
    assert "Changed answers of the check at 14:02 (then: Emergency: call now)." in text


def test_qt_plural_lookups_fall_back_to_english(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    from quell.core import i18n

    i18n.install(lambda text: QCoreApplication.translate("quell", text),
                 lambda _one, many, n: QCoreApplication.translate("quell", many, None, n))
    try:
        assert i18n.count("{n} episode", "{n} episodes", 1) == "1 episode"
        assert i18n.count("{n} episode", "{n} episodes", 0) == "0 episodes"
        assert i18n.count("{n} episode", "{n} episodes", 2) == "2 episodes"
    finally:
        i18n.install(str)
