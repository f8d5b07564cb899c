"""Issue 22, cases 6, 10 and 11: the proofing server against what a hostile device on the
studio network can send. Idle connections by the thousand never lock the phones out; no body
under the limit gets a 500; every error answer, aiohttp's own 400s included, carries the
security headers and echoes nothing; the server never names its software; made-up phones
cannot grow a sidecar without bound. Loopback only; every loop is bounded."""

from __future__ import annotations

import json
import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

from session.culling.client_favourites import MAX_PHONES_PER_SHOT, FavouritesStore
from session.culling.xmp_sidecar import sidecar_path
from tests.adversarial.helpers import ROOT
from tests.proofing_session import get, make_proofing_session, post

SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def _first_shot(proofing) -> str:
    _status, _h, body = get(proofing.url("api/shots"))
    return json.loads(body)["shots"][0]["id"]


def test_bodies_under_the_limit_never_get_a_500(proofing):
    url = proofing.url(f"api/shots/{_first_shot(proofing)}/favourite")
    bodies = [b"[" * 2000 + b"]" * 2000,                       # RecursionError in json
              b'{"favourite": true, "device": "\\ud800"}',     # a lone surrogate
              b'{"favourite": true, "comment": "\\udfff"}',
              b'{"favourite": true, "comment": ' + b"[" * 1500 + b"]" * 1500 + b"}",
              b"\xff\xfe{}", b"null", b'"text"', b"1e99999"]
    for body in bodies:
        status, answer = post(url, None, raw=body)
        assert status == 400, (body[:40], status, answer)
    store = FavouritesStore(proofing.folder)
    assert store.all() == {}                                    # nothing was kept
    store.close()


def test_aiohttp_s_own_errors_carry_the_headers_and_echo_nothing(proofing):
    port = int(proofing.base.rsplit(":", 1)[1])
    for request in (b"G<script>T / HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET /<script>alert(1)</script> HTTP/9.9\r\n\r\n",
                    b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n"):
        answer = _raw(port, request)
        head, _sep, body = answer.partition(b"\r\n\r\n")
        assert head.split(b" ")[1] in (b"400", b"431"), head[:80]
        for name in SECURITY:
            assert name.encode() in head, (name, head)
        assert b"<script" not in answer and b"aaaa" not in answer
        assert b"aiohttp" not in head.lower()
    _status, headers, _body = get(proofing.url(""))
    assert headers["Server"] == "Catchlight"
    status, headers, _body = get(f"{proofing.base}/nothing")
    assert status == 404 and headers["Server"] == "Catchlight"


def test_made_up_phones_cannot_grow_a_sidecar_without_bound(proofing):
    shot = _first_shot(proofing)
    url = proofing.url(f"api/shots/{shot}/favourite")
    answers = [post(url, {"favourite": True, "comment": "x" * 280, "device": f"fake-{n}"})[0]
               for n in range(MAX_PHONES_PER_SHOT + 10)]
    assert answers[:MAX_PHONES_PER_SHOT] == [200] * MAX_PHONES_PER_SHOT
    assert set(answers[MAX_PHONES_PER_SHOT:]) == {429}
    again = post(url, {"favourite": False, "comment": "", "device": "fake-0"})  # one it knows
    assert again[0] == 200
    name = next(s["name"] for s in json.loads(get(proofing.url("api/shots"))[2])["shots"]
                if s["id"] == shot)
    assert sidecar_path(proofing.folder / name).stat().st_size < 64 * 1024


def _proof_with_a_desktop_s_descriptors(folder: Path) -> subprocess.Popen:
    def desktop_limit() -> None:          # in the child: a desktop's 1,024 descriptors
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "proof", str(folder),
                             "--bind", "127.0.0.1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=desktop_limit)


def test_a_thousand_idle_connections_never_lock_the_phones_out(tmp_path):
    folder = tmp_path / "Proof"
    make_proofing_session(folder, count=3)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    process = _proof_with_a_desktop_s_descriptors(folder)
    idle: list[socket.socket] = []
    try:
        link = process.stdout.readline().strip()
        assert link.startswith("http://127.0.0.1:"), process.stderr.read()
        port = int(link.split(":")[2].split("/")[0])
        for n in range(1100):      # headers begun, never finished, from 23 other devices
            conn = socket.create_connection(("127.0.0.1", port), timeout=10,
                                            source_address=(f"127.0.0.{2 + n % 23}", 0))
            conn.sendall(b"GET / HTTP/1.1\r\nHost: studio\r\n")
            idle.append(conn)
        for _ in range(5):                          # the phones still get their page
            status, _h, body = get(link + "api/shots")
            assert status == 200 and len(json.loads(body)["shots"]) == 1
    finally:
        for conn in idle:
            conn.close()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    err = process.stderr.read()
    assert code == 0, err[-2000:]
    assert "Too many open files" not in err
    assert len(err.splitlines()) < 10, err[-2000:]          # said once, not a flood
