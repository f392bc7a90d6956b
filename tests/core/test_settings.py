"""Settings: every check's boundaries and message, lenient reading, the JSON form, pauses."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest

from quell.core.errors import InputError
from quell.core.settings import (
    PAUSE_LONGEST,
    ReminderSettings,
    ReminderStyle,
    Settings,
    check_pause,
)

UTC = timezone.utc
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# (field, lowest allowed, highest allowed, the message when outside)
RANGES: list[tuple[str, float, float, str]] = [
    ("water_every_minutes", 15, 240, "Water checks must come every 15 to 240 minutes"),
    ("stretch_every_minutes", 15, 240, "Stretch breaks must come every 15 to 240 minutes"),
    ("breathe_minutes", 1, 5, "a breathing exercise lasts 1 to 5 minutes"),
    ("caffeine_half_life_hours", 1.0, 12.0,
     "caffeine's half-life must be between 1 and 12 hours"),
    ("caffeine_bedtime_mg", 5, 200,
     "the caffeine left at bedtime must be between 5 and 200 mg"),
    ("caffeine_drink_mg", 10, 500,
     "a typical drink must have between 10 and 500 mg of caffeine"),
    ("caffeine_notice_minutes", 0, 180,
     "the last call comes 0 to 180 minutes before the cut-off"),
    ("wind_down_minutes", 5, 180, "wind-down comes 5 to 180 minutes before bedtime"),
    ("sleep_log_minutes", 0, 240, "the sleep reminder comes 0 to 240 minutes after waking"),
    ("card_minutes", 1, 30, "a reminder card stays 1 to 30 minutes"),
]


def rejected(settings: Any, **changes: Any) -> str:
    with pytest.raises(InputError) as caught:
        settings.replace(**changes)
    return str(caught.value)


@pytest.mark.parametrize(("name", "low", "high", "message"), RANGES,
                         ids=[r[0] for r in RANGES])
def test_each_range_takes_both_ends_and_nothing_beyond(
        name: str, low: float, high: float, message: str) -> None:
    step = 0.5 if isinstance(low, float) else 1
    base = ReminderSettings()
    assert getattr(base.replace(**{name: low}), name) == low
    assert getattr(base.replace(**{name: high}), name) == high
    assert rejected(base, **{name: low - step}) == message
    assert rejected(base, **{name: high + step}) == message


@pytest.mark.parametrize(("start", "end", "message"), [
    ("water_from", "water_until",
     "the water reminder's hours must start and end at different times"),
    ("stretch_from", "stretch_until", "the working hours must start and end at different times"),
    ("quiet_from", "quiet_until", "quiet hours must start and end at different times"),
])
def test_a_window_must_not_be_empty(start: str, end: str, message: str) -> None:
    assert rejected(ReminderSettings(), **{start: time(9), end: time(9)}) == message
    ReminderSettings().replace(**{start: time(9), end: time(9, 1)})


def test_up_to_eight_different_breathing_times() -> None:
    eight = tuple(time(hour) for hour in range(8, 16))
    assert ReminderSettings().replace(breathe_times=eight).breathe_times == eight
    message = "choose up to 8 different breathing times"
    assert rejected(ReminderSettings(), breathe_times=(*eight, time(16))) == message
    assert rejected(ReminderSettings(), breathe_times=(time(9), time(9))) == message
    assert ReminderSettings().replace(breathe_times=()).breathe_times == ()


def test_style_is_a_card_a_notification_or_both() -> None:
    assert ReminderSettings().style is ReminderStyle.CARD
    for style in ReminderStyle:
        assert ReminderSettings().replace(style=style).style is style
    # By its name too, as settings.json and the command line spell it.
    assert ReminderSettings().replace(style="notification").style is ReminderStyle.NOTIFICATION
    assert ReminderSettings().replace(style="both").style is ReminderStyle.BOTH
    message = "reminders show as a card, a notification or both"
    assert rejected(ReminderSettings(), style="loud") == message
    assert rejected(ReminderSettings(), style="CARD") == message
    assert rejected(ReminderSettings(), style=None) == message
    assert rejected(ReminderSettings(), style=2) == message
    with pytest.raises(InputError, match=message):
        ReminderSettings(style="card").validate()  # type: ignore[arg-type]


def test_style_is_its_name_in_the_file() -> None:
    assert [style.value for style in ReminderStyle] == ["card", "notification", "both"]
    for style in ReminderStyle:
        data = Settings().replace(reminders=ReminderSettings().replace(style=style)).to_dict()
        assert data["reminders"]["style"] == style.value
        again, problems = Settings.from_dict(data)
        assert again.reminders.style is style and problems == []


@pytest.mark.parametrize("raw", ["loud", "Card", "", None, 1, True, ["card"], "x" * 200])
def test_an_unknown_style_in_the_file_keeps_the_default(raw: object) -> None:
    data = Settings().replace(reminders=ReminderSettings().replace(
        style=ReminderStyle.BOTH, sound=True)).to_dict()
    data["reminders"]["style"] = raw
    read, problems = Settings.from_dict(data)
    assert read.reminders.style is ReminderStyle.CARD
    assert read.reminders.sound is True  # the rest is kept
    assert len(problems) == 1 and problems[0].startswith("setting reminders.'style'=")


@pytest.mark.parametrize(("raw", "why"), [
    ("x" * 100, "is not a valid ReminderStyle"), ("x" * 101, "expected a short text"),
    (1, "expected a short text"), (None, "expected a short text"),
])
def test_why_a_style_in_the_file_was_ignored(raw: object, why: str) -> None:
    _read, problems = ReminderSettings.from_dict({"style": raw})
    assert len(problems) == 1 and problems[0].endswith(why)


@pytest.mark.parametrize("minutes, ok", [(1, False), (2, True), (60, True), (61, False)])
def test_away_means_two_to_sixty_minutes(minutes: int, ok: bool) -> None:
    if ok:
        assert ReminderSettings().replace(away_minutes=minutes).away_minutes == minutes
    else:
        assert rejected(ReminderSettings(), away_minutes=minutes) == (
            "away means 2 to 60 minutes without using the computer")


@pytest.mark.parametrize("path, ok", [
    ("/home/ana/work.ics", True), ("C:\\Users\\ana\\work.ics", True), ("c:/cal", True),
    ("\\\\server\\share\\cal.ics", True), ("", True), ("work.ics", False),
    ("~/work.ics", False), ("C:work.ics", False), ("/a\0b", False), ("/" + "a" * 4096, False),
    ("\\x", False)])
def test_the_calendar_is_a_full_path(path: str, ok: bool) -> None:
    if ok:
        assert ReminderSettings().replace(calendar_path=path).calendar_path == path
    else:
        assert rejected(ReminderSettings(), calendar_path=path) == (
            "the meetings calendar must be a full path to an .ics file or a folder")


def test_a_long_calendar_path_survives_the_settings_file() -> None:
    path = "/" + "d" * 4095
    settings, problems = Settings.from_dict({"reminders": {"calendar_path": path}})
    assert (settings.reminders.calendar_path, problems) == (path, [])
    settings, problems = Settings.from_dict({"reminders": {"calendar_path": path + "x"}})
    assert settings.reminders.calendar_path == "" and len(problems) == 1


@pytest.mark.parametrize("apps, ok", [
    (("zoom", "teams", "Microsoft Teams"), True), (("a" * 64,), True), (("a" * 65,), False),
    (("",), False), (("zoom/x",), False), (tuple(f"app{n}" for n in range(16)), True),
    (tuple(f"app{n}" for n in range(17)), False)])
def test_meeting_apps_are_program_names(apps: tuple[str, ...], ok: bool) -> None:
    if ok:
        assert ReminderSettings().replace(meeting_apps=apps).meeting_apps == apps
    else:
        assert rejected(ReminderSettings(), meeting_apps=apps) == (
            "meeting apps are up to 16 program names such as zoom or teams")


def test_meeting_apps_read_from_the_file_are_texts() -> None:
    settings, problems = Settings.from_dict({"reminders": {"meeting_apps": ["zoom", "teams"]}})
    assert (settings.reminders.meeting_apps, problems) == (("zoom", "teams"), [])
    settings, problems = Settings.from_dict({"reminders": {"meeting_apps": ["zoom", 3]}})
    assert settings.reminders.meeting_apps == () and len(problems) == 1


def test_the_welcome_is_remembered() -> None:
    settings, problems = Settings.from_dict({"welcomed": True})
    assert settings.welcomed and not problems
    assert not Settings().welcomed


@pytest.mark.parametrize("name", ["water_from", "water_until", "stretch_from", "stretch_until",
                                  "quiet_from", "quiet_until"])
def test_reminder_times_have_no_time_zone(name: str) -> None:
    assert rejected(ReminderSettings(), **{name: time(10, 30, tzinfo=UTC)}) == (
        "reminder times are clock times without a time zone")


def test_breathing_times_have_no_time_zone() -> None:
    assert rejected(ReminderSettings(), breathe_times=(time(10, tzinfo=UTC),)) == (
        "reminder times are clock times without a time zone")


@pytest.mark.parametrize("name", ["water_days", "stretch_days", "breathe_days", "caffeine_days",
                                  "wind_down_days", "sleep_log_days"])
@pytest.mark.parametrize("days", [(0,), (8,), (1, 1)])
def test_every_weekday_list_is_checked(name: str, days: tuple[int, ...]) -> None:
    assert rejected(ReminderSettings(), **{name: days}) == (
        "weekdays are numbered 1 (Monday) to 7 (Sunday)")
    assert getattr(ReminderSettings().replace(**{name: (7, 1)}), name) == (1, 7)


def test_times_and_weekdays_are_sorted_so_equal_settings_compare_equal() -> None:
    one = ReminderSettings().replace(breathe_times=(time(17), time(9)), water_days=(3, 1),
                                     sleep_log_days=(7, 2))
    other = ReminderSettings().replace(breathe_times=(time(9), time(17)), water_days=(1, 3),
                                       sleep_log_days=(2, 7))
    assert one == other
    assert one.breathe_times == (time(9), time(17))
    assert one.sleep_log_days == (2, 7)


def test_the_day_start_is_between_midnight_and_noon() -> None:
    assert Settings().replace(day_start_hour=0).day_start_hour == 0
    assert Settings().replace(day_start_hour=12).day_start_hour == 12
    for hour in (-1, 13):
        assert rejected(Settings(), day_start_hour=hour) == (
            "the day must start between 00:00 and 12:00")


def test_general_settings_checks_and_their_messages() -> None:
    assert rejected(Settings(), water_unit="gallons") == "water unit must be ml or fl oz"
    assert Settings().replace(water_unit="fl_oz").water_unit == "fl_oz"
    assert rejected(Settings(), bedtime=time(7), wake_time=time(7)) == (
        "bedtime and wake time must differ")
    zoned = "bedtime and wake time are clock times without a time zone"
    assert rejected(Settings(), bedtime=time(23, tzinfo=UTC)) == zoned
    assert rejected(Settings(), wake_time=time(7, tzinfo=UTC)) == zoned
    assert rejected(Settings(), reminders=ReminderSettings(card_minutes=0)) == (
        "a reminder card stays 1 to 30 minutes")


@pytest.mark.parametrize("locale", ["GB", "en_GB.UTF-8", "fr-CA", "sr_RS@latin", "", "a" * 40])
def test_region_names_that_are_accepted(locale: str) -> None:
    assert Settings().replace(locale=locale).locale == locale


@pytest.mark.parametrize("locale", ["en GB", "a" * 41, "de;rm -rf", "ü"])
def test_region_names_that_are_refused(locale: str) -> None:
    assert rejected(Settings(), locale=locale) == (
        "the region must be a locale name like en_GB or a country code")


def test_a_stored_pause_ends_between_2000_and_2200_and_has_a_zone() -> None:
    for edge in (datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)):
        assert Settings().replace(paused_until=edge).paused_until == edge
    window = "the pause must end between the years 2000 and 2200"
    assert rejected(Settings(), paused_until=datetime(1999, 12, 31, 23, 59, tzinfo=UTC)) == window
    assert rejected(Settings(), paused_until=datetime(2200, 1, 1, 0, 1, tzinfo=UTC)) == window
    assert rejected(Settings(), paused_until=datetime(9999, 12, 31, 23, 59, tzinfo=timezone(
        timedelta(hours=-12)))) == window
    assert rejected(Settings(), paused_until=datetime(2026, 3, 10, 15)) == (
        "the pause needs a time zone")


def test_a_pause_lasts_at_most_seven_days_and_a_minute() -> None:
    longest = NOW + PAUSE_LONGEST + timedelta(minutes=1)
    assert check_pause(longest, NOW) == longest
    assert check_pause(NOW - timedelta(days=30), NOW) == NOW - timedelta(days=30)
    too_long = longest + timedelta(seconds=1)
    with pytest.raises(InputError) as caught:
        check_pause(too_long, NOW)
    assert str(caught.value) == (
        f"a pause lasts at most 7 days, not until {too_long.isoformat(timespec='minutes')}")
    with pytest.raises(InputError, match=r"^the pause needs a time zone$"):
        check_pause(datetime(2026, 3, 10, 15), NOW)


def test_a_pause_far_beyond_datetimes_range_is_too_long_not_a_crash() -> None:
    east = timezone(timedelta(hours=14))
    with pytest.raises(InputError, match="at most 7 days"):
        check_pause(datetime(9999, 12, 31, 23, 59, tzinfo=east).astimezone(UTC), datetime(
            1, 1, 1, 0, 0, tzinfo=UTC))


def test_the_json_form() -> None:
    custom = Settings().replace(
        bedtime=time(22, 45), locale="GB",
        paused_until=datetime(2026, 3, 10, 15, 0, tzinfo=UTC),
        reminders=ReminderSettings().replace(breathe_times=(time(9, 5),), water_days=(2, 1)))
    data = custom.to_dict()
    assert data["version"] == 1
    assert data["bedtime"] == "22:45"
    assert data["locale"] == "GB"
    assert data["paused_until"] == "2026-03-10T15:00:00+00:00"
    assert data["reminders"]["breathe_times"] == ["09:05"]
    assert data["reminders"]["water_days"] == [1, 2]
    assert data["reminders"]["caffeine_half_life_hours"] == 5.0
    assert Settings.from_dict(data) == (custom, [])
    assert Settings().to_dict()["paused_until"] is None


def test_reading_goes_on_past_every_ignored_value() -> None:
    # Each kind of problem is followed by a good value, which must still be read.
    data = {"version": 1, "mystery": 1, "day_start_hour": 5, "reminders": "loud",
            "water_unit": "fl_oz", "bedtime": "later", "wake_time": "06:30"}
    settings, problems = Settings.from_dict(data)
    assert (settings.day_start_hour, settings.water_unit, settings.wake_time) == (
        5, "fl_oz", time(6, 30))
    assert settings.reminders == ReminderSettings()
    assert settings.bedtime == time(23)
    assert problems[0] == "unknown setting 'mystery' ignored"
    assert problems[1] == "setting 'reminders' ignored: expected an object"
    assert problems[2].startswith("setting 'bedtime'='later' ignored: ")
    assert len(problems) == 3


def test_nested_reminder_problems_name_their_section() -> None:
    settings, problems = Settings.from_dict({"reminders": {
        "noise": True, "card_minutes": 99, "sound": True}})
    assert settings.reminders.sound is True
    assert settings.reminders.card_minutes == 2
    assert problems == [
        "unknown setting reminders.'noise' ignored",
        "setting reminders.'card_minutes'=99 ignored: a reminder card stays 1 to 30 minutes",
    ]


def test_values_that_clash_reset_that_section_and_say_so() -> None:
    # Each value is fine alone; together the window is empty.
    reminders, problems = ReminderSettings.from_dict(
        {"quiet_from": "09:00", "quiet_until": "09:00"})
    assert reminders == ReminderSettings()
    assert problems == ["reminder settings reset to defaults: quiet hours must start and end "
                        "at different times"]
    settings, problems = Settings.from_dict({"bedtime": "07:30", "wake_time": "07:30"})
    assert settings == Settings()
    assert problems == ["settings reset to defaults: bedtime and wake time must differ"]


def test_reminder_settings_read_leniently_keep_good_values_sorted() -> None:
    reminders, problems = ReminderSettings.from_dict(
        {"water_days": [7, 1], "breathe_times": ["17:00", "09:00"], "version": 3})
    assert problems == []
    assert reminders.water_days == (1, 7)
    assert reminders.breathe_times == (time(9), time(17))


def problem_for(name: str, raw: object, section: str = "") -> str:
    data: dict[str, Any] = {name: raw}
    if section:
        _settings, problems = Settings.from_dict({section: data})
    else:
        _settings, problems = Settings.from_dict(data)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(("name", "raw", "section", "reason"), [
    ("paused_until", 5, "", "expected an ISO 8601 time or null"),
    ("paused_until", "2026-03-10T15:00:00+00:00" + " " * 20, "",
     "expected an ISO 8601 time or null"),
    ("paused_until", "2026-03-10T15:00", "", "the time needs a UTC offset"),
    ("water_days", "1,2", "reminders", "expected a short list"),
    ("water_days", [1] * 17, "reminders", "expected a short list"),
    ("caffeine_half_life_hours", True, "reminders", "expected a number"),
    ("caffeine_half_life_hours", "5", "reminders", "expected a number"),
    ("caffeine_half_life_hours", math.inf, "reminders", "expected a finite number"),
    ("sound", 1, "reminders", "expected true or false"),
    ("card_minutes", True, "reminders", "expected a whole number"),
    ("card_minutes", 2.0, "reminders", "expected a whole number"),
    ("bedtime", 2300, "", "expected HH:MM"),
    ("bedtime", "23:00:00.000", "", "expected HH:MM"),
    ("bedtime", "23:00:30", "", "expected HH:MM"),
    ("bedtime", "23:00+01:00", "", "expected HH:MM"),
    ("water_unit", 7, "", "expected a short text"),
    ("locale", "G" * 101, "", "expected a short text"),
])
def test_each_wrong_type_is_named(name: str, raw: object, section: str, reason: str) -> None:
    assert problem_for(name, raw, section).endswith(f" ignored: {reason}")


def test_values_of_the_right_type_are_read() -> None:
    settings, problems = Settings.from_dict({
        "paused_until": "2026-03-10T15:00:00+00:00", "bedtime": "23:30", "locale": "fr-CA",
        "reminders": {"caffeine_half_life_hours": 4, "sound": True, "card_minutes": 3,
                      "water_days": [], "stretch_days": [6, 7]}})
    assert problems == []
    assert settings.paused_until == datetime(2026, 3, 10, 15, tzinfo=UTC)
    assert settings.bedtime == time(23, 30)
    assert settings.reminders.caffeine_half_life_hours == 4.0
    assert isinstance(settings.reminders.caffeine_half_life_hours, float)
    assert settings.reminders.sound is True
    assert settings.reminders.card_minutes == 3
    assert settings.reminders.water_days == ()
    assert settings.reminders.stretch_days == (6, 7)
    assert Settings.from_dict({"paused_until": None}) == (Settings(), [])


def test_a_hostile_name_or_value_is_cut_short_in_the_problem_line() -> None:
    _settings, problems = Settings.from_dict({"x" * 1000: 1, "bedtime": "y" * 1000})
    assert problems[0] == f"unknown setting {repr('x' * 1000)[:60]} ignored"
    assert problems[1].startswith(f"setting 'bedtime'={repr('y' * 1000)[:60]} ignored: ")
    assert all(len(line) < 120 for line in problems)


def test_changed_keys_names_top_level_fields_and_each_reminder_field() -> None:
    import dataclasses

    from quell.core.settings import ReminderSettings, Settings, changed_keys

    old = Settings()
    assert changed_keys(old, old) == frozenset()
    assert changed_keys(old, dataclasses.replace(old, water_unit="oz")) == {"water_unit"}
    moved = dataclasses.replace(old, reminders=dataclasses.replace(
        old.reminders, water_every_minutes=45, quiet_hours=True), day_start_hour=5)
    assert changed_keys(old, moved) == {"reminders", "reminders.water_every_minutes",
                                        "reminders.quiet_hours", "day_start_hour"}
    # Changing a value back is no change.
    assert changed_keys(moved, dataclasses.replace(moved, reminders=ReminderSettings(),
                                                   day_start_hour=4)) == {
        "reminders", "reminders.water_every_minutes", "reminders.quiet_hours", "day_start_hour"}
    assert changed_keys(old, dataclasses.replace(moved, reminders=ReminderSettings(),
                                                 day_start_hour=4)) == frozenset()


# -- how long a value in the file may be -------------------------------------------------------


@pytest.mark.parametrize(("raw", "kept"), [
    ("2026-03-10T15:00:00.000000+00:00:00.0000", True),    # 40 characters
    ("2026-03-10T15:00:00.000000+00:00:00.00000", False),  # 41
])
def test_a_pause_in_the_file_is_at_most_40_characters(raw: str, kept: bool) -> None:
    read, problems = Settings.from_dict({"paused_until": raw})
    if kept:
        assert read.paused_until == datetime(2026, 3, 10, 15, 0, tzinfo=UTC) and problems == []
    else:
        assert read.paused_until is None
        assert len(problems) == 1 and problems[0].endswith("expected an ISO 8601 time or null")


@pytest.mark.parametrize(("raw", "kept"), [("22:30:00", True), ("T22:30:00", False)])
def test_a_clock_time_in_the_file_is_at_most_8_characters(raw: str, kept: bool) -> None:
    read, problems = Settings.from_dict({"bedtime": raw})
    if kept:
        assert read.bedtime == time(22, 30) and problems == []
    else:
        assert read.bedtime == Settings().bedtime
        assert len(problems) == 1 and problems[0].endswith("expected HH:MM")


@pytest.mark.parametrize(("count", "kept"), [(16, True), (17, False)])
def test_a_list_in_the_file_has_at_most_16_items(count: int, kept: bool) -> None:
    names = [f"app{n}" for n in range(count)]
    read, problems = ReminderSettings.from_dict({"meeting_apps": names})
    if kept:
        assert read.meeting_apps == tuple(names) and problems == []
    else:
        assert read.meeting_apps == ()
        assert len(problems) == 1 and problems[0].endswith("expected a short list")
