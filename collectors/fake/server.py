"""The fake's HTTP plumbing, its switches, and its log of requests.

Paths (base URL `http://127.0.0.1:PORT`):

- YouTube Data v3: `GET /youtube/v3/channels|videos` (use base `…/youtube/v3`)
- Plausible v2: `POST /api/v2/query`
- Matomo: `POST /index.php`
- GA4 Data v1beta: `POST /v1beta/properties/{id}:runReport`, and `POST /token` (OAuth)
- Instagram Graph, Business Discovery: `GET /v26.0/{ig-user-id}?fields=business_discovery…`
- The creators' own logins (OAuth and insights of Instagram, TikTok, Google):
  `/creator/<real host>/<real path>` (see `collectors/fake/creators.py`)

Switching a request to a failure, per request:

- a header `X-Fake-Mode: <mode>` on the request, or
- queued modes: `POST /_fake/modes` with `{"provider": "youtube", "modes": ["429", "ok"],
  "retry_after": 2, "hang": 30}`: each following request to that provider takes the next
  mode (then "ok" again). `DELETE /_fake/modes` clears every queue and the log.

Modes: `ok`, `429` (with Retry-After), `500`, `expired` (the provider's expired or
revoked credential error), `quota` (YouTube quotaExceeded, GA4 tokens exhausted),
`garbage` (HTTP 200 with an HTML body), `wrongshape` (HTTP 200 JSON of another shape),
`empty` (a good answer with no data), `hang` (no answer for `hang` seconds), `error200`
(Matomo: an error inside HTTP 200), `revoked` and `scope` (the creators' logins: a
revoked token, a permission not granted).

`GET /_fake/images/NAME.png` is a small picture, the same for the same name (the post
thumbnails and profile pictures the fake's answers link to).

`GET /_fake/requests` lists what was asked (method, path, provider, mode, time, and
whether a credential came in a header: never its value).
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MODES = {
    "ok",
    "429",
    "500",
    "expired",
    "quota",
    "garbage",
    "wrongshape",
    "empty",
    "hang",
    "error200",
    "revoked",
    "scope",
}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode(errors="replace")).items()}

    def param(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[-1]


@dataclass
class Response:
    status: int
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def encoded(self) -> tuple[bytes, str]:
        if self.raw is not None:
            return self.raw, self.headers.get("Content-Type", "text/html; charset=utf-8")
        return json.dumps(self.body).encode(), "application/json; charset=UTF-8"


class State:
    """Queued modes per provider and the request log, shared by the server's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.modes: dict[str, list[str]] = {}
        self.retry_after: dict[str, str] = {}
        self.hang: dict[str, float] = {}
        self.log: list[dict] = []
        # Plausible/GA4/Matomo: the utm_content values the fake reports per campaign.
        self.contents: dict[str, list[str]] = {}

    def next_mode(self, provider: str) -> str:
        with self.lock:
            queue = self.modes.get(provider) or []
            return queue.pop(0) if queue else "ok"

    def reset(self) -> None:
        with self.lock:
            self.modes.clear()
            self.log.clear()
            self.contents.clear()


def route(path: str):
    """(provider, handler module) for a path, or None."""
    from . import creators, ga4, instagram, matomo, plausible, youtube

    if path.startswith("/creator/") and path.count("/") >= 3:
        return creators.provider_of(path), creators
    if path.startswith("/youtube/v3/"):
        return "youtube", youtube
    if path == "/api/v2/query":
        return "plausible", plausible
    if path in ("/index.php", "/matomo/index.php"):
        return "matomo", matomo
    if path == "/token" or path.startswith("/v1beta/properties/"):
        return "ga4", ga4
    if re.match(r"^/v\d+\.\d+/\d+$", path):
        return "instagram", instagram
    return None


class Handler(BaseHTTPRequestHandler):
    server: "FakeServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet: tests read /_fake/requests
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        if request.path.startswith("/_fake/"):
            return self._send(self._control(request))
        found = route(request.path)
        if found is None:
            return self._send(Response(404, {"error": "not found"}))
        provider, module = found
        state = self.server.state
        if getattr(module, "takes_modes", lambda path: True)(request.path):
            mode = request.headers.get("x-fake-mode") or state.next_mode(provider)
        else:
            mode = "ok"
        with state.lock:
            state.log.append(
                {
                    "provider": provider,
                    "method": method,
                    "path": request.path,
                    "mode": mode,
                    "at": time.time(),
                    "credential_in_url": _credential_in_url(request),
                    # What was asked, without any credential (tests read it back).
                    "params": {k: v[-1] for k, v in request.query.items() if k not in SECRETS},
                }
            )
        if self.server.latency:
            time.sleep(self.server.latency)  # a provider far away (the benchmark's 100 ms)
        if mode == "hang":
            time.sleep(state.hang.get(provider, 30.0))
            return self._send(Response(504, {"error": "hung"}))
        if getattr(module, "HANDLES_MODES", False) and mode in MODES - {"garbage", "wrongshape"}:
            return self._send(module.handle(request, state, empty=mode == "empty", mode=mode))
        if mode == "garbage":
            return self._send(Response(200, raw=b"<html><body>Bad gateway, try later</body>"))
        if mode == "wrongshape":
            return self._send(Response(200, {"unexpected": [1, 2, 3]}))
        if mode in ("429", "500", "expired", "quota", "error200", "revoked", "scope"):
            response = module.error(mode, request)
            if mode == "429" and getattr(module, "SENDS_RETRY_AFTER", True):
                response.headers.setdefault("Retry-After", state.retry_after.get(provider, "2"))
            return self._send(response)
        return self._send(module.handle(request, state, empty=mode == "empty"))

    def _control(self, request: Request) -> Response:
        state = self.server.state
        if request.path.startswith("/_fake/images/") and request.method == "GET":
            from .images import png

            return Response(200, raw=png(request.path), headers={"Content-Type": "image/png"})
        if request.path == "/_fake/requests" and request.method == "GET":
            with state.lock:
                return Response(200, list(state.log))
        if request.path == "/_fake/modes" and request.method == "DELETE":
            state.reset()
            return Response(200, {"ok": True})
        if request.path == "/_fake/modes" and request.method == "POST":
            body = request.json()
            modes = [m for m in body.get("modes", []) if m in MODES]
            provider = body["provider"]
            with state.lock:
                state.modes.setdefault(provider, []).extend(modes)
                if "retry_after" in body:
                    state.retry_after[provider] = str(body["retry_after"])
                if "hang" in body:
                    state.hang[provider] = float(body["hang"])
            return Response(200, {"queued": modes})
        if request.path == "/_fake/contents" and request.method == "POST":
            with state.lock:
                state.contents.update(request.json())
            return Response(200, {"ok": True})
        return Response(404, {"error": "unknown control"})

    def _send(self, response: Response) -> None:
        body, content_type = response.encoded()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in response.headers.items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


SECRETS = ("key", "access_token", "token_auth", "client_secret")


def _credential_in_url(request: Request) -> bool:
    return any(name in request.query for name in SECRETS[:3])


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    request_queue_size = 128

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, latency: float = 0.0) -> None:
        super().__init__((host, port), Handler)
        self.state = State()
        self.latency = latency  # seconds added before answering each provider request

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="fake-providers", daemon=True)
        thread.start()
        return thread
