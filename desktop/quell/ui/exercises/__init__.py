"""Guided exercises: the shared frame, breathing and the stretch routine."""
