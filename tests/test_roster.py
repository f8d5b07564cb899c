"""Headshot-day rosters as HR tools and spreadsheets export them: BOM, semicolons, quoted
fields with commas and line breaks, accents and other scripts kept exactly; a bad file is
refused as a whole with line numbers and reasons; ids unique (made up when the file has none);
the roster kept in the session catalog and imported again without losing anyone who has shots;
cards with a QR code per person that zxing-cpp reads back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from session.people.roster import Person, RosterError, parse_roster

ROOT = Path(__file__).resolve().parent.parent


def test_an_excel_export_with_bom_semicolons_quotes_and_line_breaks():
    data = ("\ufeffFirst name;Last name;E-mail;Department;Employee ID;Office\r\n"
            "Zoë;O'Brien-Łukasik;zoe@example.com;\"Sales; EMEA\";E-17;Berlin\r\n"
            "\"Jean\nPierre\";Dupont;;R&D;E-18;\r\n"
            "\r\n"
            "花子;山田;hanako@example.jp;広報;E-19;Tokyo\r\n").encode("utf-8")
    people = parse_roster(data)
    assert [p.name for p in people] == ["Zoë O'Brien-Łukasik", "Jean Pierre Dupont",
                                        "花子 山田"]
    zoe = people[0]
    assert (zoe.first, zoe.last, zoe.email, zoe.dept, zoe.id) == (
        "Zoë", "O'Brien-Łukasik", "zoe@example.com", "Sales; EMEA", "E-17")
    assert zoe.extra == (("Office", "Berlin"),)
    assert people[2].dept == "広報" and people[1].extra == ()


def test_a_name_column_and_commas_and_ids_left_to_the_store_when_missing():
    people = parse_roster(b"Name,Team\nAnna Berg,Design\nAnna Berg,Legal\nBo,\n")
    assert [(p.name, p.dept) for p in people] == [("Anna Berg", "Design"),
                                                  ("Anna Berg", "Legal"), ("Bo", "")]
    assert all(p.id == "" for p in people)   # the roster store gives ids nobody has


@pytest.mark.parametrize(("data", "expected"), [
    (b"", [(1, "no header row")]),
    (b"Email,Office\na@b.c,Oslo\n", [(1, "no name column")]),
    (b"Name,ID\nAnna,7\nBo,7\n,9\n", [(3, "id '7' is also on line 2"), (4, "no name")]),
    (b"Name,ID\nAnna,1\nBo,2,extra,more\n", [(3, "4 fields for 2 columns")]),
    (b"Name\n", [(0, "no people in the file")]),
    ("Name\nAnna\n".encode("utf-16"), [(1, "not UTF-8 text")]),
    (b"Name,Full name\nA,B\n", [(1, "two columns mean 'name'")]),
    (b"Name\nAn\x07na\n", [(2, "control characters in Name")]),
])
def test_a_bad_file_is_refused_whole_with_line_numbers(data, expected):
    with pytest.raises(RosterError) as caught:
        parse_roster(data)
    problems = caught.value.problems
    assert len(problems) == len(expected), problems
    assert [(line, reason[:len(want)]) for (line, reason), (_l, want) in
            zip(problems, expected, strict=True)] == expected
    assert "nothing was changed" in str(caught.value)


def test_line_numbers_count_quoted_line_breaks():
    data = b'Name,Notes\n"Anna","two\nlines"\nBo,x,y\n'
    with pytest.raises(RosterError) as caught:
        parse_roster(data)
    assert caught.value.problems[0][0] == 4


def test_person_label():
    assert Person("1", "Anna", dept="Design").label == "Anna (Design)"


# --- the roster in a session, the command line, the cards -------------------------------------

def session_folder(tmp_path):
    from session.store.session import create_session

    return create_session("Team day", root=tmp_path).folder


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "roster", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_importing_again_updates_by_id_adds_the_new_and_never_removes_anyone(tmp_path):
    from session.people.roster_store import RosterStore

    folder = session_folder(tmp_path)
    store = RosterStore(folder)
    try:
        first = store.import_people(parse_roster(b"Name,ID,Team\nAnna,1,Design\nBo,2,Legal\n"))
        store.assign("Team day_0001.jpg", "2")
        again = store.import_people(parse_roster(b"Name,ID,Team\nAnna B.,1,Design\nCy,3,IT\n"))
        walk_in = store.add_person("  Dana   Eve ")
        people = store.people()
    finally:
        store.close()
    assert (first.added, again.added, again.updated, again.kept) == (2, 1, 1, 1)
    assert [(p.id, p.name) for p in people] == [("1", "Anna B."), ("2", "Bo"), ("3", "Cy"),
                                                (walk_in.id, "Dana Eve")]
    reopened = RosterStore(folder)
    assert reopened.assignments() == {"Team day_0001.jpg": "2"}
    reopened.close()


def test_the_command_line_imports_refuses_whole_and_lists(tmp_path):
    folder = session_folder(tmp_path)
    good = tmp_path / "team.csv"
    good.write_bytes("\ufeffFirst name;Last name;Department;Employee ID\n"
                     "Zoë;O'Brien;Sales;E-17\nHanako;Yamada;PR;E-19\n".encode())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Name,ID\nAnna,E-20\nBo,E-20\n")
    proc = run_cli(str(folder), "--import", str(good), "--add", "Walk In")
    assert proc.returncode == 0, proc.stderr
    assert "2 added, 0 updated" in proc.stdout and "Zoë O'Brien\tSales\t0 shot(s)" in proc.stdout
    refused = run_cli(str(folder), "--import", str(bad))
    assert refused.returncode == 2 and "line 3: id 'E-20' is also on line 2" in refused.stderr
    listed = run_cli(str(folder))
    assert listed.returncode == 0 and "Anna" not in listed.stdout      # nothing half imported
    assert len(listed.stdout.splitlines()) == 3
    not_a_session = run_cli(str(tmp_path))
    assert not_a_session.returncode == 1 and "not a Catchlight session" in not_a_session.stderr


def test_cards_carry_a_readable_code_and_the_name(tmp_path, qtbot):
    import numpy as np
    import zxingcpp
    from pypdf import PdfReader
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from ui.headshot.roster_cards import _card, card_code, write_cards

    people = [Person(f"E-{n}", name, dept="Sales") for n, name in
              enumerate(["Zoë O'Brien", "Hanako Yamada", "Jean-Pierre Dupont", "Bo", "Cy",
                         "Dana", "Fernando García-López de la Fuente"])]
    pages = write_cards(tmp_path / "cards.pdf", people, "Team day")
    assert pages == 2
    reader = PdfReader(str(tmp_path / "cards.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 2 and "Hanako Yamada" in text and "E-6" in text
    assert "García-López de la Fuente" in text and "…" not in text     # long names whole
    image = QImage(1200, 1100, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    _card(painter, QRectF(0, 0, 1200, 1100), people[0])
    painter.end()
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.array(gray.constBits(), np.uint8).reshape(gray.height(), gray.bytesPerLine())
    found = zxingcpp.read_barcodes(np.ascontiguousarray(pixels[:, :gray.width()]))
    assert [r.text for r in found] == [card_code(people[0])] == ["CL1:E-0"]


def test_person_tokens_name_files_for_their_person_sanitised_like_every_token():
    from session.store.naming import NO_PERSON, NameFields, NameTemplate

    def render(template: str, person: Person | None) -> str:
        return NameTemplate(template).render(NameFields("Team", 7, 1.7e9, "Nikon", "DSC_1",
                                                        "JPG", person=person))

    zoe = Person("E-17", "Zoë O'Brien", "Zoë", "O'Brien", dept="Sales/EMEA")
    assert render("{last}_{first}_{seq:03d}", zoe) == "O'Brien_Zoë_007.jpg"
    assert render("{dept}-{id}-{person}-{seq}", zoe) == "Sales_EMEA-E-17-Zoë O'Brien-7.jpg"
    hostile = render("{person}_{seq}", Person("P1", "../../etc/passwd"))
    assert "/" not in hostile and not hostile.startswith(".") and hostile.endswith("_7.jpg")
    assert render("{person}_{seq}", None) == f"{NO_PERSON}_7.jpg"
    walk_in = Person("WI001", "Walk In")                        # typed in: no first/last
    assert render("{first}.{last}.{seq}", walk_in) == "Walk.In.7.jpg"
