"""A local stand-in for SATUSEHAT: the OAuth2 token endpoint and the FHIR
transaction endpoint, as a small WSGI app. It records what it received, honours
``ifNoneExist`` (a second conditional create returns the first resource), and
can be told to answer 429 or 5xx. Used by the tests and by
``manage.py satusehat_stub`` for trying the sending page by hand. Never talks
to the internet.
"""

from __future__ import annotations

import json
import threading
import uuid
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class StubSatusehat:
    def __init__(self, client_id: str = "client-a", client_secret: str = "rahasia-stub",
                 expires_in: int = 3599):
        self.client_id, self.client_secret, self.expires_in = client_id, client_secret, expires_in
        self.lock = threading.Lock()
        self.token_requests: list[dict] = []
        self.bundles: list[dict] = []  # every Bundle POSTed (accepted or not)
        self.store: dict[tuple[str, str], str] = {}  # (type, "system|value") -> id
        self.resources: dict[str, dict] = {}  # "Type/id" -> resource
        self.script: list[int] = []  # status codes to answer next, one per Bundle POST
        self.down = False  # answer 503 to every Bundle POST
        self.valid_tokens: set[str] = set()
        self.server: WSGIServer | None = None

    # --- control ------------------------------------------------------------------------------

    def start(self, port: int = 0) -> StubSatusehat:
        self.server = make_server("127.0.0.1", port, self, handler_class=_QuietHandler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def auth_url(self) -> str:
        return f"{self.base}/oauth2/v1"

    @property
    def fhir_url(self) -> str:
        return f"{self.base}/fhir-r4/v1"

    def count(self, kind: str) -> int:
        return sum(1 for key in self.resources if key.startswith(kind + "/"))

    # --- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        if method == "POST" and path == "/oauth2/v1/accesstoken":
            status, payload, headers = self._token(environ, body)
        elif method == "POST" and path.rstrip("/") == "/fhir-r4/v1":
            status, payload, headers = self._bundle(environ, body)
        else:
            status, payload, headers = 404, _outcome("not-found", "unknown endpoint"), {}
        reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized",
                  404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
                  502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Status")
        data = json.dumps(payload).encode()
        start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                              ("Content-Length", str(len(data))),
                                              *headers.items()])
        return [data]

    def _token(self, environ, body):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        with self.lock:
            self.token_requests.append({"grant_type": query.get("grant_type", [""])[0],
                                        "client_id": form.get("client_id")})
        if (query.get("grant_type") != ["client_credentials"]
                or form.get("client_id") != self.client_id
                or form.get("client_secret") != self.client_secret):
            return 401, _outcome("security", "Invalid client credentials"), {}
        token = uuid.uuid4().hex
        self.valid_tokens.add(token)
        return 200, {"access_token": token, "token_type": "BearerToken",
                     "expires_in": str(self.expires_in), "status": "approved"}, {}

    def _bundle(self, environ, body):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
            return 401, _outcome("login", "Access token invalid"), {}
        try:
            bundle = json.loads(body)
        except ValueError:
            return 400, _outcome("structure", "invalid JSON"), {}
        with self.lock:
            self.bundles.append(bundle)
            if self.down:
                return 503, _outcome("transient", "service unavailable"), {}
            if self.script:
                status = self.script.pop(0)
                if status != 200:
                    headers = {"Retry-After": "0"} if status == 429 else {}
                    return status, _outcome("throttled" if status == 429 else "exception",
                                            f"scripted {status}"), headers
            if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
                return 400, _outcome("invalid", "expected a transaction Bundle"), {}
            return 200, self._transaction(bundle), {}

    def _transaction(self, bundle):
        resolved: dict[str, str] = {}
        out = []
        entries = bundle.get("entry", [])
        for entry in entries:  # first pass: ids for every entry
            req, res = entry["request"], entry["resource"]
            kind = res["resourceType"]
            cond = req.get("ifNoneExist", "").removeprefix("identifier=")
            existing = self.store.get((kind, cond)) if cond else None
            if existing:
                resolved[entry["fullUrl"]] = f"{kind}/{existing}"
                out.append({"status": "200 OK", "location": f"{kind}/{existing}/_history/1"})
            else:
                new_id = uuid.uuid4().hex[:12]
                if cond:
                    self.store[(kind, cond)] = new_id
                resolved[entry["fullUrl"]] = f"{kind}/{new_id}"
                out.append({"status": "201 Created", "location": f"{kind}/{new_id}/_history/1"})
                self.resources[f"{kind}/{new_id}"] = res
        text = json.dumps([e["resource"] for e in entries])
        for urn, ref in resolved.items():  # second pass: references rewritten
            text = text.replace(urn, ref)
        for stored, res in zip(out, json.loads(text), strict=True):
            key = stored["location"].rsplit("/_history", 1)[0]
            if stored["status"].startswith("201"):
                self.resources[key] = res
        return {"resourceType": "Bundle", "type": "transaction-response",
                "entry": [{"response": r} for r in out]}


def _outcome(code: str, text: str) -> dict:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}]}
