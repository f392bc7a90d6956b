"""Meetings as a presence source: real calendar files in a temp folder, a fake /proc."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quell.core.presence import Hold, HoldReason
from quell.platform import meetings
from quell.platform.meetings import CalendarMeetings, MeetingApps
from tests.conftest import LONDON, FakeClock

NEW_YORK = ZoneInfo("America/New_York")


def at(*args: int, zone: ZoneInfo = LONDON) -> datetime:
    return datetime(*args, tzinfo=zone)  # type: ignore[misc]


def event(start: str, end: str, *extra: str, uid: str = "") -> str:
    """A VEVENT; *start*/*end* are property tails such as ':20260310T140000Z'."""
    lines = ["BEGIN:VEVENT", f"UID:{uid or start + end}", f"DTSTART{start}", f"DTEND{end}",
             "SUMMARY:Meeting", *extra, "END:VEVENT"]
    return "\r\n".join(lines)


def write(path: Path, *events: str, header: tuple[str, ...] = ()) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Quell tests//EN", *header, *events,
             "END:VCALENDAR", ""]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


def source_for(path: Path) -> CalendarMeetings:
    return CalendarMeetings(lambda: str(path))


def meeting(since: datetime, until: datetime) -> Hold:
    return Hold(HoldReason.MEETING, since=since, until=until)


# -- single events ------------------------------------------------------------------------


def test_a_single_event_holds_from_its_start_to_its_end(tmp_path: Path,
                                                        clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T150000Z")))
    assert source.available() and source.reason is HoldReason.MEETING
    assert source.read(clock.now()) == meeting(at(2026, 3, 10, 14), at(2026, 3, 10, 15))
    assert source.read(at(2026, 3, 10, 13, 59)) is None
    assert source.read(at(2026, 3, 10, 14)) is not None
    assert source.read(at(2026, 3, 10, 15)) is None


def test_the_hold_is_in_the_local_zone(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T150000Z")))
    hold = source.read(at(2026, 3, 10, 10, 30, zone=NEW_YORK))
    assert hold is not None
    assert hold.since == at(2026, 3, 10, 10, zone=NEW_YORK)
    assert hold.since.tzinfo is NEW_YORK and hold.until is not None


def test_an_event_with_a_duration_instead_of_an_end(tmp_path: Path, clock: FakeClock) -> None:
    text = "\r\n".join(["BEGIN:VEVENT", "UID:d", "DTSTART:20260310T140000Z",
                        "DURATION:PT45M", "END:VEVENT"])
    source = source_for(write(tmp_path / "work.ics", text))
    assert source.read(clock.now()) == meeting(at(2026, 3, 10, 14), at(2026, 3, 10, 14, 45))


def test_all_day_events_do_not_count(tmp_path: Path, clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(";VALUE=DATE:20260310", ";VALUE=DATE:20260311"),
                              event(";VALUE=DATE:20260309", ";VALUE=DATE:20260312",
                                    "RRULE:FREQ=WEEKLY")))
    assert source.read(clock.now()) is None


def test_free_time_does_not_count(tmp_path: Path, clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T150000Z",
                                    "TRANSP:TRANSPARENT"),
                              event(":20260303T140000Z", ":20260303T150000Z",
                                    "TRANSP:TRANSPARENT", "RRULE:FREQ=WEEKLY")))
    assert source.read(clock.now()) is None


def test_a_busy_event_counts_when_it_says_opaque(tmp_path: Path, clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T150000Z",
                                    "TRANSP:OPAQUE", "STATUS:CONFIRMED")))
    assert source.read(clock.now()) is not None


def test_cancelled_events_do_not_count(tmp_path: Path, clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T150000Z",
                                    "STATUS:CANCELLED")))
    assert source.read(clock.now()) is None


def test_one_cancelled_occurrence_of_a_series(tmp_path: Path) -> None:
    series = event(";TZID=Europe/London:20260303T100000",
                   ";TZID=Europe/London:20260303T110000", "RRULE:FREQ=WEEKLY", uid="standup")
    cancelled = event(";TZID=Europe/London:20260310T100000",
                      ";TZID=Europe/London:20260310T110000",
                      "RECURRENCE-ID;TZID=Europe/London:20260310T100000", "STATUS:CANCELLED",
                      uid="standup")
    source = source_for(write(tmp_path / "work.ics", series, cancelled))
    assert source.read(at(2026, 3, 10, 10, 30)) is None
    assert source.read(at(2026, 3, 17, 10, 30)) == meeting(at(2026, 3, 17, 10),
                                                           at(2026, 3, 17, 11))


def test_a_moved_occurrence_holds_at_its_new_time(tmp_path: Path) -> None:
    series = event(";TZID=Europe/London:20260303T100000",
                   ";TZID=Europe/London:20260303T110000", "RRULE:FREQ=WEEKLY", uid="standup")
    moved = event(";TZID=Europe/London:20260310T150000",
                  ";TZID=Europe/London:20260310T153000",
                  "RECURRENCE-ID;TZID=Europe/London:20260310T100000", uid="standup")
    source = source_for(write(tmp_path / "work.ics", series, moved))
    assert source.read(at(2026, 3, 10, 10, 30)) is None
    assert source.read(at(2026, 3, 10, 15, 10)) == meeting(at(2026, 3, 10, 15),
                                                           at(2026, 3, 10, 15, 30))


ME = "X-WR-CALNAME:me@example.org"


@pytest.mark.parametrize(("header", "attendees", "held"), [
    ((ME,), ("ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.org",
             "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org"), False),
    ((ME,), ("ATTENDEE;PARTSTAT=DECLINED:mailto:boss@example.org",
             "ATTENDEE;PARTSTAT=ACCEPTED:MAILTO:Me@Example.org"), True),
    ((), ("ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org",), False),
    ((), ("ATTENDEE;PARTSTAT=TENTATIVE:mailto:me@example.org",), True),
    # Several attendees and nothing says which is the user: it counts.
    ((), ("ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.org",
          "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org"), True),
])
def test_declined_events_do_not_count(tmp_path: Path, clock: FakeClock,
                                      header: tuple[str, ...], attendees: tuple[str, ...],
                                      held: bool) -> None:
    single = event(":20260310T140000Z", ":20260310T150000Z", *attendees)
    weekly = event(":20260303T160000Z", ":20260303T170000Z", "RRULE:FREQ=WEEKLY", *attendees)
    source = source_for(write(tmp_path / "work.ics", single, weekly, header=header))
    assert (source.read(clock.now()) is not None) is held
    assert (source.read(at(2026, 3, 10, 16, 30)) is not None) is held


# -- repeating events and time zones ------------------------------------------------------


def test_a_weekly_meeting_with_an_exception_date(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics", event(
        ";TZID=Europe/London:20260203T100000", ";TZID=Europe/London:20260203T110000",
        "RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE;TZID=Europe/London:20260310T100000")))
    assert source.read(at(2026, 3, 3, 10, 30)) == meeting(at(2026, 3, 3, 10), at(2026, 3, 3, 11))
    assert source.read(at(2026, 3, 10, 10, 30)) is None
    assert source.read(at(2026, 3, 11, 10, 30)) is None
    assert source.read(at(2026, 3, 17, 10, 30)) == meeting(at(2026, 3, 17, 10),
                                                           at(2026, 3, 17, 11))
    # Back in time too: each read is for the moment it is given.
    assert source.read(at(2026, 3, 3, 10, 59)) is not None


def test_a_new_york_meeting_across_both_dst_changes(tmp_path: Path) -> None:
    """09:00 in New York is 14:00 in London, 13:00 between the US (8 March) and UK (29 March)
    clock changes, and 14:00 again after."""
    source = source_for(write(tmp_path / "work.ics", event(
        ";TZID=America/New_York:20260302T090000", ";TZID=America/New_York:20260302T100000",
        "RRULE:FREQ=WEEKLY")))
    assert source.read(at(2026, 3, 2, 13, 30)) is None
    assert source.read(at(2026, 3, 2, 14, 30)) == meeting(at(2026, 3, 2, 14), at(2026, 3, 2, 15))
    assert source.read(at(2026, 3, 16, 13, 30)) == meeting(at(2026, 3, 16, 13),
                                                           at(2026, 3, 16, 14))
    assert source.read(at(2026, 3, 16, 14, 30)) is None
    assert source.read(at(2026, 3, 30, 13, 30)) is None
    assert source.read(at(2026, 3, 30, 14, 30)) == meeting(at(2026, 3, 30, 14),
                                                           at(2026, 3, 30, 15))


def test_a_london_meeting_keeps_its_wall_time_across_the_clock_change(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics", event(
        ";TZID=Europe/London:20260323T090000", ";TZID=Europe/London:20260323T093000",
        "RRULE:FREQ=WEEKLY")))
    before = source.read(at(2026, 3, 23, 9, 10))
    after = source.read(at(2026, 3, 30, 9, 10))
    assert before == meeting(at(2026, 3, 23, 9), at(2026, 3, 23, 9, 30))
    assert after == meeting(at(2026, 3, 30, 9), at(2026, 3, 30, 9, 30))
    assert after is not None and after.since.utcoffset() == timedelta(hours=1)
    assert source.read(at(2026, 3, 30, 8, 10)) is None


def test_floating_times_are_local_times(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T090000", ":20260310T100000"),
                              event(":20260323T120000", ":20260323T123000",
                                    "RRULE:FREQ=WEEKLY")))
    assert source.read(at(2026, 3, 10, 9, 30)) == meeting(at(2026, 3, 10, 9), at(2026, 3, 10, 10))
    in_new_york = source.read(at(2026, 3, 10, 9, 30, zone=NEW_YORK))
    assert in_new_york == meeting(at(2026, 3, 10, 9, zone=NEW_YORK),
                                  at(2026, 3, 10, 10, zone=NEW_YORK))
    assert source.read(at(2026, 3, 30, 12, 10)) == meeting(at(2026, 3, 30, 12),
                                                           at(2026, 3, 30, 12, 30))


def test_a_runaway_rule_is_skipped_quickly(tmp_path: Path) -> None:
    """A rule stepping every second since 2000 would take dateutil hours to reach today."""
    source = source_for(write(
        tmp_path / "work.ics",
        event(":20000101T000000Z", ":20000101T000001Z", "RRULE:FREQ=SECONDLY", uid="runaway"),
        event(":19900101T140000Z", ":19900101T150000Z", "RRULE:FREQ=DAILY", uid="daily")))
    started = time.perf_counter()
    hold = source.read(at(2026, 3, 10, 14, 30))
    assert time.perf_counter() - started < 2.0
    assert hold == meeting(at(2026, 3, 10, 14), at(2026, 3, 10, 15))


def test_past_single_events_are_dropped_before_parsing() -> None:
    text = "\n".join([
        "BEGIN:VCALENDAR",
        event(":20260301T090000Z", ":20260301T100000Z", uid="past"),
        event(';TZID="Europe/London":20260302T090000', ":20260302T100000Z", uid="quoted"),
        "BEGIN:VEVENT\nUID:folded\nDTSTART;TZID=Europe/\n London:20260303T090000\n"
        "BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT",
        "begin:vevent\nuid:lower\ndtstart:20260304T090000Z\nend:vevent",
        event(":20260301T090000Z", ":20260301T100000Z", "RRULE:FREQ=DAILY", uid="series"),
        event(":20260302T090000Z", ":20260302T100000Z",
              "RECURRENCE-ID:20260302T090000Z", uid="moved"),
        event(":20260308T230000Z", ":20260309T080000Z", uid="day-before-yesterday"),
        event(":20260312T090000Z", ":20260312T100000Z", uid="future"),
        "BEGIN:VEVENT\nUID:no-start\nEND:VEVENT",
        "END:VCALENDAR", ""]).replace("\r\n", "\n")
    for newline in ("\n", "\r\n"):
        kept = meetings._without_past_events(text.replace("\n", newline).encode(),
                                             date(2026, 3, 8)).decode()
        uids = [line.split(":", 1)[1].strip() for line in kept.splitlines()
                if line.lower().startswith("uid:")]
        assert uids == ["series", "moved", "day-before-yesterday", "future", "no-start"]
        assert "VALARM" not in kept and kept.count("BEGIN:VEVENT") == 5
        assert kept.startswith("BEGIN:VCALENDAR") and kept.rstrip().endswith("END:VCALENDAR")


def test_a_long_past_keeps_the_present(tmp_path: Path) -> None:
    past = [event(f":2025{month:02d}{day:02d}T140000Z", f":2025{month:02d}{day:02d}T150000Z",
                  uid=f"p{month}-{day}") for month in range(1, 13) for day in range(1, 29)]
    source = source_for(write(tmp_path / "work.ics", *past,
                              event(":20260310T140000Z", ":20260310T150000Z"),
                              event(":20260309T230000Z", ":20260310T090000Z", uid="night")))
    assert source.read(at(2026, 3, 10, 14, 30)) == meeting(at(2026, 3, 10, 14),
                                                           at(2026, 3, 10, 15))
    assert source.read(at(2026, 3, 10, 8, 30)) == meeting(at(2026, 3, 9, 23),
                                                          at(2026, 3, 10, 9))
    assert source.read(at(2025, 6, 3, 14, 30)) is None  # dropped: it was past when read


def test_a_day_long_block_is_not_a_meeting(tmp_path: Path, clock: FakeClock) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260309T090000Z", ":20260313T170000Z")))
    assert source.read(clock.now()) is None


# -- merging ------------------------------------------------------------------------------


def test_back_to_back_and_overlapping_meetings_make_one_hold(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T143000Z"),
                              event(":20260310T143000Z", ":20260310T150000Z"),
                              event(":20260310T144500Z", ":20260310T153000Z"),
                              event(":20260310T160000Z", ":20260310T163000Z")))
    whole = meeting(at(2026, 3, 10, 14), at(2026, 3, 10, 15, 30))
    assert source.read(at(2026, 3, 10, 14, 10)) == whole
    assert source.read(at(2026, 3, 10, 14, 50)) == whole
    assert source.read(at(2026, 3, 10, 15, 40)) is None
    assert source.read(at(2026, 3, 10, 16, 10)) == meeting(at(2026, 3, 10, 16),
                                                           at(2026, 3, 10, 16, 30))


def test_a_meeting_inside_a_longer_one(tmp_path: Path) -> None:
    source = source_for(write(tmp_path / "work.ics",
                              event(":20260310T140000Z", ":20260310T160000Z"),
                              event(":20260310T143000Z", ":20260310T150000Z")))
    assert source.read(at(2026, 3, 10, 15, 30)) == meeting(at(2026, 3, 10, 14),
                                                           at(2026, 3, 10, 16))


# -- files and folders --------------------------------------------------------------------


def test_a_folder_of_calendars(tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    (folder / "old").mkdir(parents=True)
    write(folder / "work.ics", event(":20260310T100000Z", ":20260310T110000Z"))
    write(folder / "Family.ICS", event(":20260310T140000Z", ":20260310T150000Z"))
    write(folder / "notes.txt", event(":20260310T160000Z", ":20260310T170000Z"))
    write(folder / "old" / "old.ics", event(":20260310T180000Z", ":20260310T190000Z"))
    source = source_for(folder)
    assert source.available()
    assert source.read(at(2026, 3, 10, 10, 30)) == meeting(at(2026, 3, 10, 10),
                                                           at(2026, 3, 10, 11))
    assert source.read(at(2026, 3, 10, 14, 30)) == meeting(at(2026, 3, 10, 14),
                                                           at(2026, 3, 10, 15))
    assert source.read(at(2026, 3, 10, 16, 30)) is None  # not a calendar file
    assert source.read(at(2026, 3, 10, 18, 30)) is None  # not in the folder itself
    (folder / "work.ics").unlink()
    assert source.read(at(2026, 3, 10, 10, 30)) is None


def test_a_folder_of_more_than_50_calendars_reads_50_and_says_so_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for n in range(55):
        write(tmp_path / f"{n:02d}.ics", event(f":20260310T{n // 4:02d}{n % 4 * 15:02d}00Z",
                                               f":20260310T{n // 4:02d}{n % 4 * 15 + 10:02d}00Z"))
    source = source_for(tmp_path)
    with caplog.at_level(logging.WARNING, logger="quell.platform.meetings"):
        assert source.read(at(2026, 3, 10, 12, 20)) is not None  # file 49
        assert source.read(at(2026, 3, 10, 12, 35)) is None  # file 50: not read
        assert source.read(at(2026, 3, 10, 12, 35)) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"the meetings folder {tmp_path} has 55 calendar files; reading the first 50"]


def test_a_broken_file_is_logged_once_and_the_good_one_still_counts(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    write(folder / "good.ics", event(":20260310T140000Z", ":20260310T150000Z"))
    broken = folder / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:yesterday\r\n\xff\xfe")
    source = source_for(folder)
    with caplog.at_level(logging.WARNING, logger="quell.platform.meetings"):
        assert source.read(clock.now()) is not None
        assert source.read(clock.now()) is not None
    lines = [r for r in caplog.records if "broken.ics" in r.getMessage()]
    assert len(lines) == 1
    caplog.clear()
    broken.write_bytes(b"not a calendar at all")
    with caplog.at_level(logging.WARNING, logger="quell.platform.meetings"):
        assert source.read(clock.now()) is not None
    assert [r for r in caplog.records if "broken.ics" in r.getMessage()]


def test_a_broken_event_is_skipped_and_the_rest_of_its_file_counts(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    broken = event(":yesterday", ":20260310T150000Z", "RRULE:FREQ=DAILY", uid="broken")
    bad_rule = event(":20260310T100000Z", ":20260310T110000Z", "RRULE:FREQ=SOMETIMES",
                     uid="bad-rule")
    good = event(":20260310T140000Z", ":20260310T150000Z", uid="good")
    source = source_for(write(tmp_path / "work.ics", broken, bad_rule, good))
    with caplog.at_level(logging.WARNING, logger="quell.platform.meetings"):
        assert source.read(clock.now()) == meeting(at(2026, 3, 10, 14), at(2026, 3, 10, 15))
        assert source.read(at(2026, 3, 10, 10, 30)) is None
        assert source.read(clock.now()) is not None
    assert len(caplog.records) == 1 and "work.ics" in caplog.records[0].getMessage()


def test_a_file_over_10_mb_is_skipped_with_one_log_line(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    big = tmp_path / "big.ics"
    filler = "X-FILLER:" + "x" * 60
    write(big, event(":20260310T140000Z", ":20260310T150000Z",
                     *([filler] * (20 * 1024 * 1024 // 70))))
    assert big.stat().st_size > 20 * 1024 * 1024
    source = source_for(big)
    assert source.available()
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="quell.platform.meetings"):
        assert source.read(clock.now()) is None
        assert source.read(clock.now()) is None
    assert time.perf_counter() - started < 1.0
    assert len(caplog.records) == 1
    assert "big.ics" in caplog.records[0].getMessage()
    assert "10 MB" in caplog.records[0].getMessage()


def test_a_changed_file_is_read_again_and_an_unchanged_one_is_not(
        tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[Path] = []
    real = meetings._parse_file

    def counting(path: Path, signature: tuple[int, int], today: date) -> object:
        parses.append(path)
        return real(path, signature, today)

    monkeypatch.setattr(meetings, "_parse_file", counting)
    path = write(tmp_path / "work.ics", event(":20260310T140000Z", ":20260310T150000Z"))
    source = source_for(path)
    assert source.read(clock.now()) is not None
    assert source.read(clock.now() + timedelta(minutes=5)) is not None
    assert len(parses) == 1
    # Same size, new contents: the meeting moved to 16:00; the new mtime says it changed.
    write(path, event(":20260310T160000Z", ":20260310T170000Z"))
    stamp = path.stat().st_mtime + 2
    os.utime(path, (stamp, stamp))
    assert source.read(clock.now()) is None
    assert source.read(at(2026, 3, 10, 16, 30)) is not None
    assert len(parses) == 2


def test_no_path_or_a_missing_one_is_unavailable(tmp_path: Path, clock: FakeClock) -> None:
    assert not CalendarMeetings(lambda: "").available()
    assert CalendarMeetings(lambda: "").read(clock.now()) is None
    missing = source_for(tmp_path / "nowhere.ics")
    assert not missing.available()
    assert missing.read(clock.now()) is None
    write(tmp_path / "nowhere.ics", event(":20260310T140000Z", ":20260310T150000Z"))
    assert missing.available()
    assert missing.read(clock.now()) is not None


def test_the_path_is_asked_at_each_read(tmp_path: Path, clock: FakeClock) -> None:
    chosen = [""]
    source = CalendarMeetings(lambda: chosen[0])
    assert source.read(clock.now()) is None
    chosen[0] = str(write(tmp_path / "work.ics", event(":20260310T140000Z",
                                                       ":20260310T150000Z")))
    assert source.available() and source.read(clock.now()) is not None
    source.set_listener(lambda: None)  # poll-only: accepted and ignored
    source.set_listener(None)


# -- meeting apps -------------------------------------------------------------------------


def fake_process(root: Path, pid: int, comm: str, cmdline: bytes = b"") -> Path:
    folder = root / str(pid)
    folder.mkdir(parents=True)
    (folder / "comm").write_text(comm + "\n")
    (folder / "cmdline").write_bytes(cmdline)
    return folder


@pytest.fixture
def proc(tmp_path: Path) -> Path:
    root = tmp_path / "proc"
    fake_process(root, 1, "systemd", b"/sbin/init\0splash\0")
    fake_process(root, 812, "bash", b"/bin/bash\0")
    (root / "self").mkdir()
    (root / "sys").mkdir()
    (root / "uptime").write_text("1.0 1.0\n")
    return root


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_meeting_app_holds_since_it_was_first_seen(proc: Path, clock: FakeClock) -> None:
    source = MeetingApps(lambda: ("Zoom",), proc_root=proc)
    assert source.available() and source.reason is HoldReason.MEETING
    assert source.read(clock.now()) is None
    zoom = fake_process(proc, 4242, "zoom", b"/opt/zoom/zoom\0")
    first = clock.now()
    assert source.read(first) == Hold(HoldReason.MEETING, since=first)
    clock.advance(minutes=10)
    assert source.read(clock.now()) == Hold(HoldReason.MEETING, since=first)
    for child in zoom.iterdir():
        child.unlink()
    zoom.rmdir()
    assert source.read(clock.now()) is None
    fake_process(proc, 5000, "zoom")
    clock.advance(minutes=5)
    assert source.read(clock.now()) == Hold(HoldReason.MEETING, since=clock.now())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
@pytest.mark.parametrize(("names", "comm", "cmdline"), [
    (("slack",), "electron", b"/usr/lib/slack/slack --type=renderer --lang=en\0"),
    (("teams",), "GpuThread", b"/opt/teams/teams\0--disable-gpu\0"),
    (("teams-for-linux-x",), "teams-for-linux", b""),  # the kernel keeps 15 characters
    (("skype", "webex"), "WebEx", b""),
])
def test_a_meeting_app_is_found_by_any_of_its_names(proc: Path, clock: FakeClock,
                                                    names: tuple[str, ...], comm: str,
                                                    cmdline: bytes) -> None:
    fake_process(proc, 300, comm, cmdline)
    assert MeetingApps(lambda: names, proc_root=proc).read(clock.now()) is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_other_processes_do_not_count(proc: Path, clock: FakeClock) -> None:
    fake_process(proc, 300, "zoomer", b"/usr/bin/zoomer\0")
    gone = proc / "301"
    gone.mkdir()  # a process that ended between the listing and the read
    source = MeetingApps(lambda: ("zoom",), proc_root=proc)
    assert source.read(clock.now()) is None


def test_meeting_apps_unavailable_without_names_or_proc(proc: Path, tmp_path: Path,
                                                        clock: FakeClock) -> None:
    assert not MeetingApps(lambda: (), proc_root=proc).available()
    assert MeetingApps(lambda: (), proc_root=proc).read(clock.now()) is None
    missing = MeetingApps(lambda: ("zoom",), proc_root=tmp_path / "no-proc")
    assert not missing.available()
    assert missing.read(clock.now()) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_the_real_proc_finds_this_test_process(clock: FakeClock) -> None:
    own = Path("/proc/self/comm").read_text().strip()
    source = MeetingApps(lambda: (own.upper(),))
    assert source.available()
    assert source.read(clock.now()) == Hold(HoldReason.MEETING, since=clock.now())
    assert MeetingApps(lambda: ("no-such-program-here",)).read(clock.now()) is None


def test_the_calendar_libraries_load_only_when_a_calendar_is_read() -> None:
    """icalendar and recurring_ical_events cost about 0.1 s to import: not at every start."""
    import subprocess

    code = ("import sys; import quell.platform.meetings as m; "
            "print(sorted(n for n in ('icalendar', 'recurring_ical_events') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2], timeout=60)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fold", [0, 1])
def test_a_meeting_in_the_hour_a_dst_change_repeats(tmp_path: Path, fold: int) -> None:
    # Auckland, 5 April 2026: 03:00 NZDT becomes 02:00 NZST, so 02:00-03:00 comes twice.
    # Found by CI's night run: in the first 02:30 the meeting now was "an hour away" (aware
    # times in one zone compare by the wall clock).
    nz = ZoneInfo("Pacific/Auckland")
    now = datetime(2026, 4, 5, 2, 30, tzinfo=nz, fold=fold)
    utc = now.astimezone(ZoneInfo("UTC"))
    start, end = utc - timedelta(minutes=10), utc + timedelta(minutes=50)
    source = source_for(write(tmp_path / "work.ics", event(
        start.strftime(":%Y%m%dT%H%M%SZ"), end.strftime(":%Y%m%dT%H%M%SZ"))))
    hold = source.read(now)
    assert hold is not None
    assert hold.since.astimezone(ZoneInfo("UTC")) == start
    assert hold.until is not None and hold.until.astimezone(ZoneInfo("UTC")) == end
    # The other 02:30 is an hour before or after: 20 minutes past this meeting's end, or 50
    # minutes before its start.
    assert source.read(datetime(2026, 4, 5, 2, 30, tzinfo=nz, fold=1 - fold)) is None
