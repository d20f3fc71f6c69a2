"""Entra ID read through Microsoft Graph: a thin layer of plain HTTP calls (httpx).

One app registration, signed in with the client-credentials flow, reads:

- ``/subscribedSkus``: the tenant's licences, ``skuId`` → ``skuPartNumber``;
- ``/reports/authenticationMethods/userRegistrationDetails``: ``isMfaRegistered`` per user;
- ``/groups`` then each group's ``members``: group names per user. Listing the groups and
  their members costs one request per group (plus one per 999 groups or members), about fifty
  for a 2,000-user tenant, where each user's ``memberOf`` would cost 2,000; and
  ``/groups?$expand=members`` is no shortcut: Graph expands at most 20 directory objects and
  gives no ``@odata.nextLink`` for the rest, so large groups would silently lose members;
- ``/users`` with the manager expanded: the accounts themselves (Graph pages users 100 at a
  time when ``$expand`` is used, so 2,000 users are 20 pages).

Every list follows ``@odata.nextLink``. Throttling (429, 503, 504) waits for ``Retry-After``
(capped) and retries a bounded number of times. A missing permission on the MFA report or the
licences (403) leaves those fields ``None`` — unknown, never "no MFA" — and adds a warning;
every other failure raises :class:`GraphError`, whose message never contains the secret.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from regie.directory.sync.entries import DirectoryEntry, GraphSettings

logger = logging.getLogger(__name__)

SCOPE = "https://graph.microsoft.com/.default"
USER_FIELDS = (
    "id,userPrincipalName,displayName,givenName,surname,mail,businessPhones,mobilePhone,"
    "department,officeLocation,jobTitle,accountEnabled,assignedLicenses,userType"
)
PAGE_SIZE = 999  # Graph's largest page for users, groups and members
MAX_ATTEMPTS = 5  # per request, throttled answers included
MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After is cut to this
TOKEN_MARGIN = 120  # seconds: a token this close to expiry is renewed before use
THROTTLED = {429, 503, 504}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

T = TypeVar("T")


class GraphError(Exception):
    """Microsoft Graph or the token endpoint refused or failed; the message says why."""


class _Forbidden(GraphError):
    """403: the app registration lacks the permission for this endpoint."""


@dataclass
class _Token:
    value: str
    expires_at: float  # time.monotonic()


class GraphClient:
    """An authenticated session with Graph: token renewal, paging and throttling."""

    def __init__(self, settings: GraphSettings, client: httpx.Client) -> None:
        self.settings = settings
        self.client = client
        self.requests = 0  # every HTTP request made, token included: what a sync costs
        self._token: _Token | None = None
        self._graph_origin = _origin(settings.graph_url)

    # --- token -------------------------------------------------------------------------

    def _fetch_token(self) -> _Token:
        url = f"{self.settings.authority.rstrip('/')}/{self.settings.tenant_id}/oauth2/v2.0/token"
        data = {
            "grant_type": "client_credentials",
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret,
            "scope": SCOPE,
        }
        response = self._send("POST", url, data=data)
        body = self._json(response, url)
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            code = body.get("error", "") if isinstance(body, dict) else ""
            detail = body.get("error_description", "") if isinstance(body, dict) else ""
            raise GraphError(
                self._scrub(
                    f"The token endpoint refused the app registration (HTTP "
                    f"{response.status_code} {code}): {detail.splitlines()[0] if detail else ''}"
                    " — check the tenant id, the client id and the client secret (and its expiry)."
                )
            )
        lifetime = int(body.get("expires_in", 3599))
        return _Token(str(body["access_token"]), time.monotonic() + lifetime)

    def _bearer(self, *, renew: bool = False) -> str:
        if renew or self._token is None or self._token.expires_at - time.monotonic() < TOKEN_MARGIN:
            self._token = self._fetch_token()
        return self._token.value

    # --- requests ----------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, retried while Graph says it is throttled (429, 503, 504)."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self.requests += 1
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.HTTPError as error:
                raise GraphError(
                    self._scrub(f"Cannot reach {_origin(url)}: {error.__class__.__name__} {error}")
                ) from None
            if response.status_code not in THROTTLED or attempt == MAX_ATTEMPTS:
                return response
            time.sleep(_retry_wait(response, attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, url: str) -> dict[str, Any]:
        """GET a Graph URL (absolute, on Graph's own origin) and return its JSON object."""
        if _origin(url) != self._graph_origin:
            # A nextLink elsewhere would receive the bearer token: refuse it.
            raise GraphError(f"Graph sent a link outside {self._graph_origin}: {_origin(url)}")
        response = self._send("GET", url, headers={"Authorization": f"Bearer {self._bearer()}"})
        if response.status_code == 401:
            # The token expired early or was revoked: one fresh token, one more try.
            headers = {"Authorization": f"Bearer {self._bearer(renew=True)}"}
            response = self._send("GET", url, headers=headers)
        body = self._json(response, url)
        if response.status_code == 200 and isinstance(body, dict):
            return body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        code = error.get("code", "") if isinstance(error, dict) else ""
        message = error.get("message", "") if isinstance(error, dict) else ""
        where = urlsplit(url).path
        text = self._scrub(
            f"Graph answered HTTP {response.status_code} {code} on {where}: {message}"
        )
        if response.status_code == 403:
            raise _Forbidden(text)
        raise GraphError(text)

    def pages(self, path: str) -> Iterator[dict[str, Any]]:
        """Every object of a Graph collection, following ``@odata.nextLink``."""
        url: str | None = f"{self.settings.graph_url.rstrip('/')}{path}"
        while url:
            body = self.get(url)
            values = body.get("value")
            if not isinstance(values, list):
                raise GraphError(f"Graph's answer on {urlsplit(url).path} has no value list")
            yield from (value for value in values if isinstance(value, dict))
            url = body.get("@odata.nextLink")

    def _json(self, response: httpx.Response, url: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise GraphError(
                f"{_origin(url)} answered HTTP {response.status_code} without JSON"
            ) from None

    def _scrub(self, text: str) -> str:
        secret = self.settings.client_secret
        return text.replace(secret, "********") if secret else text


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _retry_wait(response: httpx.Response, attempt: int) -> float:
    """Graph's Retry-After (seconds), else an exponential back-off; never above the cap."""
    raw = response.headers.get("Retry-After", "")
    wait = float(raw) if raw.strip().isdigit() else float(2 ** (attempt - 1))
    return min(wait, MAX_RETRY_WAIT)


def _check_settings(settings: GraphSettings) -> None:
    """Secrets and tokens travel over TLS only (plain HTTP is accepted on loopback)."""
    for url in (settings.authority, settings.graph_url):
        parts = urlsplit(url)
        if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
            continue
        raise GraphError(f"{url} must be an https:// address")
    for name in ("tenant_id", "client_id", "client_secret"):
        if not getattr(settings, name).strip():
            raise GraphError(f"The Graph settings have no {name}")


# --- what Graph says about each user ---------------------------------------------------


def _optional(
    client: GraphClient, what: str, read: Callable[[GraphClient], T], warnings: list[str] | None
) -> T | None:
    """Call ``read``; on 403 record why ``what`` stays unknown and return None."""
    try:
        return read(client)
    except _Forbidden as error:
        message = f"{what} unknown: {error}"
        logger.warning("%s", message)
        if warnings is not None:
            warnings.append(message)
        return None


def _sku_names(client: GraphClient) -> dict[str, str]:
    return {
        str(sku["skuId"]): str(sku.get("skuPartNumber") or sku["skuId"])
        for sku in client.pages("/subscribedSkus?$select=skuId,skuPartNumber")
        if sku.get("skuId")
    }


def _mfa_registered(client: GraphClient) -> dict[str, bool]:
    # No $select nor $top: this report supports only $filter and $orderby.
    return {
        str(detail["id"]): bool(detail.get("isMfaRegistered"))
        for detail in client.pages("/reports/authenticationMethods/userRegistrationDetails")
        if detail.get("id")
    }


def _group_names(client: GraphClient) -> dict[str, set[str]]:
    """User id → the names of the groups they are a direct member of."""
    groups = list(client.pages(f"/groups?$select=id,displayName&$top={PAGE_SIZE}"))
    names: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        name = str(group.get("displayName") or "").strip()
        if not name or not group.get("id"):
            continue
        path = f"/groups/{group['id']}/members?$select=id&$top={PAGE_SIZE}"
        for member in client.pages(path):
            if member.get("@odata.type", "#microsoft.graph.user") == "#microsoft.graph.user":
                names[str(member["id"])].add(name)
    return names


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry(
    user: dict[str, Any],
    groups: dict[str, set[str]],
    mfa: dict[str, bool] | None,
    skus: dict[str, str] | None,
) -> DirectoryEntry:
    user_id = str(user["id"])
    principal = _text(user.get("userPrincipalName"))
    phones = [phone for phone in user.get("businessPhones") or [] if isinstance(phone, str)]
    manager = user.get("manager")
    licences = None
    if skus is not None:
        assigned = [
            str(item["skuId"])
            for item in user.get("assignedLicenses") or []
            if isinstance(item, dict) and item.get("skuId")
        ]
        # A licence missing from subscribedSkus keeps its skuId rather than vanishing.
        licences = tuple(sorted(skus.get(sku, sku) for sku in assigned))
    return DirectoryEntry(
        directory_id=user_id,
        username=principal.partition("@")[0],
        principal_name=principal,
        display_name=_text(user.get("displayName")),
        first_name=_text(user.get("givenName")),
        last_name=_text(user.get("surname")),
        email=_text(user.get("mail")),
        phone=_text(phones[0]) if phones else "",
        mobile=_text(user.get("mobilePhone")),
        department=_text(user.get("department")),
        site=_text(user.get("officeLocation")),
        job_title=_text(user.get("jobTitle")),
        manager_id=str(manager["id"]) if isinstance(manager, dict) and manager.get("id") else "",
        active=user.get("accountEnabled") is not False,
        groups=frozenset(groups.get(user_id, ())),
        # The report leaves out disabled accounts: for them MFA stays unknown.
        mfa_registered=None if mfa is None else mfa.get(user_id),
        licences=licences,
    )


def fetch_graph(
    settings: GraphSettings,
    *,
    client: httpx.Client | None = None,
    warnings: list[str] | None = None,
) -> Iterator[DirectoryEntry]:
    """Every member account of the Entra ID tenant (guests left out), as directory entries.

    ``warnings`` (when given) receives one line per field Régie could not read — a missing
    permission on the MFA report or the licences — also logged; those fields are ``None``.
    Raises :class:`GraphError` on any other failure, before or while yielding.
    """
    _check_settings(settings)
    own = client is None
    http = client or httpx.Client(timeout=settings.timeout, verify=True)
    graph = GraphClient(settings, http)
    try:
        skus = _optional(graph, "Microsoft 365 licences", _sku_names, warnings)
        mfa = _optional(graph, "MFA registration", _mfa_registered, warnings)
        groups = _group_names(graph)
        path = f"/users?$select={USER_FIELDS}&$expand=manager($select=id)&$top={PAGE_SIZE}"
        for user in graph.pages(path):
            if not user.get("id") or _text(user.get("userType")).casefold() == "guest":
                continue
            yield _entry(user, groups, mfa, skus)
        logger.info("Microsoft Graph: %d requests", graph.requests)
    finally:
        if own:
            http.close()
