"""Proofing links: bearer tokens of 128 random bits, one for the lead (sees every client-safe
shot) and, on a headshot day, one per person (sees only their own shots), kept in the session
catalog so the window and ``python main.py proof`` share them. *New link* replaces a token,
*Stop sharing* revokes them all; a revoked token is never valid again. Looked up in constant
time (every token compared with hmac.compare_digest, no early exit).

Pure Python (sqlite3); each thread opens its own store.
"""

from __future__ import annotations

import hmac
import secrets
import time
from pathlib import Path

from session.model.link import LEAD, PERSON, Link
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS proof_links (
    token TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    created_at REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
"""


def new_token() -> str:
    return secrets.token_urlsafe(16)          # 128 random bits


def find_link(links: tuple[Link, ...], token: str) -> Link | None:
    """The link ``token`` opens, compared in constant time against every one."""
    found = None
    wanted = token.encode("utf-8", "surrogatepass")
    for link in links:
        if hmac.compare_digest(link.token.encode(), wanted):
            found = link
    return found


class LinkStore(CatalogStore):
    SCHEMA = _SCHEMA

    def active(self) -> tuple[Link, ...]:
        if not has_table(self.db, "proof_links"):
            return ()
        return tuple(Link(token, scope) for token, scope in self.db.execute(
            "SELECT token, scope FROM proof_links WHERE revoked = 0 ORDER BY created_at"))

    def link_for(self, scope: str) -> Link:
        """The active link of ``scope``, made if there is none."""
        for link in self.active():
            if link.scope == scope:
                return link
        return self.renew(scope)

    def renew(self, scope: str) -> Link:
        """A new token for ``scope``; its earlier ones are revoked."""
        link = Link(new_token(), scope)
        with self.db:
            self.db.execute("UPDATE proof_links SET revoked = 1 WHERE scope = ?", (scope,))
            self.db.execute("INSERT INTO proof_links(token, scope, created_at) VALUES (?, ?, ?)",
                            (link.token, scope, time.time()))
        return link

    def revoke_all(self) -> None:
        if has_table(self.db, "proof_links"):
            with self.db:
                self.db.execute("UPDATE proof_links SET revoked = 1")


def links_for_day(folder: Path, person_ids: list[str], renew: str = "") -> tuple[Link, ...]:
    """The session's live links after making sure the lead and each of ``person_ids`` has
    one (``renew``: a scope whose token is replaced first). A background thread."""
    store = LinkStore(folder)
    try:
        if renew:
            store.renew(renew)
        store.link_for(LEAD)
        for person_id in person_ids:
            store.link_for(PERSON + person_id)
        return store.active()
    finally:
        store.close()
