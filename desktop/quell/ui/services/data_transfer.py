"""Export and import from the menu: file dialogs, the work off the GUI thread with calm
progress, and plain-spoken results."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDir, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from quell.core.errors import InputError
from quell.core.i18n import count
from quell.storage.export import ExportSummary, default_export_name, export_zip
from quell.storage.import_archive import ImportRejected
from quell.storage.importing import ImportResult, import_zip
from quell.storage.store import SqliteStore
from quell.storage.zip_format import ENTRIES, TWITCHES
from quell.ui.services.background import (
    DISK_ERRORS,
    Cancelled,
    Job,
    JobControl,
    database_connector,
    run_in_background,
)
from quell.ui.services.session import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

# Steps of the progress bar (the job reports bytes; the bar needs an int range).
PROGRESS_STEPS = 1000
# A quick export or import finishes before any dialog appears.
PROGRESS_DELAY_MS = 400


class DataTransfer(QObject):
    """Runs "Export data…" and "Import data…" for the tray menu and windows, one at a time,
    each on a worker thread with its own database connection (the GUI never waits on it).

    Signals:
        export_finished(object): the ExportSummary, or None if it failed or was cancelled.
        import_finished(object): the ImportResult, or None if nothing was imported; emitted
            after the session has announced the change (once).
        imported(): after an import went in (the session has announced the change).
    """

    export_finished = Signal(object)
    import_finished = Signal(object)
    imported = Signal()

    def __init__(self, session: Session, store: SqliteStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store
        self._connect = database_connector(store.connection)
        self._box: QMessageBox | None = None
        self._job: Job | None = None
        self._progress: QProgressDialog | None = None

    @property
    def message_box(self) -> QMessageBox | None:
        """The result or problem message shown last (non-modal), if still open."""
        return self._box

    @property
    def job(self) -> Job | None:
        """The export or import running now, if any."""
        return self._job

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._progress

    # -- export --------------------------------------------------------------------------

    def export_data(self, parent: QWidget | None = None) -> Job | None:
        """Ask where to save, then export there."""
        suggested = Path(QDir.homePath()) / default_export_name(self._session.current_day())
        name, _filter = QFileDialog.getSaveFileName(
            parent, self.tr("Export Quell data"), str(suggested),
            self.tr("ZIP archives (*.zip)"))
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".zip":
            path = path.with_suffix(".zip")
        # The dialog has asked about replacing an existing file already.
        return self.export_to(path, overwrite=True, parent=parent)

    def export_to(self, path: Path, *, overwrite: bool = False,
                  parent: QWidget | None = None) -> Job | None:
        """Start exporting to *path*; the result comes as ``export_finished``."""
        if self._refuse_second(parent):
            return None
        settings = self._session.settings()

        def work(control: JobControl) -> ExportSummary:
            return export_zip(control.connection, settings, path, overwrite=overwrite,
                              before_writing=control.point_of_no_return)

        return self._start(work, "export", parent, self.tr("Exporting data"),
                           self.tr("Gathering your data for {name}…").format(name=path.name),
                           lambda summary: self._exported(summary, parent),
                           lambda error: self._export_failed(error, parent))

    def _exported(self, summary: ExportSummary, parent: QWidget | None) -> None:
        self._end()
        self._show(parent, QMessageBox.Icon.Information, self.tr("Data exported"),
                   self.tr("Saved {entries} and {twitches} to {path}.").format(
                       entries=count("{n} entry", "{n} entries", summary.rows[ENTRIES]),
                       twitches=count("{n} twitch episode", "{n} twitch episodes",
                                      summary.rows[TWITCHES]), path=summary.path))
        self.export_finished.emit(summary)

    def _export_failed(self, error: BaseException, parent: QWidget | None) -> None:
        self._end()
        if isinstance(error, Cancelled):
            self._show(parent, QMessageBox.Icon.Information, self.tr("Export cancelled"),
                       self.tr("The export was cancelled; no file was written."))
        else:
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Export failed"),
                       _problem_text(error, self.tr("Nothing was written.")))
        self.export_finished.emit(None)

    # -- import --------------------------------------------------------------------------

    def import_data(self, parent: QWidget | None = None) -> Job | None:
        """Ask for a ZIP, then import it."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, self.tr("Import Quell data"), QDir.homePath(),
            self.tr("ZIP archives (*.zip)"))
        if not name:
            return None
        return self.import_from(Path(name), parent=parent)

    def import_from(self, path: Path, *, parent: QWidget | None = None) -> Job | None:
        """Start importing *path*; the result comes as ``import_finished``."""
        if self._refuse_second(parent):
            return None
        clock = self._session.tracker.clock
        settings = self._session.settings()
        tz, now = clock.tz, clock.now()

        def work(control: JobControl) -> ImportResult:
            return import_zip(SqliteStore(control.connection), path, tz=tz, now=now,
                              day_start_hour=settings.day_start_hour,
                              progress=control.progress,
                              before_writing=control.point_of_no_return,
                              breathe=control.breathe)

        return self._start(work, "import", parent, self.tr("Importing data"),
                           self.tr("Checking {name}…").format(name=path.name),
                           lambda result: self._imported(result, parent),
                           lambda error: self._import_failed(error, parent))

    def _imported(self, result: ImportResult, parent: QWidget | None) -> None:
        self._end()
        text = result.describe()
        if result.enabled is not None:
            # Written by the job's connection; this re-reads the app's cached list of habits.
            self._store.set_enabled_habits(list(result.enabled))
        settings = self._session.settings()
        if result.settings is not None and result.settings != settings:
            self._session.save_settings(result.settings)  # settings_changed, once
            text += " " + self.tr("Settings restored from the file.")
        self._session.notify_external_change()  # the data: changed, once
        self._show(parent, QMessageBox.Icon.Information, self.tr("Data imported"), text)
        self.import_finished.emit(result)
        self.imported.emit()

    def _import_failed(self, error: BaseException, parent: QWidget | None) -> None:
        self._end()
        if isinstance(error, Cancelled):
            self._show(parent, QMessageBox.Icon.Information, self.tr("Import cancelled"),
                       self.tr("The import was cancelled; nothing was imported."))
        elif isinstance(error, ImportRejected):
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Nothing was imported"),
                       self.tr("The file has problems, so nothing was imported. Fix them and "
                               "import it again."),
                       "\n".join(str(p) for p in error.problems)
                       + (self.tr("\n… and {n} more").format(n=error.more) if error.more
                          else ""))
        else:
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Nothing was imported"),
                       _problem_text(error, self.tr("Nothing was imported.")))
        self.import_finished.emit(None)

    # -- the job and its progress --------------------------------------------------------

    def _refuse_second(self, parent: QWidget | None) -> bool:
        if self._job is None:
            return False
        self._show(parent, QMessageBox.Icon.Information, self.tr("Please wait"),
                   self.tr("An export or import is still running; try again when it is "
                           "done."))
        return True

    def _start(self, work: Callable[[JobControl], T], name: str, parent: QWidget | None,
               title: str, label: str, on_done: Callable[[T], object],
               on_error: Callable[[BaseException], object]) -> Job:
        dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.canceled.connect(self._cancel)
        self._progress = dialog
        job = run_in_background(work, name=name, connect=self._connect, on_done=on_done,
                                on_error=on_error, on_progress=self._progressed,
                                expected=(InputError, *DISK_ERRORS))
        job.committing.connect(self._committing)
        self._job = job
        return job

    def _progressed(self, done: int, total: int) -> None:
        if self._progress is not None and total > 0:
            if self._progress.maximum() != PROGRESS_STEPS:
                self._progress.setRange(0, PROGRESS_STEPS)
            self._progress.setValue(min(PROGRESS_STEPS, done * PROGRESS_STEPS // total))

    def _committing(self) -> None:
        if self._progress is not None:
            self._progress.setRange(0, 0)
            self._progress.setLabelText(self.tr("Saving…"))
            # Writing is one transaction that finishes in a moment: no cancel from here on.
            self._progress.setCancelButton(None)

    def _cancel(self) -> None:
        if self._job is not None and self._job.cancel():
            log.info("%s cancelled by the user", self._job.name)

    def _end(self) -> None:
        dialog, self._progress, self._job = self._progress, None, None
        if dialog is not None:
            dialog.canceled.disconnect(self._cancel)
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

    def _show(self, parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
              details: str = "") -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
            box.setInformativeText(details.splitlines()[0])
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.finished.connect(self._forget_box)
        self._box = box
        box.show()

    def _forget_box(self) -> None:
        self._box = None


def _problem_text(error: BaseException, outcome: str) -> str:
    """One line for an error the user can act on (a bug's traceback went to the log)."""
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, DISK_ERRORS):
        log.warning("data transfer failed: %s", error)
        return QCoreApplication.translate(
            "DataTransfer", "Quell could not use its database or the file ({problem}). "
        ).format(problem=error) + outcome
    return QCoreApplication.translate(
        "DataTransfer", "Something went wrong (the details are in the log). ") + outcome
