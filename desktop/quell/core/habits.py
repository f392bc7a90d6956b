"""Habit definitions: one per habit, built-in or the user's own, read by every part of Quell.

A :class:`Habit` says everything the rest of Quell needs to know about a habit: its key, name,
base unit, kind, direction and default target, the bounds of one entry, the quick amounts the
tray and Today offer, how a day's entries form its total, and which insight trigger it feeds.
Built-in habits are definitions like any other; what is truly special about one (sleep's bed and
wake pair, caffeine's drinks and half-life, stress's words for each rating, exercise's
intensities) is kept on its definition. :class:`HabitCatalog` is the set a database holds: the
built-ins and the user's own habits (:func:`user_habit` makes one from what a user typed).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from quell.core.errors import InputError
from quell.core.i18n import _


class Kind(enum.Enum):
    AMOUNT = "amount"
    COUNT = "count"
    DURATION = "duration"
    RATING = "rating"


class Direction(enum.Enum):
    """How a day's total is judged against the target."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"
    NONE = "none"


class Aggregate(enum.Enum):
    """How a day's entries combine into its total."""

    SUM = "sum"
    MAX = "max"


class TriggerRule(enum.Enum):
    """When a day counts as a day *with* a habit's insight trigger."""

    OVER_TARGET = "over_target"      # the day's total above the target in force (at most)
    UNDER_TARGET = "under_target"    # below the target in force (at least)
    OUTSIDE_RANGE = "outside_range"  # below the range's low end or above its high end
    BELOW = "below"                  # the total under ``threshold`` (sleep under 7 h)
    AT_LEAST = "at_least"            # the total at ``threshold`` or more (stress 4-5)
    ANY = "any"                      # any amount at all (nicotine)
    NONE = "none"                    # a total of 0 (no stretching)


@dataclass(frozen=True)
class Trigger:
    """The insight trigger a habit feeds: its key, rule, and the words insights use.

    ``name`` and ``sentence`` are untranslated texts; ``{habit}`` in them stands for the habit's
    name (lower case), for user habits' generated triggers. ``none_is_zero``: a day without an
    entry counts as a total of 0 (caffeine, nicotine, stretching, exercise), instead of a day
    the trigger cannot be judged. ``day_before``: the trigger also marks the next day (hard
    exercise).
    """

    key: str
    rule: TriggerRule
    name: str
    sentence: str
    threshold: float | None = None
    none_is_zero: bool = False
    day_before: bool = False

    def label(self, habit: Habit) -> str:
        """The trigger's name ("Alcohol over your limit"): it starts a line, so capitalised."""
        text = _(self.name).format(habit=habit.label.lower())
        return text[:1].upper() + text[1:]

    def opening(self, habit: Habit) -> str:
        """How a sentence about days with the trigger begins ("On days with nicotine")."""
        return _(self.sentence).format(habit=habit.label.lower())


@dataclass(frozen=True)
class QuickAmount:
    """One amount the tray and Today log in one click.

    ``label`` is an untranslated text with ``{amount}`` for the formatted amount ("Glass of
    w&ater  (+{amount})"); empty, the tray shows "<name>  (+<amount>)". ``more``: the tray puts
    it under More rather than in the menu's first level.
    """

    amount: float
    label: str = ""
    more: bool = False


@dataclass(frozen=True)
class DrinkPreset:
    key: str
    name: str
    mg: int

    @property
    def label(self) -> str:
        return _(self.name)


@dataclass(frozen=True)
class Unit:
    """A unit a user habit may be counted in: its key, label, the kinds it suits and the
    largest single entry (a typo guard)."""

    key: str
    label: str
    kinds: tuple[Kind, ...]
    max_entry: float
    integer: bool = False

    @property
    def text(self) -> str:
        return _(self.label)

    def text_for(self, amount: float) -> str:
        """The label that reads right after *amount* ('1 drink', '2 drinks', '1 ml')."""
        return _unit_for(self.label, amount)


@dataclass(frozen=True)
class Habit:
    """One trackable habit (CONTRACTS.md for the built-ins).

    ``min_amount``/``max_amount`` bound a single entry; ``min_inclusive`` tells whether an entry
    equal to ``min_amount`` is allowed (counts start at 1, amounts must be above 0).
    ``default_amount`` is what a bare ``quell log KEY`` logs (None: an amount is needed).
    ``needs_dialog``: logging it asks for more than an amount (sleep's bed and wake times, a
    workout's intensity), so the tray opens the log dialog. ``builtin`` is False for the user's
    own habits; ``archived`` ones keep their history but are offered nowhere.
    """

    key: str
    name: str
    unit: str
    unit_label: str
    kind: Kind
    direction: Direction
    default_target: float | None
    default_target_max: float | None
    min_amount: float
    min_inclusive: bool
    max_amount: float
    integer: bool = False
    aggregate: Aggregate = Aggregate.SUM
    optional: bool = True
    default_amount: float | None = None
    quick: tuple[QuickAmount, ...] = ()
    trigger: Trigger | None = None
    builtin: bool = True
    archived: bool = False
    needs_dialog: bool = False
    # What is special about one habit, kept with its definition.
    presets: tuple[DrinkPreset, ...] = ()
    half_life_hours: float | None = None
    rating_labels: tuple[str, ...] = ()
    intensities: tuple[tuple[str, str], ...] = ()
    bed_and_wake: bool = False

    @property
    def label(self) -> str:
        """The habit's name in the user's language (a user habit's name as typed)."""
        return _(self.name) if self.builtin else self.name

    @property
    def unit_text(self) -> str:
        return _(self.unit_label)

    def unit_for(self, amount: float) -> str:
        """The unit label that reads right after *amount* ('1 session', '2 sessions')."""
        return _unit_for(self.unit_label, amount)

    def accepts(self, amount: float) -> bool:
        low_ok = amount >= self.min_amount if self.min_inclusive else amount > self.min_amount
        return low_ok and amount <= self.max_amount and (not self.integer or amount == int(amount))

    def rating_label(self, rating: int) -> str:
        """The words for *rating* on a rating habit ('Some stress'), or the number itself."""
        first = int(self.min_amount)
        if self.rating_labels and 0 <= rating - first < len(self.rating_labels):
            return _(self.rating_labels[rating - first])
        return str(rating)


CAFFEINE_PRESETS: tuple[DrinkPreset, ...] = (
    DrinkPreset("espresso", "Espresso", 63),
    DrinkPreset("filter_coffee", "Filter coffee", 95),
    DrinkPreset("black_tea", "Black tea", 47),
    DrinkPreset("green_tea", "Green tea", 28),
    DrinkPreset("cola", "Cola", 34),
    DrinkPreset("energy_drink", "Energy drink", 80),
)

WATER_GLASS_ML = 250
WATER_BOTTLE_ML = 500
ML_PER_US_FL_OZ = 29.5735295625

EXERCISE_INTENSITIES: tuple[tuple[str, str], ...] = (
    ("moderate", "Moderate"),
    ("hard", "Hard"),
    ("very_hard", "Very hard"),
)

STRESS_LABELS: dict[int, str] = {
    1: "Very calm",
    2: "Calm",
    3: "Some stress",
    4: "Stressed",
    5: "Very stressed",
}

# Insights' thresholds (CONTRACTS.md), kept with the habits they judge.
SHORT_SLEEP_HOURS = 7.0
HIGH_STRESS_FROM = 4

HABITS: tuple[Habit, ...] = (
    Habit("water", "Water", "ml", "ml", Kind.AMOUNT, Direction.AT_LEAST, 2000, None,
          0, False, 5000, optional=False, default_amount=WATER_GLASS_ML,
          quick=(QuickAmount(WATER_GLASS_ML, "Glass of w&ater  (+{amount})"),
                 QuickAmount(WATER_BOTTLE_ML, "Bottle of water  (+{amount})", more=True)),
          trigger=Trigger("low_water", TriggerRule.UNDER_TARGET, "Water under your target",
                          "On days with less water than your target")),
    Habit("caffeine", "Caffeine", "mg", "mg", Kind.AMOUNT, Direction.AT_MOST, 300, None,
          0, False, 1000, optional=False, presets=CAFFEINE_PRESETS, half_life_hours=5.0,
          trigger=Trigger("caffeine_over_limit", TriggerRule.OVER_TARGET,
                          "Caffeine over your limit", "On days with caffeine over your limit",
                          none_is_zero=True)),
    Habit("sleep", "Sleep", "hours", "h", Kind.DURATION, Direction.RANGE, 7, 9,
          0, False, 24, optional=False, needs_dialog=True, bed_and_wake=True,
          trigger=Trigger("short_sleep", TriggerRule.BELOW, "Less than 7 h of sleep",
                          "On days after less than 7 h of sleep", threshold=SHORT_SLEEP_HOURS)),
    Habit("stretching", "Stretching", "sessions", "sessions", Kind.COUNT,
          Direction.AT_LEAST, 3, None, 1, True, 20, integer=True, optional=False,
          default_amount=1, quick=(QuickAmount(1, "&Stretched"),),
          trigger=Trigger("no_stretching", TriggerRule.NONE, "No stretching",
                          "On days without stretching", none_is_zero=True)),
    Habit("breathing", "Breathing", "sessions", "sessions", Kind.COUNT, Direction.AT_LEAST,
          2, None, 1, True, 20, integer=True, default_amount=1,
          quick=(QuickAmount(1, "&Breathing session"),)),
    Habit("stress", "Stress", "rating", "/ 5", Kind.RATING, Direction.NONE, None, None,
          1, True, 5, integer=True, aggregate=Aggregate.MAX,
          rating_labels=tuple(STRESS_LABELS[r] for r in range(1, 6)),
          trigger=Trigger("high_stress", TriggerRule.AT_LEAST, "Stress 4–5",
                          "On days with stress at 4 or 5", threshold=HIGH_STRESS_FROM)),
    Habit("exercise", "Hard exercise", "minutes", "min", Kind.DURATION, Direction.NONE,
          None, None, 0, False, 600, needs_dialog=True, intensities=EXERCISE_INTENSITIES,
          trigger=Trigger("hard_exercise", TriggerRule.ANY, "Hard exercise",
                          "On days of or after hard exercise", none_is_zero=True,
                          day_before=True)),
    Habit("nicotine", "Nicotine", "doses", "doses", Kind.COUNT, Direction.AT_MOST, 0, None,
          1, True, 100, integer=True, default_amount=1,
          quick=(QuickAmount(1, "Nicotine  (+1)", more=True),),
          trigger=Trigger("nicotine", TriggerRule.ANY, "Nicotine", "On days with nicotine",
                          none_is_zero=True)),
    Habit("minerals", "Mg/K-rich food", "servings", "servings", Kind.COUNT,
          Direction.AT_LEAST, 3, None, 1, True, 20, integer=True, default_amount=1,
          quick=(QuickAmount(1, "Magnesium/potassium-rich food  (+1)", more=True),)),
)

_SINGULAR = {"sessions": "session", "doses": "dose", "servings": "serving", "drinks": "drink",
             "times": "time", "cups": "cup", "glasses": "glass", "pieces": "piece",
             "units": "unit", "pills": "pill", "cigarettes": "cigarette", "portions": "portion"}


def _unit_for(label: str, amount: float) -> str:
    if amount == 1 and label in _SINGULAR:
        return _(_SINGULAR[label])
    return _(label)


HABIT_KEYS: tuple[str, ...] = tuple(h.key for h in HABITS)
_BY_KEY = {h.key: h for h in HABITS}


def habit(key: str) -> Habit:
    """Return the built-in habit with *key*, or raise :class:`KeyError`.

    Code that may meet a user's own habit asks its :class:`HabitCatalog` instead.
    """
    return _BY_KEY[key]


def find_habit(key: str) -> Habit | None:
    return _BY_KEY.get(key)


def drink_preset(key: str) -> DrinkPreset | None:
    normalized = key.strip().lower().replace("-", "_").replace(" ", "_")
    return next((p for p in CAFFEINE_PRESETS if p.key == normalized), None)


def stress_label(rating: int) -> str:
    return _(STRESS_LABELS[rating])


def intensity_label(key: str) -> str:
    return _(dict(EXERCISE_INTENSITIES).get(key, key))


# -- the user's own habits --------------------------------------------------------------------

# The units a user habit may use (``quell habit add --unit``), by kind; anything else is refused.
UNITS: tuple[Unit, ...] = (
    Unit("ml", "ml", (Kind.AMOUNT,), 10000),
    Unit("l", "l", (Kind.AMOUNT,), 10),
    Unit("mg", "mg", (Kind.AMOUNT,), 10000),
    Unit("g", "g", (Kind.AMOUNT,), 5000),
    Unit("units", "units", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("drinks", "drinks", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("cups", "cups", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("glasses", "glasses", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("portions", "portions", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("servings", "servings", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("pieces", "pieces", (Kind.AMOUNT, Kind.COUNT), 100),
    Unit("times", "times", (Kind.COUNT,), 100, integer=True),
    Unit("sessions", "sessions", (Kind.COUNT,), 100, integer=True),
    Unit("doses", "doses", (Kind.COUNT,), 100, integer=True),
    Unit("pills", "pills", (Kind.COUNT,), 100, integer=True),
    Unit("cigarettes", "cigarettes", (Kind.COUNT,), 100, integer=True),
    Unit("minutes", "min", (Kind.DURATION,), 1440),
    Unit("hours", "h", (Kind.DURATION,), 24),
    Unit("rating", "/ 5", (Kind.RATING,), 5, integer=True),
)
_UNITS = {u.key: u for u in UNITS}
MAX_NAME_LENGTH = 40
# A slug can be longer than its name ("ﬃ" -> "ffi"), but not without end.
MAX_KEY_LENGTH = 60
_KEY = re.compile(r"[a-z][a-z0-9_]{0,59}")
MAX_QUICK_AMOUNTS = 4
MAX_USER_HABITS = 200  # far more than anyone tracks; bounds what an imported file can add


# Invisible characters that reorder text (as core.notes drops them from notes).
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unit(key: str) -> Unit | None:
    return _UNITS.get(key)


def slug(name: str) -> str:
    """The key of a user habit named *name*: "Ate late" -> "ate_late", "Café" -> "cafe"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


class HabitCatalog:
    """The habits one database knows: the built-ins, then the user's own, each once by key.

    Iterating yields every habit, archived ones included (their history stays readable);
    :meth:`offered` is what the tray, Today and the CLI offer for logging.
    """

    def __init__(self, user: Iterable[Habit] = ()) -> None:
        self._all: dict[str, Habit] = dict(_BY_KEY)
        for own in user:
            if own.key in self._all:
                raise ValueError(f"habit key {own.key!r} is taken")
            self._all[own.key] = own

    def __iter__(self) -> Iterator[Habit]:
        return iter(self._all.values())

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, key: object) -> bool:
        return key in self._all

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HabitCatalog) and self._all == other._all

    __hash__ = None  # type: ignore[assignment]

    def get(self, key: str) -> Habit:
        """The habit with *key*, or :class:`KeyError`."""
        return self._all[key]

    def find(self, key: str) -> Habit | None:
        return self._all.get(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._all)

    @property
    def user(self) -> tuple[Habit, ...]:
        return tuple(h for h in self._all.values() if not h.builtin)

    def offered(self) -> tuple[Habit, ...]:
        return tuple(h for h in self._all.values() if not h.archived)

    def triggers(self) -> tuple[tuple[Habit, Trigger], ...]:
        """Every insight trigger, with its habit: built-ins first, in the contract's order."""
        found = [(h, h.trigger) for h in self._all.values()
                 if h.trigger is not None and not (h.archived and not h.builtin)]
        order = {key: i for i, key in enumerate(BUILTIN_TRIGGER_ORDER)}
        found.sort(key=lambda pair: order.get(pair[1].key, len(order)))
        return tuple(found)

    def with_user(self, own: Habit) -> HabitCatalog:
        """This catalog with *own* added or replacing the user habit of the same key."""
        mine = [h for h in self.user if h.key != own.key] + [own]
        return HabitCatalog(mine)


# The contract's order of the built-in triggers (CONTRACTS.md, insights ties).
BUILTIN_TRIGGER_ORDER: tuple[str, ...] = (
    "caffeine_over_limit", "short_sleep", "low_water", "no_stretching", "high_stress",
    "nicotine", "hard_exercise",
)

_USER_TRIGGERS: dict[Direction, tuple[str, TriggerRule, str, str]] = {
    Direction.AT_MOST: ("over_limit", TriggerRule.OVER_TARGET, "{habit} over your limit",
                        "On days with more than your limit of {habit}"),
    Direction.AT_LEAST: ("under_target", TriggerRule.UNDER_TARGET, "{habit} under your target",
                         "On days with less {habit} than your target"),
    Direction.RANGE: ("outside_range", TriggerRule.OUTSIDE_RANGE, "{habit} outside your range",
                      "On days with {habit} outside your range"),
    Direction.NONE: ("any", TriggerRule.ANY, "Any {habit}", "On days with any {habit}"),
}


def user_habit(name: str, unit_key: str, kind: Kind, direction: Direction,
               target: float | None = None, target_max: float | None = None,
               quick: Sequence[float] = (), *, catalog: HabitCatalog | None = None,
               key: str | None = None) -> Habit:
    """A user habit from what the user typed, or :class:`InputError` naming the problem.

    The key is the slug of *name* unless *key* is given (an edit keeps its key). *catalog*, when
    given, is checked for a habit of the same key or name (an edit of *key* itself excepted).
    Its insight trigger follows the direction: at most -> over the limit, at least -> under the
    target, range -> outside it, none -> any amount.
    """
    name = " ".join(name.split())
    if not name:
        raise InputError(_("A habit needs a name."))
    if any(unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS
           for char in name):
        # A terminal escape in a name would run in every `quell today` that prints it, and
        # a bidirectional override would show it as another name.
        raise InputError(_("A habit's name cannot hold control characters."))
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(_("A habit's name can be at most {n} characters.").format(
            n=MAX_NAME_LENGTH))
    own_key = slug(name) if key is None else key
    if key is not None and not _KEY.fullmatch(key):
        # A key comes from the database or an imported file: the shape a slug has, or refused.
        raise InputError(_("{key!r} is not a habit key (lower-case letters, digits and _, "
                           "starting with a letter).").format(key=key[:MAX_KEY_LENGTH]))
    if not own_key or not own_key[0].isalpha():
        raise InputError(_("A habit's name must start with a letter."))
    if len(own_key) > MAX_KEY_LENGTH:  # ligatures spelled out: "ﬃ" is "ffi"
        raise InputError(_("A habit's name makes too long a key; choose a shorter name."))
    if own_key in _BY_KEY:
        raise InputError(_("{name!r} is one of Quell's own habits; choose another name.").format(
            name=name))
    if catalog is not None:
        for other in catalog:
            if other.key == (key or "\0"):
                continue
            if other.key == own_key or other.label.casefold() == name.casefold():
                raise InputError(_("You already have a habit named {name!r}.").format(
                    name=other.label))
    found = _UNITS.get(unit_key)
    if found is None:
        raise InputError(_("Unknown unit {unit!r}; choose one of: {units}.").format(
            unit=unit_key, units=", ".join(u.key for u in UNITS if kind in u.kinds)))
    if kind not in found.kinds:
        raise InputError(_("The unit {unit!r} does not fit {kind} habits; choose one of: "
                           "{units}.").format(unit=unit_key, kind=kind.value, units=", ".join(
                               u.key for u in UNITS if kind in u.kinds)))
    integer = found.integer or kind in (Kind.COUNT, Kind.RATING)
    # Whole units start at 1 (an entry of 0 sessions means nothing); amounts must be above 0.
    low, low_inclusive = (1.0, True) if integer else (0.0, False)
    for value, what in ((target, "target"), (target_max, "upper end")):
        if value is not None and not (0 <= value <= found.max_entry * 100):
            raise InputError(_("The {what} must be between 0 and {most}.").format(
                what=_(what), most=_number(found.max_entry * 100)))
    if direction is Direction.NONE:
        target = target_max = None
    elif direction is Direction.RANGE:
        if target is None or target_max is None:
            raise InputError(_("A range needs a low and a high end."))
        if target > target_max:
            raise InputError(_("The range's low end must not be above its high end."))
    else:
        target_max = None
        if target is None:
            raise InputError(_("An at-least or at-most habit needs a target."))
    if len(quick) > MAX_QUICK_AMOUNTS:
        raise InputError(_("A habit can have at most {n} quick amounts.").format(
            n=MAX_QUICK_AMOUNTS))
    draft = Habit(own_key, name, found.key, found.label, kind, direction, target, target_max,
                  low, low_inclusive, found.max_entry, integer=integer,
                  aggregate=Aggregate.MAX if kind is Kind.RATING else Aggregate.SUM,
                  builtin=False)
    for amount in quick:
        if not draft.accepts(amount):
            raise InputError(_("The quick amount {amount} is outside what one entry of "
                               "{name} can be.").format(amount=_number(amount), name=name))
    suffix, rule, label, sentence = _USER_TRIGGERS[direction]
    trigger = Trigger(f"{own_key}_{suffix}", rule, label, sentence,
                      none_is_zero=direction in (Direction.AT_MOST, Direction.NONE))
    default = quick[0] if quick else (1.0 if kind is Kind.COUNT else None)
    return replace(draft, quick=tuple(QuickAmount(float(a)) for a in dict.fromkeys(quick)),
                   trigger=trigger, default_amount=default)


def _number(value: float) -> str:
    return f"{value:g}"
