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
    """A short id for a person without one: their initials and a number not in ``taken``
    (every id the session's roster already holds, so two files never make the same one)."""
    initials = "".join(w[0] for w in name.split() if w and w[0].isalnum()).upper()[:3] or "P"
    n = 1
    while f"{initials}{n:03d}" in taken:
        n += 1
    return f"{initials}{n:03d}"


# Text direction overrides and isolates: invisible, and they reorder what a name shows.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(text: str) -> bool:
    """True for terminal escapes, NULs, bells and text-direction overrides: nothing a name,
    an id or a department ever needs, and they would reach terminals, cards and links."""
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in text)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The CSV's records with the line each starts on; an unclosed quote is refused with
    the line where it opens (rather than swallowing every line after it into one field)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            records.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        reason = ("a quote opens here and is never closed (the rest of the file would "
                  "become one field)" if "end of data" in str(exc)
                  else f"the quoting is not valid CSV ({exc})")
        raise RosterError([(start, reason)]) from None
    return records


def parse_roster(data: bytes) -> list[Person]:
    """The people of a roster CSV, in file order; RosterError (every problem) otherwise.
    A person without an id in the file has ``id == ""``: the roster store gives one that
    no one in the session has (session.people.roster_store)."""
    text = _text(data)
    records = _records(text)
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise RosterError([(1, "no header row (expected columns such as Name or First name, "
                               "Last name, Email, Department, ID)")])
    header = records[0][1]
    roles = [_role(h) for h in header]
    problems: list[tuple[int, str]] = []
    if any(has_control_characters(h) for h in header):
        problems.append((1, "a column name holds control characters"))
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
    for start, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue                                   # blank lines are allowed
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            problems.append((start, f"{len(row)} fields for {len(header)} columns (a stray "
                                    "separator or an unclosed quote?)"))
            continue
        values: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        bad_columns: list[str] = []
        for column, cell in zip(header, row, strict=False):   # short rows: empty cells
            column_role = _role(column)
            # Line breaks and runs of spaces inside a field become one space (a quoted name
            # broken over two lines is still one name); everything else is kept exactly.
            cleaned = " ".join(unicodedata.normalize("NFC", cell).split())
            if has_control_characters(cleaned):
                bad_columns.append(column.strip().lstrip("\ufeff") or "(unnamed)")
            if column_role:
                values[column_role] = cleaned
            elif column.strip() and cleaned:
                extra.append((column.strip().lstrip("\ufeff"), cleaned))
        if bad_columns:
            problems.append((start, f"control characters in {', '.join(bad_columns)}"))
            continue
        first, last = values.get("first", ""), values.get("last", "")
        name = values.get("name") or " ".join(p for p in (first, last) if p)
        if not name:
            problems.append((start, "no name"))
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
    return people
