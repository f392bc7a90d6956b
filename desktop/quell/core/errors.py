"""Errors the core raises for the user to read."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from the user: the message is one line that names the problem."""
