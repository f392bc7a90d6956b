"""APScheduler on the Qt main thread: relief reminders armed from settings, outcomes reported."""
