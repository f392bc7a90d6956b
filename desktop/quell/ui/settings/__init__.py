"""The settings dialog and its pages (goals, habits, reminders and presence)."""
