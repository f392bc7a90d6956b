"""The habits Quell tracks: keys, units, limits, default targets and drink presets."""

from __future__ import annotations

import enum
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Habit:
    """One trackable habit as pinned in CONTRACTS.md.

    ``min_amount``/``max_amount`` bound a single entry; ``min_inclusive`` tells whether an entry
    equal to ``min_amount`` is allowed (counts start at 1, amounts must be above 0).
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

    @property
    def label(self) -> str:
        """The habit's name in the user's language."""
        return _(self.name)

    @property
    def unit_text(self) -> str:
        return _(self.unit_label)

    def unit_for(self, amount: float) -> str:
        """The unit label that reads right after *amount* ('1 session', '2 sessions')."""
        if amount == 1 and self.unit_label in _SINGULAR:
            return _(_SINGULAR[self.unit_label])
        return self.unit_text

    def accepts(self, amount: float) -> bool:
        low_ok = amount >= self.min_amount if self.min_inclusive else amount > self.min_amount
        return low_ok and amount <= self.max_amount and (not self.integer or amount == int(amount))


HABITS: tuple[Habit, ...] = (
    Habit("water", "Water", "ml", "ml", Kind.AMOUNT, Direction.AT_LEAST, 2000, None,
          0, False, 5000, optional=False, default_amount=250),
    Habit("caffeine", "Caffeine", "mg", "mg", Kind.AMOUNT, Direction.AT_MOST, 300, None,
          0, False, 1000, optional=False),
    Habit("sleep", "Sleep", "hours", "h", Kind.DURATION, Direction.RANGE, 7, 9,
          0, False, 24, optional=False),
    Habit("stretching", "Stretching", "sessions", "sessions", Kind.COUNT,
          Direction.AT_LEAST, 3, None, 1, True, 20, integer=True, optional=False,
          default_amount=1),
    Habit("breathing", "Breathing", "sessions", "sessions", Kind.COUNT, Direction.AT_LEAST,
          2, None, 1, True, 20, integer=True, default_amount=1),
    Habit("stress", "Stress", "rating", "/ 5", Kind.RATING, Direction.NONE, None, None,
          1, True, 5, integer=True, aggregate=Aggregate.MAX),
    Habit("exercise", "Hard exercise", "minutes", "min", Kind.DURATION, Direction.NONE,
          None, None, 0, False, 600),
    Habit("nicotine", "Nicotine", "doses", "doses", Kind.COUNT, Direction.AT_MOST, 0, None,
          1, True, 100, integer=True, default_amount=1),
    Habit("minerals", "Mg/K-rich food", "servings", "servings", Kind.COUNT,
          Direction.AT_LEAST, 3, None, 1, True, 20, integer=True, default_amount=1),
)

_SINGULAR = {"sessions": "session", "doses": "dose", "servings": "serving"}

HABIT_KEYS: tuple[str, ...] = tuple(h.key for h in HABITS)
_BY_KEY = {h.key: h for h in HABITS}


def habit(key: str) -> Habit:
    """Return the habit with *key*, or raise :class:`KeyError`."""
    return _BY_KEY[key]


def find_habit(key: str) -> Habit | None:
    return _BY_KEY.get(key)


@dataclass(frozen=True)
class DrinkPreset:
    key: str
    name: str
    mg: int

    @property
    def label(self) -> str:
        return _(self.name)


CAFFEINE_PRESETS: tuple[DrinkPreset, ...] = (
    DrinkPreset("espresso", "Espresso", 63),
    DrinkPreset("filter_coffee", "Filter coffee", 95),
    DrinkPreset("black_tea", "Black tea", 47),
    DrinkPreset("green_tea", "Green tea", 28),
    DrinkPreset("cola", "Cola", 34),
    DrinkPreset("energy_drink", "Energy drink", 80),
)


def drink_preset(key: str) -> DrinkPreset | None:
    normalized = key.strip().lower().replace("-", "_").replace(" ", "_")
    return next((p for p in CAFFEINE_PRESETS if p.key == normalized), None)


WATER_GLASS_ML = 250
WATER_BOTTLE_ML = 500
ML_PER_US_FL_OZ = 29.5735295625

EXERCISE_INTENSITIES: tuple[tuple[str, str], ...] = (
    ("moderate", "Moderate"),
    ("hard", "Hard"),
    ("very_hard", "Very hard"),
)

def stress_label(rating: int) -> str:
    return _(STRESS_LABELS[rating])


def intensity_label(key: str) -> str:
    return _(dict(EXERCISE_INTENSITIES).get(key, key))


STRESS_LABELS: dict[int, str] = {
    1: "Very calm",
    2: "Calm",
    3: "Some stress",
    4: "Stressed",
    5: "Very stressed",
}
