"""Idle cost with every reminder and every presence source on, against a bare PySide6 tray app.

Both run side by side for 60 s. Quell is the real app (QuellApp, wired as `quell` wires it) on a
fake desktop (tests/bench/fake_desktop.py): a private session bus with a notification server
(actions, Inhibited), org.freedesktop.ScreenSaver, org.gnome.ScreenSaver and Mutter's idle
monitor, a private system bus with logind, a work calendar file and a list of meeting apps, so
it connects to all of them as on a real desktop; reminders come as card and notification. The
bare tray runs on the same buses and screen.

Reported: CPU seconds, wake-ups a minute (voluntary plus involuntary context switches, from
/proc), how late reminders fire against their due time (a few scheduler probes before the idle
minute, and one real reminder that falls due after it, whose presence reads are part of its
lateness), and which presence services the app subscribed to while idle and read when the
reminder fell due. Linux only (it reads /proc).
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
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# QUELL_BENCH_IDLE_SECONDS shortens the minute for a quick check of the harness itself.
IDLE_SECONDS = int(os.environ.get("QUELL_BENCH_IDLE_SECONDS", "60"))
# Targets: "no measurable CPU" and "at most a few wake-ups a minute" on the GUI thread.
MAX_CPU_SECONDS = 0.2
MAX_MAIN_WAKEUPS_PER_MINUTE = 6
MAX_LATE_SECONDS = 1.0


def child() -> int:
    """The real app's parts (QuellApp) with every reminder on; prints lateness lines, then
    idles. Presence, the calendar and the styles come from the settings main() wrote."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from quell.app.clock import SystemClock
    from quell.app.context import open_context
    from quell.app.gui import QuellApp
    from quell.files import Paths
    from quell.storage.database import GUI_BUSY_TIMEOUT

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    clock = SystemClock()
    paths = Paths.for_user()
    context = open_context(clock, paths, busy_timeout=GUI_BUSY_TIMEOUT)
    quell = QuellApp(app, context, paths)
    quell.start()
    quell.start_services()
    reminders = quell.reminders
    assert reminders is not None
    # Measure the scheduler and presence, not a card's fade or a notification round trip.
    reminders.due.disconnect()

    def fired(reminder: object) -> None:
        late = (clock.now() - reminder.due).total_seconds()  # type: ignore[attr-defined]
        print(f"reminder-late {late:.4f} {reminder.kind.value}", flush=True)  # type: ignore
        reminders.skip(reminder)  # type: ignore[arg-type]

    reminders.due.connect(fired)

    probes = 5
    done: list[float] = []

    def probe(moment: object) -> None:
        done.append((clock.now() - moment).total_seconds())  # type: ignore[operator]
        print(f"probe-late {done[-1]:.4f}", flush=True)
        if len(done) == probes:
            print("quell-ready", flush=True)

    alarms = reminders._alarms  # the reminders' own scheduler: no second timer chain
    first = clock.now()
    for index in range(probes):
        moment = first + timedelta(seconds=0.5 * (index + 1))
        alarms.arm(f"probe{index}", moment, lambda m=moment: probe(m))
    code = app.exec()
    quell.stop()
    return code


def configure(home: Path) -> tuple[datetime, Path]:
    """Write the settings (and calendar) the child starts with: every presence source on
    (common.presence_settings), every reminder on, every day; one breathing reminder right
    after the idle minute (so the minute shows the cost of waiting, not of a card): the first
    whole minute at least 70 s after it. Returns the reminder's due time and the calendar."""
    sys.path.insert(0, str(ROOT))
    from common import presence_settings

    from quell.core.settings import EVERY_DAY

    now = datetime.now().astimezone()
    due = (now + timedelta(seconds=IDLE_SECONDS + 70)).replace(second=0, microsecond=0)
    calendar = presence_settings(home, stretch_days=EVERY_DAY, breathe_times=(due.time(),),
                                 quiet_hours=False)
    return due, calendar


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


# The calls that show a presence source is on (at start-up or when the reminder fell due):
# source → (service, member) pairs, any of which will do.
SOURCES = {
    "idle": (("org.gnome.Mutter.IdleMonitor", "GetIdletime"),
             ("org.freedesktop.ScreenSaver", "GetSessionIdleTime")),
    "screen lock": (("org.freedesktop.ScreenSaver", "GetActive"),
                    ("org.gnome.ScreenSaver", "GetActive"),
                    ("org.freedesktop.login1", "Get"), ("org.freedesktop.login1", "GetAll")),
    "do not disturb": (("org.freedesktop.Notifications", "Get"),
                       ("org.freedesktop.Notifications", "GetAll")),
}


def _short_rule(rule: str) -> str:
    parts = dict(part.split("=", 1) for part in rule.split(",") if "=" in part)
    member = parts.get("member", "*").strip("'")
    interface = parts.get("interface", "").strip("'").rsplit(".", 1)[-1]
    return f"{interface}.{member}" if interface else member


def main() -> int:
    from common import PYTHON, desktop_session
    from fake_desktop import fake_desktop

    home = Path(tempfile.mkdtemp(prefix="quell-bench-idle-"))
    due, calendar = configure(home)
    with desktop_session() as env, fake_desktop() as desktop:
        env = {**env, **desktop.env, "QUELL_HOME": str(home), "PYTHONPATH": str(ROOT)}
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
            start_calls = desktop.reached()
            time.sleep(IDLE_SECONDS)
            after = {p.pid: _sample(p.pid) for p in (bare, quell)}
            idle_calls = desktop.reached()
            subscribed = desktop.subscriptions(quell.pid)
            real = next((line for line in quell_seen if line.startswith("reminder-late")), None)
            if real is None:
                wait = max(10.0, (due - datetime.now(due.tzinfo)).total_seconds() + 15)
                real = _wait_for(lines, quell.pid, "reminder-late", wait, quell_seen)
            time.sleep(0.5)  # a read that answers after the reminder was shown
            due_calls = desktop.reached()
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

    def since(later: dict[str, list[str]], earlier: dict[str, list[str]]
              ) -> dict[str, list[str]]:
        return {name: members[len(earlier.get(name, [])):] for name, members in later.items()}

    # What the app asked of each service: starting, during the idle minute (nothing is due then:
    # the floor is no call at all), and once the reminder fell due (a fresh read).
    at_start = {name: members for name, members in start_calls.items() if members}
    during_idle = since(idle_calls, start_calls)
    read_at_due = since(due_calls, idle_calls)
    missing = [source for source, wanted in SOURCES.items()
               if not any(member in read_at_due.get(name, []) + at_start.get(name, [])
                          for name, member in wanted)]
    if not any(rule for _bus, rule in subscribed if "PrepareForSleep" in rule):
        missing.append("suspend (logind PrepareForSleep)")

    def calls(table: dict[str, list[str]]) -> str:
        shown = [f"{name.rsplit('.', 1)[-1] if name.count('.') > 2 else name} "
                 f"{', '.join(sorted(set(members)))}" for name, members in table.items()
                 if members]
        return "; ".join(shown) or "none"

    print(f"platform: {env.get('QT_QPA_PLATFORM')}, {IDLE_SECONDS} s idle side by side, "
          "every reminder on (card and notification), every presence source on: fake session "
          "bus (notifications, ScreenSaver, GNOME ScreenSaver, Mutter idle monitor), fake "
          f"logind, a calendar of {calendar.stat().st_size // 1024} KB, meeting apps")
    print(f"CPU: bare {bare_cpu:.2f} s, Quell {quell_cpu:.2f} s "
          f"(ratio {ratio(quell_cpu, bare_cpu)}; target <= {MAX_CPU_SECONDS} s)")
    print(f"wake-ups a minute, GUI thread: bare {bare_main:.0f}, Quell {quell_main:.0f} "
          f"(ratio {ratio(quell_main, bare_main)}; target <= {MAX_MAIN_WAKEUPS_PER_MINUTE})")
    print(f"wake-ups a minute, all threads: bare {bare_all:.0f}, Quell {quell_all:.0f} "
          f"(ratio {ratio(quell_all, bare_all)})")
    print(f"lateness: {len(probes)} scheduler probes median "
          f"{statistics.median(probes) * 1000:.1f} ms, max {max(probes) * 1000:.1f} ms; "
          f"a real reminder ({real.split()[2]}) fired {real_late * 1000:.1f} ms after it was "
          f"due, presence read included (target <= {MAX_LATE_SECONDS * 1000:.0f} ms)")
    rules = sorted({f"{bus}: {_short_rule(rule)}" for bus, rule in subscribed})
    print(f"presence, subscribed while idle: {', '.join(rules) or 'nothing'}")
    print(f"presence, called at start-up: {calls(at_start)}")
    print(f"presence, called during the idle minute: {calls(during_idle)}")
    print(f"presence, read when the reminder fell due: {calls(read_at_due)}")
    if missing:
        print(f"presence: NOT reached: {', '.join(missing)} (the figures above are then not "
              "those of every source on)")
    ok = (quell_cpu <= MAX_CPU_SECONDS and quell_main <= MAX_MAIN_WAKEUPS_PER_MINUTE
          and max([*probes, real_late]) <= MAX_LATE_SECONDS and not missing)
    return 0 if ok else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child())
    os.chdir(Path(__file__).resolve().parent)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
