"""Session → Deliver headshots… in the review window: the face-anchored delivery of a headshot
day (session.delivery.deliver) with the choices a photographer makes (folder, aspect 4:5 / 1:1 / 2:3
or their own, long edge, one folder per person, picks only, level the roll, keep private
data) and the run on its own thread (one render thread: live view may be running beside it)
with progress and Cancel; the summary, with the consistency.csv written beside the pictures,
goes to the banner. GUI thread; the delivery on its thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from media.decode.jpeg_export import Credit
from session.delivery.deliver import DeliverItem, DeliverOptions, DeliverReport, deliver
from session.delivery.face_crop import parse_aspect
from session.people.house_look import HouseLook
from ui.common.plain_text import plain_label
from ui.common.settings import ARTIST, COPYRIGHT, AppSettings

ASPECTS = ("4:5", "1:1", "2:3", "3:4", "5:7")


class DeliverDialog(QDialog):
    def __init__(self, parent: QWidget, count: int, look: HouseLook, start: Path,
                 settings: AppSettings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Deliver headshots")
        self.sources: tuple[Path, ...] = ()
        form = QFormLayout(self)
        form.addRow(plain_label(f"{count} picture(s), cropped to the house look: {look.line()} "
                           f"(from {look.source})."))
        self.folder = QLineEdit(str(start))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        form.addRow("Deliver to", row)
        self.aspect = QComboBox()
        self.aspect.setEditable(True)
        self.aspect.addItems(ASPECTS)
        form.addRow("Aspect (W:H)", self.aspect)
        self.long_edge = QSpinBox()
        self.long_edge.setRange(64, 20000)
        self.long_edge.setValue(2048)
        self.long_edge.setSuffix(" px")
        form.addRow("Long edge", self.long_edge)
        self.artist = QLineEdit(settings.get(ARTIST))
        self.copyright = QLineEdit(settings.get(COPYRIGHT))
        form.addRow("Artist", self.artist)      # the same credit as every export
        form.addRow("Copyright", self.copyright)
        self.by_person = QCheckBox("One folder per person")
        self.by_person.setChecked(True)
        self.level = QCheckBox("Level the head (correct the roll) where the crop allows")
        self.keep_private = QCheckBox("Keep GPS and serial numbers")
        for box in (self.by_person, self.level, self.keep_private):
            form.addRow(box)
        self.problem = plain_label("")
        self.problem.setStyleSheet("color: #e0745f")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Deliver")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Deliver to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def options(self) -> DeliverOptions:
        """Raises ValueError with a clear message for unusable choices."""
        return DeliverOptions(Path(self.folder.text()), parse_aspect(self.aspect.currentText()),
                              self.long_edge.value(), 90, not self.keep_private.isChecked(),
                              Credit(self.artist.text().strip(), self.copyright.text().strip()),
                              by_person=self.by_person.isChecked(),
                              level=self.level.isChecked()).checked(self.sources)

    def _accept(self) -> None:
        try:
            self.options()
        except ValueError as exc:
            self.problem.setText(str(exc))
            return
        self.settings.set(ARTIST, self.artist.text().strip())
        self.settings.set(COPYRIGHT, self.copyright.text().strip())
        self.accept()


class DeliverJob(QObject):
    """One delivery on its own thread; progress and the report come back as signals."""

    progressed = Signal(int, int, str)
    finished = Signal(object)               # DeliverReport

    def __init__(self, items: list[DeliverItem], look: HouseLook, options: DeliverOptions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(items, look, options),
                                        name="deliver", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float = 60.0) -> None:
        self._thread.join(timeout)

    def _run(self, items: list[DeliverItem], look: HouseLook, options: DeliverOptions) -> None:
        try:
            report = deliver(items, look, options, self.cancel, self.progressed.emit)
        except (OSError, ValueError) as exc:
            report = DeliverReport(len(items), stopped=str(exc))
        self.finished.emit(report)
