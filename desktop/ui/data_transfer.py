"""Export and import from the menu: file dialogs, a wait cursor, and plain-spoken results."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDir, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core.errors import InputError
from desktop.storage.export_import import (
    ENTRIES,
    TWITCHES,
    ExportSummary,
    ImportRejected,
    ImportResult,
    default_export_name,
    export_zip,
    import_zip,
)
from desktop.storage.store import SqliteStore
from desktop.ui.session import Session

log = logging.getLogger(__name__)


class DataTransfer(QObject):
    """Runs "Export data…" and "Import data…" for the tray menu and windows.

    Signals:
        imported(): after an import added anything (the session has announced the change).
    """

    imported = Signal()

    def __init__(self, session: Session, store: SqliteStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store
        self._box: QMessageBox | None = None

    @property
    def message_box(self) -> QMessageBox | None:
        """The result or problem message shown last (non-modal), if still open."""
        return self._box

    # -- export --------------------------------------------------------------------------

    def export_data(self, parent: QWidget | None = None) -> ExportSummary | None:
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
                  parent: QWidget | None = None) -> ExportSummary | None:
        try:
            with _WaitCursor():
                summary = export_zip(self._store.connection, self._session.settings(), path,
                                     overwrite=overwrite)
        except InputError as error:
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Export failed"), str(error))
            return None
        self._show(parent, QMessageBox.Icon.Information, self.tr("Data exported"),
                   self.tr("Saved {entries} entries and {twitches} twitch episodes to {path}."
                           ).format(entries=summary.rows[ENTRIES],
                                    twitches=summary.rows[TWITCHES], path=summary.path))
        return summary

    # -- import --------------------------------------------------------------------------

    def import_data(self, parent: QWidget | None = None) -> ImportResult | None:
        """Ask for a ZIP, then import it."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, self.tr("Import Quell data"), QDir.homePath(),
            self.tr("ZIP archives (*.zip)"))
        if not name:
            return None
        return self.import_from(Path(name), parent=parent)

    def import_from(self, path: Path, *, parent: QWidget | None = None) -> ImportResult | None:
        clock = self._session.tracker.clock
        settings = self._session.settings()
        try:
            with _WaitCursor():
                result = import_zip(self._store, path, tz=clock.tz, now=clock.now(),
                                    day_start_hour=settings.day_start_hour)
        except ImportRejected as error:
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Nothing was imported"),
                       self.tr("The file has problems, so nothing was imported. Fix them and "
                               "import it again."),
                       "\n".join(str(p) for p in error.problems)
                       + (self.tr("\n… and {n} more").format(n=error.more) if error.more
                          else ""))
            return None
        except InputError as error:
            self._show(parent, QMessageBox.Icon.Warning, self.tr("Nothing was imported"),
                       str(error))
            return None
        text = result.describe()
        changed_settings = result.settings is not None and result.settings != settings
        if changed_settings:
            assert result.settings is not None
            self._session.save_settings(result.settings)
            text += " " + self.tr("Settings restored from the file.")
        else:
            self._session.notify_external_change()
        self._show(parent, QMessageBox.Icon.Information, self.tr("Data imported"), text)
        self.imported.emit()
        return result

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


class _WaitCursor:
    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()
