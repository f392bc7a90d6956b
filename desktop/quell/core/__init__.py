"""Pure domain logic: habits, days, validation, summaries. No Qt, no I/O."""
