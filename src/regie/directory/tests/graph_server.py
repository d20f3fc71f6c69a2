"""A local stand-in for Microsoft Graph and the Entra token endpoint, on 127.0.0.1.

Graph cannot be reached from the machines that run these tests, so this small WSGI app,
served by wsgiref in a thread, answers with the response shapes Microsoft documents (see
the links at the top of ``test_graph.py``): the client-credentials token, collections under
``value`` paged with an absolute ``@odata.nextLink``, ``$select``/``$top``, users pages capped
at 100 when ``$expand`` is used, the expanded ``manager``, ``{"error": {"code", "message"}}``
bodies, and 429 with ``Retry-After``. It records every request so tests can count them.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

TENANT = "b1d2c3e4-0000-4000-8000-00000000aaaa"
CLIENT_ID = "6f1c2d3e-0000-4000-8000-00000000bbbb"
SECRET = "s3cr3t~Value.ThatMustNeverLeak"  # noqa: S105  # the fake tenant's test secret

Headers = list[tuple[str, str]]


def graph_error(code: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": "2026-12-07T21:00:00",
                "request-id": "1e2d3c4b-0000-4000-8000-000000000001",
                "client-request-id": "1e2d3c4b-0000-4000-8000-000000000001",
            },
        }
    }


@dataclass
class FakeGraph:
    """What the tenant holds, and how the fake service should misbehave."""

    users: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)  # id, displayName, members
    registrations: list[dict[str, Any]] = field(default_factory=list)
    skus: list[dict[str, Any]] = field(default_factory=list)
    # path → status 403 with Authorization_RequestDenied (a permission not granted)
    forbidden: set[str] = field(default_factory=set)
    # path → how many 429s to answer before the real answer, with this Retry-After
    throttle: dict[str, int] = field(default_factory=dict)
    retry_after: str = "1"
    token_status: int = 200
    token_lifetime: int = 3599
    # tokens Graph will refuse with 401 once, as if revoked or expired early
    revoked: set[str] = field(default_factory=set)
    registration_page: int = 500  # the report pages on its own; it takes no $top
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    tokens: list[str] = field(default_factory=list)
    base: str = ""

    # --- helpers for tests -------------------------------------------------------------

    def count(self, path_start: str) -> int:
        return sum(1 for _method, path in self.requests if path.startswith(path_start))

    # --- the WSGI app ------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        self.requests.append((method, path))
        query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        status, body, headers = self._answer(method, path, query, environ)
        payload = json.dumps(body).encode()
        headers = [("Content-Type", "application/json"), *headers]
        start_response(f"{status} {_REASONS[status]}", headers)
        return [payload]

    def _answer(
        self, method: str, path: str, query: dict[str, str], environ: dict[str, Any]
    ) -> tuple[int, Any, Headers]:
        if path == f"/{TENANT}/oauth2/v2.0/token" and method == "POST":
            return self._token(environ)
        if not path.startswith("/v1.0/"):
            return 404, graph_error("Request_ResourceNotFound", "Not found"), []
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return 401, graph_error("InvalidAuthenticationToken", "Access token is empty."), []
        if token in self.revoked:
            self.revoked.discard(token)
            return (
                401,
                graph_error(
                    "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.",
                ),
                [],
            )
        resource = path.removeprefix("/v1.0")
        if self.throttle.get(resource, 0) > 0:
            self.throttle[resource] -= 1
            error = graph_error("TooManyRequests", "Too many requests.")
            return 429, error, [("Retry-After", self.retry_after)]
        if resource in self.forbidden:
            error = graph_error(
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
            )
            return 403, error, []
        return self._collection(resource, query)

    def _token(self, environ: dict[str, Any]) -> tuple[int, Any, Headers]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        good = (
            form.get("grant_type") == "client_credentials"
            and form.get("client_id") == CLIENT_ID
            and form.get("client_secret") == SECRET
            and form.get("scope") == "https://graph.microsoft.com/.default"
        )
        if self.token_status != 200 or not good:
            # The documented error shape; this fake also echoes the secret it received, to
            # prove Régie never repeats it even when a server does.
            return (
                self.token_status if self.token_status != 200 else 401,
                {
                    "error": "invalid_client",
                    "error_description": (
                        "AADSTS7000215: Invalid client secret provided. Ensure the secret "
                        "being sent in the request is the client secret value "
                        f"({form.get('client_secret')}), not the client secret ID.\r\n"
                        "Trace ID: 0000\r\nTimestamp: 2026-12-07"
                    ),
                    "error_codes": [7000215],
                    "timestamp": "2026-12-07 21:00:00Z",
                    "trace_id": "00000000-0000-0000-0000-000000000000",
                    "correlation_id": "00000000-0000-0000-0000-000000000000",
                },
                [],
            )
        token = f"eyJ0eXAiOiJKV1Qi.{uuid.uuid4().hex}"
        self.tokens.append(token)
        body = {
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "ext_expires_in": self.token_lifetime,
            "access_token": token,
        }
        return 200, body, []

    def _collection(self, resource: str, query: dict[str, str]) -> tuple[int, Any, Headers]:
        limit = int(query.get("$top", 100))
        if resource == "/users":
            expanded = "$expand" in query
            if expanded:
                limit = min(limit, 100)  # Graph's documented cap on pages with $expand
            items = [self._user(user, query, expanded) for user in self.users]
        elif resource == "/groups":
            items = [{"id": g["id"], "displayName": g["displayName"]} for g in self.groups]
        elif resource.startswith("/groups/") and resource.endswith("/members"):
            group_id = resource.split("/")[2]
            group = next((g for g in self.groups if g["id"] == group_id), None)
            if group is None:
                return 404, graph_error("Request_ResourceNotFound", "No such group."), []
            items = [
                {"@odata.type": "#microsoft.graph.user", "id": member}
                for member in group["members"]
            ]
        elif resource == "/reports/authenticationMethods/userRegistrationDetails":
            items, limit = self.registrations, self.registration_page
        elif resource == "/subscribedSkus":
            items = self.skus
        else:
            return 400, graph_error("BadRequest", f"Unsupported: {resource}"), []
        start = int(query.get("$skiptoken", 0))
        page: dict[str, Any] = {
            "@odata.context": f"{self.base}/v1.0/$metadata#{resource.lstrip('/')}",
            "value": items[start : start + limit],
        }
        if start + limit < len(items):
            following = dict(query, **{"$skiptoken": str(start + limit)})
            page["@odata.nextLink"] = f"{self.base}/v1.0{resource}?{urlencode(following)}"
        return 200, page, []

    def _user(self, user: dict[str, Any], query: dict[str, str], expanded: bool) -> Any:
        fields = query.get("$select", "").split(",")
        shown = {key: value for key, value in user.items() if key in fields}
        if expanded:
            manager = user.get("manager")
            shown["manager"] = (
                {"@odata.type": "#microsoft.graph.user", "id": manager} if manager else None
            )
        return shown


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(graph: FakeGraph) -> Iterator[str]:
    """Serve ``graph`` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    server: WSGIServer = make_server("127.0.0.1", 0, graph, handler_class=_QuietHandler)
    graph.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield graph.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def user(number: int, **changes: Any) -> dict[str, Any]:
    """A member account as Graph describes it (the documented user properties)."""
    values: dict[str, Any] = {
        "id": str(uuid.UUID(int=number)),
        "userPrincipalName": f"agent{number}@cc-mellois.fr",
        "displayName": f"Agent {number}",
        "givenName": "Agent",
        "surname": f"N{number}",
        "mail": f"agent{number}@cc-mellois.fr",
        "businessPhones": ["+33 5 49 00 00 00"],
        "mobilePhone": None,
        "department": "Services techniques",
        "officeLocation": "Melle",
        "jobTitle": "Agent technique",
        "accountEnabled": True,
        "assignedLicenses": [],
        "userType": "Member",
        "manager": None,
    }
    values.update(changes)
    return values
