"""Startup time and peak memory of Quell against a bare PySide6 tray app, in the same run.

Both start on a fake desktop (fake_desktop.py: a session bus with a notification server, the
screen savers and Mutter's idle monitor, a system bus with logind), Quell with the settings of a
user who has seen the welcome and turned every presence source on (a calendar, meeting apps).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PYTHON, ROOT, desktop_session, median, presence_settings, time_to_ready
from fake_desktop import fake_desktop

RUNS = 11


def main() -> int:
    home = tempfile.mkdtemp(prefix="quell-bench-")
    bare = [PYTHON, str(ROOT / "tests" / "bench" / "bare_tray.py")]
    script = Path(PYTHON).parent / "quell"  # what `make run` starts
    quell = [str(script)] if script.exists() else [PYTHON, "-m", "quell"]
    # As installed: pip compiles a wheel's modules at install time. A checkout under
    # PYTHONDONTWRITEBYTECODE (set on these machines) would otherwise recompile every module
    # at every start, a cost no installed Quell pays.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "desktop")], check=True)
    # A user's settings (the welcome seen; every presence source on) on a desktop that offers
    # every service presence reads, for both apps.
    presence_settings(Path(home))
    with desktop_session() as env, fake_desktop() as desktop:
        env = {**env, **desktop.env, "QUELL_HOME": home, "PYTHONPATH": str(ROOT)}
        # Warm up both (first start creates the database and today's backup; disk caches fill).
        subprocess.run([PYTHON, "-m", "quell", "log", "water", "250"], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        time_to_ready(bare, env)
        time_to_ready(quell, env)
        bare_t, bare_m, quell_t, quell_m, armed = [], [], [], [], []
        for _ in range(RUNS):  # interleaved, so machine noise hits both alike
            t, m = time_to_ready(bare, env)
            bare_t.append(t)
            bare_m.append(m)
            t, m = time_to_ready(quell, env, then="quell-reminders-ready")
            quell_t.append(t)
            quell_m.append(m)
            armed.append(time_to_ready.then_seconds)  # type: ignore[attr-defined]
    bt, qt = median(bare_t), median(quell_t)
    bm, qm = median(bare_m), median(quell_m)
    print(f"platform: {env.get('QT_QPA_PLATFORM')}, {RUNS} runs each, medians; on a fake "
          "desktop (notifications, screen savers, Mutter, logind) with every presence source "
          "on")
    print(f"startup to tray ready: bare {bt * 1000:.0f} ms, Quell {qt * 1000:.0f} ms, "
          f"ratio {qt / bt:.2f}x (target <= 1.5x)")
    print(f"reminders armed (just after the tray is up): {median(armed) * 1000:.0f} ms "
          f"from process start")
    print(f"peak RSS (after the reminders are armed): bare {bm:.1f} MB, Quell {qm:.1f} MB, "
          f"+{qm - bm:.1f} MB "
          f"(ratio {qm / bm:.2f}x; target <= floor + 25 MB)")
    ok = qt / bt <= 1.5 and qm - bm <= 25
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
