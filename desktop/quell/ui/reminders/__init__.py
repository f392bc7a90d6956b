"""Reminders on screen: the card, the presenter that picks card or notification, and the tray's
Reminders menu.
"""
