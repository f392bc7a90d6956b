"""Idle cost with every reminder on, against a bare PySide6 tray app in the same run.

Both run side by side for 60 s. Reported: CPU seconds, wake-ups a minute (voluntary plus
involuntary context switches, from /proc), and how late reminders fire against their due time:
a few scheduler probes before the idle minute, and one real reminder that falls due inside it.
Linux only (it reads /proc).
"""

from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

IDLE_SECONDS = 60
# Targets: "no measurable CPU" and "at most a few wake-ups a minute" on the GUI thread.
MAX_CPU_SECONDS = 0.2
MAX_MAIN_WAKEUPS_PER_MINUTE = 6
MAX_LATE_SECONDS = 1.0


def child() -> int:
    """Quell's running parts with every reminder on; prints lateness lines, then idles."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from desktop.app.clock import SystemClock
    from desktop.app.context import open_context
    from desktop.core.settings import EVERY_DAY
    from desktop.scheduling.reminders import Reminders
    from desktop.scheduling.scheduler import SchedulerAlarms
    from desktop.storage.reminder_events import ReminderEventStore
    from desktop.ui.reminder_presenter import ReminderPresenter
    from desktop.ui.session import Session
    from desktop.ui.tray import TrayController

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    clock = SystemClock()
    context = open_context(clock)
    start = clock.now()
    # One real reminder right after the idle minute (so the minute shows the cost of waiting,
    # not of a card): breathing at the first whole minute at least 70 s away. Everything else
    # on, every day, as configured by default.
    due = (start + timedelta(seconds=130)).replace(second=0, microsecond=0)
    settings = context.settings()
    reminders_settings = settings.reminders.replace(
        stretch_days=EVERY_DAY, breathe_times=(due.time().replace(second=0),),
        quiet_hours=False)
    context.settings.save(settings.replace(reminders=reminders_settings, paused_until=None))
    session = Session(context.tracker, context.settings, context.settings.save)
    tray = TrayController(session)
    tray.show()
    alarms = SchedulerAlarms(clock.tz)
    reminders = Reminders(session, ReminderEventStore(context.store.connection), clock,
                          alarms=alarms)
    presenter = ReminderPresenter(reminders, session, tray.icon)
    reminders.due.disconnect(presenter._enqueue)  # measure the scheduler, not a card's fade

    def fired(reminder: object) -> None:
        late = (clock.now() - reminder.due).total_seconds()  # type: ignore[attr-defined]
        print(f"reminder-late {late:.4f} {reminder.kind.value}", flush=True)  # type: ignore
        reminders.skip(reminder)  # type: ignore[arg-type]

    reminders.due.connect(fired)
    reminders.start()

    probes = 5
    done: list[float] = []

    def probe(moment: object) -> None:
        done.append((clock.now() - moment).total_seconds())  # type: ignore[operator]
        print(f"probe-late {done[-1]:.4f}", flush=True)
        if len(done) == probes:
            print("quell-ready", flush=True)

    first = clock.now()
    for index in range(probes):
        moment = first + timedelta(seconds=0.5 * (index + 1))
        alarms.arm(f"probe{index}", moment, lambda m=moment: probe(m))
    return app.exec()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _switches(status: str) -> int:
    total = 0
    for line in status.splitlines():
        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            total += int(line.split()[1])
    return total


def _threads(pid: int) -> dict[str, int]:
    """Context switches per thread (the GUI thread's id is the process id)."""
    counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            counts[task.name] = _switches((task / "status").read_text())
        except FileNotFoundError:
            continue  # a thread that just ended
    return counts


def _sample(pid: int) -> tuple[float, dict[str, int]]:
    return _cpu_seconds(pid), _threads(pid)


def _reader(proc: subprocess.Popen[str], lines: queue.Queue[tuple[int, str]]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put((proc.pid, line.strip()))


def _wait_for(lines: queue.Queue[tuple[int, str]], pid: int, prefix: str, timeout: float,
              seen: list[str]) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            owner, line = lines.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            break
        if owner == pid:
            seen.append(line)
            if line.startswith(prefix):
                return line
    raise RuntimeError(f"no {prefix!r} from {pid} within {timeout:.0f} s (saw {seen[-3:]})")


def main() -> int:
    from common import PYTHON, ROOT, desktop_session

    home = tempfile.mkdtemp(prefix="quell-bench-idle-")
    with desktop_session() as env:
        env = {**env, "QUELL_HOME": home, "PYTHONPATH": str(ROOT)}
        bare = subprocess.Popen([PYTHON, str(ROOT / "tests" / "bench" / "bare_tray.py")],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, cwd=ROOT)
        quell = subprocess.Popen([PYTHON, str(Path(__file__).resolve()), "--child"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                 cwd=ROOT)
        lines: queue.Queue[tuple[int, str]] = queue.Queue()
        for proc in (bare, quell):
            threading.Thread(target=_reader, args=(proc, lines), daemon=True).start()
        bare_seen: list[str] = []
        quell_seen: list[str] = []
        try:
            _wait_for(lines, bare.pid, "quell-ready", 20, bare_seen)
            _wait_for(lines, quell.pid, "quell-ready", 30, quell_seen)
            time.sleep(2)  # let both settle after start-up
            before = {p.pid: _sample(p.pid) for p in (bare, quell)}
            time.sleep(IDLE_SECONDS)
            after = {p.pid: _sample(p.pid) for p in (bare, quell)}
            real = next((line for line in quell_seen if line.startswith("reminder-late")), None)
            if real is None:
                real = _wait_for(lines, quell.pid, "reminder-late", 75, quell_seen)
        finally:
            for proc in (bare, quell):
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
    minute = 60.0 / IDLE_SECONDS

    def figures(pid: int) -> tuple[float, float, float]:
        cpu = after[pid][0] - before[pid][0]
        start, end = before[pid][1], after[pid][1]
        main_thread = end.get(str(pid), 0) - start.get(str(pid), 0)
        # Threads that ended meanwhile are not counted; new ones count from zero.
        every_thread = sum(count - start.get(tid, 0) for tid, count in end.items())
        return cpu, main_thread * minute, every_thread * minute

    bare_cpu, bare_main, bare_all = figures(bare.pid)
    quell_cpu, quell_main, quell_all = figures(quell.pid)
    probes = [float(line.split()[1]) for line in quell_seen if line.startswith("probe-late")]
    real_late = float(real.split()[1])

    def ratio(ours: float, floor: float) -> str:
        return f"{ours / floor:.2f}x" if floor > 0 else "n/a (floor 0)"

    print(f"platform: {env.get('QT_QPA_PLATFORM')}, {IDLE_SECONDS} s idle side by side, "
          "every reminder on")
    print(f"CPU: bare {bare_cpu:.2f} s, Quell {quell_cpu:.2f} s "
          f"(ratio {ratio(quell_cpu, bare_cpu)}; target <= {MAX_CPU_SECONDS} s)")
    print(f"wake-ups a minute, GUI thread: bare {bare_main:.0f}, Quell {quell_main:.0f} "
          f"(ratio {ratio(quell_main, bare_main)}; target <= {MAX_MAIN_WAKEUPS_PER_MINUTE})")
    print(f"wake-ups a minute, all threads: bare {bare_all:.0f}, Quell {quell_all:.0f} "
          f"(ratio {ratio(quell_all, bare_all)})")
    print(f"lateness: {len(probes)} scheduler probes median "
          f"{statistics.median(probes) * 1000:.1f} ms, max {max(probes) * 1000:.1f} ms; "
          f"a real reminder ({real.split()[2]}) fired {real_late * 1000:.1f} ms after it was "
          f"due (target <= {MAX_LATE_SECONDS * 1000:.0f} ms)")
    ok = (quell_cpu <= MAX_CPU_SECONDS and quell_main <= MAX_MAIN_WAKEUPS_PER_MINUTE
          and max([*probes, real_late]) <= MAX_LATE_SECONDS)
    return 0 if ok else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child())
    os.chdir(Path(__file__).resolve().parent)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
