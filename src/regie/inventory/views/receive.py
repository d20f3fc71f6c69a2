"""The agents' endpoints: HTTP in, ``receiving.receive``, HTTP out.

No session, no CSRF, no login redirect: agents are not browsers. The body is read from the
request stream with a cap (``request.body`` would refuse anything above Django's 2 MB upload
limit, and read an unbounded body first).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from regie.core.http import client_address
from regie.inventory import receiving, replies
from regie.inventory.decompress import Compression, RefusedBody, too_large
from regie.inventory.models import RefusalReason
from regie.inventory.replies import Form, Reply

_NO_CACHE = {"Cache-Control": "no-cache,no-store", "Pragma": "no-cache"}
# The OCS agent must be told this realm (``realm=``): it answers only a challenge for it.
BASIC_REALM = "Régie"


def _response(reply: Reply) -> HttpResponse:
    return HttpResponse(
        reply.body, status=reply.status, content_type=reply.content_type, headers=_NO_CACHE
    )


def _read_body(request: HttpRequest, limit: int) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large(limit, "body")
    data = request.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit, "body")
    return data


def _envelope(request: HttpRequest) -> receiving.Envelope:
    return receiving.Envelope(
        address=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
        glpi_agent_id=request.headers.get("GLPI-Agent-ID", ""),
        authorization=request.headers.get("Authorization", ""),
    )


def _not_post(request: HttpRequest) -> HttpResponse:
    if "action" in request.GET:
        # GLPI Agent's task polling (?action=getConfig): GLPI answers it so.
        return _response(
            replies.error(
                "Protocol not supported",
                form=Form.JSON,
                status=400,
                hours=settings.INVENTORY_CONTACT_HOURS,
                compression=Compression.NONE,
            )
        )
    return HttpResponse(status=405, headers={"Allow": "POST", **_NO_CACHE})


def _door(envelope: receiving.Envelope) -> HttpResponse | None:
    """The refusal for an address or credentials not allowed in, else ``None``."""
    if not receiving.address_allowed(envelope.address):
        error = f"The address {envelope.address} may not send inventories."
        reply = receiving.refuse(envelope, error, reason=RefusalReason.NETWORK, status=403)
        return _response(reply)
    if not settings.INVENTORY_USERNAME or receiving.credentials_match(envelope.authorization):
        return None
    if envelope.authorization:  # agents send credentials only after a first 401
        receiving.refuse(
            envelope, "Wrong credentials.", reason=RefusalReason.BAD_CREDENTIALS, status=401
        )
    response = HttpResponse(status=401, headers=_NO_CACHE)
    response["WWW-Authenticate"] = f'Basic realm="{BASIC_REALM}"'
    return response


@csrf_exempt
def receive(request: HttpRequest) -> HttpResponse:
    """Any agent's message, on any of the paths the agents post to."""
    if request.method != "POST":
        return _not_post(request)
    envelope = _envelope(request)
    if (refused := _door(envelope)) is not None:
        return refused
    try:
        raw = _read_body(request, settings.INVENTORY_MAX_BODY_BYTES)
    except RefusedBody as error:
        reply = receiving.refuse(envelope, str(error), reason=error.reason, status=error.status)
        return _response(reply)
    return _response(receiving.receive(raw, envelope))
