"""The agents' endpoints: Django's request in, ``receiving.receive``, Django's response out.

No session, no CSRF, no login redirect: agents are not browsers. The body is handed over as
the request stream, which receiving reads with a cap (``request.body`` would refuse anything
above Django's 2 MB upload limit, and read an unbounded body first).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from regie.core.http import client_address
from regie.inventory import receiving


@csrf_exempt
def receive(request: HttpRequest) -> HttpResponse:
    """Any agent's message, on any of the paths the agents post to."""
    reply = receiving.receive(
        receiving.Envelope(
            method=request.method or "",
            address=client_address(request),
            headers=request.headers,
            body=request,
            content_type=request.content_type or "",
            query=request.GET,
        )
    )
    return HttpResponse(
        reply.body,
        status=reply.status,
        content_type=reply.content_type or None,
        headers=dict(reply.headers),
    )
