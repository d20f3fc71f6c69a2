"""Who is on the other end of a request, behind trusted reverse proxies or not."""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _trusted(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in configured)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address.

    ``REMOTE_ADDR``, unless it is one of ``REGIE_TRUSTED_PROXIES``: then the proxies'
    ``X-Forwarded-For`` is read from the right (each proxy appends the address it saw),
    skipping the trusted proxies, and the first other address is the client. Anything a
    client wrote itself further left is never believed; a malformed entry stops the walk at
    the proxy's address.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if _is_trusted(hop, networks):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return remote
    return remote


DEFAULT_PUBLIC_URL = "http://localhost:8000"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` under the address people reach Régie at: ``REGIE_PUBLIC_URL`` when set, else
    the request's own address, else ``http://localhost:8000`` (mails and webhooks sent by the
    worker have no request). An address that is already absolute stays as it is."""
    if path.startswith(("http://", "https://")):
        return path
    if not settings.PUBLIC_URL and request is not None:
        return request.build_absolute_uri(path)
    base = (settings.PUBLIC_URL or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/{path.lstrip('/')}"
