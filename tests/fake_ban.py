"""A local stand-in for the BAN geocoder (GeoCodeJSON over HTTP on 127.0.0.1), for tests and benchmarks.

Each query can be given a script of responses, served in order (the last one repeats):
``Reply.json(...)``, ``Reply.status(429)``, ``Reply.slow(seconds)``, ``Reply.garbage()``,
``Reply.html(502)``, ``Reply.close()``. Unscripted queries are answered by ``default``.
The server records every query it receives, with its arrival time.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from build_tools.loader import fold


def feature(lat: float, lon: float, label: str, citycode: str, score: float = 0.9, kind: str = "housenumber") -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"label": label, "score": score, "type": kind, "citycode": citycode, "city": label.split()[-1],
                       "postcode": "00000", "id": "x", "name": label},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "version": "draft", "features": list(features), "query": "q"}


@dataclass(frozen=True)
class Reply:
    kind: str
    status: int = 200
    body: object = None
    delay: float = 0.0

    @classmethod
    def json(cls, body: dict) -> "Reply":
        return cls("json", 200, body)

    @classmethod
    def error(cls, status: int) -> "Reply":
        return cls("json", status, {"code": status, "message": "erreur"})

    @classmethod
    def slow(cls, seconds: float, body: dict | None = None) -> "Reply":
        return cls("json", 200, body or collection(), seconds)

    @classmethod
    def garbage(cls) -> "Reply":
        return cls("raw", 200, b"{not json at all")

    @classmethod
    def html(cls, status: int) -> "Reply":
        return cls("html", status, b"<html><body><h1>502 Bad Gateway</h1></body></html>")

    @classmethod
    def close(cls) -> "Reply":
        return cls("close")


class FakeBan:
    def __init__(self, default: Callable[[str], Reply] | None = None):
        self.scripts: dict[str, list[Reply]] = {}
        self.default = default or (lambda q: Reply.json(collection()))
        self.received: list[tuple[str, float]] = []
        self._lock = threading.Lock()
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

    def __enter__(self) -> "FakeBan":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, query: str) -> Reply:
        with self._lock:
            self.received.append((fold(query), time.monotonic()))
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
                if reply.kind == "close":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if reply.delay:
                    time.sleep(reply.delay)
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
                        self.send_header("Retry-After", "0")
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
        return Reply.json(collection(feature(entry.lat, entry.lon, entry.label, entry.citycode, entry.score, entry.type)))

    return answer
