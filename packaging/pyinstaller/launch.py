"""PyInstaller entry script: starts Quell exactly as the `quell` console script does."""

import sys

from quell.app.main import run

if __name__ == "__main__":
    sys.exit(run())
