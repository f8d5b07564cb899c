"""The proofing server: a private page on the studio network where clients follow the shoot
on their phones and heart their favourites (aiohttp, on its own thread with its own event
loop; never the GUI thread). Every request needs a live token (constant-time lookup; a wrong
or revoked one gets the same 404 as any unknown page); shot ids come from the newest
ProofView and never map to paths; only display-size JPEGs leave the machine (long edge
1600, sRGB, GPS and serials removed). Security headers on every answer (a strict CSP,
nosniff, no-referrer: the token is in the path), small bodies only, comments limited and kept
as text, a token bucket per client address. New shots reach open pages as server-sent events;
a page that slept catches up from ``api/shots``.

API (stable; README "Proofing on phones"):
  GET  /s/<token>/                           the page
  GET  /s/<token>/api/shots[?device=D]       {"shots": [{id, name, taken, image, favourite,
                                              comment, hearts}], "version": N}
  GET  /s/<token>/img/<id>                   the display JPEG
  POST /s/<token>/api/shots/<id>/favourite   {"favourite": bool, "comment": str, "device": D}
  GET  /s/<token>/api/stream[?device=D]      text/event-stream: "shot", "removed", "revoked"

Thread contract: ``start``/``stop``/``publish``/``set_links`` from any thread; handlers run on
the server's loop; renders and catalog writes on its worker threads.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from aiohttp import web

from media.decode.jpeg_export import Credit, render_jpeg
from media.decode.previews import ImageUnreadable
from resources.locate import resource_path
from session.culling.client_favourites import (
    MAX_COMMENT,
    ClientFavourite,
    FavouritesStore,
    TooManyPhones,
    keep_favourite,
)
from session.culling.retouch_notes import NoteRefused, RetouchNote
from session.people.lead_verdicts import MAX_NOTE, LeadVerdict, LeadVerdictStore
from session.proofing.client_pins import parse_pin, pin_for_client
from session.proofing.proof_links import Link, find_link
from session.proofing.proof_view import ProofShot, ProofView
from session.proofing.proofing_guard import GuardedRunner, quiet_logs

log = logging.getLogger(__name__)
DISPLAY_EDGE = 1600
MAX_BODY = 4096
RATE_PER_S, BURST = 40.0, 200.0
STREAM_QUEUE = 256            # events waiting for one phone; a slower one is dropped
KEEPALIVE_S = 15.0
CACHED_IMAGES = 64
STATIC = {"app.js": "application/javascript", "style.css": "text/css"}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Server": "Catchlight",             # never aiohttp's name and version
}
BODY_DEADLINE_S = 10.0
MAX_PHONES_PER_LINK = 32      # devices one link may be used from (a lead shares it a little)
NOT_FOUND = ("<!doctype html><meta charset=utf-8><meta name=viewport "
             "content='width=device-width'><title>Not found</title>"
             "<p style='font:18px sans-serif;margin:2em'>This page does not exist. Ask the "
             "studio for a new link.</p>")

Favoured = Callable[[str, ClientFavourite], None]    # shot key, what the clients said
Pinned = Callable[[str, "tuple[RetouchNote, ...]"], None]   # shot key, its retouch notes now
Judged = Callable[["LeadVerdict"], None]                   # the lead's word on a person


@dataclass(eq=False)               # one per connection: hashed by identity
class _Stream:
    link: Link
    queue: asyncio.Queue[dict[str, object] | None] = field(
        default_factory=lambda: asyncio.Queue(STREAM_QUEUE))


class _Bucket:
    def __init__(self) -> None:
        self.tokens, self.at = BURST, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * RATE_PER_S)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _text(value: object) -> TypeGuard[str]:
    """A string that is real text (no lone surrogates, which no file or catalog can hold)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _page(name: str) -> bytes:
    return resource_path(f"proofing/{name}").read_bytes()


class ProofingServer:
    def __init__(self, folder: Path, on_favourite: Favoured | None = None,
                 on_notes: Pinned | None = None) -> None:
        self.folder = folder
        self.on_favourite = on_favourite or (lambda _k, _s: None)
        self.on_notes = on_notes or (lambda _k, _n: None)
        self.on_verdict: Judged = lambda _v: None
        self.view = ProofView()
        self.links: tuple[Link, ...] = ()
        self.address: tuple[str, int] | None = None
        self.requests = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._streams: set[_Stream] = set()
        self._buckets: dict[str, _Bucket] = {}
        self._images: OrderedDict[str, bytes] = OrderedDict()
        self._rendering: dict[str, asyncio.Future[bytes]] = {}
        self._workers = ThreadPoolExecutor(2, thread_name_prefix="proofing-work")
        self._shot_locks: dict[str, threading.Lock] = {}
        self._phones: dict[str, set[str]] = {}        # link token -> devices seen
        self._files = {"index.html": _page("index.html"), "app.js": _page("app.js"),
                       "style.css": _page("style.css")}

    # --- life ---------------------------------------------------------------------------------
    def start(self, host: str, port: int = 0, timeout: float = 10.0) -> tuple[str, int]:
        """Serve on ``host:port`` (0: any free port); returns the address bound. Raises
        OSError (address in use, not this machine's) with the system's reason."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve(host, port))
            except BaseException as exc:   # noqa: BLE001 (reported to start())
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name="proofing-server", daemon=True)
        self._thread.start()
        ready.wait(timeout)
        if failure:
            exc = failure[0]
            raise exc if isinstance(exc, OSError) else OSError(str(exc))
        assert self.address is not None
        return self.address

    async def _serve(self, host: str, port: int) -> None:
        quiet_logs()
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.router.add_route("*", "/{tail:.*}", self._route)
        self._runner = GuardedRunner(app, HEADERS, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        bound = self._runner.addresses[0] if self._runner.addresses else (host, port)
        self.address = (str(bound[0]), int(bound[1]))

    async def _shutdown(self) -> None:
        for stream in list(self._streams):
            self._push(stream, None)
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self, timeout: float = 5.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
        self._workers.shutdown(wait=False, cancel_futures=True)

    # --- what it serves (any thread) ------------------------------------------------------
    def publish(self, view: ProofView) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._apply_view, view)
        else:
            self.view = view

    def set_links(self, links: tuple[Link, ...]) -> None:
        """The live tokens; a stream of a token no longer among them is closed at once."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._apply_links, links)
        else:
            self.links = links

    def _apply_links(self, links: tuple[Link, ...]) -> None:
        self.links = links
        live = {link.token for link in links}
        for stream in list(self._streams):
            if stream.link.token not in live:
                self._push(stream, {"type": "revoked"})
                self._push(stream, None)

    def _apply_view(self, view: ProofView) -> None:
        before, self.view = self.view, view
        changes: dict[str | None, tuple[list[ProofShot], list[str]]] = {}   # per audience
        for stream in list(self._streams):
            person = stream.link.person_id
            if person not in changes:
                old = {s.id: s for s in before.visible(person)}
                changed = [s for s in view.visible(person) if old.pop(s.id, None) != s]
                changes[person] = (changed, list(old))
            changed, gone = changes[person]
            for shot in changed:
                self._push(stream, {"type": "shot", "shot": self._json(stream.link, shot),
                                    "version": view.version})
            for shot_id in gone:
                self._push(stream, {"type": "removed", "id": shot_id,
                                    "version": view.version})
            if person is None and view.signoff != before.signoff:
                self._push(stream, {"type": "signoff", "version": view.version,
                                    "people": [line.as_json() for line in view.signoff]})

    def _push(self, stream: _Stream, event: dict[str, object] | None) -> None:
        try:
            stream.queue.put_nowait(event)
        except asyncio.QueueFull:              # a phone that stopped reading: let it go;
            self._streams.discard(stream)      # it catches up from api/shots on return
            stream.queue = asyncio.Queue(1)
            stream.queue.put_nowait(None)

    # --- requests -----------------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        self.requests += 1
        bucket = self._buckets.setdefault(request.remote or "", _Bucket())
        if len(self._buckets) > 4096:
            self._buckets.clear()
        if not bucket.take():
            response: web.StreamResponse = web.Response(status=429, text="Slow down",
                                                        headers={"Retry-After": "1"})
        else:
            try:
                response = await handler(request)
            except web.HTTPRequestEntityTooLarge:
                response = web.json_response({"error": "too large"}, status=413)
            except web.HTTPException as exc:
                response = exc if exc.status != 404 else self._not_found()
            except (ConnectionError, asyncio.CancelledError):
                raise
            except Exception:        # never a traceback to the phone: said, logged, answered
                log.warning("a request failed", exc_info=True)
                response = web.json_response({"error": "something went wrong"}, status=500)
        if not response.prepared:
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    @staticmethod
    def _not_found() -> web.Response:
        return web.Response(status=404, text=NOT_FOUND, content_type="text/html",
                            headers=HEADERS)

    async def _route(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.split("/")
        # ['', 's', token, *rest]
        if len(parts) < 3 or parts[1] != "s":
            return self._not_found()
        link = find_link(self.links, parts[2])
        if link is None:
            return self._not_found()
        rest, method = parts[3:], request.method
        if rest == [] and method == "GET":
            raise web.HTTPMovedPermanently(f"/s/{link.token}/")
        if rest == [""] and method == "GET":
            return web.Response(body=self._files["index.html"], content_type="text/html",
                                charset="utf-8")
        if len(rest) == 2 and rest[0] == "static" and rest[1] in STATIC and method == "GET":
            return web.Response(body=self._files[rest[1]], content_type=STATIC[rest[1]],
                                charset="utf-8")
        if rest == ["api", "shots"] and method == "GET":
            return await self._shots(request, link)
        if rest == ["api", "stream"] and method == "GET":
            return await self._stream(request, link)
        if len(rest) == 2 and rest[0] == "img" and method == "GET":
            return await self._image(link, rest[1])
        if len(rest) == 4 and rest[:2] == ["api", "shots"] and rest[3] == "favourite" \
                and method == "POST":
            return await self._favourite(request, link, rest[2])
        if len(rest) == 4 and rest[:2] == ["api", "shots"] and rest[3] == "pin" \
                and method == "POST":
            return await self._pin(request, link, rest[2])
        if len(rest) == 4 and rest[:2] == ["api", "people"] and rest[3] == "verdict" \
                and method == "POST" and link.person_id is None:
            return await self._verdict(request, rest[2])
        return self._not_found()

    def _json(self, link: Link, shot: ProofShot) -> dict[str, object]:
        return shot.as_json(f"/s/{link.token}/img/{shot.id}")

    async def _device_says(self, device: str) -> dict[str, tuple[bool, str]]:
        if not device:
            return {}

        def read() -> dict[str, tuple[bool, str]]:
            store = FavouritesStore(self.folder)
            try:
                return store.device_says(device)
            finally:
                store.close()

        return await asyncio.get_running_loop().run_in_executor(self._workers, read)

    async def _shots(self, request: web.Request, link: Link) -> web.Response:
        view = self.view
        said = await self._device_says(request.query.get("device", "")[:64])
        shots = []
        for shot in view.visible(link.person_id):
            entry = self._json(link, shot)
            favourite, comment = said.get(shot.key, (False, ""))
            entry.update(favourite=favourite, comment=comment)
            shots.append(entry)
        answer: dict[str, object] = {"shots": shots, "version": view.version}
        if link.person_id is None:                 # the lead's page: the day's sign-off
            answer["signoff"] = [line.as_json() for line in view.signoff]
        return web.json_response(answer)

    async def _stream(self, request: web.Request, link: Link) -> web.StreamResponse:
        response = web.StreamResponse(headers={**HEADERS, "Content-Type": "text/event-stream",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        stream = _Stream(link)
        self._streams.add(stream)
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(stream.queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if event is None:
                    break
                kind = str(event.get("type", "shot"))
                data = json.dumps(event, separators=(",", ":"))
                await response.write(f"event: {kind}\ndata: {data}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._streams.discard(stream)
        return response

    async def _image(self, link: Link, shot_id: str) -> web.Response:
        shot = self.view.shot(shot_id, link.person_id)
        if shot is None:
            return self._not_found()
        try:
            data = await self._rendered(shot)
        except (ImageUnreadable, OSError):
            return self._not_found()
        return web.Response(body=data, content_type="image/jpeg",
                            headers={"Cache-Control": "private, max-age=3600"})

    async def _rendered(self, shot: ProofShot) -> bytes:
        crop = self.view.crop                   # what the client sees is the crop
        key = f"{shot.id}:{crop}"
        cached = self._images.get(key)
        if cached is not None:
            self._images.move_to_end(key)
            return cached
        waiting = self._rendering.get(key)
        if waiting is None:              # twenty phones asking at once: one render
            waiting = asyncio.get_running_loop().run_in_executor(
                self._workers, render_jpeg, shot.path, DISPLAY_EDGE, 85, True, Credit(), crop)
            self._rendering[key] = waiting
            try:
                data = await waiting
            finally:
                self._rendering.pop(key, None)
            self._images[key] = data
            while len(self._images) > CACHED_IMAGES:
                self._images.popitem(last=False)
            return data
        return await asyncio.shield(waiting)

    @staticmethod
    async def _json_body(request: web.Request) -> object:
        """A small JSON body read within its deadline, or the answer refusing it."""
        try:
            raw = await asyncio.wait_for(request.read(), BODY_DEADLINE_S)
            return json.loads(raw)
        except TimeoutError:
            return web.json_response({"error": "too slow"}, status=408)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return web.json_response({"error": "send JSON"}, status=400)

    async def _favourite(self, request: web.Request, link: Link, shot_id: str
                         ) -> web.Response:
        shot = self.view.shot(shot_id, link.person_id)
        if shot is None:
            return self._not_found()
        body = await self._json_body(request)
        if isinstance(body, web.Response):
            return body
        favourite, comment = (body.get("favourite"), body.get("comment", "")) \
            if isinstance(body, dict) else (None, None)
        device = body.get("device", "") if isinstance(body, dict) else ""
        if not isinstance(favourite, bool) or not _text(comment) or not _text(device):
            return web.json_response({"error": "favourite must be true or false, comment "
                                               "text"}, status=400)
        if len(comment) > MAX_COMMENT:
            return web.json_response({"error": f"a comment is at most {MAX_COMMENT} "
                                               "characters"}, status=400)
        device = device[:64] or f"{link.scope}@{request.remote}"
        phones = self._phones.setdefault(link.token, set())
        if device not in phones and len(phones) >= MAX_PHONES_PER_LINK:
            return web.json_response({"error": "this link is already used on too many phones; "
                                               "ask the studio for another"}, status=429)
        phones.add(device)
        try:
            said = await asyncio.get_running_loop().run_in_executor(
                self._workers, self._keep, shot, device, favourite, comment)
        except TooManyPhones as exc:
            return web.json_response({"error": str(exc)}, status=429)
        self.on_favourite(shot.key, said)
        return web.json_response({"id": shot.id, "favourite": favourite,
                                  "comment": " ".join(comment.split()), "hearts": said.hearts})

    async def _pin(self, request: web.Request, link: Link, shot_id: str) -> web.Response:
        """A retouch note the client pinned on the picture (``{x, y, text}``, 0..1 of the
        picture they see)."""
        shot = self.view.shot(shot_id, link.person_id)
        if shot is None:
            return self._not_found()
        try:
            raw = await asyncio.wait_for(request.read(), BODY_DEADLINE_S)
            x, y, text, _device = parse_pin(json.loads(raw))
            crop = self.view.crop
            lock = self._shot_locks.setdefault(shot.key, threading.Lock())

            def keep() -> tuple[RetouchNote, ...]:
                with lock:
                    return pin_for_client(self.folder, shot.path, crop, x, y, text)

            notes = await asyncio.get_running_loop().run_in_executor(self._workers, keep)
        except TimeoutError:
            return web.json_response({"error": "too slow"}, status=408)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, NoteRefused) else "send JSON"
            return web.json_response({"error": message}, status=400)
        except OSError as exc:
            log.warning("client note on %s not kept: %s", shot.key, exc)
            return web.json_response({"error": "the studio could not keep the note"},
                                     status=503)
        self.on_notes(shot.key, notes)
        return web.json_response({"id": shot.id, "number": notes[-1].number,
                                  "notes": len(notes)})

    async def _verdict(self, request: web.Request, key: str) -> web.Response:
        """The lead's veto or note on a person's approved shot (``{veto, note}``; the lead's
        link only, before the day closes)."""
        line = next((s for s in self.view.signoff if s.key == key and s.shot), None)
        if line is None:
            return self._not_found()
        if self.view.closed:
            return web.json_response({"error": "the day is closed"}, status=409)
        body = await self._json_body(request)
        if isinstance(body, web.Response):
            return body
        veto, note = (body.get("veto"), body.get("note", "")) if isinstance(body, dict) \
            else (None, None)
        if not isinstance(veto, bool) or not _text(note) or len(note) > MAX_NOTE:
            return web.json_response({"error": f"veto must be true or false, a note at most "
                                               f"{MAX_NOTE} characters"}, status=400)

        def keep() -> LeadVerdict:
            with LeadVerdictStore(self.folder) as store:
                return store.give(line.person_id, line.shot, veto, note)

        try:
            verdict = await asyncio.get_running_loop().run_in_executor(self._workers, keep)
        except OSError as exc:
            log.warning("the lead's word on %s not kept: %s", line.person, exc)
            return web.json_response({"error": "the studio could not keep it"}, status=503)
        self.on_verdict(verdict)
        return web.json_response({"key": key, "veto": verdict.veto, "note": verdict.note})

    def _keep(self, shot: ProofShot, device: str, favourite: bool, comment: str
              ) -> ClientFavourite:
        """Catalog, then sidecar, under the shot's lock: two phones at once both count and
        the sidecar ends with both (a worker thread)."""
        lock = self._shot_locks.setdefault(shot.key, threading.Lock())
        with lock:
            return keep_favourite(self.folder, shot.path, device, favourite, comment)
