"""A local stand-in for the BAN geocoder (GeoCodeJSON over HTTP on 127.0.0.1), for tests and benchmarks.

Each query can be given a script of responses, served in order (the last one repeats):
``Reply.json(...)``, ``Reply.error(429)``, ``Reply.slow(seconds)``, ``Reply.hang()``,
``Reply.garbage()``, ``Reply.html(502)``, ``Reply.close()``. Unscripted queries are answered by
``default``; with ``hold_after=n``, every request after the n-th hangs.

The server records every query it receives with its arrival time on ``clock``. Given a test's
:class:`FakeClock` (the one the Geocoder sleeps on), arrivals are stamped in that clock's time and
``Reply.slow`` advances it instead of sleeping: what is measured no longer depends on the machine.
A test waits for the server's state with ``wait_for_requests(n)``, never with a sleep.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from build_tools.text import fold


def feature(lat: float, lon: float, label: str, citycode: str, score: float = 0.9, kind: str = "housenumber") -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "type": kind,
            "citycode": citycode,
            "city": label.split()[-1],
            "postcode": "00000",
            "id": "x",
            "name": label,
        },
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "version": "draft", "features": list(features), "query": "q"}


@dataclass(frozen=True)
class Reply:
    kind: str
    status: int = 200
    body: object = None
    delay: float = 0.0
    retry_after: str = "0"
    """The Retry-After header of a 429 (seconds, or an HTTP date)."""

    @classmethod
    def json(cls, body: dict) -> Reply:
        return cls("json", 200, body)

    @classmethod
    def error(cls, status: int, retry_after: str = "0") -> Reply:
        return cls("json", status, {"code": status, "message": "erreur"}, retry_after=retry_after)

    @classmethod
    def slow(cls, seconds: float, body: dict | None = None) -> Reply:
        """Answers ``seconds`` later on the server's FakeClock."""
        return cls("json", 200, body or collection(), seconds)

    @classmethod
    def hang(cls) -> Reply:
        """No answer at all until the server stops (for timeouts, and to hold a client mid-request)."""
        return cls("hang")

    @classmethod
    def garbage(cls) -> Reply:
        return cls("raw", 200, b"{not json at all")

    @classmethod
    def html(cls, status: int) -> Reply:
        return cls("html", status, b"<html><body><h1>502 Bad Gateway</h1></body></html>")

    @classmethod
    def close(cls) -> Reply:
        return cls("close")


class FakeClock:
    """Monotonic time that only moves when someone sleeps on it (or the server is slow on it)."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class FakeBan:
    def __init__(
        self,
        default: Callable[[str], Reply] | None = None,
        clock: Callable[[], float] = time.monotonic,
        hold_after: int | None = None,
    ):
        self.scripts: dict[str, list[Reply]] = {}
        self.default = default or (lambda q: Reply.json(collection()))
        self.clock = clock
        self.hold_after = hold_after
        self.received: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._arrival = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, query: str, *replies: Reply) -> None:
        self.scripts[fold(query)] = list(replies)

    def count(self, query: str | None = None) -> int:
        with self._lock:
            return len(self.received) if query is None else sum(1 for q, _ in self.received if q == fold(query))

    def __enter__(self) -> FakeBan:
        self._thread.start()
        return self

    def wait_for_requests(self, count: int, timeout: float = 60) -> None:
        """Block until the server has received ``count`` requests (the timeout only guards a broken test)."""
        with self._arrival:
            if not self._arrival.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"{len(self.received)} requests received, {count} awaited")

    def __exit__(self, *exc) -> None:
        self._stopping.set()  # releases the hanging replies
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, query: str) -> Reply:
        with self._arrival:
            self.received.append((fold(query), self.clock()))
            self._arrival.notify_all()
            if self.hold_after is not None and len(self.received) > self.hold_after:
                return Reply.hang()
            script = self.scripts.get(fold(query))
            if script:
                return script.pop(0) if len(script) > 1 else script[0]
        return self.default(query)

    def _handler(self):
        ban = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path != "/search":
                    self.send_error(404)
                    return
                query = parse_qs(parts.query).get("q", [""])[0]
                reply = ban._next_reply(query)
                if reply.kind == "hang":
                    ban._stopping.wait()
                if reply.kind in ("close", "hang"):
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:  # the client already left
                        pass
                    self.close_connection = True
                    return
                if reply.delay:
                    assert isinstance(ban.clock, FakeClock), "Reply.slow takes the time of a FakeClock: no real sleep"
                    ban.clock.advance(reply.delay)
                if reply.kind == "json":
                    payload, content_type = json.dumps(reply.body).encode(), "application/json"
                elif reply.kind == "html":
                    payload, content_type = reply.body, "text/html"
                else:
                    payload, content_type = reply.body, "application/json"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    if reply.status == 429:
                        self.send_header("Retry-After", reply.retry_after)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def answering_from(entries) -> Callable[[str], Reply]:
    """A default answer built from geocoding-cache entries (used to replay the demo dataset)."""
    by_query = {fold(e.requete): e for e in entries}

    def answer(query: str) -> Reply:
        entry = by_query.get(fold(query))
        if entry is None:
            return Reply.json(collection())
        return Reply.json(
            collection(feature(entry.lat, entry.lon, entry.label, entry.citycode, entry.score, entry.type))
        )

    return answer
