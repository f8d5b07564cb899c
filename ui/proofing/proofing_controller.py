"""Client → Share to phones: the proofing server for this session (off until asked; in a
process of its own, session.proofing.proofing_process), a large QR code of the link to scan from
across the room, *New link* and *Stop sharing* (revoked at once, open pages told), one link
per person on a headshot day, and favourites coming home into the one session model (badge
"♥ client", Client → Show only client favourites in the filmstrip). The server hears of
every change of the model as a new immutable view. GUI thread; the server in its own
process; links read and written on background threads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import zxingcpp
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coaching.cli.proof_cli import link_url
from session.culling.client_favourites import ClientFavourite
from session.culling.retouch_notes import RetouchNote
from session.model.live_session import SessionModel, assignments
from session.people.lead_verdicts import LeadVerdict
from session.people.roster import Person
from session.proofing.lan_address import default_bind, faces_internet, local_addresses
from session.proofing.proof_links import LEAD, Link, LinkStore, links_for_day
from session.proofing.proof_view import build_view
from session.proofing.proofing_process import ProofingProcess
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.plain_text import plain_label
from ui.common.session_bridge import SessionBridge, rebind
from ui.tether.capture_key import SPACE_CAPTURES
from ui.tether.tether_window import TetherWindow

PORT = 8717          # the same port each time (falls back to any free one), so links last


def qr_pixmap(text: str, side: int) -> QPixmap:
    pixels = np.ascontiguousarray(np.asarray(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=10)))
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(image).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation)


def _revoke(folder: Path) -> None:
    store = LinkStore(folder)
    try:
        store.revoke_all()
    finally:
        store.close()


class ShareDialog(QDialog):
    """The link as a QR code the size of the dialog, its text, the address, the people."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setProperty(SPACE_CAPTURES, True)   # open beside the shoot: Space never renews
        self.setWindowTitle("Share to phones")
        self.resize(760, 900)
        layout = QVBoxLayout(self)
        self.title = QLabel("Scan to see the pictures as they are taken")
        font = QFont(self.title.font())
        font.setPixelSize(26)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code = QLabel()
        self.code.setObjectName("shareCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("background: white; padding: 12px")
        self.link = plain_label()
        self.link.setObjectName("shareLink")
        self.link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        self.address = QComboBox()
        self.address.setToolTip("The network the phones are on")
        self.people = QListWidget()
        self.people.setMaximumHeight(140)
        self.renew = QPushButton("New link")
        self.stop = QPushButton("Stop sharing")
        row.addWidget(QLabel("Address"))
        row.addWidget(self.address, 1)
        row.addWidget(self.renew)
        row.addWidget(self.stop)
        layout.addWidget(self.title)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.link)
        layout.addLayout(row)
        layout.addWidget(self.people)

    def show_link(self, heading: str, url: str) -> None:
        self.title.setText(heading)
        side = max(240, min(self.width() - 60, self.height() - 320))
        self.code.setPixmap(qr_pixmap(url, side))
        self.link.setText(url)


class ProofingController(QObject):
    favoured = Signal(str, object)         # shot key, ClientFavourite (from the server)
    pinned = Signal(str, object)           # shot key, its retouch notes (a client pinned one)
    ended = Signal(str)                    # the server's process ended by itself: why
    judged = Signal(object)                # LeadVerdict: the lead's veto or note on a person

    def __init__(self, window: TetherWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.model: SessionModel | None = None
        self.server: ProofingProcess | None = None
        self.dialog: ShareDialog | None = None
        self.version = 0
        self._starting = False
        self._bridge: SessionBridge | None = None
        self._publish_soon = QTimer(self)
        self._publish_soon.setSingleShot(True)
        self._publish_soon.setInterval(0)       # coalesce a burst of events into one view
        self._publish_soon.timeout.connect(self.publish)
        window.aspect_changed.connect(lambda _name: self._publish_soon.start())  # the crop
        self.favoured.connect(self._favoured)
        self.pinned.connect(self._pinned)
        self.judged.connect(self._judged)
        self.ended.connect(self._ended)
        menu.addSeparator()
        add_action(window, menu, "&Share to phones…", self.share, "Ctrl+Shift+S")
        add_action(window, menu, "&New link (the old one stops working)", self.new_link)
        add_action(window, menu, "S&top sharing", self.stop_sharing)
        menu.addSeparator()
        add_action(window, menu, "Show only client &favourites in the filmstrip",
                   window.filmstrip.show_favourites_only, "", True)

    # --- the session ------------------------------------------------------------------------
    @property
    def links(self) -> tuple[Link, ...]:
        """The links being served, as the session model holds them."""
        return self.model.links if self.model is not None else ()

    def people(self) -> list[Person]:
        """The day's roster, from the session model."""
        return list(self.model.people) if self.model is not None else []

    def assigned(self) -> dict[str, str]:
        """Shot file name -> person id, from the session model's shots."""
        shots = self.model.shots if self.model is not None else ()
        return assignments(shots)

    def follow(self, model: SessionModel) -> None:
        if self.server is not None and model is not self.model:
            self.stop_sharing()
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        for signal in (self._bridge.switched, self._bridge.shot_added,
                       self._bridge.shot_changed, self._bridge.shot_missing,
                       self._bridge.people_changed, self._bridge.approvals_changed):
            signal.connect(lambda *_: self._publish_soon.start())

    def publish(self) -> None:
        if self.server is None or self.model is None or not self.model.loaded:
            return
        self.version += 1
        self.server.publish(build_view(self.model, self.assigned(), self.version,
                                       crop=self.window.live_view.aspect.ratio))

    def _favoured(self, key: str, said: ClientFavourite) -> None:
        if self.model is not None:
            self.model.set_client(key, said)

    def _pinned(self, key: str, notes: tuple[RetouchNote, ...]) -> None:
        if self.model is not None:
            self.model.set_notes(key, notes)
            shot = self.model.shot(key)
            if shot is not None and notes:
                self.window.banner.show_message(
                    f"A client pinned a retouch note on {shot.display_name}: “{notes[-1].text}”",
                    "info")

    def _judged(self, verdict: LeadVerdict) -> None:
        """The lead's word from their phone (kept in the catalog by the server already)."""
        if self.model is None:
            return
        self.model.set_verdict(verdict)
        name = next((p.name for p in self.model.people if p.id == verdict.person_id),
                    verdict.person_id)
        said = f"The lead vetoed {name}'s approved shot" if verdict.veto else \
            f"The lead accepts {name}'s approved shot"
        if verdict.note:
            said += f": “{verdict.note}”"
        self.window.banner.show_message(said + ".", "warning" if verdict.veto else "info")

    def _ended(self, why: str) -> None:
        if self.server is not None:
            self.server = None
            if self.dialog is not None:
                self.dialog.hide()
            self.window.banner.show_message(f"Sharing stopped: {why}. Share again to go on "
                                            "(the links still work).", "warning")

    # --- sharing ------------------------------------------------------------------------------
    @property
    def sharing(self) -> bool:
        return self.server is not None

    def share(self, host: str | None = None) -> None:
        """Start serving (if not yet) on ``host`` (default: the studio network's address)
        and show the link."""
        folder = self.model.folder if self.model is not None else None
        if folder is None:
            self.window.banner.show_message("Open a session first: sharing shows its "
                                            "pictures.", "warning")
            return
        if self.server is None:
            chosen = host or default_bind()
            if faces_internet(chosen) and QMessageBox.question(
                    self.window, "Share on the internet?",
                    f"{chosen} can be reached from outside the studio. Share on it anyway?"
                    ) != QMessageBox.StandardButton.Yes:
                return
            if self._starting:
                return
            self._starting = True
            server = ProofingProcess(folder, lambda key, said: self.favoured.emit(key, said),
                                     lambda why: self.ended.emit(why))
            server.on_notes = lambda key, notes: self.pinned.emit(key, notes)
            server.on_verdict = lambda verdict: self.judged.emit(verdict)
            run_in_background(lambda: server.start(chosen, (PORT, 0)),
                              lambda _address: self._started(server),
                              lambda exc: self._not_started(chosen, exc))
            return
        self._show_links()

    def _started(self, server: ProofingProcess) -> None:
        self._starting = False
        self.server = server
        self.publish()
        self._show_links()

    def _not_started(self, chosen: str, exc: Exception) -> None:
        self._starting = False
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.window.banner.show_message(f"Sharing could not start on {chosen}: {reason}",
                                        "warning")

    def _show_links(self) -> None:
        folder = self.model.folder if self.model is not None else None
        if folder is None:
            return
        people = self.people()
        run_in_background(lambda: links_for_day(folder, [p.id for p in people]),
                          self._links_ready,
                          lambda exc: self.window.banner.show_message(
                              f"The link could not be made: {exc}", "warning"))

    def _links_ready(self, links: tuple[Link, ...]) -> None:
        if self.model is not None:
            self.model.set_links(links)
        if self.server is None:
            return
        self.server.set_links(links)
        self._show_dialog()

    def url(self, link: Link) -> str:
        assert self.server is not None and self.server.address is not None
        host, port = self.server.address
        return link_url(host, port, link.token)

    def lead_url(self) -> str:
        return self.url(next(link for link in self.links if link.scope == LEAD))

    def _show_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = ShareDialog(self.window)
            self.dialog.renew.clicked.connect(self.new_link)
            self.dialog.stop.clicked.connect(self.stop_sharing)
            self.dialog.people.currentRowChanged.connect(self._person_chosen)
            self.dialog.address.activated.connect(self._address_chosen)
        dialog = self.dialog
        dialog.address.blockSignals(True)
        dialog.address.clear()
        addresses = local_addresses()
        dialog.address.addItems(addresses)
        if self.server is not None and self.server.address is not None:
            dialog.address.setCurrentText(self.server.address[0])
        dialog.address.blockSignals(False)
        names = {p.id: p.name for p in self.people()}
        dialog.people.blockSignals(True)
        dialog.people.clear()
        dialog.people.addItem("Everyone (the lead's link)")
        for link in self.links:
            if link.person_id in names:
                dialog.people.addItem(f"{names[link.person_id]} only")
        dialog.people.setVisible(dialog.people.count() > 1)
        dialog.people.setCurrentRow(0)
        dialog.people.blockSignals(False)
        dialog.show_link("Scan to see the pictures as they are taken", self.lead_url())
        dialog.show()
        dialog.raise_()

    def _person_chosen(self, row: int) -> None:
        if self.dialog is None or row < 0:
            return
        if row == 0:
            self.dialog.show_link("Scan to see the pictures as they are taken",
                                  self.lead_url())
            return
        persons = [link for link in self.links if link.person_id is not None]
        names = {p.id: p.name for p in self.people()}
        known = [link for link in persons if link.person_id in names]
        if row - 1 < len(known):
            link = known[row - 1]
            self.dialog.show_link(f"{names[link.person_id or '']}: scan to see your pictures",
                                  self.url(link))

    def _address_chosen(self, _index: int) -> None:
        if self.dialog is None:
            return
        chosen = self.dialog.address.currentText()
        if self.server is not None and self.server.address is not None \
                and chosen == self.server.address[0]:
            return
        self._stop_server()
        self.share(chosen)

    def new_link(self) -> None:
        folder = self.model.folder if self.model is not None else None
        if folder is None or self.server is None:
            self.share()
            return
        people = self.people()
        run_in_background(lambda: links_for_day(folder, [p.id for p in people], renew=LEAD),
                          self._renewed,
                          lambda exc: self.window.banner.show_message(str(exc), "warning"))

    def _renewed(self, links: tuple[Link, ...]) -> None:
        self._links_ready(links)
        self.window.banner.show_message("New link: the old one no longer works.", "ok")

    def stop_sharing(self) -> None:
        folder = self.model.folder if self.model is not None else None
        if self.server is not None:
            self.server.set_links(())               # open pages are told at once
        if self.model is not None:
            self.model.set_links(())
        self._stop_server()
        if self.dialog is not None:
            self.dialog.hide()
        if folder is not None:
            run_in_background(lambda: _revoke(folder), lambda _r: None,
                              lambda exc: self.window.banner.show_message(str(exc), "warning"))
        self.window.banner.show_message("Sharing stopped: the links no longer work.", "ok")

    def _stop_server(self) -> None:
        server, self.server = self.server, None
        if server is not None:              # the child ends in a moment: not on this thread
            run_in_background(server.stop, lambda _r: None, lambda _e: None)

    def shutdown(self) -> None:
        self._stop_server()
