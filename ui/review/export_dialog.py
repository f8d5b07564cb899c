"""The export dialog: destination, originals and/or delivery JPEGs (long edge, quality,
privacy, the photographer's credit), the naming template, all remembered in the settings;
fields that do nothing for the choices made are disabled, and the dialog says where each kind
of file goes. Then a progress bar with Cancel while the export runs on its own thread. GUI
thread; the export itself never runs here."""

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
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from media.decode.jpeg_export import Credit
from session.delivery.export import ORIGINALS_FOLDER, ExportOptions, ExportReport, export_shots
from session.model.live_session import Shot
from ui.common.plain_text import plain_label
from ui.common.settings import (
    ARTIST,
    COPYRIGHT,
    EXPORT_FOLDER,
    EXPORT_JPEG,
    EXPORT_LONG_EDGE,
    EXPORT_ORIGINALS,
    EXPORT_QUALITY,
    EXPORT_STRIP,
    EXPORT_TEMPLATE_KEY,
    AppSettings,
)


class ExportDialog(QDialog):
    """Asks for ExportOptions; ``options()`` is valid after exec() returns Accepted (and the
    choices are then remembered)."""

    def __init__(self, parent: QWidget | None, count: int, what: str,
                 destination: Path, sources: tuple[Path, ...] = (),
                 settings: AppSettings | None = None) -> None:
        """``destination``: the folder to offer when none is remembered; ``sources``: the
        folders the shots come from (never a destination)."""
        super().__init__(parent)
        self.sources = sources
        self.settings = settings
        self.count = count
        self.setWindowTitle("Export")
        self.setMinimumWidth(620)
        get = settings.get if settings is not None else (lambda key: key.default)
        self.folder = QLineEdit(get(EXPORT_FOLDER) or str(destination), self)
        self.folder.setMinimumWidth(420)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.originals = QCheckBox("Verified copies of the originals (with their XMP "
                                   "sidecars)", self)
        self.originals.setChecked(get(EXPORT_ORIGINALS))
        self.jpeg = QCheckBox("Delivery JPEGs (sRGB, resized)", self)
        self.jpeg.setChecked(get(EXPORT_JPEG))
        self.long_edge = QSpinBox(self)
        self.long_edge.setRange(64, 20000)
        self.long_edge.setValue(int(get(EXPORT_LONG_EDGE)))
        self.long_edge.setSuffix(" px")
        self.quality = QSpinBox(self)
        self.quality.setRange(1, 100)
        self.quality.setValue(int(get(EXPORT_QUALITY)))
        self.strip = QCheckBox("Remove GPS location and serial numbers", self)
        self.strip.setChecked(get(EXPORT_STRIP))
        self.artist = QLineEdit(get(ARTIST), self)
        self.artist.setPlaceholderText("e.g. Maria Lopez")
        self.copyright = QLineEdit(get(COPYRIGHT), self)
        self.copyright.setPlaceholderText("e.g. © 2026 Lopez Studio")
        self.jpeg_box = QGroupBox("Delivery JPEGs", self)
        jpeg_form = QFormLayout(self.jpeg_box)
        jpeg_form.addRow("Long edge", self.long_edge)
        jpeg_form.addRow("Quality", self.quality)
        jpeg_form.addRow(self.strip)
        jpeg_form.addRow("Artist", self.artist)
        jpeg_form.addRow("Copyright", self.copyright)
        self.template = QLineEdit(get(EXPORT_TEMPLATE_KEY), self)
        self.template.setToolTip("Tokens: {orig} {session} {seq:04d} {date} {time}")
        self.layout_note = plain_label("", self)
        self.layout_note.setWordWrap(True)
        self.layout_note.setStyleSheet("color: palette(mid);")
        self.error = plain_label("", self)
        self.error.setStyleSheet("color: #c33;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Folder", row)
        form.addRow(self.originals)
        form.addRow(self.jpeg)
        form.addRow(self.jpeg_box)
        form.addRow("File names", self.template)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>Export {count} {what}</b>", self))
        layout.addLayout(form)
        layout.addWidget(self.layout_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for widget in (self.originals, self.jpeg):
            widget.toggled.connect(self._update)
        self.folder.textChanged.connect(self._update)
        self.long_edge.valueChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        """Only what the choices use is enabled; the note says where the files will go."""
        jpeg, originals = self.jpeg.isChecked(), self.originals.isChecked()
        self.jpeg_box.setEnabled(jpeg)
        self.template.setEnabled(jpeg or originals)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(jpeg or originals)
        folder = self.folder.text().strip() or "…"
        where = ([f"{self.count} original(s) in {folder}/{ORIGINALS_FOLDER}"]
                 if originals else []) + \
            ([f"{self.count} JPEG(s) in {folder}/JPEG {self.long_edge.value()}px"]
             if jpeg else [])
        self.layout_note.setText(" and ".join(where) if where else
                                 "Choose originals, JPEGs or both.")

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExportOptions:
        return ExportOptions(Path(self.folder.text()).expanduser(), self.originals.isChecked(),
                             self.jpeg.isChecked(), self.long_edge.value(),
                             self.quality.value(), self.strip.isChecked(),
                             self.template.text().strip(),
                             Credit(self.artist.text().strip(), self.copyright.text().strip()))

    def _remember(self) -> None:
        settings = self.settings
        if settings is None:
            return
        settings.set(EXPORT_FOLDER, self.folder.text().strip())
        settings.set(EXPORT_ORIGINALS, self.originals.isChecked())
        settings.set(EXPORT_JPEG, self.jpeg.isChecked())
        settings.set(EXPORT_LONG_EDGE, float(self.long_edge.value()))
        settings.set(EXPORT_QUALITY, float(self.quality.value()))
        settings.set(EXPORT_STRIP, self.strip.isChecked())
        settings.set(EXPORT_TEMPLATE_KEY, self.template.text().strip())
        settings.set(ARTIST, self.artist.text().strip())
        settings.set(COPYRIGHT, self.copyright.text().strip())

    def _accept(self) -> None:
        try:
            self.options().checked(self.sources)
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self._remember()
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
