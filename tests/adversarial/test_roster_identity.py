"""Issue 22, case 4: people keep their identity across roster files and walk-ins, a file
with an unclosed quote is refused naming the line, and control characters (a terminal
colour escape, a text-direction override) are refused in every column."""

from __future__ import annotations

import pytest

from session.people.roster import RosterError, parse_roster
from session.people.roster_store import RosterStore
from session.store.session import create_session
from tests.adversarial.helpers import run_main

MORNING = b"Name,Department\nAlan Brown,Sales\nCara Diaz,IT\n"
AFTERNOON = b"Name,Department\nAnna Berg,Legal\nAlan Brown,Sales\n"


@pytest.fixture
def store(tmp_path):
    session = create_session("Team", root=tmp_path / "sessions")
    opened = RosterStore(session.folder)
    yield opened
    opened.close()


def test_a_second_file_never_turns_one_person_into_another(store):
    store.import_people(parse_roster(MORNING))
    alan = next(p for p in store.people() if p.name == "Alan Brown")
    store.assign("Team_0001.jpg", alan.id)
    store.assign("Team_0002.jpg", alan.id)
    report = store.import_people(parse_roster(AFTERNOON))
    assert (report.added, report.updated) == (1, 1)        # Anna is new; Alan is Alan
    people = {p.name: p for p in store.people()}
    assert set(people) == {"Alan Brown", "Cara Diaz", "Anna Berg"}
    assert people["Alan Brown"].id == alan.id
    assert people["Anna Berg"].id not in (alan.id, people["Cara Diaz"].id)
    assert store.assignments() == {"Team_0001.jpg": alan.id, "Team_0002.jpg": alan.id}


def test_a_walk_in_keeps_their_id_when_a_file_comes_later(store):
    walk_in = store.add_person("Anna Bell")
    store.import_people(parse_roster(b"Name\nAnders Bo\n"))
    people = {p.name: p.id for p in store.people()}
    assert people["Anna Bell"] == walk_in.id and people["Anders Bo"] != walk_in.id


def test_two_people_of_one_name_in_different_departments_stay_two(store):
    store.import_people(parse_roster(b"Name,Department\nSam Lee,Sales\n"))
    store.import_people(parse_roster(b"Name,Department\nSam Lee,Legal\n"))
    assert sorted(p.dept for p in store.people()) == ["Legal", "Sales"]
    assert len({p.id for p in store.people()}) == 2


def test_an_unclosed_quote_is_refused_with_its_line():
    data = b'Name,ID,Department\nAl Ng,E-1,IT\n"Bo Chen,E-2,Legal\nCy Ode,E-3,PR\nDi Fox,E-4,HR\n'
    with pytest.raises(RosterError) as refused:
        parse_roster(data)
    assert refused.value.problems[0][0] == 3
    assert "never closed" in str(refused.value)


@pytest.mark.parametrize("cell", ["E-\x1b[31m7\x1b[0m", "Zo\u202eë", "bell\x07"])
@pytest.mark.parametrize("column", [0, 1, 2])
def test_control_characters_are_refused_in_every_column(cell, column):
    row = ["Zoë Ode", "E-7", "Sales"]
    row[column] = cell
    data = ("Name,ID,Department\n" + ",".join(row) + "\n").encode()
    with pytest.raises(RosterError) as refused:
        parse_roster(data)
    assert refused.value.problems == [(2, refused.value.problems[0][1])]
    assert "control characters" in str(refused.value)
    assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)


def test_the_command_line_refuses_an_escape_and_prints_none(tmp_path):
    session = create_session("Team", root=tmp_path / "sessions")
    csv = tmp_path / "team.csv"
    csv.write_bytes(b"Name,ID\nEve Ray,\x1b]0;pwned\x07E-9\n")
    done = run_main("roster", str(session.folder), "--import", str(csv))
    assert done.returncode == 2
    assert "line 2" in done.stderr and "control characters" in done.stderr
    assert "\x1b" not in done.stderr + done.stdout
    added = run_main("roster", str(session.folder), "--add", "Mallory\x1b[2J")
    assert added.returncode == 1 and "\x1b" not in added.stderr + added.stdout
