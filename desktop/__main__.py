"""Allow ``python -m desktop``."""

from desktop.app.main import run

run()
