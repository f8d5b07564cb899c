"""The export dialog: destination, originals and/or delivery JPEGs (long edge, quality,
privacy), the naming template; then a progress bar with Cancel while the export runs on its
own thread. GUI thread; the export itself never runs here."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from session.export import EXPORT_TEMPLATE, ExportOptions, ExportReport, export_shots
from session.live_session import Shot


class ExportDialog(QDialog):
    """Asks for ExportOptions; ``options()`` is valid after exec() returns Accepted."""

    def __init__(self, parent: QWidget | None, count: int, what: str,
                 destination: Path, sources: tuple[Path, ...] = ()) -> None:
        """``sources``: the folders the shots come from (never a destination)."""
        super().__init__(parent)
        self.sources = sources
        self.setWindowTitle("Export")
        self.folder = QLineEdit(str(destination), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.originals = QCheckBox("Verified copies of the originals (with XMP sidecars)", self)
        self.originals.setChecked(True)
        self.jpeg = QCheckBox("Delivery JPEGs (sRGB)", self)
        self.long_edge = QSpinBox(self)
        self.long_edge.setRange(64, 20000)
        self.long_edge.setValue(2048)
        self.long_edge.setSuffix(" px")
        self.quality = QSpinBox(self)
        self.quality.setRange(1, 100)
        self.quality.setValue(90)
        self.strip = QCheckBox("Remove GPS location and serial numbers from JPEGs", self)
        self.strip.setChecked(True)
        self.template = QLineEdit(EXPORT_TEMPLATE, self)
        self.template.setToolTip("Tokens: {orig} {session} {seq:04d} {date} {time}")
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #c33;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Export {count} {what}.", self))
        form.addRow("Folder", row)
        form.addRow(self.originals)
        form.addRow(self.jpeg)
        form.addRow("Long edge", self.long_edge)
        form.addRow("JPEG quality", self.quality)
        form.addRow(self.strip)
        form.addRow("File names", self.template)
        form.addRow(self.error)
        form.addRow(buttons)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExportOptions:
        return ExportOptions(Path(self.folder.text()).expanduser(), self.originals.isChecked(),
                             self.jpeg.isChecked(), self.long_edge.value(),
                             self.quality.value(), self.strip.isChecked(),
                             self.template.text().strip())

    def _accept(self) -> None:
        try:
            self.options().checked(self.sources)
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ExportJob(QObject):
    """One export on its own thread; progress and the final report come back as signals."""

    progressed = Signal(int, int, str)      # done, total, file name
    finished = Signal(object)               # ExportReport

    def __init__(self, shots: list[Shot], session_name: str, options: ExportOptions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(shots, session_name, options), name="export", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float = 30.0) -> None:
        self._thread.join(timeout)

    def _run(self, shots: list[Shot], session_name: str, options: ExportOptions) -> None:
        try:
            report = export_shots(shots, session_name, options, self.cancel,
                                  self.progressed.emit)
        except (OSError, ValueError) as exc:
            report = ExportReport(len(shots), stopped=str(exc))
        self.finished.emit(report)
