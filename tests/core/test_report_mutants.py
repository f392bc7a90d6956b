"""The doctor's report as a reader sees it: every heading, paragraph and table cell of the
page in order (markup details and styles aside), for a full period and for the edge cases a
mutation run found untested."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from quell.core.report import (
    answer_phrase,
    build_report,
    habit_sentence,
    level_label,
    recent_trigger_facts,
    report_html,
    summarize_habits,
)
from quell.core.triage import ANSWER_KEYS, TriageLevel, parse_answers
from quell.core.twitches import Twitch
from tests.core.test_report import TODAY, at, check, days_with


class Outline(HTMLParser):
    """The page as lines: 'h2: Habits', 'p: ...', 'row: cell | cell', 'li: ...'."""

    BLOCKS = frozenset({"h1", "h2", "h3", "p", "li", "th", "td"})

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self._row = []
        if tag in self.BLOCKS:
            self._open, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS and self._open == tag:
            text = "".join(self._text).strip()
            if self._row is not None and tag in ("th", "td"):
                self._row.append(text)
            else:
                self.lines.append(f"{tag}: {text}")
            self._open = None
        if tag == "tr" and self._row is not None:
            self.lines.append("row: " + " | ".join(self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def outline(page: str) -> list[str]:
    parser = Outline()
    parser.feed(page)
    return parser.lines


FIRST = TODAY - timedelta(days=9)


def full_report_page() -> str:
    twitches = [Twitch("calf", at(FIRST, 8), FIRST, "left", 2, "after <coffee>"),
                Twitch("calf", at(FIRST + timedelta(1), 9), FIRST + timedelta(1), "right", 4),
                Twitch("calf", at(FIRST + timedelta(2), 9), FIRST + timedelta(2), "right", 3),
                Twitch("eyelid", at(TODAY, 10), TODAY, "", 5),
                Twitch("calf", at(TODAY - timedelta(1), 2), TODAY - timedelta(2), "", 3)]
    checks = [check(TODAY - timedelta(3), {"twitch_duration": "over_3_months",
                                           "trigger_stress_anxiety": True}, check_id=1),
              check(TODAY, {"twitch_duration": "2_weeks_to_3_months"}, check_id=2, revises=1),
              check(TODAY - timedelta(1), {"sudden_face_droop": True}, check_id=3, hour=1,
                    minute=30)]
    summaries = days_with({0: [("caffeine", 350), ("water", 1500)], 1: [("sleep", 6.5)],
                           2: [("water", 2500)]}, count=10)
    report = build_report(FIRST, TODAY, made_at=at(TODAY, 15), twitches=twitches,
                          checks=checks, day_summaries=summaries)
    return report_html(report)


FULL = [
    "h1: Quell: twitch diary and symptom checks",
    "p: 1 Mar 2026 to 10 Mar 2026 (10 days). Made on 10 Mar 2026, 15:00.",
    "p: Kept by the patient in the Quell app. The symptom check suggests how soon to get help, "
    "from public NHS and NICE guidance; it is not a diagnosis.",
    "h2: Twitch diary",
    "p: 5 episodes on 5 of 10 days (0.5 a day on average).",
    "p: How strong, on a scale of 1 (barely noticeable) to 5 (very strong): 3.4 on average, "
    "strongest 5.",
    "h3: Where",
    "row: Body area | Episodes | ",
    "row: Calf | 4 | " + "█" * 28,
    "row: Eyelid | 1 | " + "█" * 7,
    "p: Side: not said 2, right 2, left 1.",
    "h3: Week by week",
    "row: Week from | Episodes | Average strength | ",
    "row: 1 Mar 2026 | 3 | 3 | " + "█" * 20,
    "row: 8 Mar 2026 (3 days) | 2 | 4 | " + "█" * 13,
    "h2: Symptom checks",
    "row: When | Result | What was reported",
    "row: 7 Mar 2026, 09:00 | Routine appointment | twitching in one area; for more than 3 "
    "months. Possible triggers: stress or anxiety",
    "row: 9 Mar 2026, 01:30 (after midnight) | Emergency: call now | sudden drooping of the "
    "face. The check stopped at the emergency questions.",
    "row: 10 Mar 2026, 09:00 | Routine appointment | Changed answers of the check at 7 Mar 2026, "
    "09:00 (then: Routine appointment). twitching in one area; for 2 weeks to 3 months",
    "h2: Habits",
    "p: Days with anything logged: 3 of 10.",
    "li: Water: logged on 2 days, 2,000 ml on those days on average; goal reached on 1 of them.",
    "li: Caffeine: 116.7 mg a day on average over 3 days; over the limit on 1 of them.",
    "li: Sleep: 6 h 30 min on 1 night logged; within the goal on 0, under it on 1, over it on 0.",
    "h2: Every episode",
    "row: When | Where | Strength | Note",
    "row: 1 Mar 2026, 08:00 | Calf (left) | 2 | after <coffee>",
    "row: 2 Mar 2026, 09:00 | Calf (right) | 4 | ",
    "row: 3 Mar 2026, 09:00 | Calf (right) | 3 | ",
    "row: 8 Mar 2026, 02:00 (after midnight) | Calf | 3 | ",
    "row: 10 Mar 2026, 10:00 | Eyelid | 5 | ",
]


def test_the_whole_page_as_a_reader_sees_it() -> None:
    assert outline(full_report_page()) == FULL


def test_the_page_is_one_escaped_html_document() -> None:
    page = full_report_page()
    assert page.startswith("<html><body>\n<h1>") and page.endswith("\n</body></html>")
    assert "after &lt;coffee&gt;" in page and "<coffee>" not in page
    assert page.count("<table ") == 4 and page.count("</table>") == 4
    assert page.count('<th align="left">') == 3 + 4 + 3 + 4


def diary_lines(twitches: list[Twitch], first: date, last: date) -> list[str]:
    report = build_report(first, last, made_at=at(last, 15), twitches=twitches, checks=[],
                          day_summaries=[])
    lines = outline(report_html(report))
    start = lines.index("h2: Twitch diary")
    end = lines.index("h2: Symptom checks")
    return lines[start + 1:end]


def test_one_day_one_episode_without_a_side() -> None:
    lines = diary_lines([Twitch("eyelid", at(TODAY, 9), TODAY, "", 1)], TODAY, TODAY)
    assert lines == [
        "p: 1 episode on 1 of 1 day (1 a day on average).",
        "p: How strong, on a scale of 1 (barely noticeable) to 5 (very strong): 1 on average, "
        "strongest 1.",
        "h3: Where",
        "row: Body area | Episodes | ",
        "row: Eyelid | 1 | " + "█" * 28,
        "h3: Week by week",
        "row: Week from | Episodes | Average strength | ",
        "row: 10 Mar 2026 (1 day) | 1 | 1 | " + "█" * 20,
    ]


def test_a_quiet_week_has_no_strength_and_no_bar() -> None:
    monday = date(2026, 3, 2)
    twitches = [Twitch("calf", at(monday + timedelta(7), 9), monday + timedelta(7))]
    lines = diary_lines(twitches, monday, monday + timedelta(13))
    assert "row: 2 Mar 2026 | 0 | – | " in lines
    assert "row: 9 Mar 2026 | 1 | 3 | " + "█" * 20 in lines


def trend_of(early: int, late: int) -> list[str]:
    first = TODAY - timedelta(days=13)
    twitches = ([Twitch("calf", at(first + timedelta(i % 7), 9), first + timedelta(i % 7))
                 for i in range(early)]
                + [Twitch("calf", at(first + timedelta(7 + i % 7), 9), first + timedelta(7 + i % 7))
                   for i in range(late)])
    return [line for line in diary_lines(twitches, first, TODAY) if "frequent" in line]


def test_the_trend_sentence() -> None:
    assert trend_of(2, 6) == ["p: Episodes were more frequent in the second half of the period "
                              "than in the first."]
    assert trend_of(6, 2) == ["p: Episodes were less frequent in the second half of the period "
                              "than in the first."]
    assert trend_of(4, 4) == ["p: Episodes were about as frequent in the second half of the "
                              "period as in the first."]
    assert trend_of(1, 2) == []  # too few episodes to say


def test_a_one_day_report_and_its_empty_sections() -> None:
    report = build_report(TODAY, TODAY, made_at=at(TODAY, 9), twitches=[], checks=[],
                          day_summaries=[])
    assert outline(report_html(report))[1:] == [
        "p: 10 Mar 2026 to 10 Mar 2026 (1 day). Made on 10 Mar 2026, 09:00.",
        "p: Kept by the patient in the Quell app. The symptom check suggests how soon to get "
        "help, from public NHS and NICE guidance; it is not a diagnosis.",
        "h2: Twitch diary",
        "p: No twitches were logged in this period.",
        "h2: Symptom checks",
        "p: No symptom checks were done in this period.",
        "h2: Habits",
        "p: No habits were logged in this period.",
    ]


def test_a_long_diary_lists_only_the_latest_episodes() -> None:
    from quell.core.report import EPISODES_LISTED

    first = TODAY - timedelta(days=EPISODES_LISTED)
    twitches = [Twitch("calf", at(first + timedelta(n), 9), first + timedelta(n))
                for n in range(EPISODES_LISTED + 1)]
    report = build_report(first, TODAY, made_at=at(TODAY), twitches=twitches, checks=[],
                          day_summaries=[])
    lines = outline(report_html(report))
    start = lines.index("h2: Every episode")
    assert lines[start + 1] == f"p: The last {EPISODES_LISTED} of {EPISODES_LISTED + 1} episodes."
    rows = [line for line in lines[start:] if line.startswith("row: ")]
    assert len(rows) == EPISODES_LISTED + 1  # the header and the latest episodes
    assert rows[1].startswith(f"row: {(first + timedelta(1)).strftime('%d %b %Y').lstrip('0')}")


# The words a doctor reads for every answer the check can record ("no" and "normal" say nothing).
PHRASES = [
    ('sudden_face_droop', True, 'sudden drooping of the face'),
    ('sudden_other_neuro', True,
     'sudden vision loss or double vision, severe headache, confusion or loss of '
     'balance'),
    ('speech', 'normal', None),
    ('speech', 'gradual_change', 'speech changing gradually'),
    ('speech', 'sudden_change', 'sudden change in speech'),
    ('swallowing', 'normal', None),
    ('swallowing', 'gradual_difficulty', 'swallowing gradually harder'),
    ('swallowing', 'sudden_difficulty', 'sudden difficulty swallowing'),
    ('swallowing', 'choking_or_cannot_swallow', 'choking, or cannot swallow'),
    ('breathing', 'normal', None),
    ('breathing', 'breathless_on_exertion', 'short of breath when active'),
    ('breathing', 'breathless_lying_flat', 'short of breath when lying flat'),
    ('breathing', 'breathless_at_rest', 'short of breath at rest'),
    ('breathing', 'struggling_to_breathe', 'struggling to breathe'),
    ('weakness', 'none', None),
    ('weakness', 'sudden', 'sudden weakness'),
    ('weakness', 'worsening_over_days', 'weakness getting worse over days'),
    ('weakness', 'gradual_weeks_to_months', 'weakness building up over weeks or months'),
    ('weakness', 'after_exercise_improving', 'weakness after exercise, getting better'),
    ('numbness', 'none', None),
    ('numbness', 'stable_or_comes_and_goes',
     'numbness or tingling that stays the same or comes and goes'),
    ('numbness', 'spreading_over_days', 'numbness spreading over days'),
    ('numbness', 'sudden_one_side', 'sudden numbness on one side'),
    ('saddle_numbness_or_bladder_bowel_change', True,
     'numbness around the bottom or genitals, or a change in bladder or bowel control'),
    ('twitch_location', 'single_area', 'twitching in one area'),
    ('twitch_location', 'eyelid_only', 'twitching of the eyelid only'),
    ('twitch_location', 'multiple_or_migrating',
     'twitching in more than one place, or moving around'),
    ('twitch_duration', 'under_2_weeks', 'for less than 2 weeks'),
    ('twitch_duration', '2_weeks_to_3_months', 'for 2 weeks to 3 months'),
    ('twitch_duration', 'over_3_months', 'for more than 3 months'),
    ('doctor_checked_no_change', True, 'already examined by a doctor, nothing new since'),
    ('tongue_twitching', True, 'tongue twitching'),
    ('eyes_forced_shut', True, 'eyelid spasms that squeeze the eyes shut'),
    ('muscle_wasting', True, 'muscle wasting (a muscle looks thinner or hollow)'),
    ('dark_urine_or_extreme_muscle_pain', True, 'dark urine or extreme muscle pain'),
    ('cramps', 'none', None),
    ('cramps', 'occasional', 'occasional cramps'),
    ('cramps', 'frequent_or_disturbing_sleep', 'frequent cramps, or cramps that disturb sleep'),
    ('unintentional_weight_loss', True, 'weight loss without trying'),
    ('muscle_stiffness', True, 'stiff or tight muscles'),
    ('eyelid_droop_or_double_vision', True, 'drooping eyelid or double vision that comes and goes'),
    ('emotional_or_behaviour_change', True,
     'changes in mood or behaviour (laughing or crying that is hard to control)'),
    ('family_history_mnd', True, 'family history of motor neurone disease (MND/ALS)'),
    ('trigger_stress_anxiety', True, 'stress or anxiety'),
    ('trigger_caffeine_stimulants', True, 'caffeine or other stimulants'),
    ('trigger_nicotine_alcohol', True, 'nicotine or alcohol'),
    ('trigger_hard_exercise', True, 'hard exercise'),
    ('trigger_poor_sleep', True, 'poor sleep'),
    ('trigger_dehydration_illness', True, 'dehydration or illness'),
    ('suspects_medication', True, 'a medicine may be playing a part'),
]


@pytest.mark.parametrize(("name", "value", "phrase"), PHRASES)
def test_every_answer_in_a_doctors_words(name: str, value: str | bool,
                                         phrase: str | None) -> None:
    assert answer_phrase(name, value) == phrase


def test_every_answer_is_in_the_table() -> None:
    named = {(name, value) for name, value, _phrase in PHRASES}
    for name, key in ANSWER_KEYS.items():
        for value in ((True,) if key.is_bool else key.values):
            assert (name, value) in named, (name, value)


@pytest.mark.parametrize(("level", "label"), [
    (TriageLevel.EMERGENCY, 'Emergency: call now'),
    (TriageLevel.URGENT_SAME_DAY, 'Medical help today'),
    (TriageLevel.PROMPT, 'Doctor within days'),
    (TriageLevel.ROUTINE, 'Routine appointment'),
    (TriageLevel.SELF_CARE, 'Self-care'),
])
def test_every_level_label(level: TriageLevel, label: str) -> None:
    assert level_label(level) == label


def test_facts_over_a_single_day_say_the_last_1_day() -> None:
    answers = parse_answers({"trigger_hard_exercise": True})
    one = days_with({0: [("exercise", 30)]}, count=1)
    assert recent_trigger_facts(answers, one) == ("You logged hard exercise on 1 of the last 1 "
                                                  "day.",)


def test_seven_hours_of_sleep_is_not_short() -> None:
    answers = parse_answers({"trigger_poor_sleep": True})
    assert recent_trigger_facts(answers, days_with({1: [("sleep", 7)]})) == (
        "You slept 7 hours or more on the 1 night you logged in the last 7 days (7 h).",)
    assert recent_trigger_facts(answers, days_with({1: [("sleep", 7.5)], 2: [("sleep", 6.5)]})) == (
        "You slept under 7 hours on 1 of the 2 nights you logged in the last 7 days (7 h on "
        "average).",)


def test_twitches_without_any_days_say_nothing() -> None:
    answers = parse_answers({"trigger_poor_sleep": True})
    assert recent_trigger_facts(answers, [], [Twitch("calf", at(TODAY), TODAY)]) == ()


def test_the_first_day_of_the_period_counts_and_the_water_unit_is_used() -> None:
    first = TODAY - timedelta(days=2)
    summaries = days_with({2: [("water", 500)]}, count=3)
    report = build_report(first, TODAY, made_at=at(TODAY), twitches=[], checks=[],
                          day_summaries=summaries, water_unit="fl_oz")
    assert "li: Water: logged on 1 day, 16.9 fl oz; days with the goal reached: 0." in outline(
        report_html(report))


def test_stress_four_counts_as_high() -> None:
    periods = summarize_habits(days_with({0: [("stress", 4)], 1: [("stress", 3)]}, count=2))
    assert [habit_sentence(p) for p in periods] == [
        "Stress: rated on 2 days, 3.5 / 5 on average; 4 or 5 on 1 of them."]


def test_a_period_in_the_wrong_order_names_both_days() -> None:
    from quell.core.errors import InputError

    with pytest.raises(InputError) as caught:
        build_report(TODAY, TODAY - timedelta(days=1), made_at=at(TODAY), twitches=[],
                     checks=[], day_summaries=[])
    assert str(caught.value) == (
        "the report period ends (2026-03-09) before it starts (2026-03-10)")
