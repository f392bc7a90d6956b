"""Translation hook for user-visible text produced by the core, with plural forms.

The core cannot import Qt, so it marks strings with ``_()`` (and counts with ``ngettext``) and
the app installs the real translator (Qt's ``QCoreApplication.translate``) once at start-up.
Until then text is English, with English plurals.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str], str]
PluralTranslator = Callable[[str, str, int], str]
"""(singular, plural, n) -> the text in the user's language for *n*, or *plural* unchanged
when there is no translation (Qt returns the source text, which is the plural form)."""

_translator: Translator = str
_plural_translator: PluralTranslator | None = None


def install(translator: Translator, plural: PluralTranslator | None = None) -> None:
    """Route every later ``_()`` call through *translator*, and ``ngettext`` through *plural*.

    With Qt, *plural* is ``lambda one, many, n: QCoreApplication.translate(context, many,
    None, n)``: the plural text is the source, Qt's numerus forms pick the form for *n*.
    Called once by the app.
    """
    global _translator, _plural_translator
    _translator = translator
    _plural_translator = plural


def _(text: str) -> str:
    """Return *text* translated into the user's language (English when none is installed)."""
    return _translator(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted text for *n* ('{n} twitch' for 1, '{n} twitches' otherwise).

    Placeholders such as ``{n}`` are kept for the caller to ``format``. Without a translation
    for the plural, English rules apply: the singular for exactly 1, the plural for 0 and the
    rest.
    """
    if _plural_translator is not None:
        translated = _plural_translator(singular, plural, n)
        if translated != plural:
            return translated
    return _translator(singular) if n == 1 else _translator(plural)


def count(singular: str, plural: str, n: int) -> str:
    """``ngettext`` with ``{n}`` filled in: ``count('{n} day', '{n} days', 1)`` is '1 day'."""
    return ngettext(singular, plural, n).format(n=n)
