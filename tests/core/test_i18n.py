"""The core's translation hook: plural forms in English and through an installed translator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quell.core import i18n
from quell.core.i18n import _, count, ngettext


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    yield
    i18n.install(str)  # leave no translator behind for other tests


@pytest.mark.parametrize(("n", "text"), [(0, "0 twitches"), (1, "1 twitch"), (2, "2 twitches"),
                                         (11, "11 twitches"), (21, "21 twitches")])
def test_english_plurals_without_a_translator(n: int, text: str) -> None:
    assert ngettext("{n} twitch", "{n} twitches", n).format(n=n) == text
    assert count("{n} twitch", "{n} twitches", n) == text


def test_a_plural_translator_chooses_the_form() -> None:
    """As Qt's numerus forms do: the plural is the source, the translation picks by n."""
    def polish(_one: str, many: str, n: int) -> str:
        forms = {"{n} days": ("{n} dzień", "{n} dni")}
        if many not in forms:
            return many
        return forms[many][0] if n == 1 else forms[many][1]

    i18n.install(str, polish)
    assert count("{n} day", "{n} days", 1) == "1 dzień"
    assert count("{n} day", "{n} days", 5) == "5 dni"
    # Not translated (the source comes back): English rules, not the plural for 1.
    assert count("{n} twitch", "{n} twitches", 1) == "1 twitch"
    assert count("{n} twitch", "{n} twitches", 0) == "0 twitches"


def test_without_a_plural_translator_each_form_goes_through_the_translator() -> None:
    i18n.install(lambda text: "~" + text)
    assert _("day") == "~day"
    assert count("{n} day", "{n} days", 1) == "~1 day"
    assert count("{n} day", "{n} days", 2) == "~2 days"
