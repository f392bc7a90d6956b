"""Starting the tray app: one instance, the user's data, the tray, the windows, the server."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from quell import APP_ID, APP_NAME, __version__
from quell.app.context import Context, open_context
from quell.app.instance import InstanceLock
from quell.app.logs import disable_crash_trail, enable_crash_trail
from quell.app.windows import WindowParts, Windows
from quell.core import i18n
from quell.core.clock import Clock
from quell.files import Paths
from quell.storage.database import (
    GUI_BUSY_TIMEOUT,
    DatabaseLocked,
    StorageError,
    backup_daily,
)
from quell.ui.services.session import Session
from quell.ui.shell.menus import AppActions
from quell.ui.shell.tray import TrayController

if TYPE_CHECKING:
    from datetime import date

    from quell.app.server import CommandServer, InBackground
    from quell.core.report import Report
    from quell.scheduling.reminders import Reminders
    from quell.storage.history_store import HistoryStore
    from quell.ui.services.background import Connect, JobControl
    from quell.ui.services.data_transfer import DataTransfer
    from quell.ui.services.symptom_session import SymptomSession

log = logging.getLogger("quell")

# Socket requests that go to a worker thread with their own connection when the database is
# locked: writes of entries and twitches, which touch nothing but the database.
BACKGROUND_OPS = frozenset({"log", "twitch", "rate"})
# How long such a request waits for another program's write lock: longer than a 20-year
# `quell import` holds it (0.6 s), short enough that a lock held for good is answered with its
# cause well within the command line's patience (ipc.TIMEOUT_SECONDS, 5 s).
REQUEST_BUSY_TIMEOUT_MS = 2000


def run_gui(paths: Paths, clock: Clock, *, background: bool = False) -> int:
    """Start Quell in the tray (or hand over to the running one); return the exit status.

    *background* (`quell --background`, how it starts at login): open no window.
    """
    started = time.perf_counter()
    if "ssl" not in sys.modules:
        # Quell never opens a network connection. Without this, asyncio (which APScheduler
        # imports) loads OpenSSL for nothing: 6 MB of memory for the life of the tray app.
        sys.modules["ssl"] = None  # type: ignore[assignment]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    QGuiApplication.setDesktopFileName(APP_ID)
    from quell.ui.common.resources import app_icon

    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    i18n.install(lambda text: QCoreApplication.translate("quell", text),
                 lambda _one, many, n: QCoreApplication.translate("quell", many, None, n))

    try:
        lock = InstanceLock(paths)
    except StorageError as error:  # the runtime folder is someone else's: say so, stop
        return _fatal(str(error))
    except OSError as error:
        return _fatal(f"Quell cannot create its runtime folder {paths.runtime}: "
                      f"{error.strerror}.")
    if not lock.acquire():  # at login, a Quell already running is all that was wanted
        return 0 if background else _hand_over(paths)

    enable_crash_trail(paths)
    log.info("Quell %s starting (Qt platform %s)", __version__, app.platformName())
    try:
        # A short busy timeout: a lock held by another program must not freeze the tray for
        # seconds on every write; the write fails at once with a notice saying why.
        context = open_context(clock, paths, busy_timeout=GUI_BUSY_TIMEOUT)
    except StorageError as error:
        lock.release()
        return _fatal(str(error))

    quell = QuellApp(app, context, paths)
    sys.excepthook = quell.excepthook
    _quit_on_signals(app, quell.quit)
    quell.start(background=background)
    log.info("tray ready in %.0f ms", (time.perf_counter() - started) * 1000)
    report = bool(os.environ.get("QUELL_REPORT_READY"))
    if report:
        # For `make bench`: the moment the tray is up, as seen from outside the process.
        QTimer.singleShot(0, lambda: print("quell-ready", flush=True))
    # The command server and the reminders (their imports cost more than the tray itself)
    # start right after the tray is up; a second launch meanwhile waits for the server.
    QTimer.singleShot(0, lambda: quell.start_services(report=report))
    try:
        return app.exec()
    finally:
        quell.stop()
        lock.release()
        disable_crash_trail()


class QuellApp:
    """The running app's parts, wired once."""

    def __init__(self, app: QApplication, context: Context, paths: Paths) -> None:
        self._app = app
        self._context = context
        self._paths = paths
        self.session = Session(context.tracker, context.settings, context.settings.save)
        # One set of actions for the tray menu and the main window's menu bar.
        self.actions = AppActions(self.session)
        self._symptoms: SymptomSession | None = None  # built when a symptom window first asks
        self.windows = Windows(self.session, str(paths.data), str(paths.log_file),
                               actions=self.actions, parts=self._window_parts())
        self._transfer: DataTransfer | None = None
        self.tray = TrayController(self.session, actions=self.actions)
        self.server: CommandServer | None = None
        self._request_connect: Connect | None = None
        self._stopped = False
        self.error_box: QWidget | None = None
        self.storage_notice: QMessageBox | None = None
        self.reminders: Reminders | None = None
        self.welcome: QWidget | None = None  # the first-run welcome, while it is open

        self.tray.open_today.connect(self.windows.show_today)
        self.tray.open_settings.connect(self.windows.show_settings)
        self.tray.open_about.connect(self.windows.show_about)
        self.tray.open_history.connect(self.windows.show_history)
        self.tray.export_requested.connect(lambda: self.transfer.export_data())
        self.tray.import_requested.connect(lambda: self.transfer.import_data())
        self.tray.open_twitch_log.connect(self.windows.show_twitch_log)
        self.tray.open_symptom_check.connect(self.windows.show_symptom_check)
        self.tray.open_emergency_signs.connect(self.windows.show_emergency_signs)
        self.tray.open_twitch_rating.connect(lambda: self.windows.show_twitch_rating())
        self.tray.open_twitch_diary.connect(self.windows.show_twitch_diary)
        self.tray.open_check_history.connect(self.windows.show_check_history)
        self.tray.open_report.connect(self.windows.show_report_dialog)
        self.tray.open_log_dialog.connect(self.windows.show_log_dialog)
        self.tray.message.connect(self.windows.show_message)
        self.tray.quit_requested.connect(self.quit)
        self.session.day_changed.connect(self._daily_backup)

    def _window_parts(self) -> WindowParts:
        """The stores behind History, the symptom windows and the report, built here (the one
        composition root) when a window first asks; their imports wait until then too."""
        connection = self._context.store.connection
        clock, settings = self._context.tracker.clock, self._context.settings

        def history() -> HistoryStore:
            from quell.storage.history_store import HistoryStore

            return HistoryStore(connection)

        def symptoms() -> SymptomSession:
            from quell.storage.check_store import SqliteCheckStore
            from quell.storage.twitch_store import SqliteTwitchStore
            from quell.ui.services.symptom_session import SymptomSession

            self._symptoms = SymptomSession(self.session, SqliteTwitchStore(connection),
                                            SqliteCheckStore(connection), parent=self.windows)
            return self._symptoms

        def gather_report(control: JobControl, first: date, last: date) -> Report:
            """On the report job's worker thread, from its own connection."""
            from quell.core.tracker import Tracker
            from quell.storage.check_store import SqliteCheckStore
            from quell.storage.store import SqliteStore
            from quell.storage.twitch_store import SqliteTwitchStore
            from quell.ui.services.report import collect_report

            job_db = control.connection
            now_settings = settings()  # one snapshot for the whole report
            tracker = Tracker(SqliteStore(job_db), clock, lambda: now_settings)
            return collect_report(tracker, SqliteTwitchStore(job_db), SqliteCheckStore(job_db),
                                  first, last, water_unit=now_settings.water_unit)

        database = self._context.database.path

        def connect() -> sqlite3.Connection:
            """The report job's own connection, opened on its worker thread."""
            from quell.ui.services.background import database_connector

            return database_connector(database)()

        return WindowParts(history=history, symptoms=symptoms, gather_report=gather_report,
                           connect=connect)

    @property
    def transfer(self) -> DataTransfer:
        """Export and import, set up on first use (start-up does not pay for it)."""
        from quell.ui.services.data_transfer import DataTransfer

        if self._transfer is None:
            self._transfer = DataTransfer(self.session, self._context.store)
            self._transfer.imported.connect(self._symptoms_changed_outside)
        return self._transfer

    def start(self, *, background: bool = False) -> None:
        """Show the tray (or, with no tray, the Today window); with *background* no window,
        also without a tray (the reminders still come). The first run shows the welcome."""
        tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if tray_available:
            self.tray.show()
        else:
            # No tray (e.g. GNOME without the AppIndicator extension): the main window is the
            # way in. Closing it keeps Quell running for the reminders (the window says so).
            log.warning("no system tray available; %s", "no window in the background"
                        if background else "showing the main window instead")
            self.tray.show()
            if not background:
                self.windows.show_today()
        if not self.session.settings().welcomed:
            from quell.ui.shell.welcome import show_welcome_once

            self.welcome = show_welcome_once(self.session, tray_available=tray_available)
        for notice in self._context.database.notices:
            QTimer.singleShot(0, lambda n=notice: self.windows.show_message(APP_NAME, n))

    def start_services(self, *, report: bool = False) -> None:
        """What runs behind the tray: the command server, then the reminders."""
        self.start_server()
        self.start_reminders(report=report)

    def start_server(self) -> None:
        from quell.app.server import CommandServer

        self.server = CommandServer(self._paths, self.handle_request)
        self.server.listen()

    def start_reminders(self, *, report: bool = False) -> None:
        """Arm the relief reminders and add their menu to the tray."""
        from quell.platform.presence_sources import default_sources
        from quell.scheduling.presence import Presence
        from quell.scheduling.reminders import Reminders
        from quell.storage.reminder_events import ReminderEventStore
        from quell.ui.reminders.menu import ReminderTrayMenu
        from quell.ui.reminders.presenter import ReminderPresenter

        started = time.perf_counter()
        connection = self._context.store.connection
        clock = self._context.tracker.clock
        # Reminders wait while the user is away, the screen is locked, do-not-disturb is on, a
        # full-screen window is in front or a meeting is on; nothing is read until one is due.
        self.presence = Presence(default_sources(self.session.settings), self.session.settings,
                                 clock, self.tray)
        self.reminders = Reminders(self.session, ReminderEventStore(connection), clock,
                                   presence=self.presence)
        self.reminder_presenter = ReminderPresenter(self.reminders, self.session, self.tray.icon)
        self.reminder_menu = ReminderTrayMenu(self.reminders, self.reminder_presenter)
        self.reminder_presenter.open_log_dialog.connect(self.windows.show_log_dialog)
        self.reminder_presenter.open_twitch_rating.connect(
            lambda: self.windows.show_twitch_rating())
        self.reminder_menu.open_settings.connect(lambda: self.windows.show_settings("reminders"))
        self.reminders.pause_changed.connect(self.tray.refresh)
        self.reminders.schedule_changed.connect(self.tray.refresh)
        self.reminders.hold_changed.connect(self.tray.refresh)
        self.tray.set_reminder_menu(self.reminder_menu, self.reminder_menu.status_text)
        self.windows.set_reminders(self.reminder_menu, (
            self.reminders.schedule_changed, self.reminders.pause_changed,
            self.reminders.hold_changed))
        self.reminders.start()
        log.info("reminders armed in %.0f ms", (time.perf_counter() - started) * 1000)
        if report:
            print("quell-reminders-ready", flush=True)

    def quit(self) -> None:
        """Quit Quell (Quit in a menu, a signal). The main window is hidden first: Qt closes
        every window before it quits, and without a tray the main window answers a close by
        asking whether to keep running, which would refuse the quit."""
        self.windows.hide_all()
        self._app.quit()

    def stop(self) -> None:
        """Stop everything (once: a second call does nothing)."""
        if self._stopped:
            return
        if self.welcome is not None:
            self.welcome.hide()
            self.welcome.deleteLater()
        if self.reminders is not None:
            self.reminders.stop()
        if self.server is not None:
            self.server.close()
            # A request still writing on its own connection finishes (or gives up) first;
            # its reply has nowhere to go now, and the views are not told.
            for job in self.server.jobs:
                job.wait(REQUEST_BUSY_TIMEOUT_MS / 1000 + 1)
        self._stopped = True
        self.windows.hide_all()
        self.tray.hide()
        self._context.close()
        log.info("Quell stopped")

    def handle_request(self, request: dict[str, Any]) -> dict[str, Any] | InBackground:
        """Carry out one request from the socket (logged once it succeeded: a refused one is
        logged by the server, so each request writes one line).

        A write of entries or twitches (``log``, ``twitch``) that finds the database locked by
        another program (a `quell import` holds the lock for half a second at 20 years) does
        not wait on the GUI thread: it is carried out again through the background helper, on
        its own connection that waits for the lock, and the views re-read when it is done.
        """
        from quell.app.reminder_requests import answer  # `quell reminders` and `remind`

        answered = answer(request, self)
        if answered is not None:
            return answered
        op = request.get("op")
        if op == "raise":
            log.info("request 'raise' from another process")
            self.windows.show_today()
            return {"ok": True, "output": ""}
        from quell.app.cli import carry_out  # not needed until the first command

        if op in BACKGROUND_OPS:
            try:
                with _no_waiting(self._context.store.connection):
                    outcome = carry_out(request, self._context)
            except DatabaseLocked:  # rolled back: nothing was written, so try again there
                from quell.app.server import InBackground

                log.info("request %r waits for the database in the background", op)
                return InBackground(lambda control: self._carry_out_on(control, request),
                                    connect=self._request_connector, then=self._carried_out)
        else:
            outcome = carry_out(request, self._context)
        reply = {"ok": True, "output": outcome.output, "repeated": outcome.repeated}
        self._carried_out({**reply, "op": op})
        return reply

    def _carry_out_on(self, control: JobControl, request: dict[str, Any]) -> dict[str, Any]:
        """On a request job's worker thread: *request* carried out with the job's own
        connection (and a tracker and store on it; the settings are the app's)."""
        import dataclasses

        from quell.app.cli import carry_out
        from quell.core.tracker import Tracker
        from quell.storage.store import SqliteStore

        context = self._context
        db = control.connection
        store = SqliteStore(db)
        job_context = Context(context.paths, context.settings,
                              dataclasses.replace(context.database, connection=db, notices=[]),
                              store, Tracker(store, context.tracker.clock, context.settings))
        outcome = carry_out(request, job_context)
        return {"ok": True, "output": outcome.output, "repeated": outcome.repeated,
                "op": request.get("op")}

    def _carried_out(self, reply: dict[str, Any]) -> None:
        """On the GUI thread, once a request was carried out: log it, let every view re-read
        (a command may change entries or settings, a pause say)."""
        op = reply.pop("op", None)
        log.info("request %r from another process%s", op,
                 " (carried out before: not again)" if reply["repeated"] else "")
        if not reply["repeated"] and not self._stopped:
            self.session.notify_external_change(settings=True)
            from quell.app.ipc import Op

            # `quell twitch`, `quell rate`, `quell import`
            if op in (Op.TWITCH.value, Op.RATE.value, Op.IMPORTED.value):
                self._symptoms_changed_outside(checks=op == Op.IMPORTED.value)

    def _symptoms_changed_outside(self, *, checks: bool = True) -> None:
        """Twitches (and checks) changed outside the symptom windows: let them re-read."""
        if self._symptoms is not None:
            self._symptoms.notify_external_change(checks=checks)

    @property
    def _request_connector(self) -> Connect:
        from quell.ui.services.background import database_connector

        if self._request_connect is None:
            self._request_connect = database_connector(
                self._context.store.connection, busy_timeout_ms=REQUEST_BUSY_TIMEOUT_MS)
        return self._request_connect

    def excepthook(self, kind: type[BaseException], error: BaseException,
                   tb: TracebackType | None) -> None:
        if isinstance(error, StorageError):
            # The user's disk, not a bug (locked, read-only, full, ...): the transaction was
            # rolled back, so nothing is half-written; say what happened and how to fix it.
            log.warning("storage problem: %s", error)
            self.show_storage_notice(str(error))
            return
        text = "".join(traceback.format_exception(kind, error, tb))
        log.critical("uncaught exception:\n%s", text)
        if self.error_box is not None:  # one at a time: never a cascade of dialogs
            return
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME,
                          QCoreApplication.translate(
                              "quell", "Something went wrong in Quell. Your data is safe; "
                              "the details were written to the log."))
        box.setInformativeText(f"{kind.__name__}: {error}")
        box.setDetailedText(f"Log: {self._paths.log_file}\n\n{text}")
        box.setModal(False)
        box.finished.connect(self._error_box_closed)
        self.error_box = box
        box.show()

    def show_storage_notice(self, message: str) -> None:
        """A non-modal warning with *message*; one at a time (a later one replaces the text)."""
        box = self.storage_notice
        if box is not None:
            box.setText(message)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message)
        box.setModal(False)
        box.finished.connect(self._storage_notice_closed)
        self.storage_notice = box
        box.show()

    def _storage_notice_closed(self) -> None:
        if self.storage_notice is not None:
            self.storage_notice.deleteLater()
        self.storage_notice = None

    def _error_box_closed(self) -> None:
        if self.error_box is not None:
            self.error_box.deleteLater()
        self.error_box = None

    def _daily_backup(self) -> None:
        try:
            backup_daily(self._context.database.connection, self._paths.backups,
                         self.session.current_day())
        except Exception:
            log.exception("daily backup failed")


@contextlib.contextmanager
def _no_waiting(db: sqlite3.Connection) -> Iterator[None]:
    """*db* gives up at once on a lock held by another program (DatabaseLocked), instead of
    waiting its busy timeout; the timeout is restored afterwards."""
    waited = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
    db.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        db.execute(f"PRAGMA busy_timeout = {waited}")


def _quit_on_signals(app: QApplication, quit_app: Callable[[], None]) -> None:
    """Quit cleanly (closing the database, removing the socket) on SIGTERM, SIGINT or SIGHUP.

    Python runs signal handlers only when it gets control, which an idle Qt loop never gives
    it; the wake-up pipe makes the loop notice the signal at once, without polling.
    """
    if os.name != "posix":
        return
    import signal

    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd)
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda: os.read(read_fd, 64))  # handlers run on return
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda *_args: quit_app())


def _hand_over(paths: Paths) -> int:
    """Another Quell holds the lock: ask it to show itself, then leave quietly."""
    from quell.app import ipc

    for _attempt in range(20):  # the other one may still be starting up
        try:
            reply = ipc.send(paths, {"op": "raise"})
        except ipc.AppNotResponding:
            break
        except ipc.AppStopped:
            reply = None  # it is quitting or restarting: ask again
        except ipc.VersionMismatch as error:  # a running Quell of another version
            print(f"quell: {error}", file=sys.stderr)
            return 1
        if reply is not None:
            if not reply.get("ok"):  # e.g. a running Quell of another version
                print(f"quell: {reply.get('error')}", file=sys.stderr)
                return 1
            log.info("Quell is already running; raised it")
            return 0
        time.sleep(0.1)
    print("quell: Quell is already running.", file=sys.stderr)
    return 0


def _fatal(message: str) -> int:
    log.error(message)
    print(f"quell: {message}", file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(None, APP_NAME, message)
    return 1
