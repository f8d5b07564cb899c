"""Issue 29, sign-off at the chair: on a headshot day the photographer selects the shot the
person chose and presses Ctrl+Return; it becomes their approved pick, its face-anchored
delivery is written and verified in the folder beside the session's at once, and the person is
done. A change of mind delivers again (the first file is kept); the consistency report says
approved / waiting / missing; Close the day makes it final and writes the day report."""

from __future__ import annotations

import csv
import hashlib

from PIL import Image
from PySide6.QtCore import Qt

from session.delivery.approved_delivery import approved_folder, delivered_path
from session.people.approvals import session_approvals
from session.people.consistency import row_cells
from session.people.lead_verdicts import LeadVerdictStore
from session.people.team import team_report
from tests.helpers import capture_analysed

ROSTER = "First name;Last name;Employee ID\nZoë;O'Brien;E-17\nBo;Berg;E-20\n".encode()


def _select(app, row: int) -> None:  # type: ignore[no-untyped-def]
    strip = app.window.filmstrip
    strip.setCurrentIndex(strip.model().index(row, 0))


def test_a_person_approves_at_the_chair_and_leaves_with_a_delivered_file(app_factory, qtbot,
                                                                        tmp_path):
    app = app_factory(session="Sign-off day", coach=True)
    roster, signoff, window = app.parts.roster, app.parts.signoff, app.window
    csv_file = tmp_path / "team.csv"
    csv_file.write_bytes(ROSTER)
    roster.import_file(csv_file)
    qtbot.waitUntil(lambda: len(roster.people) == 2, timeout=5000)
    capture_analysed(app, qtbot, 2)
    folder = app.session.folder
    _select(app, 0)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "E-17" in app.model.approvals, timeout=30000)
    first = app.model.approvals["E-17"]
    delivered = delivered_path(folder, first)
    assert first.shot == app.model.shots[0].key and app.model.shots[0].marks.pick == 1
    assert delivered.parent == approved_folder(folder) and delivered.name == "Zoë O'Brien.jpg"
    assert hashlib.sha256(delivered.read_bytes()).hexdigest() == first.sha256
    with Image.open(delivered) as image:
        assert abs(image.width / image.height - 0.8) < 0.005       # the studio's 4:5
    assert "Zoë O'Brien is done" in window.banner.label.text()
    qtbot.waitUntil(lambda: roster.panel.list.topLevelItem(0).text(3) == "✓", timeout=5000)
    assert roster.panel.list.topLevelItem(1).text(3) == ""                  # Bo: not yet
    assert roster.panel.summary.text().endswith("· 1 approved")
    assert session_approvals(folder)["E-17"] == first                 # kept in the catalog
    report = team_report(app.model.shots, app.model.people, {}, None, app.model.approvals)
    cells = {r.person: row_cells(r)[1] for r in report.rows}
    assert cells["Zoë O'Brien"].startswith("✓") and cells["Bo Berg"].startswith("missing")
    # The lead vetoes it from their phone (the proofing server keeps it, the tether hears it).
    with LeadVerdictStore(folder) as store:
        verdict = store.give("E-17", first.shot, True, "Hair over the eye")
    app.parts.proofing.judged.emit(verdict)
    qtbot.waitUntil(lambda: roster.panel.list.topLevelItem(0).text(3) == "✗", timeout=5000)
    assert window.banner.label.text() == ("The lead vetoed Zoë O'Brien's approved shot: "
                                          "“Hair over the eye”.")
    report = team_report(app.model.shots, app.model.people, {}, None, app.model.approvals,
                         app.model.verdicts)
    assert "lead: vetoed: Hair over the eye" in row_cells(report.rows[0])[1]
    # A change of mind: the second shot, delivered again; the first file is kept; the veto
    # was on the first and does not stand on the second.
    _select(app, 1)
    signoff.approve_selected()
    qtbot.waitUntil(lambda: app.model.approvals["E-17"].shot == app.model.shots[1].key,
                    timeout=30000)
    second = delivered_path(folder, app.model.approvals["E-17"])
    assert second != delivered and second.exists() and delivered.exists()
    qtbot.waitUntil(lambda: roster.panel.list.topLevelItem(0).text(3) == "✓", timeout=5000)
    # Approved the moment it is stored, before its analysis: delivered once that is in.
    with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
        app.controller.capture()
    qtbot.waitUntil(lambda: len(app.model.shots) == 3, timeout=5000)
    signoff.approve(app.model.shots[2])
    qtbot.waitUntil(lambda: app.model.approvals["E-17"].shot == app.model.shots[2].key,
                    timeout=30000)
    assert delivered_path(folder, app.model.approvals["E-17"]).name == "Zoë O'Brien-3.jpg"
    # The day closes: final, and its report written.
    signoff.close_day()
    qtbot.waitUntil(lambda: app.model.day_closed is not None, timeout=15000)
    with open(folder / "Day report.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["person"]: r for r in csv.DictReader(handle)}
    assert rows["Zoë O'Brien"]["status"] == "approved"
    assert rows["Zoë O'Brien"]["delivered file"] == app.model.approvals["E-17"].delivered
    assert rows["Zoë O'Brien"]["changes of mind"] == "2"
    assert rows["Bo Berg"]["status"] == "missing"
    assert (folder / "Day report.pdf").read_bytes()[:5] == b"%PDF-"
    _select(app, 0)
    signoff.approve_selected()
    assert "The day is closed" in window.banner.label.text()
    assert app.model.approvals["E-17"].shot == app.model.shots[2].key
