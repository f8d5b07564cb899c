"""A headshot day's roster: the people to photograph, read from the CSV an HR tool or a
spreadsheet exports (UTF-8 with or without Excel's BOM, comma or semicolon separated, quoted
fields with commas or line breaks inside, a header row). Columns are recognised by their
header (name, or first and last name; email; department; id); every other column is kept as
metadata. A bad file is refused as a whole, with each problem's line number and reason:
nothing is half imported. Names are kept exactly (accents, apostrophes, other scripts); only
file names are sanitised, elsewhere.

Pure Python; any thread; a 200-person file reads in a few milliseconds.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

CARD_PREFIX = "CL1:"          # a card's QR code: this and the person's roster id
MAX_BYTES = 5 * 1024 * 1024
MAX_PEOPLE = 5000
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "display name", "person", "employee name"),
    "first": ("first name", "firstname", "first", "given name", "forename", "prénom", "vorname"),
    "last": ("last name", "lastname", "last", "surname", "family name", "nom", "nachname"),
    "email": ("email", "e-mail", "email address", "mail"),
    "dept": ("department", "dept", "team", "division", "abteilung", "service"),
    "id": ("id", "employee id", "employee number", "staff id", "person id", "badge"),
}


class RosterError(ValueError):
    """The file cannot be imported; ``problems`` are (line, reason) pairs (line 0: the file
    as a whole)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        lines = [f"line {line}: {reason}" if line else reason for line, reason in problems[:12]]
        more = len(problems) - 12
        super().__init__("The roster was not imported (nothing was changed):\n  "
                         + "\n  ".join(lines) + (f"\n  … and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    first: str = ""
    last: str = ""
    email: str = ""
    dept: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())   # other columns, in file order

    @property
    def label(self) -> str:
        return f"{self.name} ({self.dept})" if self.dept else self.name


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().strip("\ufeff").casefold()
    return re.sub(r"[\s_]+", " ", text)


def _role(header: str) -> str | None:
    key = _key(header)
    return next((role for role, names in HEADERS.items() if key in names), None)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise RosterError([(0, f"the file is {len(data) // 1024} kB; a roster is at most "
                               f"{MAX_BYTES // 1024 // 1024} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise RosterError([(line, "not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")")]) \
            from None
    if "\0" in text:
        raise RosterError([(0, "not a text file (it holds NUL bytes)")])
    return text


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def new_id(taken: set[str], name: str) -> str:
    """A short stable id for a typed-in person: their initials and a number."""
    initials = "".join(w[0] for w in name.split() if w and w[0].isalnum()).upper()[:3] or "P"
    n = 1
    while f"{initials}{n:03d}" in taken:
        n += 1
    return f"{initials}{n:03d}"


def parse_roster(data: bytes) -> list[Person]:
    """The people of a roster CSV, in file order; RosterError (every problem) otherwise."""
    text = _text(data)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text)))
    # csv gives no line numbers: count the physical lines each record used.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    starts: list[int] = []
    line = 1
    for _row in reader:
        starts.append(line)
        line = reader.line_num + 1
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError([(1, "no header row (expected columns such as Name or First name, "
                               "Last name, Email, Department, ID)")])
    header = rows[0]
    roles = [_role(h) for h in header]
    problems: list[tuple[int, str]] = []
    for role in sorted(set(r for r in roles if r)):
        if roles.count(role) > 1:
            same = [h for h, r in zip(header, roles, strict=True) if r == role]
            problems.append((1, f"two columns mean {role!r}: {', '.join(same)}"))
    if "name" not in roles and not ("first" in roles or "last" in roles):
        problems.append((1, "no name column (a Name column, or First name and Last name)"))
    if problems:
        raise RosterError(problems)
    people: list[Person] = []
    seen_ids: dict[str, int] = {}
    for row, start in zip(rows[1:], starts[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue                                   # blank lines are allowed
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            problems.append((start, f"{len(row)} fields for {len(header)} columns (a stray "
                                    "separator or an unclosed quote?)"))
            continue
        values: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for column, cell in zip(header, row, strict=False):   # short rows: empty cells
            column_role = _role(column)
            # Line breaks and runs of spaces inside a field become one space (a quoted name
            # broken over two lines is still one name); everything else is kept exactly.
            cleaned = " ".join(unicodedata.normalize("NFC", cell).split())
            if column_role:
                values[column_role] = cleaned
            elif column.strip() and cleaned:
                extra.append((column.strip().lstrip("\ufeff"), cleaned))
        first, last = values.get("first", ""), values.get("last", "")
        name = values.get("name") or " ".join(p for p in (first, last) if p)
        if not name:
            problems.append((start, "no name"))
            continue
        if any(unicodedata.category(ch) == "Cc" for ch in name):
            problems.append((start, "the name holds control characters"))
            continue
        person_id = values.get("id", "")
        if person_id:
            if person_id in seen_ids:
                problems.append((start, f"id {person_id!r} is also on line "
                                        f"{seen_ids[person_id]}"))
                continue
            seen_ids[person_id] = start
        people.append(Person(person_id, name, first, last, values.get("email", ""),
                             values.get("dept", ""), tuple(extra)))
    if not people and not problems:
        problems.append((0, "no people in the file (only a header)"))
    if len(people) > MAX_PEOPLE:
        problems.append((0, f"{len(people)} people; a roster holds at most {MAX_PEOPLE}"))
    if problems:
        raise RosterError(problems)
    taken = set(seen_ids)
    out = []
    for person in people:
        if not person.id:
            person_id = new_id(taken, person.name)
            taken.add(person_id)
            person = Person(person_id, person.name, person.first, person.last, person.email,
                            person.dept, person.extra)
        out.append(person)
    return out
