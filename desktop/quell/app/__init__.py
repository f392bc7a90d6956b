"""Composition root: entry point, CLI, single instance, logging, crash handling."""
