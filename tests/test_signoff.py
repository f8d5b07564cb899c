"""Issue 29, sign-off kept right: the approvals in the catalog (every one kept, the newest
standing, none after the day is closed), the delivery refused in words when it cannot be made
(no face, the day closed) without leaving a file, the day report's rows and CSV (a name that
looks like a formula stays a name), and the lead's sign-off crossing to the proofing process
as data only."""

from __future__ import annotations

import csv
import io
import json

import pytest

from session.delivery.approved_delivery import NotDelivered, approved_folder, deliver_approved
from session.model.live_session import Shot
from session.people.approvals import (
    APPROVED,
    MISSING,
    WAITING,
    Approval,
    ApprovalStore,
    DayClosed,
    day_status,
)
from session.people.day_report import csv_text, day_rows
from session.people.roster import Person
from session.store.session import create_session

PEOPLE = (Person("E-1", "Zoë O'Brien"), Person("E-2", "=HYPERLINK(\"x\")"),
          Person("E-3", "Bo Berg"))


def test_every_approval_is_kept_the_newest_stands_and_a_closed_day_takes_no_more(tmp_path):
    folder = create_session("Approvals", root=tmp_path).folder
    with ApprovalStore(folder) as store:
        store.add(Approval("E-1", "A_0001.jpg", 1.0, "x approved/Zoë O'Brien.jpg", "a" * 64))
        store.add(Approval("E-1", "A_0003.jpg", 2.0, "x approved/Zoë O'Brien-2.jpg", "b" * 64))
        assert [a.shot for a in store.history()] == ["A_0001.jpg", "A_0003.jpg"]
        assert store.current()["E-1"].shot == "A_0003.jpg"
        closed = store.close_day(10.0)
        assert store.close_day() == closed == 10.0                # once
        with pytest.raises(DayClosed):
            store.add(Approval("E-1", "A_0002.jpg", 3.0, "y", "c" * 64))
    statuses = day_status(PEOPLE, ApprovalStore(folder).current(), {"E-1", "E-2"})
    assert statuses == {"E-1": APPROVED, "E-2": WAITING, "E-3": MISSING}


def test_the_delivery_is_refused_in_words_and_leaves_nothing(tmp_path):
    from PIL import Image

    folder = create_session("Refused", root=tmp_path).folder
    picture = folder / "Refused_0001.jpg"
    Image.new("RGB", (600, 400), (90, 90, 90)).save(picture)
    shot = Shot(picture.name, picture, (picture.name,), 1, 0.0, "k",
                analysis={"ok": True, "measurements": {}}, person="E-1")
    with pytest.raises(NotDelivered, match="no face was measured"):
        deliver_approved(folder, shot, PEOPLE[0], None)
    with ApprovalStore(folder) as store:
        store.close_day()
    with pytest.raises(NotDelivered, match="The day is closed"):
        deliver_approved(folder, shot, PEOPLE[0], None)
    assert not approved_folder(folder).exists()


def test_the_day_report_names_everyone_and_a_formula_stays_text():
    history = [Approval("E-1", "A_0001.jpg", 1.0, "d/Zoë O'Brien.jpg", "a" * 64),
               Approval("E-1", "A_0003.jpg", 2.0, "d/Zoë O'Brien-2.jpg", "b" * 64)]
    rows = day_rows(PEOPLE, history, {"E-1", "E-2"}, {"A_0003.jpg": "Zoë_0003.jpg"})
    assert [(r.person, r.status) for r in rows] == [
        ("Zoë O'Brien", APPROVED), ('=HYPERLINK("x")', WAITING), ("Bo Berg", MISSING)]
    assert rows[0].shot == "Zoë_0003.jpg" and rows[0].changes == 1
    text = csv_text(rows)
    assert text.startswith("\ufeff")
    read = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert read[0]["delivered file"] == "d/Zoë O'Brien-2.jpg"
    assert read[1]["person"].startswith("'=")                   # never run as a formula


def test_the_leads_signoff_crosses_to_the_proofing_process_as_data_only():
    from session.proofing.proof_view import ProofView, SignOffLine
    from session.proofing.proofing_child import _view
    from session.proofing.proofing_process import view_message

    view = ProofView(3, signoff=(SignOffLine("Zoë O'Brien", APPROVED, "abc"),
                                 SignOffLine("<b>Bo</b>", WAITING)))
    crossed = _view(json.loads(json.dumps(view_message(view))))
    assert crossed.signoff == view.signoff
    forged = view_message(view)
    forged["signoff"] = [["Eve", "vetoed-by-hacker", "", "", "", "", False, ""],
                         ["Zoë", APPROVED, "x" * 500, "k", "E-1", "A.jpg", "yes", "y" * 9999],
                         ["short"], "not a list"]
    lines = _view(json.loads(json.dumps(forged))).signoff
    assert [line.status for line in lines] == [APPROVED] and len(lines[0].shot_id) == 64
    assert lines[0].veto is False and len(lines[0].note) == 280


def test_the_leads_word_stands_on_the_approval_it_was_given_on():
    from session.people.lead_verdicts import LeadVerdict, standing

    approvals = {"E-1": Approval("E-1", "A_0003.jpg", 2.0, "d/Zoë O'Brien-2.jpg", "b" * 64)}
    vetoed = {"E-1": LeadVerdict("E-1", "A_0003.jpg", True, "hair over the eye", 5.0)}
    earlier = {"E-1": LeadVerdict("E-1", "A_0001.jpg", True, "too dark", 1.5)}
    assert standing(vetoed, approvals, "E-1") == vetoed["E-1"]
    assert standing(earlier, approvals, "E-1") is None        # a new approval: judged afresh
    rows = day_rows(PEOPLE, list(approvals.values()), {"E-1"}, None, vetoed)
    read = list(csv.DictReader(io.StringIO(csv_text(rows).lstrip("\ufeff"))))
    assert (read[0]["lead veto"], read[0]["lead note"]) == ("vetoed", "hair over the eye")
    assert read[1]["lead veto"] == "" and read[1]["lead note"] == ""


def test_a_lead_verdict_is_kept_cleaned_and_cut(tmp_path):
    from session.people.lead_verdicts import LeadVerdictStore, session_verdicts

    folder = create_session("Verdicts", root=tmp_path).folder
    with LeadVerdictStore(folder) as store:
        store.give("E-1", "A_0003.jpg", True, "line one\nline\ttwo " + "x" * 400)
    kept = session_verdicts(folder)["E-1"]
    assert kept.veto and kept.note.startswith("line one line two ") and len(kept.note) == 280
