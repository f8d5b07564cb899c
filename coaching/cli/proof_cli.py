"""``python main.py proof SESSION [--port N] [--bind ADDR]``: the proofing server without the
window, for scripting and tests. Prints the lead's link (with its token) as its first line,
then one link per person on a headshot day, and serves until interrupted. The session may be
shot by another process meanwhile: this one's session model is read again whenever the
catalog changes (SQLite's data_version, polled every 100 ms) and each new view is handed to
the server. Exit 1 when the session cannot be served, 2 for an address that cannot be used.

Command line only; its main thread owns the session model and blocks until interrupted.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from session.model.live_session import SessionModel
from session.model.session_snapshot import load_snapshot
from session.people.roster_store import RosterStore
from session.proofing.lan_address import default_bind
from session.proofing.proof_links import LEAD, PERSON, Link, links_for_day
from session.proofing.proof_view import build_view
from session.proofing.proofing_server import ProofingServer
from session.store.catalog import readonly_uri
from session.store.catalog_place import CATALOG_NAME, place_of

POLL_S = 0.1
Analyse = Callable[[Path, list[str]], None]


def link_url(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/s/{token}/"


def _links(folder: Path) -> tuple[tuple[Link, ...], list[tuple[str, str]], dict[str, str]]:
    """(active links, [(person name, token)], shot -> person id), persons' links made."""
    roster = RosterStore(folder)
    try:
        people, assigned = roster.people(), roster.assignments()
    finally:
        roster.close()
    links = links_for_day(folder, [p.id for p in people])
    tokens = {link.scope: link.token for link in links}
    return links, [(p.name, tokens[PERSON + p.id]) for p in people], assigned


def _hold_back(model: SessionModel, analyse: Analyse | None, err: TextIO,
               said: set[str]) -> None:
    """Shots no face model has looked at are held back from the phones (the client
    display's rule): have them analysed, and say so on the console once for each."""
    waiting = [s.key for s in model.shots if s.analysis is None and s.key not in said]
    if not waiting:
        return
    said.update(waiting)
    if analyse is not None:
        analyse(model.folder or Path("."), waiting)
        print(f"{len(waiting)} shot(s) not yet checked by the face model: checking them now; "
              "each reaches the phones when it is done (unless it is held back for closed "
              "eyes or a missing face).", file=err, flush=True)
    else:
        print(f"{len(waiting)} shot(s) not yet checked by the face model are held back from "
              "the phones; open the session in Catchlight to check them.", file=err,
              flush=True)


def run_proof(folder: Path, port: int = 0, bind: str | None = None,
              out: TextIO = sys.stdout, err: TextIO = sys.stderr,
              stop: threading.Event | None = None, analyse: Analyse | None = None) -> int:
    """``analyse(folder, keys)``: have shots that no model has looked at analysed into the
    catalog (main.py gives the face model's; None: they are only reported)."""
    folder = Path(folder)
    if not (folder / CATALOG_NAME).is_file():
        print(f"error: {folder} is not a Catchlight session (no {CATALOG_NAME})", file=err)
        return 1
    host = bind or default_bind()
    links, named, assigned = _links(folder)
    server = ProofingServer(folder)
    server.set_links(links)
    model = SessionModel()
    model.open(load_snapshot(folder))
    server.publish(build_view(model, assigned, 1))
    try:
        bound_host, bound_port = server.start(host, port)
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}", file=err)
        return 2
    watch: sqlite3.Connection | None = None
    try:                                  # Ctrl+C from the moment the link is printed
        lead = next(link for link in links if link.scope == LEAD)
        print(link_url(bound_host, bound_port, lead.token), file=out, flush=True)
        for name, token in named:
            print(f"{name}: {link_url(bound_host, bound_port, token)}", file=out, flush=True)
        said: set[str] = set()
        _hold_back(model, analyse, err, said)
        watch = sqlite3.connect(readonly_uri(place_of(folder).path), uri=True)
        stop = stop or threading.Event()
        version, seen = 1, watch.execute("PRAGMA data_version").fetchone()[0]
        while not stop.wait(POLL_S):
            now = watch.execute("PRAGMA data_version").fetchone()[0]
            if now == seen:
                continue
            seen, version = now, version + 1
            links, _named, assigned = _links(folder)
            model.open(load_snapshot(folder))
            server.set_links(links)
            server.publish(build_view(model, assigned, version))
            _hold_back(model, analyse, err, said)
    except KeyboardInterrupt:
        pass
    finally:
        if watch is not None:
            watch.close()
        server.stop()
        model.close()
    return 0
