"""A local stand-in for geo.api.gouv.fr on 127.0.0.1, serving the made-up territory of geo_fixtures.

``failures`` maps a path to HTTP statuses served before the real answer (``503`` then success,
for instance); ``"garbage"`` serves bytes that are not JSON, bytes are served as they are, and
``(status, retry_after)`` answers that status with a Retry-After header. Every request is recorded with its
path, query and User-Agent.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from geo_fixtures import api_answers


class FakeGeoApi:
    def __init__(self, failures: dict[str, list] | None = None):
        self.answers = api_answers()
        self.failures = {path: list(statuses) for path, statuses in (failures or {}).items()}
        self.received: list[tuple[str, dict[str, list[str]], str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeGeoApi:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path: str, query: dict[str, list[str]]):
        with self._lock:
            pending = self.failures.get(path)
            if pending:
                return pending.pop(0)
        if path == "/communes_associees_deleguees":
            return self.answers.get(f"{path}?{query.get('codeDepartement', [''])[0]}", [])
        return self.answers.get(path, 404)

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with api._lock:
                    api.received.append((parts.path, query, self.headers.get("User-Agent", "")))
                answer = api._answer(parts.path, query)
                if answer == "garbage":
                    self._send(200, b"<html>pas du JSON</html>")
                elif isinstance(answer, bytes):
                    self._send(200, answer)
                elif isinstance(answer, tuple):  # (status, Retry-After)
                    self._send(answer[0], b"{}", {"Retry-After": answer[1]})
                elif isinstance(answer, int):
                    self._send(answer, json.dumps({"code": answer, "message": "erreur"}).encode())
                else:
                    self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
