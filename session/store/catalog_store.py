"""The shape every small store in a session's catalog shares (analysis, roster, house look,
client favourites, proofing links): the catalog of a folder (in the folder for a session, in
the cache for a plain folder), opened with the store's own tables, read-only when the session
may not be changed; usable as a context manager. Pure Python (sqlite3); each thread opens its
own store."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from session.store.catalog import open_catalog
from session.store.catalog_place import place_of


class CatalogStore:
    SCHEMA = ""          # the store's CREATE TABLE IF NOT EXISTS statements

    def __init__(self, folder: Path) -> None:
        place = place_of(folder)
        self.readonly = place.readonly
        self.db = open_catalog(place.path, self.SCHEMA, place.readonly)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
