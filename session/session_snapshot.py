"""Reading a session for the live model, off the owner thread: its shots in capture order
(catalogued and loose files, session.review_listing), their stored coaching analysis and
flags, their catalogued marks, and the sidecars another program edited since.

Pure Python; any thread (its own catalog connections); blocks on catalog queries, a directory
scan and the sidecars (tens of ms for 2,000 shots).
"""

from __future__ import annotations

from pathlib import Path

from session.analysis_store import AnalysisStore
from session.catalog_place import place_of
from session.client_favourites import ClientFavourite, FavouritesStore
from session.culling import scan_sidecars
from session.flags import flags_from
from session.live_session import SessionSnapshot, Shot
from session.review_listing import ReviewShot, list_session


def _shot(listed: ReviewShot, analysis: dict[str, dict], flags: dict[str, list[str]],
          client: dict[str, ClientFavourite], camera: str = "") -> Shot:
    return Shot(listed.name, listed.path, listed.names, listed.seq, listed.captured_at,
                listed.content_key, camera, flags=flags_from(flags.get(listed.name, ())),
                analysis=analysis.get(listed.name),
                client=client.get(listed.name, ClientFavourite()))


def load_snapshot(folder: Path) -> SessionSnapshot:
    folder = Path(folder)
    listing = list_session(folder)
    analysis: dict[str, dict] = {}
    flags: dict[str, list[str]] = {}
    client: dict[str, ClientFavourite] = {}
    if listing.catalog_sound:
        store = AnalysisStore(folder)
        try:
            analysis, flags = store.results(), store.flags()
        finally:
            store.close()
        favourites = FavouritesStore(folder)
        try:
            client = favourites.all()
        finally:
            favourites.close()
    shots = tuple(_shot(s, analysis, flags, client) for s in listing.shots)
    scan = scan_sidecars(folder, {s.key: s.path for s in shots})
    return SessionSnapshot(folder, listing.session_name, shots, scan, listing.problems,
                           place_of(folder).reason, listing.catalog_sound)
