"""The report for the doctor, and the plain words for symptom checks it and the history share."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from quell.core import formatting
from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.habits import HABIT_KEYS, Direction, Habit, Kind, Trigger, TriggerRule
from quell.core.i18n import _, ngettext
from quell.core.insights import judge_day
from quell.core.summary import DaySummary, HabitProgress, Status
from quell.core.triage import ANSWER_KEYS, AnswerGroup, Answers, TriageLevel
from quell.core.twitches import (
    Twitch,
    TwitchSummary,
    area_label,
    side_label,
    summarize_twitches,
)

# --- symptom checks --------------------------------------------------------------------------


@dataclass(frozen=True)
class SymptomCheck:
    """One completed symptom check as kept in history: the answers and what they gave then.

    The level and reasons are stored, not recomputed, so history shows what the user was told.
    ``day`` is the Quell day it was made on (``core.days.day_of``), the day every report and
    list files it under. A check made by changing the answers of an earlier one is a new check;
    ``revises`` is the id of the one it changed, which is kept as it was.
    """

    at: datetime
    day: date
    answers: Answers
    level: TriageLevel
    reasons: tuple[str, ...]
    app_version: str = ""
    id: int | None = None
    revises: int | None = None

    @property
    def stopped_early(self) -> bool:
        """Whether the check stopped at the emergency screen, so later questions were not asked.

        Only an emergency stops it; with every later answer still at its default, they were
        (almost surely) never shown, and must not be reported as answered.
        """
        return self.level is TriageLevel.EMERGENCY and all(
            getattr(self.answers, name) == key.default
            for name, key in ANSWER_KEYS.items() if key.group is not AnswerGroup.EMERGENCY_SCREEN)

    def reported(self) -> tuple[str, ...]:
        """What was reported, leaving out questions an early stop never asked."""
        return reported_symptoms(self.answers, screen_only=self.stopped_early)


def revision_note(check: SymptomCheck, revised: SymptomCheck | None,
                  clock_text: Callable[[datetime], str] | None = None) -> str:
    """'Changed answers of the check at 14:02 (then: Emergency: call now).' for a revision.

    *clock_text* formats a time (a window passes the user's locale format; default 14:02).
    """
    if revised is None:
        return _("Changed answers of an earlier check.")
    clock = clock_text(revised.at) if clock_text is not None else revised.at.strftime("%H:%M")
    if revised.day == check.day:
        when = clock
    else:
        when = _("{day}, {time}").format(day=_day(revised.day), time=clock)
    return _("Changed answers of the check at {when} (then: {level}).").format(
        when=when, level=level_label(revised.level))


def level_label(level: TriageLevel) -> str:
    """A short name for a result, for lists and the report ('Same day')."""
    texts = {
        TriageLevel.EMERGENCY: _("Emergency: call now"),
        TriageLevel.URGENT_SAME_DAY: _("Medical help today"),
        TriageLevel.PROMPT: _("Doctor within days"),
        TriageLevel.ROUTINE: _("Routine appointment"),
        TriageLevel.SELF_CARE: _("Self-care"),
    }
    return texts[level]


# Keys whose value is worth saying even at its default: where and how long the twitching is.
_ALWAYS_SAID = ("twitch_location", "twitch_duration")
_TRIGGERS = ("trigger_stress_anxiety", "trigger_caffeine_stimulants",
             "trigger_nicotine_alcohol", "trigger_hard_exercise", "trigger_poor_sleep",
             "trigger_dehydration_illness")


def answer_phrase(name: str, value: str | bool) -> str | None:
    """A few words for one answer as a doctor would read it; None for "no" and "normal".

    Raises KeyError for a name that is not an answer key.
    """
    key = ANSWER_KEYS[name]
    if value == key.default and name not in _ALWAYS_SAID:
        return None
    if isinstance(value, bool):
        return _yes_phrase(name)
    return _choice_phrase(name, value)


def _yes_phrase(name: str) -> str:
    texts = {
        "sudden_face_droop": _("sudden drooping of the face"),
        "sudden_other_neuro": _("sudden vision loss or double vision, severe headache, "
                                "confusion or loss of balance"),
        "saddle_numbness_or_bladder_bowel_change": _(
            "numbness around the bottom or genitals, or a change in bladder or bowel control"),
        "doctor_checked_no_change": _("already examined by a doctor, nothing new since"),
        "tongue_twitching": _("tongue twitching"),
        "eyes_forced_shut": _("eyelid spasms that squeeze the eyes shut"),
        "muscle_wasting": _("muscle wasting (a muscle looks thinner or hollow)"),
        "dark_urine_or_extreme_muscle_pain": _("dark urine or extreme muscle pain"),
        "unintentional_weight_loss": _("weight loss without trying"),
        "muscle_stiffness": _("stiff or tight muscles"),
        "eyelid_droop_or_double_vision": _("drooping eyelid or double vision that comes and goes"),
        "emotional_or_behaviour_change": _("changes in mood or behaviour (laughing or crying "
                                           "that is hard to control)"),
        "family_history_mnd": _("family history of motor neurone disease (MND/ALS)"),
        "trigger_stress_anxiety": _("stress or anxiety"),
        "trigger_caffeine_stimulants": _("caffeine or other stimulants"),
        "trigger_nicotine_alcohol": _("nicotine or alcohol"),
        "trigger_hard_exercise": _("hard exercise"),
        "trigger_poor_sleep": _("poor sleep"),
        "trigger_dehydration_illness": _("dehydration or illness"),
        "suspects_medication": _("a medicine may be playing a part"),
    }
    return texts[name]


def _choice_phrase(name: str, value: str) -> str:
    texts = {
        ("twitch_location", "single_area"): _("twitching in one area"),
        ("twitch_location", "eyelid_only"): _("twitching of the eyelid only"),
        ("twitch_location", "multiple_or_migrating"): _(
            "twitching in more than one place, or moving around"),
        ("twitch_duration", "under_2_weeks"): _("for less than 2 weeks"),
        ("twitch_duration", "2_weeks_to_3_months"): _("for 2 weeks to 3 months"),
        ("twitch_duration", "over_3_months"): _("for more than 3 months"),
        ("speech", "gradual_change"): _("speech changing gradually"),
        ("speech", "sudden_change"): _("sudden change in speech"),
        ("swallowing", "gradual_difficulty"): _("swallowing gradually harder"),
        ("swallowing", "sudden_difficulty"): _("sudden difficulty swallowing"),
        ("swallowing", "choking_or_cannot_swallow"): _("choking, or cannot swallow"),
        ("breathing", "breathless_on_exertion"): _("short of breath when active"),
        ("breathing", "breathless_lying_flat"): _("short of breath when lying flat"),
        ("breathing", "breathless_at_rest"): _("short of breath at rest"),
        ("breathing", "struggling_to_breathe"): _("struggling to breathe"),
        ("weakness", "sudden"): _("sudden weakness"),
        ("weakness", "worsening_over_days"): _("weakness getting worse over days"),
        ("weakness", "gradual_weeks_to_months"): _("weakness building up over weeks or months"),
        ("weakness", "after_exercise_improving"): _("weakness after exercise, getting better"),
        ("numbness", "stable_or_comes_and_goes"): _(
            "numbness or tingling that stays the same or comes and goes"),
        ("numbness", "spreading_over_days"): _("numbness spreading over days"),
        ("numbness", "sudden_one_side"): _("sudden numbness on one side"),
        ("cramps", "occasional"): _("occasional cramps"),
        ("cramps", "frequent_or_disturbing_sleep"): _("frequent cramps, or cramps that disturb "
                                                       "sleep"),
    }
    return texts[(name, value)]


def reported_symptoms(answers: Answers, *, screen_only: bool = False) -> tuple[str, ...]:
    """What the user reported, in questionnaire order, without the triggers they named.

    With *screen_only*, only the emergency screen's answers (the check stopped there).
    """
    phrases = []
    for name, key in ANSWER_KEYS.items():
        if name in _TRIGGERS:
            continue
        if screen_only and key.group is not AnswerGroup.EMERGENCY_SCREEN:
            continue
        phrase = answer_phrase(name, getattr(answers, name))
        if phrase is not None:
            phrases.append(phrase)
    return tuple(phrases)


def named_triggers(answers: Answers) -> tuple[str, ...]:
    """The possible triggers the user answered yes to."""
    return tuple(_yes_phrase(name) for name in _TRIGGERS if getattr(answers, name))


def changed_answers(before: Answers, after: Answers) -> tuple[tuple[str, str | None, str | None],
                                                              ...]:
    """(answer name, phrase before, phrase after) for every answer that differs, in order.

    A phrase is None where the answer was "no"/"normal"; for comparing two checks over time.
    """
    changes = []
    for name in ANSWER_KEYS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append((name, _phrase_or_none(name, old), _phrase_or_none(name, new)))
    return tuple(changes)


def _phrase_or_none(name: str, value: str | bool) -> str | None:
    if value == ANSWER_KEYS[name].default:
        return None if name not in _ALWAYS_SAID else answer_phrase(name, value)
    return answer_phrase(name, value)


# --- habits over a period ----------------------------------------------------------------------


@dataclass(frozen=True)
class HabitPeriod:
    """One habit over a period: on how many days it was logged and how those days went.

    ``days_considered`` are days with any entry at all. Caffeine and nicotine (at-most habits)
    count every considered day, no entry meaning none taken; the rest count only days on which
    they were logged. ``average`` is the mean day total over the days counted.
    """

    habit: Habit
    days_considered: int
    days_logged: int
    days_counted: int
    average: float | None
    days_met: int
    days_over: int
    days_under: int
    high_stress_days: int = 0


def summarize_habits(day_summaries: Sequence[DaySummary]) -> tuple[HabitPeriod, ...]:
    """Each habit that was logged at least once in *day_summaries*, in Quell's habit order
    (the built-ins', then the user's own as the days list them)."""
    considered = [s for s in day_summaries if any(p.entries for p in s.habits)]
    specs: dict[str, Habit] = {}
    for summary in considered:
        for shown in summary.habits:
            specs.setdefault(shown.habit.key, shown.habit)
    builtin_order = {key: index for index, key in enumerate(HABIT_KEYS)}
    ordered = sorted(specs.values(), key=lambda h: builtin_order.get(h.key, len(builtin_order)))
    periods = []
    for spec in ordered:
        progress = [p for s in considered if (p := s.get(spec.key)) is not None]
        logged = [p for p in progress if p.entries]
        if not logged:
            continue
        counted = progress if spec.direction is Direction.AT_MOST else logged
        totals = [p.total or 0.0 for p in counted]
        periods.append(HabitPeriod(
            habit=spec,
            days_considered=len(considered),
            days_logged=len(logged),
            days_counted=len(counted),
            average=sum(totals) / len(totals) if totals else None,
            days_met=_count(counted, Status.MET),
            days_over=_count(counted, Status.OVER),
            days_under=_count(counted, Status.UNDER, Status.ON_THE_WAY),
            high_stress_days=_rated_high(spec, logged),
        ))
    return tuple(periods)


def _high_rating(spec: Habit) -> Trigger | None:
    """A rating habit's trigger of a rating at its threshold or more (stress 4-5), if any."""
    trigger = spec.trigger
    if spec.kind is Kind.RATING and trigger is not None and (
            trigger.rule is TriggerRule.AT_LEAST):
        return trigger
    return None


def _rated_high(spec: Habit, logged: Sequence[HabitProgress]) -> int:
    trigger = _high_rating(spec)
    if trigger is None:
        return 0
    return sum(1 for p in logged if judge_day(trigger, p.total, None))


def _count(progress: Iterable[HabitProgress], *statuses: Status) -> int:
    return sum(1 for p in progress if p.status in statuses)


def habit_sentence(period: HabitPeriod, water_unit: str = "ml") -> str:
    """One line for the report: 'Caffeine: 240 mg a day on average; over the limit on 4 of
    14 days.'"""
    spec = period.habit
    average = formatting.amount(spec, period.average or 0.0, water_unit)
    name = spec.label
    if _high_rating(spec) is not None:
        return ngettext(
            "{habit}: rated on {n} day, {avg}.",
            "{habit}: rated on {n} days, {avg} on average; 4 or 5 on {high} of them.",
            period.days_logged).format(habit=name, n=period.days_logged, avg=average,
                                       high=period.high_stress_days)
    if spec.direction is Direction.AT_MOST:
        return ngettext(
            "{habit}: {avg} on {n} day; days over the limit: {over}.",
            "{habit}: {avg} a day on average over {n} days; over the limit on {over} of them.",
            period.days_counted).format(habit=name, avg=average, n=period.days_counted,
                                        over=period.days_over)
    if spec.direction is Direction.RANGE:
        return ngettext(
            "{habit}: {avg} on {n} night logged; within the goal on {met}, under it on "
            "{under}, over it on {over}.",
            "{habit}: {avg} a night on average over {n} nights logged; within the goal on "
            "{met}, under it on {under}, over it on {over}.",
            period.days_logged).format(habit=name, avg=average, n=period.days_logged,
                                       met=period.days_met, under=period.days_under,
                                       over=period.days_over)
    if spec.direction is Direction.AT_LEAST:
        return ngettext(
            "{habit}: logged on {n} day, {avg}; days with the goal reached: {met}.",
            "{habit}: logged on {n} days, {avg} on those days on average; goal reached on "
            "{met} of them.",
            period.days_logged).format(habit=name, n=period.days_logged, avg=average,
                                       met=period.days_met)
    if spec.kind is Kind.RATING:
        return ngettext("{habit}: rated on {n} day, {avg}.",
                        "{habit}: rated on {n} days, {avg} on average.",
                        period.days_logged).format(habit=name, n=period.days_logged, avg=average)
    return ngettext("{habit}: logged on {n} day, {avg}.",
                    "{habit}: logged on {n} days, {avg} on those days on average.",
                    period.days_logged).format(habit=name, n=period.days_logged, avg=average)


# --- the user's own recent data, for the self-care advice --------------------------------------


@dataclass(frozen=True)
class _FactWords:
    """How the facts about one trigger over the recent days are worded.

    In the texts ``{habit}`` is the habit's name in lower case and ``{Habit}`` capitalised;
    ``{n}`` the days counted, ``{m}`` the days the habit was logged, ``{last}`` the period
    ("the last 7 days"), ``{avg}`` the mean total over the days logged and ``{limit}`` the
    trigger's threshold. ``{n}`` counts the logged days with the trigger, or those without it
    when ``count_without`` (water: the days the goal was reached). Each pair is (the text when
    ``{n}`` is not 0, when it is) except ``some`` and ``none``: (singular, plural) by ``{m}``.

    ``every``: when the habit was logged on every day of the period; ``one``: on 1 day; ``none``
    (optional): on more days, none of them counted; ``some``: on more days.
    """

    one: tuple[str, str]
    some: tuple[str, str]
    every: tuple[str, str] | None = None
    none: tuple[str, str] | None = None
    count_without: bool = False


_RULE_FACTS: dict[TriggerRule, _FactWords] = {
    TriggerRule.OVER_TARGET: _FactWords(
        one=("{Habit} was over your limit on the 1 day you logged it in {last}.",
             "Your {habit} stayed within your limit on the 1 day you logged it in {last}."),
        some=("{Habit} was over your limit on the {m} day you logged it in {last}.",
              "{Habit} was over your limit on {n} of the {m} days you logged it in {last}."),
        every=("{Habit} was over your limit on {n} of {last}.",
               "Your {habit} stayed within your limit on each of {last}."),
        none=("Your {habit} stayed within your limit on the {m} day you logged it in {last}.",
              "Your {habit} stayed within your limit on each of the {m} days you logged it in "
              "{last}.")),
    TriggerRule.UNDER_TARGET: _FactWords(
        one=("You reached your {habit} goal on the 1 day you logged {habit} in {last}.",
             "You were under your {habit} goal on the 1 day you logged {habit} in {last}."),
        some=("You reached your {habit} goal on {n} of the {m} day you logged {habit} in "
              "{last}.",
              "You reached your {habit} goal on {n} of the {m} days you logged {habit} in "
              "{last}."),
        count_without=True),
    TriggerRule.OUTSIDE_RANGE: _FactWords(
        one=("Your {habit} was outside your range on the 1 day you logged it in {last}.",
             "Your {habit} was within your range on the 1 day you logged it in {last}."),
        some=("Your {habit} was outside your range on {n} of the {m} day you logged it in "
              "{last}.",
              "Your {habit} was outside your range on {n} of the {m} days you logged it in "
              "{last}.")),
    TriggerRule.BELOW: _FactWords(
        one=("Your {habit} was under {limit} on the 1 day you logged it in {last} ({avg}).",
             "Your {habit} was {limit} or more on the 1 day you logged it in {last} ({avg})."),
        some=("Your {habit} was under {limit} on {n} of the {m} day you logged it in {last} "
              "({avg} on average).",
              "Your {habit} was under {limit} on {n} of the {m} days you logged it in {last} "
              "({avg} on average).")),
    TriggerRule.AT_LEAST: _FactWords(
        one=("Your {habit} was {limit} or more on the 1 day you logged it in {last}.",
             "Your {habit} was under {limit} on the 1 day you logged it in {last}."),
        some=("Your {habit} was {limit} or more on {n} of the {m} day you logged it in {last}.",
              "Your {habit} was {limit} or more on {n} of the {m} days you logged it in "
              "{last}.")),
    TriggerRule.ANY: _FactWords(
        one=("You logged {habit} on {n} of {last}.", "You logged {habit} on {n} of {last}."),
        some=("You logged {habit} on {n} of {last}.", "You logged {habit} on {n} of {last}.")),
    TriggerRule.NONE: _FactWords(
        one=("You logged {habit} on {n} of {last}.", "You logged {habit} on {n} of {last}."),
        some=("You logged {habit} on {n} of {last}.", "You logged {habit} on {n} of {last}."),
        count_without=True),
}

# Built-in triggers whose facts read better in their own words than in their rule's.
_OWN_FACTS: dict[str, _FactWords] = {
    "short_sleep": _FactWords(
        one=("You slept under 7 hours on the 1 night you logged in {last} ({avg}).",
             "You slept 7 hours or more on the 1 night you logged in {last} ({avg})."),
        some=("You slept under 7 hours on {n} of the {m} night you logged in {last} ({avg} on "
              "average).",
              "You slept under 7 hours on {n} of the {m} nights you logged in {last} ({avg} on "
              "average).")),
    "high_stress": _FactWords(
        one=("You rated your stress 4 or 5 on the 1 day you rated it in {last}.",
             "You rated your stress under 4 on the 1 day you rated it in {last}."),
        some=("You rated your stress 4 or 5 on {n} of the {m} day you rated it in {last}.",
              "You rated your stress 4 or 5 on {n} of the {m} days you rated it in {last}.")),
}

# The possible triggers a symptom check asks about, and the habits (by key) whose log bears on
# each, in the order the facts are said. A user habit of such a key is included.
_NAMED_HABITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trigger_caffeine_stimulants", ("caffeine",)),
    ("trigger_poor_sleep", ("sleep",)),
    ("trigger_stress_anxiety", ("stress",)),
    ("trigger_dehydration_illness", ("water",)),
    ("trigger_hard_exercise", ("exercise",)),
    ("trigger_nicotine_alcohol", ("nicotine", "alcohol")),
)


def recent_trigger_facts(answers: Answers, day_summaries: Sequence[DaySummary],
                         twitches: Sequence[Twitch] = ()) -> tuple[str, ...]:
    """Sentences from the user's own log that bear on the triggers they named.

    *day_summaries* are the recent days (the wizard passes the last 7, today included) and
    *twitches* the diary over the same days. A fact is said only when there is data behind it;
    each habit's days are judged by its insight trigger (rule and threshold from its definition).
    """
    days = len(day_summaries)
    facts: list[str] = []
    # Every claim names how many days have data behind it, never more than were logged.
    period = ngettext("the last {days} day", "the last {days} days", days).format(days=days)
    for answer, keys in _NAMED_HABITS:
        if not getattr(answers, answer):
            continue
        for key in keys:
            logged = [p for s in day_summaries if (p := s.get(key)) is not None and p.entries]
            if logged and (fact := _habit_fact(logged, days, period)):
                facts.append(fact)
    if twitches and day_summaries:
        first = min(s.day for s in day_summaries)
        last = max(s.day for s in day_summaries)
        diary = summarize_twitches(twitches, first, last)
        if diary.episodes and diary.main_area is not None:
            facts.append(ngettext(
                "Your diary has {n} twitch in {last}, in the {area}.",
                "Your diary has {n} twitches in {last}, most often in the {area}.",
                diary.episodes).format(n=diary.episodes, last=period,
                                       area=area_label(diary.main_area).lower()))
    return tuple(facts)


def _judged(progress: HabitProgress, trigger: Trigger) -> bool | None:
    """The day of *progress* judged by *trigger*, against the target in force that day."""
    target = Target(progress.habit.key, progress.target, progress.target_max, date.min)
    return judge_day(trigger, progress.total, target)


def _habit_fact(logged: Sequence[HabitProgress], days: int, period: str) -> str | None:
    """One fact about a habit over the days it was logged (None: it feeds no trigger)."""
    spec = logged[0].habit
    trigger = spec.trigger
    if trigger is None:
        return None
    words = _OWN_FACTS.get(trigger.key) if spec.builtin else None
    words = words or _RULE_FACTS[trigger.rule]
    verdicts = [_judged(p, trigger) for p in logged]
    n = verdicts.count(False) if words.count_without else verdicts.count(True)
    m = len(logged)
    if words.every is not None and m == days:
        text = words.every[0 if n else 1]
    elif m == 1:
        text = words.one[0 if n else 1]
    elif words.none is not None and not n:
        text = ngettext(*words.none, m)
    else:
        text = ngettext(*words.some, m)
    name = spec.label
    mean = sum(p.total or 0.0 for p in logged) / m
    limit = (formatting.amount(spec, trigger.threshold) if trigger.threshold is not None
             else "")
    return text.format(habit=name.lower(), Habit=name[:1].upper() + name[1:], n=n, m=m,
                       last=period, avg=formatting.amount(spec, mean), limit=limit)


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Everything the doctor's report says, for one period of Quell days."""

    first_day: date
    last_day: date
    made_at: datetime
    diary: TwitchSummary
    episodes: tuple[Twitch, ...]
    checks: tuple[SymptomCheck, ...]
    habits: tuple[HabitPeriod, ...]
    water_unit: str = "ml"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


# A list of every episode helps a doctor read the diary; beyond this many it stops helping.
EPISODES_LISTED = 150


def build_report(first_day: date, last_day: date, *, made_at: datetime,
                 twitches: Iterable[Twitch], checks: Iterable[SymptomCheck],
                 day_summaries: Sequence[DaySummary], water_unit: str = "ml") -> Report:
    """The report for Quell days *first_day*..*last_day*; data outside them is left out.

    Checks are placed by their Quell day, like everything else.
    """
    if last_day < first_day:
        raise InputError(_("the report period ends ({end}) before it starts ({start})").format(
            end=last_day.isoformat(), start=first_day.isoformat()))
    episodes = tuple(sorted((t for t in twitches if first_day <= t.day <= last_day),
                            key=lambda t: t.at))
    in_period = tuple(sorted((c for c in checks if first_day <= c.day <= last_day),
                             key=lambda c: c.at))
    days = [s for s in day_summaries if first_day <= s.day <= last_day]
    return Report(first_day, last_day, made_at, summarize_twitches(episodes, first_day, last_day),
                  episodes, in_period, summarize_habits(days), water_unit)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _day(day: date) -> str:
    return day.strftime("%d %b %Y").lstrip("0")


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M").lstrip("0")


def _when_on_day(moment: datetime, day: date) -> str:
    """Filed under its Quell day: '9 Mar 2026, 03:48 (after midnight)'."""
    return f"{_day(day)}, {formatting.time_on_day(moment.strftime('%H:%M'), moment, day)}"


def _week_start(start: date, days: int) -> str:
    """The week's first day, with its length when the period cuts it short."""
    if days == 7:
        return _day(start)
    return ngettext("{day} ({n} day)", "{day} ({n} days)", days).format(day=_day(start), n=days)


def _number(value: float) -> str:
    return formatting.number(value, 1)


_BAR_WIDTH = 28
# The week table has one column more, so its bars are shorter to stay on one line.
_WEEK_BAR_WIDTH = 20


def _bar(count: int, largest: int, width: int = _BAR_WIDTH) -> str:
    if count <= 0 or largest <= 0:
        return ""
    return "█" * max(1, round(width * count / largest))


def _bar_html(count: int, largest: int, width: int = _BAR_WIDTH) -> str:
    return f'<span style="color: #8a8a8a;">{_bar(count, largest, width)}</span>'


def report_html(report: Report) -> str:
    """The report as HTML for Qt's rich text (QTextDocument), ready to print to PDF."""
    parts = [
        "<html><body>",
        f"<h1>{_e(_('Quell: twitch diary and symptom checks'))}</h1>",
        "<p>" + _e(ngettext("{first} to {last} ({days} day). Made on {made}.",
                            "{first} to {last} ({days} days). Made on {made}.",
                            report.days).format(
            first=_day(report.first_day), last=_day(report.last_day), days=report.days,
            made=_when(report.made_at))) + "</p>",
        '<p><i>' + _e(_(
            "Kept by the patient in the Quell app. The symptom check suggests how soon to get "
            "help, from public NHS and NICE guidance; it is not a diagnosis.")) + "</i></p>",
    ]
    parts.extend(_diary_html(report))
    parts.extend(_checks_html(report))
    parts.extend(_habits_html(report))
    parts.extend(_episodes_html(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, raw: bool = False) -> str:
    """A simple ruled table; cells are escaped unless *raw*."""
    cells = "".join(f'<th align="left">{_e(h)}</th>' for h in header)
    body = []
    for row in rows:
        body.append("<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in row) + "</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="4" width="100%" '
            'style="border-collapse: collapse; border-color: #999999;">'
            f"<tr>{cells}</tr>{''.join(body)}</table>")


def _diary_html(report: Report) -> list[str]:
    diary = report.diary
    parts = [f"<h2>{_e(_('Twitch diary'))}</h2>"]
    if not diary.episodes:
        parts.append("<p>" + _e(_("No twitches were logged in this period.")) + "</p>")
        return parts
    episodes = ngettext("{n} episode", "{n} episodes", diary.episodes).format(n=diary.episodes)
    parts.append("<p>" + _e(ngettext(
        "{episodes} on {d} of {days} day ({rate} a day on average).",
        "{episodes} on {d} of {days} days ({rate} a day on average).", diary.days).format(
        episodes=episodes, d=diary.days_with_twitches, days=diary.days,
        rate=_number(diary.per_day))) + "</p>")
    if diary.mean_intensity is not None and diary.strongest is not None:
        parts.append("<p>" + _e(_(
            "How strong, on a scale of 1 (barely noticeable) to 5 (very strong): {mean} on "
            "average, strongest {top}.").format(mean=_number(diary.mean_intensity),
                                                top=diary.strongest)) + "</p>")
    trend = {
        "more": _("Episodes were more frequent in the second half of the period than in the "
                  "first."),
        "fewer": _("Episodes were less frequent in the second half of the period than in the "
                   "first."),
        "same": _("Episodes were about as frequent in the second half of the period as in the "
                  "first."),
    }.get(diary.trend)
    if trend:
        parts.append(f"<p>{_e(trend)}</p>")
    parts.append(f"<h3>{_e(_('Where'))}</h3>")
    largest = diary.by_area[0][1]
    parts.append(_table(
        [_("Body area"), _("Episodes"), ""],
        ([_e(area_label(area)), str(count), _bar_html(count, largest)]
         for area, count in diary.by_area), raw=True))
    if any(side for side, _n in diary.by_side):
        parts.append("<p>" + _e(_("Side: {sides}.").format(sides=", ".join(
            f"{side_label(side).lower()} {n}" for side, n in diary.by_side))) + "</p>")
    parts.append(f"<h3>{_e(_('Week by week'))}</h3>")
    biggest = max(w.episodes for w in diary.weeks)
    parts.append(_table(
        [_("Week from"), _("Episodes"), _("Average strength"), ""],
        ([_e(_week_start(w.start, w.days)), str(w.episodes),
          _number(w.mean_intensity) if w.mean_intensity is not None else "–",
          _bar_html(w.episodes, biggest, _WEEK_BAR_WIDTH)] for w in diary.weeks), raw=True))
    return parts


def _checks_html(report: Report) -> list[str]:
    parts = [f"<h2>{_e(_('Symptom checks'))}</h2>"]
    if not report.checks:
        parts.append("<p>" + _e(_("No symptom checks were done in this period.")) + "</p>")
        return parts
    rows = []
    by_id = {c.id: c for c in report.checks if c.id is not None}
    for check in report.checks:
        reported = "; ".join(check.reported())
        if check.revises is not None:
            reported = revision_note(check, by_id.get(check.revises)) + " " + reported
        if check.stopped_early:
            reported += ". " + _("The check stopped at the emergency questions.")
        triggers = named_triggers(check.answers)
        if triggers:
            reported += ". " + _("Possible triggers: {t}").format(t=", ".join(triggers))
        rows.append([_when_on_day(check.at, check.day), level_label(check.level), reported])
    parts.append(_table([_("When"), _("Result"), _("What was reported")], rows))
    return parts


def _habits_html(report: Report) -> list[str]:
    parts = [f"<h2>{_e(_('Habits'))}</h2>"]
    if not report.habits:
        parts.append("<p>" + _e(_("No habits were logged in this period.")) + "</p>")
        return parts
    considered = report.habits[0].days_considered
    parts.append("<p>" + _e(_("Days with anything logged: {n} of {days}.").format(
        n=considered, days=report.days)) + "</p>")
    parts.append("<ul>" + "".join(f"<li>{_e(habit_sentence(p, report.water_unit))}</li>"
                                   for p in report.habits) + "</ul>")
    return parts


def _episodes_html(report: Report) -> list[str]:
    if not report.episodes:
        return []
    shown = report.episodes[-EPISODES_LISTED:]
    parts = [f"<h2>{_e(_('Every episode'))}</h2>"]
    if len(shown) < len(report.episodes):
        parts.append("<p>" + _e(ngettext(
            "The last {n} of {total} episodes.", "The last {n} of {total} episodes.",
            len(report.episodes)).format(n=len(shown), total=len(report.episodes))) + "</p>")
    parts.append(_table([_("When"), _("Where"), _("Strength"), _("Note")],
                        ([_when_on_day(t.at, t.day), t.where(), str(t.intensity), t.note]
                         for t in shown)))
    return parts

