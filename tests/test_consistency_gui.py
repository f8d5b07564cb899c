"""The consistency report in the review window: each person's pick against the house look
(the one framed off the line in red with the reason), the team's spread, who has no pick; a
pick made in the grid updates it; exported as CSV and a PDF the client can read. 200 people
with 6 shots each recompute well inside a frame."""

from __future__ import annotations

import csv

from pypdf import PdfReader

from tests.team_day import make_team_day
from ui.app import build_review
from ui.common.settings import AppSettings


def open_review(qtbot, tmp_path, folder):
    review = build_review(AppSettings(tmp_path / "settings.ini"), prefetch=False, analyse=False)
    qtbot.addWidget(review.window)
    review.window.show()
    with qtbot.waitSignal(review.controller.opened, timeout=10000):
        review.controller.open_folder(folder)
    return review


def test_the_report_shows_outliers_spread_and_people_without_a_pick(qtbot, tmp_path):
    folder = tmp_path / "Team day"
    people = make_team_day(folder, people=6, shots_each=3, without_pick=2, off_line=(1,))
    review = open_review(qtbot, tmp_path, folder)
    panel = review.consistency
    qtbot.waitUntil(lambda: panel.dock.isVisible() and panel.table.topLevelItemCount() == 6,
                    timeout=5000)
    rows = {panel.table.topLevelItem(i).text(0): panel.table.topLevelItem(i)
            for i in range(6)}
    off = rows[people[1].name]
    assert off.text(6).startswith("eye line +6% of the frame")
    assert off.foreground(0).color().red() > 200                 # red: an outlier
    assert rows[people[0].name].text(6) == ""
    assert rows[people[5].name].text(1) == "no pick"
    assert "2 without a pick" in panel.summary.text() and "1 outlier" in panel.summary.text()
    assert "eye line: " in panel.summary.text() and "House look: eyes 38% from the top" in \
        panel.summary.text()
    # A pick made in the grid reaches the report.
    session = review.controller.session
    key = next(s.key for s in session.shots if s.key.endswith("_0016.jpg"))   # person 5
    session.press(key, "p")
    qtbot.waitUntil(lambda: panel.table.topLevelItem(5).text(1) != "no pick", timeout=3000)
    assert "1 without a pick" in panel.summary.text()
    # A client hearted one of the first person's shots on their phone: the report lists it.
    from session.culling.client_favourites import ClientFavourite

    hearted = session.shots[0]
    session.set_client(hearted.key, ClientFavourite(1, ("this one",)))
    said = f"{hearted.display_name}; “this one” ({hearted.display_name})"   # heart and note
    qtbot.waitUntil(lambda: panel.table.topLevelItem(0).text(7) == said, timeout=3000)
    # The photographer pinned a retouch note on the first person's pick: the report says it.
    from session.culling.retouch_notes import RetouchNote

    pick = next(s for s in session.shots
                if s.display_name == panel.table.topLevelItem(0).text(1))
    session.set_notes(pick.key, (RetouchNote(1, 0.5, 0.3, "stray hair"),))
    qtbot.waitUntil(lambda: panel.table.topLevelItem(0).text(7).endswith(
        "Retouch: 1. stray hair"), timeout=3000)
    panel.export_csv(tmp_path / "report.csv")
    panel.export_pdf(tmp_path / "report.pdf")
    qtbot.waitUntil(lambda: (tmp_path / "report.pdf").exists()
                    and (tmp_path / "report.csv").exists(), timeout=10000)
    with (tmp_path / "report.csv").open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [r["person"] for r in table] == [p.name for p in people]
    assert table[1]["outlier_reasons"].startswith("eye line +6%")
    assert table[4]["outlier_reasons"] == "no pick"
    assert table[0]["client_favourites"] == hearted.display_name
    assert table[0]["client_notes"] == f"“this one” ({hearted.display_name})"   # exported
    assert table[0]["retouch_notes"] == "1. stray hair"
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Consistency report" in text and people[1].name in text and "eye line +6%" in text
    assert "without a pick" in text and "“this one”" in text
    # Session → Deliver headshots: each pick cropped to the house look, a folder per person.
    from session.delivery.deliver import DeliverOptions

    panel.deliver(DeliverOptions(tmp_path / "delivery", (4, 5), 400, by_person=True))
    qtbot.waitUntil(lambda: "delivered" in review.window.banner.label.text(), timeout=30000)
    assert "5 of 5 delivered" in review.window.banner.label.text()
    folders = sorted(p.name for p in (tmp_path / "delivery").iterdir() if p.is_dir())
    assert folders == sorted(people[i].name for i in (0, 1, 2, 3, 5))
    assert all(len(list((tmp_path / "delivery" / f).glob("*.jpg"))) == 1 for f in folders)
    assert (tmp_path / "delivery" / "consistency.csv").is_file()


def test_two_hundred_people_recompute_in_place(qtbot, tmp_path):
    """Every person stays in the report and its rows are updated where they stand (the
    selection and scroll position survive); how fast: bench/headshot_day.py."""
    folder = tmp_path / "Big day"
    make_team_day(folder, people=200, shots_each=6, size=(240, 160))
    review = open_review(qtbot, tmp_path, folder)
    panel = review.consistency
    qtbot.waitUntil(lambda: panel.table.topLevelItemCount() == 200, timeout=10000)
    rows = [panel.table.topLevelItem(i) for i in range(200)]
    panel.recompute()
    assert [panel.table.topLevelItem(i) for i in range(200)] == rows


def test_the_consistency_pdf_cuts_nothing(tmp_path, qtbot):
    """Long names, long file names and long outlier reasons are printed whole (wrapped), rows
    go on over pages under the column heads again."""
    from pypdf import PdfReader

    from session.people.consistency import Report, Row
    from ui.headshot.consistency_pdf import write_report_pdf

    long_name = "Fernando García-López de la Fuente y Montenegro"
    reason = "eye line 6.2 % lower than the house look; face 14 % larger; leaning 5°"
    rows = tuple(Row(f"Acme_team_day_{n:04d}_{'long' * 3}.jpg",
                     long_name if n == 3 else f"Person {n}", 0.38, 0.3, 1.0, None, -0.3,
                     (reason,) if n == 3 else ()) for n in range(70))
    pages = write_report_pdf(tmp_path / "report.pdf", Report(rows), "Acme")
    reader = PdfReader(str(tmp_path / "report.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert pages == len(reader.pages) >= 2
    assert long_name in text and reason in text and "…" not in text
    assert "Acme_team_day_0069_longlonglong.jpg" in text.replace(" ", "")   # wrapped, whole
    assert " ".join(reader.pages[1].extract_text().split()).startswith("Person Pick")
