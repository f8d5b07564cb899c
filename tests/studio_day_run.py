"""A whole studio day, end to end (issue 22), run by tests/test_studio_day.py inside Xvfb on
two screens (or offscreen): the tether window on the demo camera, an 8-person roster, the
client's screen on the second monitor, two phones hearting shots over HTTP on loopback, the
review window opened and closed three times, keyboard focus put into every focusable widget
of the tether window in turn, 60 captures by Space and marks typed as key events, and the
proofing and analysis processes each killed once (SIGKILL) along the way.

Afterwards: every mark on the shot it was typed for, in the catalog and in the sidecar; every
capture shown in the pane, the filmstrip and, when the client may see it, on the client's
screen; 0 lost, 0 duplicated; every catalogued SHA-256 the file's; every heart a phone was
told was kept is in the catalog. Not collected by the suite itself (no ``test_`` prefix)."""

from __future__ import annotations

import json
import os
import signal
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from session.culling.client_favourites import FavouritesStore, read_favourite
from session.culling.xmp_sidecar import read_sidecar
from session.model.flags import client_safe
from session.store.catalog import Catalog
from session.store.storage import sha256_of_file

CAPTURES = 60
PEOPLE = ["Alan Brown", "Anna Berg", "Zoë O'Brien", "Hanako Yamada", "Bo Chen", "Sam Lee",
          "Priya Nair", "Lars Ek"]
# The marks typed after each capture, in turn (a reject now and then, and undone later).
MARK_KEYS = [Qt.Key.Key_3, Qt.Key.Key_P, Qt.Key.Key_5, Qt.Key.Key_X, Qt.Key.Key_2,
             Qt.Key.Key_8, Qt.Key.Key_4, Qt.Key.Key_0]
KEY_EFFECT = {Qt.Key.Key_3: ("rating", 3), Qt.Key.Key_P: ("pick", 1),
              Qt.Key.Key_5: ("rating", 5), Qt.Key.Key_X: ("pick", -1),
              Qt.Key.Key_2: ("rating", 2), Qt.Key.Key_8: ("label", "Green"),
              Qt.Key.Key_4: ("rating", 4), Qt.Key.Key_0: ("rating", 0)}


def _children_running(word: str) -> list[int]:
    """This process's children whose command line holds ``word``."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        for pid in task.read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if word.encode() in command:
                pids.append(int(pid))
    return pids


class Phones(threading.Thread):
    """Two phones on the lead's link: each reads the shots and hearts every third new one;
    what the server acknowledged (200) is what must be kept."""

    def __init__(self, link: str) -> None:
        super().__init__(name="phones", daemon=True)
        self.link = link
        self.stop = threading.Event()
        self.acknowledged: dict[tuple[str, str], bool] = {}      # (device, shot name) -> heart
        self.failed = 0

    def _call(self, url: str, body: dict | None = None) -> dict | None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return json.loads(answer.read())
        except (urllib.error.URLError, OSError, ValueError):
            self.failed += 1                       # the server's process was being replaced
            return None

    def run(self) -> None:
        hearted: set[tuple[str, str]] = set()
        while not self.stop.wait(0.4):
            listed = self._call(self.link + "api/shots")
            for n, shot in enumerate((listed or {}).get("shots", [])):
                for device in ("phone-lead", "phone-hr"):
                    if n % 3 != (0 if device == "phone-lead" else 1):
                        continue
                    if (device, shot["name"]) in hearted:
                        continue
                    said = self._call(f"{self.link}api/shots/{shot['id']}/favourite",
                                      {"favourite": True, "comment": "", "device": device})
                    if said is not None:
                        hearted.add((device, shot["name"]))
                        self.acknowledged[(device, shot["name"])] = True


@pytest.mark.timeout(900)
def test_a_studio_day(app_factory, qtbot, tmp_path):
    app = app_factory(session="Acme day", analyse=True)
    window, parts = app.window, app.parts
    roster, proofing, client = parts.roster, parts.proofing, parts.client
    csv = tmp_path / "acme.csv"
    csv.write_text("Name,Department\n" + "".join(f"{p},Team\n" for p in PEOPLE),
                   encoding="utf-8")
    roster.import_file(csv)
    qtbot.waitUntil(lambda: len(roster.people) == len(PEOPLE), timeout=10000)
    assert client.open()                                       # the TV
    qtbot.waitUntil(lambda: client.client.isVisible(), timeout=5000)

    def share() -> str:
        """Share on loopback; the lead's link once the share dialog shows it."""
        proofing.share("127.0.0.1")
        qtbot.waitUntil(lambda: proofing.sharing and proofing.dialog is not None
                        and proofing.dialog.isVisible(), timeout=20000)
        return proofing.lead_url()

    def back_to_tether() -> None:
        """The share dialog put away, the tether window is the active one again."""
        assert proofing.dialog is not None
        proofing.dialog.hide()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)

    phones = Phones(share())
    back_to_tether()
    phones.start()

    shown_in_pane: set[str] = set()
    window.review.shown.connect(lambda path, _final: shown_in_pane.add(Path(path).name))
    on_client: set[str] = set()
    client.client.painted.connect(lambda _t: on_client.add(Path(client.client.shown_path).name))
    intended: dict[str, dict[str, object]] = {}
    focusable = [w for w in window.findChildren(QWidget)
                 if w.isVisibleTo(window) and w.isEnabled()
                 and w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(focusable) >= 4
    kills = {"analysis": 20, "proofing": 35}
    try:
        for n in range(CAPTURES):
            if n and n % (CAPTURES // len(PEOPLE) + 1) == 0:
                qtbot.keyClick(window, Qt.Key.Key_BracketRight)      # the next person
            if n in (15, 30, 45):                                   # review, then close it
                parts.review.review_current()
                review = parts.review.review
                qtbot.waitUntil(lambda r=review, k=n: r.window.model.rowCount() == k,
                                timeout=15000)
                review.window.close()
                qtbot.waitUntil(lambda: parts.review.review is None, timeout=5000)
                window.activateWindow()
                qtbot.waitUntil(window.isActiveWindow, timeout=5000)
            if n == kills["analysis"]:
                killed = _children_running("--analysis-server")
                assert killed, "no analysis process to kill"
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
            if n == kills["proofing"]:
                killed = _children_running("--proofing-server")
                assert killed, "no proofing process to kill"
                answered_before = len(phones.acknowledged)
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
                qtbot.waitUntil(lambda: not proofing.sharing, timeout=20000)
                phones.link = share()                               # the photographer shares
                back_to_tether()                                    # again
            widget = focusable[n % len(focusable)]
            widget.setFocus()
            count = len(app.model)
            with qtbot.waitSignal(parts.controller.ingest_bridge.stored, timeout=30000):
                qtbot.keyClick(widget, Qt.Key.Key_Space)
            qtbot.waitUntil(lambda c=count: len(app.model) == c + 1, timeout=15000)
            key = app.model.shots[-1].key
            qtbot.waitUntil(lambda k=key: window.review.path is not None
                            and window.review.path.name == k, timeout=15000)
            # The photographer looks at the shot and marks it from the viewer.
            window.review.setFocus()
            mark = MARK_KEYS[n % len(MARK_KEYS)]
            qtbot.keyClick(window.review, mark)
            field, value = KEY_EFFECT[mark]
            marks = intended.setdefault(key, {"rating": 0, "pick": 0, "label": ""})
            marks[field] = value
            qtbot.waitUntil(lambda k=key: app.model.shot(k).analysis is not None,
                            timeout=60000)
            shot = app.model.shot(key)
            if client_safe(shot.flags) and not shot.rejected:
                qtbot.waitUntil(lambda k=key: k in on_client, timeout=15000)
    finally:
        phones.stop.set()
        phones.join(10)

    catalog = Catalog(app.session.folder)
    try:
        shots = catalog.shots()
        files = [f for s in shots for f in s.files]
        lost, duplicated = CAPTURES - len({f.name for f in files}), len(files) - len(
            {f.name for f in files})
        assert len(shots) == CAPTURES                                    # 0 lost
        assert len({f.name for f in files}) == len(files) == CAPTURES    # 0 duplicated
        on_disk = sorted(p.name for p in app.session.folder.glob("*.jpg"))
        assert on_disk == sorted(f.name for f in files)
        for entry in files:
            assert sha256_of_file(app.session.folder / entry.name) == entry.sha256, entry.name
    finally:
        catalog.close()
    for key, marks in intended.items():
        in_model = app.model.marks(key)
        in_sidecar = read_sidecar(app.session.folder / key)
        wanted = (marks["rating"], marks["label"], marks["pick"])
        assert (in_model.rating, in_model.label, in_model.pick) == wanted, key
        assert (in_sidecar.rating, in_sidecar.label, in_sidecar.pick) == wanted, key
    assert shown_in_pane >= set(intended)                       # every capture in the pane
    assert window.filmstrip_model.rowCount() == CAPTURES
    assert len(phones.acknowledged) > answered_before, "no phone answered after the restart"
    store = FavouritesStore(app.session.folder)
    try:
        kept = [(device, name) for (device, name) in phones.acknowledged
                if store.device_says(device).get(name, (False, ""))[0]]
    finally:
        store.close()
    assert kept == list(phones.acknowledged)
    for name in {name for _device, name in phones.acknowledged}:
        assert read_favourite(app.session.folder / name)[0] is True, name
    proofing.stop_sharing()
    client.close()
    rejected = sum(1 for marks in intended.values() if marks["pick"] == -1)
    print(f"studio day: captures={CAPTURES} people={len(PEOPLE)} stored={len(shots)} lost={lost} "
          f"duplicated={duplicated} marks_checked={len(intended)} rejected={rejected} "
          f"on_client={len(on_client)} hearts_kept={len(kept)}/"
          f"{len(phones.acknowledged)} phone_calls_failed={phones.failed} review_closed=3 "
          f"killed=analysis,proofing", flush=True)
