"""Persistence: SQLite database, settings file, user paths, backups."""
