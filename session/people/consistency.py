"""The consistency report of a headshot day: per person, their picked shot's framing and light
and how far they are from the house look (outliers with the reason in words); the team's
spread (standard deviation) of eye line, face height, roll, face exposure and backdrop; the
people without a pick. Written as CSV with the columns ``deliver`` writes (consistency.csv);
cells a spreadsheet would run as a formula are quoted as text.

Pure Python; any thread; milliseconds for 200 people.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from session.people.house_look import HouseLook, deviation, outlier_reasons

COLUMNS = ("file", "person", "eye_line", "face_height", "roll", "face_exposure_ev",
           "backdrop_ev", "outlier_reasons")
SPREAD_KEYS = (("eye_line", "eye line", "{:.1%} of the frame"),
               ("face_height", "face height", "{:.1%} of the frame"),
               ("roll", "roll", "{:.1f}°"),
               ("face_exposure_ev", "face exposure", "{:.2f} EV"),
               ("backdrop_ev", "backdrop", "{:.2f} EV"),
               ("backdrop_warmth", "white balance on the backdrop", "{:.2f} stops red/blue"))
NO_PICK = "no pick"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class Row:
    file: str
    person: str
    eye_line: float | None = None
    face_height: float | None = None
    roll: float | None = None
    face_exposure_ev: float | None = None
    backdrop_ev: float | None = None
    reasons: tuple[str, ...] = ()
    person_id: str = ""
    client_favourites: tuple[str, ...] = ()    # the person's shots a client hearted
    client_notes: tuple[str, ...] = ()         # what clients wrote on them: “note” (shot)
    backdrop_warmth: float | None = None       # the backdrop's colour (white balance drift)
    retouch_notes: tuple[str, ...] = ()        # the pick's retouch notes: "1. stray hair"
    signoff: str = ""                          # approved / waiting / missing ('' no sign-off)
    lead: str = ""                             # the lead's word: "vetoed: …" or a note

    @property
    def outlier(self) -> bool:
        return bool(self.reasons) and self.reasons != (NO_PICK,)


def row_for(file: str, person: str, values: Mapping[str, object], look: HouseLook | None,
            problems: Sequence[str] = (), person_id: str = "") -> Row:
    """One shot's row: its measured ``values`` (a ``measurements`` dict) against ``look``;
    ``problems``: what else went wrong (a crop that could not meet the look)."""
    reasons = list(problems)
    if look is not None:
        reasons[:0] = outlier_reasons(deviation(values, look))
    if values.get("eye_line") is None:
        reasons.insert(0, "no face measured")
    return Row(file, person, _number(values.get("eye_line")),
               _number(values.get("face_height")), _number(values.get("head_roll_deg")),
               _number(values.get("face_exposure_ev")), _number(values.get("backdrop_ev")),
               tuple(reasons), person_id, backdrop_warmth=_number(values.get("backdrop_warmth")))


def missing_row(person: str, person_id: str = "") -> Row:
    return Row("", person, reasons=(NO_PICK,), person_id=person_id)


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    look: HouseLook | None = None
    failed: tuple[str, ...] = field(default=())    # files that could not be delivered

    @cached_property
    def measured(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.file and r.eye_line is not None)

    @property
    def without_pick(self) -> tuple[str, ...]:
        return tuple(r.person for r in self.rows if r.reasons == (NO_PICK,))

    @property
    def outliers(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.outlier)

    def spread(self) -> dict[str, float | None]:
        """The team's standard deviation per measure (None with fewer than two values)."""
        return dict(self._spread)

    @cached_property
    def _spread(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for key, _label, _form in SPREAD_KEYS:
            values = [v for v in (getattr(r, key) for r in self.measured) if v is not None]
            if len(values) < 2:
                out[key] = None
                continue
            # In floats: statistics.pstdev's exact fractions cost 8 ms per report at 200 people.
            mean = math.fsum(values) / len(values)
            out[key] = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        return out

    def spread_lines(self) -> list[str]:
        """'eye line 0.6% of the frame', … for the panel and the PDF."""
        lines = []
        spread = self._spread
        for key, label, form in SPREAD_KEYS:
            value = spread[key]
            lines.append(f"{label}: " + (form.format(value) if value is not None else "–"))
        return lines


def row_cells(row: Row) -> list[str]:
    """A row as the panel and the PDF show it: person, pick, eyes, face, roll, backdrop,
    outlier reasons, what the clients said and the pick's retouch notes ('–' where nothing
    was measured)."""
    def num(value: float | None, form: str) -> str:
        return form.format(value).replace("-", "−") if value is not None else "–"

    return [row.person, _pick_cell(row), num(row.eye_line, "{:.1%}"),
            num(row.face_height, "{:.1%}"), num(row.roll, "{:+.1f}°"),
            num(row.backdrop_ev, "{:+.1f} EV"),
            "; ".join(r for r in row.reasons if r != NO_PICK),
            "; ".join(filter(None, (", ".join(row.client_favourites),
                                    "; ".join(row.client_notes),
                                    ("Retouch: " + "; ".join(row.retouch_notes))
                                    if row.retouch_notes else "")))]


def _pick_cell(row: Row) -> str:
    """The pick, with the person's sign-off once the day has approvals."""
    if row.signoff == "approved":
        return f"✓ {row.file} (approved, delivered)" + (f" · lead: {row.lead}" if row.lead
                                                         else "")
    if row.signoff == "waiting":
        return f"{row.file or NO_PICK} (waiting)"
    if row.signoff == "missing":
        return "missing (not photographed)"
    return row.file or NO_PICK


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    text = str(value)
    # A name like "=HYPERLINK(…)" must stay a name in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(rows: Iterable[Row], with_client: bool = False) -> str:
    """``with_client``: two last columns, the shots a client hearted and what clients wrote
    on them (the report's CSV)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + (("client_favourites", "client_notes", "retouch_notes")
                               if with_client else ()))
    for r in rows:
        writer.writerow([_cell(v) for v in (r.file, r.person, r.eye_line, r.face_height,
                                            r.roll, r.face_exposure_ev, r.backdrop_ev)]
                        + [_cell("; ".join(r.reasons))]
                        + ([_cell("; ".join(r.client_favourites)),
                            _cell("; ".join(r.client_notes)),
                            _cell("; ".join(r.retouch_notes))] if with_client else []))
    return out.getvalue()
