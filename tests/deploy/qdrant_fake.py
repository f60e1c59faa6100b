"""A Qdrant REST server for tests: qdrant-client's own engine (`QdrantClient(":memory:")`) behind the HTTP
endpoints the index uses.

No Qdrant server binary can be installed from the package registries here, so this stands in for one: the code
under test is the production server path unchanged — `HybridIndex.open` with `QDRANT_URL` builds a real
`QdrantClient(url=..., api_key=...)` that sends real HTTP requests (JSON bodies, the api-key header) to this
server. Only the engine answering them is qdrant-client's local one instead of the Rust server.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from typing import Any

import pytest
from qdrant_client import QdrantClient, models

Route = Callable[["FakeQdrant", str, dict], Any]
COLLECTION = r"/collections/(?P<name>[^/]+)"
API_KEY = "test-key-not-a-secret"  # what the tests' server requires and their clients send
# qdrant-client warns about an API key over plain http (to 127.0.0.1 here) and about a server it cannot version
SERVER_WARNINGS = [pytest.mark.filterwarnings("ignore:Api key is used with an insecure connection"),
                   pytest.mark.filterwarnings("ignore:Failed to obtain server version")]


def _dump(value: Any) -> Any:
    """A pydantic result (or list of them) as plain JSON values."""
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value.model_dump(mode="json", exclude_none=True) if hasattr(value, "model_dump") else value


class FakeQdrant:
    """The engine and its routes: (method, path pattern) → handler(name, body) → result."""

    def __init__(self, api_key: str | None = None) -> None:
        self.engine = QdrantClient(location=":memory:")
        self.api_key = api_key
        self.calls: list[tuple[str, str]] = []  # (method, path) of every request, to prove the server was used
        self.lock = threading.Lock()  # the local engine is one in-memory structure; a real server serialises too
        self.routes: list[tuple[str, re.Pattern[str], Route]] = [
            ("GET", re.compile(r"/"), FakeQdrant._root),
            ("GET", re.compile(COLLECTION + r"/exists"), FakeQdrant._exists),
            ("PUT", re.compile(COLLECTION), FakeQdrant._create),
            ("DELETE", re.compile(COLLECTION), FakeQdrant._delete_collection),
            ("PUT", re.compile(COLLECTION + r"/points"), FakeQdrant._upsert),
            ("POST", re.compile(COLLECTION + r"/points/delete"), FakeQdrant._delete_points),
            ("POST", re.compile(COLLECTION + r"/points/count"), FakeQdrant._count),
            ("POST", re.compile(COLLECTION + r"/points/query"), FakeQdrant._query),
        ]

    def handle(self, method: str, path: str, headers: dict[str, str], body: dict) -> tuple[int, dict]:
        """(HTTP status, JSON reply) for one request, shaped as Qdrant's REST API answers."""
        self.calls.append((method, path))
        # Like the health endpoints, the version banner at / answers without a key.
        if self.api_key is not None and path != "/" and headers.get("api-key") != self.api_key:
            return 401, {"status": {"error": "Must provide an API key or an Authorization bearer token"}}
        for verb, pattern, route in self.routes:
            if verb == method and (m := pattern.fullmatch(path)):
                try:
                    with self.lock:
                        result = route(self, m.groupdict().get("name", ""), body)
                except ValueError as exc:  # the local engine's "collection not found" and bad requests
                    code = 404 if "not found" in str(exc).lower() else 400
                    return code, {"status": {"error": str(exc)}}
                except Exception as exc:  # noqa: BLE001 - anything else is the server's fault, as a 500
                    return 500, {"status": {"error": f"{type(exc).__name__}: {exc}"}}
                if path == "/":
                    return 200, result
                return 200, {"result": _dump(result), "status": "ok", "time": 0.0}
        return 404, {"status": {"error": f"no route {method} {path}"}}

    def _root(self, _: str, __: dict) -> dict:
        # The client checks the server's version on connect; answer with its own so no warning is printed.
        return {"title": "qdrant - vector search engine (test fake)", "version": version("qdrant-client")}

    def _exists(self, name: str, _: dict) -> dict:
        return {"exists": self.engine.collection_exists(name)}

    def _create(self, name: str, body: dict) -> bool:
        req = models.CreateCollection.model_validate(body)
        return self.engine.create_collection(name, vectors_config=req.vectors or {},
                                             sparse_vectors_config=req.sparse_vectors)

    def _delete_collection(self, name: str, _: dict) -> bool:
        return self.engine.delete_collection(name)

    def _upsert(self, name: str, body: dict) -> models.UpdateResult:
        points = models.PointsList.model_validate(body).points
        return self.engine.upsert(name, points=points)

    def _delete_points(self, name: str, body: dict) -> models.UpdateResult:
        return self.engine.delete(name, points_selector=models.PointIdsList.model_validate(body))

    def _count(self, name: str, body: dict) -> models.CountResult:
        req = models.CountRequest.model_validate(body)
        return self.engine.count(name, count_filter=req.filter, exact=req.exact if req.exact is not None else True)

    def _query(self, name: str, body: dict) -> models.QueryResponse:
        req = models.QueryRequest.model_validate(body)
        return self.engine.query_points(name, query=req.query, using=req.using, prefetch=req.prefetch,
                                        query_filter=req.filter, limit=req.limit or 10,
                                        with_payload=req.with_payload if req.with_payload is not None else False)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive (as httpx expects), every reply JSON with a Content-Length."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else {}
        path = self.path.split("?", 1)[0]
        status, reply = self.server.fake.handle(self.command, path, {k.lower(): v for k, v in self.headers.items()},
                                                body)
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        """Quiet: tests read FakeQdrant.calls instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeQdrant) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class FakeQdrantServer:
    """A FakeQdrant listening on a free 127.0.0.1 port in a background thread; use as a context manager."""

    def __init__(self, api_key: str | None = None) -> None:
        self.fake = FakeQdrant(api_key)
        self._server = _Server(self.fake)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-qdrant", daemon=True)

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT, the value QDRANT_URL takes."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def calls(self, method: str | None = None, suffix: str = "") -> list[str]:
        """Paths of the requests received (optionally of one method and ending in suffix)."""
        return [p for m, p in self.fake.calls if (method is None or m == method) and p.endswith(suffix)]

    def __enter__(self) -> FakeQdrantServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.fake.engine.close()
