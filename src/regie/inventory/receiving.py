"""Receiving an agent's message: check the door, decompress, recognise, store, answer.

``receive`` is the one call behind the endpoints: it takes the request's ``Envelope`` and
returns the ``Reply``; the view (``views.receive``) only adapts Django's request and
response to them. Free of HTTP plumbing, it can be read against protocols.md §3 step by
step. Only INVENTORY messages are
stored; PROLOG and CONTACT are answered here and only refresh the agent's last-seen time.
A body that cannot be read, or that is hostile, is answered with a 4xx in the protocol's
error form and counted per (source, reason); it never reaches the inbox.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

from regie.inventory import replies
from regie.inventory.decompress import (
    Compression,
    Limits,
    RefusedBody,
    detect,
    inflate,
    too_large,
)
from regie.inventory.exceptions import HostileInput, MalformedReport
from regie.inventory.models import AgentProtocol, RefusalReason
from regie.inventory.protocols import fusion_xml, glpi_json, values
from regie.inventory.protocols.messages import MessageKind
from regie.inventory.replies import NO_CACHE, Form, Reply
from regie.inventory.safe_json import parse_json
from regie.inventory.safe_xml import parse_xml
from regie.inventory.services import AgentIdentity, record_refusal, see_agent, store_report

# LWP user agents: "FusionInventory-Agent_v2.6-3", "OCS-NG_unified_unix_agent_v2.10.0".
_DEVICE_ID_LENGTH = 255
_USER_AGENT = re.compile(r"^(?P<name>[A-Za-z][\w.-]*?)_v(?P<version>[\w.+~-]+)$")
# The OCS agent must be told this realm (``realm=``): it answers only a challenge for it.
# ASCII: Django sends a header in Latin-1, the agent compares with the UTF-8 bytes it was
# given on its command line or in its configuration file ("Régie" never matched).
BASIC_REALM = "Regie"


class Reader(Protocol):
    """A request body to read from (Django's ``HttpRequest`` is one)."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Envelope:
    """An agent's HTTP request as receiving needs it: no Django in here.

    ``headers`` is looked up with the canonical names (``User-Agent``, ``Authorization``…):
    Django's ``request.headers`` is case-insensitive, a plain ``dict`` must use them.
    ``body`` is the body itself or a stream to read it from, never read beyond the cap.
    """

    method: str
    address: str | None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | Reader = b""
    content_type: str = ""
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        return self.headers.get("User-Agent", "")

    @property
    def glpi_agent_id(self) -> str:
        return self.headers.get("GLPI-Agent-ID", "")

    @property
    def authorization(self) -> str:
        return self.headers.get("Authorization", "")

    @property
    def guessed_form(self) -> Form:
        """The reply form before the body is read: GLPI Agent announces itself."""
        return Form.JSON if self.glpi_agent_id else Form.XML

    def read_body(self, limit: int) -> bytes:
        """The body, at most ``limit`` bytes; ``RefusedBody`` (too large) beyond."""
        try:
            declared = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise too_large(limit, "body")
        body = self.body
        data = body[: limit + 1] if isinstance(body, bytes) else body.read(limit + 1)
        if len(data) > limit:
            raise too_large(limit, "body")
        return data


@dataclass(frozen=True, slots=True)
class Message:
    kind: MessageKind
    form: Form
    device_id: str | None
    query: str | None
    json_body: bool = False
    partial: bool = False
    name: str = ""
    version: str = ""
    enabled_tasks: tuple[str, ...] = ()


def refuse(
    envelope: Envelope,
    error: str,
    *,
    reason: RefusalReason,
    status: int,
    form: Form | None = None,
    device_id: str | None = None,
    compression: Compression = Compression.NONE,
) -> Reply:
    record_refusal(
        source=device_id or envelope.address or "unknown",
        reason=reason,
        error=error,
        address=envelope.address,
    )
    return replies.error(
        error,
        form=form or envelope.guessed_form,
        status=status,
        hours=settings.INVENTORY_CONTACT_HOURS,
        compression=compression,
    )


@lru_cache(maxsize=8)
def _networks(
    configured: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network) for network in configured)


def address_allowed(address: str | None) -> bool:
    configured = tuple(settings.INVENTORY_ALLOWED_NETWORKS)
    if not configured:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in _networks(configured))


def credentials_match(authorization: str) -> bool:
    scheme, _space, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    username, _colon, password = decoded.partition(":")
    expected_user = settings.INVENTORY_USERNAME.encode()
    expected_password = settings.INVENTORY_PASSWORD.encode()
    user_ok = hmac.compare_digest(username.encode(), expected_user)
    return hmac.compare_digest(password.encode(), expected_password) and user_ok


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip()[:1] == b"{"  # GLPI's own mode guess: JSON, else XML


def identify(data: bytes, envelope: Envelope) -> Message:
    """Recognise the decompressed ``data``; ``MalformedReport``/``HostileInput`` if unreadable."""
    if _looks_like_json(data):
        return _identify_json(parse_json(data).document)
    request = fusion_xml.request_header(parse_xml(data).root)
    return Message(
        kind=fusion_xml.message_kind(request),
        form=Form.JSON if envelope.glpi_agent_id else Form.XML,
        device_id=values.text(request.get("deviceid")),
        query=values.text(request.get("query")),
    )


def _identify_json(document: dict[str, Any]) -> Message:
    tasks = document.get("enabled-tasks")
    return Message(
        kind=glpi_json.message_kind(document),
        form=Form.JSON,
        device_id=values.text(document.get("deviceid")),
        query=values.text(document.get("action")),
        json_body=True,
        partial=document.get("partial") is True,
        name=values.text(document.get("name")) or "",
        version=values.text(document.get("version")) or "",
        enabled_tasks=tuple(str(task) for task in tasks) if isinstance(tasks, list) else (),
    )


def body_protocol(message: Message, envelope: Envelope) -> AgentProtocol:
    """The parser a stored report needs; OCS XML differs from FusionInventory's."""
    if message.json_body:
        return AgentProtocol.GLPI_JSON
    if envelope.user_agent.startswith("OCS-NG"):
        return AgentProtocol.OCS_XML
    return AgentProtocol.FUSION_XML


def agent_identity(message: Message, envelope: Envelope, protocol: AgentProtocol) -> AgentIdentity:
    match = _USER_AGENT.match(envelope.user_agent)
    return AgentIdentity(
        device_id=message.device_id or "",
        protocol=AgentProtocol.GLPI_JSON if envelope.glpi_agent_id else protocol,
        name=message.name or (match.group("name") if match else ""),
        version=message.version or (match.group("version") if match else ""),
        glpi_agent_id=envelope.glpi_agent_id,
        address=envelope.address,
    )


def receive(envelope: Envelope) -> Reply:
    """The reply to an agent's request: the one call behind every agent endpoint."""
    if envelope.method != "POST":
        return _not_post(envelope)
    if (refused := _door(envelope)) is not None:
        return refused
    try:
        raw = envelope.read_body(settings.INVENTORY_MAX_BODY_BYTES)
    except RefusedBody as error:
        return refuse(envelope, str(error), reason=error.reason, status=error.status)
    return _receive_body(raw, envelope)


def _not_post(envelope: Envelope) -> Reply:
    if "action" in envelope.query:
        # GLPI Agent's task polling (?action=getConfig): GLPI answers it so.
        return replies.error(
            "Protocol not supported",
            form=Form.JSON,
            status=400,
            hours=settings.INVENTORY_CONTACT_HOURS,
            compression=Compression.NONE,
        )
    return Reply(405, "", b"", headers=(("Allow", "POST"), *NO_CACHE))


def _door(envelope: Envelope) -> Reply | None:
    """The refusal for an address or credentials not allowed in, else ``None``."""
    if not address_allowed(envelope.address):
        error = f"The address {envelope.address} may not send inventories."
        return refuse(envelope, error, reason=RefusalReason.NETWORK, status=403)
    if not settings.INVENTORY_USERNAME or credentials_match(envelope.authorization):
        return None
    if envelope.authorization:  # agents send credentials only after a first 401
        refuse(envelope, "Wrong credentials.", reason=RefusalReason.BAD_CREDENTIALS, status=401)
    challenge = ("WWW-Authenticate", f'Basic realm="{BASIC_REALM}"')
    return Reply(401, "", b"", headers=(*NO_CACHE, challenge))


def _receive_body(raw: bytes, envelope: Envelope) -> Reply:
    """The reply to ``raw``, the request body as sent (size already capped)."""
    compression = detect(raw)
    limits = Limits(settings.INVENTORY_MAX_INFLATED_BYTES, settings.INVENTORY_MAX_RATIO)
    try:
        data = inflate(raw, compression, limits)
    except RefusedBody as refused:
        return refuse(envelope, str(refused), reason=refused.reason, status=refused.status)
    try:
        message = identify(data, envelope)
    except MalformedReport as error:
        hostile = isinstance(error, HostileInput)
        reason = RefusalReason.HOSTILE if hostile else RefusalReason.MALFORMED
        form = Form.JSON if _looks_like_json(data) else envelope.guessed_form
        return refuse(
            envelope, str(error), reason=reason, status=400, form=form, compression=compression
        )
    return _answer(message, data, raw, envelope, compression)


def _answer(
    message: Message, data: bytes, raw: bytes, envelope: Envelope, compression: Compression
) -> Reply:
    hours = settings.INVENTORY_CONTACT_HOURS
    device_id_fits = 0 < len(message.device_id or "") <= _DEVICE_ID_LENGTH
    if not device_id_fits or message.kind is MessageKind.OTHER:
        if not device_id_fits:
            error = "The message has no device id, or one longer than 255 characters."
            reason, status = RefusalReason.MALFORMED, 400
        else:
            error = f"Query {message.query!r} is not supported."
            reason, status = RefusalReason.UNSUPPORTED, 501
        return refuse(
            envelope,
            error,
            reason=reason,
            status=status,
            form=message.form,
            device_id=message.device_id,
            compression=compression,
        )
    protocol = body_protocol(message, envelope)
    identity = agent_identity(message, envelope, protocol)
    if message.kind is MessageKind.PROLOG:
        see_agent(identity=identity)
        if message.form is Form.JSON:
            return replies.json_prolog(hours=hours, compression=compression)
        return replies.xml_prolog(hours=hours, compression=compression)
    if message.kind is MessageKind.CONTACT:
        see_agent(identity=identity)
        return replies.json_contact(
            hours=hours, enabled_tasks=message.enabled_tasks, compression=compression
        )
    store_report(
        identity=identity,
        protocol=protocol,
        body=data,
        partial=message.partial,
        compressed_body=raw if compression is Compression.ZLIB else None,
    )
    if message.form is Form.JSON:
        return replies.json_ok(hours=hours, compression=compression)
    return replies.xml_inventory(compression=compression)
