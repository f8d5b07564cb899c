"""Per-capture coaching results in the session catalog: measurements, flags and cues as JSON,
keyed by the analysed file's name (kept losslessly). A plain folder's results go to its catalog
in the cache; a session that may not be changed keeps nothing (results still reach the
window). Pure Python (sqlite3); each thread opens its own store."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore
from session.store.filenames import from_db, to_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS analysis (
    name TEXT PRIMARY KEY,
    result TEXT NOT NULL,
    flags TEXT NOT NULL,
    analysed_at REAL NOT NULL
);
"""


class AnalysisStore(CatalogStore):
    SCHEMA = _SCHEMA

    def save(self, name: str, result: dict, flags: Sequence[str]) -> None:
        if self.readonly:
            return
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO analysis(name, result, flags, analysed_at) "
                            "VALUES (?, ?, ?, ?)",
                            (to_db(name), json.dumps(result), json.dumps(list(flags)), time.time()))

    def _rows(self, column: str) -> list[tuple]:
        if not has_table(self.db, "analysis"):
            return []
        return list(self.db.execute(f"SELECT name, {column} FROM analysis"))

    def flags(self) -> dict[str, list[str]]:
        return {from_db(name): json.loads(flags) for name, flags in self._rows("flags")}

    def result(self, name: str) -> dict | None:
        if not has_table(self.db, "analysis"):
            return None
        row = self.db.execute("SELECT result FROM analysis WHERE name=?",
                              (to_db(name),)).fetchone()
        return json.loads(row[0]) if row else None

    def results(self) -> dict[str, dict]:
        """Every stored result by file name (one query; ~10 ms for 2,000 shots)."""
        return {from_db(name): json.loads(result) for name, result in self._rows("result")}
