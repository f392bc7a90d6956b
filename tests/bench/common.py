"""Shared helpers for the benchmarks: a virtual screen with a tray, and process measurements."""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def desktop_session() -> Iterator[dict[str, str]]:
    """An Xvfb screen with a tray host when available (realistic), else Qt's offscreen platform.

    Yields the environment for child processes.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
    if not (shutil.which("Xvfb") and shutil.which("trayer")):
        env["QT_QPA_PLATFORM"] = "offscreen"
        print("bench: no Xvfb/trayer; using the offscreen platform (no tray: Quell shows its "
              "window there, so its startup is overstated)")
        yield env
        return
    display = next(f":{n}" for n in range(140, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    env["DISPLAY"] = display
    env["QT_QPA_PLATFORM"] = "xcb"
    try:
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
                break
            time.sleep(0.1)
        procs.append(subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
             "--height", "32", "--SetDockType", "true"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.7)
        yield env
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait()


def presence_settings(home: Path, **reminders: object) -> Path:
    """Save Quell's settings under QUELL_HOME=*home* as a user with every presence source on
    has them: the welcome seen, reminders as card and notification, every hold on, a work
    calendar (weekly meetings, none near now; written here) and two meeting apps; *reminders*
    changes more reminder settings. Returns the calendar's path. Run it with the fake desktop
    (fake_desktop.py) so the app finds its services too."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from datetime import datetime, timezone

    from fake_desktop import write_calendar

    from quell.app.clock import SystemClock
    from quell.app.context import open_context
    from quell.files import Paths

    old_home = os.environ.get("QUELL_HOME")
    os.environ["QUELL_HOME"] = str(home)
    try:
        context = open_context(SystemClock(), Paths.for_user())
        try:
            calendar = home / "calendar" / "work.ics"
            calendar.parent.mkdir(parents=True, exist_ok=True)
            write_calendar(calendar, datetime.now(timezone.utc))
            settings = context.settings()
            changed = settings.reminders.replace(
                style="both", hold_when_away=True, hold_in_do_not_disturb=True,
                hold_in_fullscreen=True, calendar_path=str(calendar),
                meeting_apps=("zoom", "teams"), **reminders)
            context.settings.save(settings.replace(reminders=changed, welcomed=True,
                                                   tray_hint_shown=True))
        finally:
            context.close()
    finally:
        if old_home is None:
            os.environ.pop("QUELL_HOME", None)
        else:
            os.environ["QUELL_HOME"] = old_home
    return calendar


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def time_to_ready(command: list[str], env: dict[str, str],
                  then: str | None = None) -> tuple[float, float]:
    """Seconds from spawning *command* until it prints 'quell-ready', and its peak RSS (MB).

    With *then*, also wait for that later line (e.g. 'quell-reminders-ready'); the peak RSS is
    read after it, and its time is stored in ``time_to_ready.then_seconds``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, env={**env, "QUELL_REPORT_READY": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    if "quell-ready" not in line:
        proc.kill()
        raise RuntimeError(f"{command} did not report ready: {line!r}")
    if then is not None:
        later = proc.stdout.readline()
        if then not in later:
            proc.kill()
            raise RuntimeError(f"{command} did not report {then}: {later!r}")
        time_to_ready.then_seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    time.sleep(0.3)  # let it settle, so the peak includes the first paint
    rss = peak_rss_mb(proc.pid)
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
    return elapsed, rss


def median(values: list[float]) -> float:
    return statistics.median(values)


PYTHON = sys.executable
