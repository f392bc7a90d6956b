"""Allow ``python -m quell``."""

from quell.app.main import run

run()
