"""Full-screen windows: the property logic over a fake display, and the real Xlib reader
against an Xvfb where a stand-in window manager marks windows full-screen and active."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest

from quell.core.presence import Hold, HoldReason
from quell.platform import fullscreen
from quell.platform.fullscreen import (
    QUNS_ACCEPTS_NOTIFICATIONS,
    QUNS_BUSY,
    QUNS_PRESENTATION_MODE,
    QUNS_RUNNING_D3D_FULL_SCREEN,
    XA_ATOM,
    XA_CARDINAL,
    XA_WINDOW,
    FullscreenSource,
    X11Display,
    fullscreen_window,
    own_window_ids,
)
from tests.platform.fake_desktop import FakeWindowManager, xvfb

ROOT = 1
FULL = 500


class FakeDisplay:
    """Window properties as a window manager would set them."""

    def __init__(self) -> None:
        self.props: dict[tuple[int, str], tuple[int, list[int]]] = {}
        self.atoms: dict[str, int] = {"_NET_WM_STATE_FULLSCREEN": FULL,
                                      "_NET_WM_STATE_ABOVE": 501}

    def root(self) -> int:
        return ROOT

    def atom(self, name: str) -> int:
        return self.atoms.setdefault(name, 1000 + len(self.atoms))

    def cardinals(self, window: int, prop: str, kind: int) -> list[int] | None:
        entry = self.props.get((window, prop))
        if entry is None or entry[0] != kind:
            return None
        return entry[1]

    def window(self, window: int, *states: int, pid: int | None = None) -> None:
        self.props[(window, "_NET_WM_STATE")] = (XA_ATOM, list(states))
        if pid is not None:
            self.props[(window, "_NET_WM_PID")] = (XA_CARDINAL, [pid])

    def activate(self, window: int) -> None:
        self.props[(ROOT, "_NET_ACTIVE_WINDOW")] = (XA_WINDOW, [window])


def not_ours(_window: int) -> bool:
    return False


# -- the property logic --------------------------------------------------------------------

def test_the_active_window_full_screen() -> None:
    display = FakeDisplay()
    display.window(7, 501, FULL)
    assert fullscreen_window(display, not_ours) is None  # nothing active yet
    display.activate(7)
    assert fullscreen_window(display, not_ours) == 7


def test_a_full_screen_window_behind_does_not_count() -> None:
    display = FakeDisplay()
    display.window(7, FULL)
    display.window(8, 501)
    display.activate(8)
    assert fullscreen_window(display, not_ours) is None


def test_no_active_window_or_none_at_all() -> None:
    display = FakeDisplay()
    display.activate(0)
    assert fullscreen_window(display, not_ours) is None
    display.props[(ROOT, "_NET_ACTIVE_WINDOW")] = (XA_WINDOW, [])
    assert fullscreen_window(display, not_ours) is None


def test_a_window_without_state_is_not_full_screen() -> None:
    display = FakeDisplay()
    display.activate(9)
    assert fullscreen_window(display, not_ours) is None
    display.props[(9, "_NET_WM_STATE")] = (XA_CARDINAL, [FULL])  # wrong type: ignored
    assert fullscreen_window(display, not_ours) is None


def test_our_own_windows_never_count() -> None:
    display = FakeDisplay()
    display.window(7, FULL)
    display.activate(7)
    assert fullscreen_window(display, lambda window: window == 7) is None
    display.window(7, FULL, pid=os.getpid())
    assert fullscreen_window(display, not_ours) is None
    display.window(7, FULL, pid=os.getpid() + 1)
    assert fullscreen_window(display, not_ours) == 7


def test_own_window_ids_without_a_gui_is_empty(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "PySide6.QtGui", raising=False)
    assert own_window_ids() == set()


def test_own_window_ids_only_visible_ones(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    shown, hidden = QWidget(), QWidget()
    qtbot.add_widget(shown)
    qtbot.add_widget(hidden)
    shown.show()
    qtbot.wait_exposed(shown)
    ids = own_window_ids()
    assert int(shown.windowHandle().winId()) in ids
    assert hidden.windowHandle() is None  # asking did not create a native window for it


# -- the source over a fake display ----------------------------------------------------------

@pytest.fixture
def fake_display(monkeypatch) -> FakeDisplay:
    display = FakeDisplay()
    monkeypatch.setattr(X11Display, "open", classmethod(lambda cls, name=None: display))
    return display


def test_held_since_the_window_came_to_front(fake_display, clock) -> None:
    source = FullscreenSource(display=":fake", own=not_ours)
    assert source.available()
    assert source.read(clock.now()) is None
    fake_display.window(7, FULL)
    fake_display.activate(7)
    began = clock.now()
    assert source.read(began) == Hold(HoldReason.FULLSCREEN, began)
    clock.advance(minutes=20)
    assert source.read(clock.now()) == Hold(HoldReason.FULLSCREEN, began)
    fake_display.window(8, FULL)
    fake_display.activate(8)  # another full-screen window: held since it came
    assert source.read(clock.now()) == Hold(HoldReason.FULLSCREEN, clock.now())
    fake_display.window(8)
    assert source.read(clock.now()) is None


def test_poll_only(fake_display) -> None:
    source = FullscreenSource(display=":fake", own=not_ours)
    source.set_listener(lambda: None)
    source.set_listener(None)
    assert source.reason is HoldReason.FULLSCREEN


def test_unavailable_without_x11(qapp, clock, monkeypatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")  # set, but Qt draws offscreen here
    source = FullscreenSource()
    assert source.available() is False
    assert source.read(clock.now()) is None
    monkeypatch.delenv("DISPLAY")
    assert FullscreenSource().available() is False


def test_an_x_server_that_is_not_there(clock) -> None:
    source = FullscreenSource(display=":987", own=not_ours)
    assert source.available() is False
    assert source.read(clock.now()) is None


def test_windows_presentation_and_direct3d(monkeypatch, clock) -> None:
    state = [QUNS_ACCEPTS_NOTIFICATIONS]
    monkeypatch.setattr(fullscreen, "notification_state", lambda: state[0])
    monkeypatch.setattr(sys, "platform", "win32")
    source = FullscreenSource()
    assert source.available()
    assert source.read(clock.now()) is None
    state[0] = QUNS_RUNNING_D3D_FULL_SCREEN
    assert source.read(clock.now()) == Hold(HoldReason.FULLSCREEN, clock.now())
    state[0] = QUNS_PRESENTATION_MODE
    hold = source.read(clock.now())
    assert hold is not None
    state[0] = QUNS_BUSY  # busy is do-not-disturb's (its own source)
    assert source.read(clock.now()) is None


# -- a real X server ---------------------------------------------------------------------------

@pytest.fixture
def wm() -> Iterator[tuple[str, FakeWindowManager]]:
    with xvfb() as name:
        manager = FakeWindowManager(name)
        try:
            yield name, manager
        finally:
            X11Display.close_all()
            manager.close()


def test_x11_full_screen_active_window(wm, clock) -> None:
    name, manager = wm
    source = FullscreenSource(display=name, own=not_ours)
    assert source.available()
    assert source.read(clock.now()) is None  # no _NET_ACTIVE_WINDOW at all
    film = manager.window(fullscreen=True, pid=os.getpid() + 1)
    editor = manager.window(fullscreen=False)
    manager.activate(editor)
    assert source.read(clock.now()) is None
    manager.activate(film)
    began = clock.now()
    assert source.read(began) == Hold(HoldReason.FULLSCREEN, began)
    clock.advance(seconds=30)
    assert source.read(clock.now()) == Hold(HoldReason.FULLSCREEN, began)
    manager.set_fullscreen(film, False)
    assert source.read(clock.now()) is None


def test_x11_our_own_window_does_not_hold(wm, clock) -> None:
    name, manager = wm
    ours = manager.window(fullscreen=True, pid=os.getpid())
    manager.activate(ours)
    assert FullscreenSource(display=name, own=not_ours).read(clock.now()) is None
    other = manager.window(fullscreen=True)
    manager.activate(other)
    assert FullscreenSource(display=name, own=lambda w: w == other).read(clock.now()) is None


def test_x11_a_closed_active_window_is_not_a_crash(wm, clock) -> None:
    # Xlib's default error handler would end the process on this BadWindow
    name, manager = wm
    film = manager.window(fullscreen=True)
    manager.activate(film)
    source = FullscreenSource(display=name, own=not_ours)
    assert source.read(clock.now()) is not None
    manager.destroy(film)  # the root still names it
    assert source.read(clock.now()) is None
    assert source.read(clock.now() + timedelta(seconds=1)) is None


def test_without_libx11_unavailable_not_a_crash(monkeypatch, clock) -> None:
    monkeypatch.setattr(fullscreen, "_load", lambda name: None)
    source = FullscreenSource(display=":5", own=not_ours)
    assert source.available() is False
    assert source.read(clock.now()) is None


def test_without_libxss_idle_is_unknown(wm, monkeypatch) -> None:
    from quell.platform.idle import X11Idle

    name, _manager = wm
    real_load = fullscreen._load
    monkeypatch.setattr(fullscreen, "_load", lambda lib: None if lib == "Xss" else real_load(lib))
    assert X11Idle(name).idle_seconds() is None
    assert FullscreenSource(display=name, own=not_ours).available()  # libX11 alone suffices


_XCB_CHILD = """
import os, sys
from datetime import datetime
from PySide6.QtWidgets import QApplication, QWidget
from quell.platform.fullscreen import FullscreenSource, X11Display
from quell.platform.idle import X11Idle
from tests.platform.fake_desktop import FakeWindowManager
app = QApplication([])
window = QWidget()
window.showFullScreen()
app.processEvents()
manager = FakeWindowManager(os.environ["DISPLAY"])
ours = int(window.winId())
manager.set_fullscreen(ours, True)
manager.activate(ours)
source = FullscreenSource()  # the app's own: $DISPLAY, Qt on xcb, Quell's windows skipped
now = datetime.now().astimezone()
print("available", source.available(), X11Idle().available())
print("ours", source.read(now) is not None)
manager.activate(manager.window(fullscreen=True))
print("other", source.read(now) is not None)
X11Display.close_all()
manager.close()
"""


def test_under_xcb_the_default_source_skips_quell_s_windows(wm) -> None:
    import subprocess
    from pathlib import Path

    name, _manager = wm
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DISPLAY": name, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-c", _XCB_CHILD], env=env, cwd=root,
                            capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0 and "xcb" in result.stderr and "plugin" in result.stderr:
        pytest.skip(f"Qt's xcb platform does not load here: {result.stderr.strip()[-200:]}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["available True True", "ours False", "other True"]
