"""The About box: what Quell is, who it is for, where your data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from quell import APP_NAME, __version__
from quell.ui.common.resources import app_icon


class AboutDialog(QDialog):
    """Quell's purpose, its limits (adults, not a doctor), privacy and the data folder."""

    def __init__(self, data_folder: str, log_file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Quell"))
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(icon)
        title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.body = QLabel(
            self.tr(
                "<p>A calm companion for people bothered by muscle twitches: it tracks the "
                "everyday habits behind them so you can see what helps.</p>"
                "<p><b>Quell is for adults. It does not diagnose anything and is not a "
                "substitute for a doctor.</b> If something worries you, or a twitch comes with "
                "weakness, muscle wasting, or trouble speaking, swallowing or breathing, see a "
                "doctor.</p>"
                "<p>Everything stays on this computer: Quell never uses the network.<br>"
                "Your data: {data}<br>Log: {log}</p>"
            ).format(data=data_folder, log=log_file))
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
