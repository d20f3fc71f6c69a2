"""Every route of the project answers each role as declared, and a refused write changes nothing.

The table below says, for every URL pattern and every API operation, what an anonymous
visitor and each of the five roles get, with an id on the user's own site ("mine": the
correspondent's site, the staff member's own rows) and one elsewhere ("theirs"). One string
per method: ``anonymous admin technician reader correspondent staff``; ``200/404`` is the
answer for mine / theirs; ``302L`` is a redirect to the login page (for an anonymous visitor,
the page asks to sign in); a plain ``302`` goes anywhere else.

Writes are sent with an empty body: an allowed one answers its validation error (``200``
with the form's errors, ``400``) or does the action (``302``, ``204``); a refused one
(``401``, ``403``, ``404``, ``405``, ``409``, ``400``) must leave every table as it was.
Each request runs in a savepoint rolled back after it, so no persona sees another's writes.

A route added to the project without a row here fails ``test_every_route_has_a_row``.
"""

import pytest

from regie.api.tests.access_matrix import (
    PERSONAS,
    SKIPPED,
    SKIPPED_METHODS,
    SKIPPED_PREFIXES,
    all_routes,
    call,
    clients_for,
)
from regie.api.tests.access_world import build_world

pytestmark = pytest.mark.django_db

# Statuses after which nothing may have changed.
REFUSED = {400, 401, 403, 404, 405, 409}

# route name: (the world key of its id, {method: answers})
TABLE = {
    "accounts:passkey-remove": (
        "passkey",
        {
            "GET": "302L 404/404 404/200 404/404 404/404 200/404",
            "POST": "302L 404/404 404/200 404/404 404/404 200/404",
        },
    ),
    "accounts:password-change": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 200 200 200 200 200"},
    ),
    "accounts:factor-add": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 200 200 200 200 200"},
    ),
    "accounts:recovery-codes": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 302 302 302 302 302"},
    ),
    "accounts:security": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "accounts:session-end": (
        "usersession",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 404/404 404/302 404/404 404/404 302/404",
        },
    ),
    "accounts:sessions": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "accounts:sessions-end-others": (
        None,
        {"GET": "302L 405 405 405 405 405", "POST": "302L 302 302 302 302 302"},
    ),
    "accounts:totp-remove": (
        "totp",
        {
            "GET": "302L 404/404 404/200 404/404 404/404 200/404",
            "POST": "302L 404/404 404/200 404/404 404/404 200/404",
        },
    ),
    "alerts:channel-create": (
        None,
        {"GET": "302L 200 403 403 403 403", "POST": "302L 200 403 403 403 403"},
    ),
    "alerts:channel-delete": (
        "channel",
        {
            "GET": "302L 200/200 403/403 403/403 404/404 404/404",
            "POST": "302L 302/302 403/403 403/403 404/404 404/404",
        },
    ),
    "alerts:channel-detail": (
        "channel",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "alerts:channel-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "alerts:channel-test": (
        "channel",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "alerts:channel-update": (
        "channel",
        {
            "GET": "302L 200/200 403/403 403/403 404/404 404/404",
            "POST": "302L 200/200 403/403 403/403 404/404 404/404",
        },
    ),
    "alerts:delivery-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "alerts:delivery-retry": (
        "delivery",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/403 403/403",
        },
    ),
    "alerts:mail-retry": (
        "mail",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/403 403/403",
        },
    ),
    "api:continuity": (None, {"GET": "401 200 200 200 403 403"}),
    "api:continuity-activate": (None, {"GET": "401 405 405 405 405 405"}),
    "api:continuity-end": (None, {"GET": "401 405 405 405 405 405"}),
    "api:departmentoncall-detail": (
        "oncall",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:departmentoncall-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:acknowledgement-detail": (
        "acknowledgement",
        {"GET": "401 200/200 200/200 200/200 200/404 404/404"},
    ),
    "api:acknowledgement-list": (
        None,
        {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 400 403"},
    ),
    "api:agent-detail": ("agent", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:agent-list": (None, {"GET": "401 200 200 200 403 403"}),
    "api:api-root": (None, {"GET": "401 200 200 200 200 200"}),
    "api:asset-detail": (
        "asset",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 403/404",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 200/404 403/404",
            "PUT": "401 400/400 400/400 403/403 400/404 403/404",
        },
    ),
    "api:asset-list": (None, {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 400 403"}),
    "api:assetmodel-detail": (
        "assetmodel",
        {
            "DELETE": "401 204/204 204/204 403/403 403/403 404/404",
            "GET": "401 200/200 200/200 200/200 200/200 404/404",
            "PATCH": "401 200/200 200/200 403/403 403/403 404/404",
            "PUT": "401 400/400 400/400 403/403 403/403 404/404",
        },
    ),
    "api:assetmodel-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:assettype-detail": (
        "assettype",
        {
            "DELETE": "401 409/409 409/409 403/403 403/403 404/404",
            "GET": "401 200/200 200/200 200/200 200/200 404/404",
            "PATCH": "401 200/200 200/200 403/403 403/403 404/404",
            "PUT": "401 400/400 400/400 403/403 403/403 404/404",
        },
    ),
    "api:assettype-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:category-detail": ("category", {"GET": "401 200/200 200/200 200/200 200/200 200/200"}),
    "api:category-list": (None, {"GET": "401 200 200 200 200 200"}),
    "api:channel-detail": (
        "channel",
        {
            "DELETE": "401 204/204 403/403 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 403/403 403/403 404/404 404/404",
            "PUT": "401 400/400 403/403 403/403 404/404 404/404",
        },
    ),
    "api:channel-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 403 403 403 403"},
    ),
    "api:channel-test": ("channel", {"POST": "401 200/200 200/200 403/403 404/404 404/404"}),
    "api:check-detail": (
        "check",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 404/404",
            "GET": "401 200/200 200/200 200/200 200/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 404/404",
            "PUT": "401 400/400 400/400 403/403 403/404 404/404",
        },
    ),
    "api:check-list": (None, {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"}),
    "api:compliancesettings-list": (None, {"GET": "401 200 200 200 200 403"}),
    "api:contract-detail": (
        "contract",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:contract-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:delivery-detail": ("delivery", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:delivery-list": (None, {"GET": "401 200 200 200 403 403"}),
    "api:delivery-retry": ("delivery", {"POST": "401 200/200 200/200 403/403 404/404 404/404"}),
    "api:department-detail": (
        "department",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:department-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:docs": (None, {"GET": "200 200 200 200 200 200"}),
    "api:extension-detail": (
        "extension",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 403/404",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
            "PUT": "401 400/400 400/400 403/403 403/404 403/404",
        },
    ),
    "api:extension-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"},
    ),
    "api:finding-detail": ("finding", {"GET": "401 200/200 200/200 200/200 200/404 404/404"}),
    "api:finding-list": (None, {"GET": "401 200 200 200 200 403"}),
    "api:flip-detail": ("flip", {"GET": "401 200/200 200/200 200/200 200/404 404/404"}),
    "api:flip-list": (None, {"GET": "401 200 200 200 200 403"}),
    "api:followup-detail": ("followup", {"GET": "401 200/200 200/200 200/200 200/404 200/404"}),
    "api:followup-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 400 400"},
    ),
    "api:forwarding-detail": (
        "forwarding",
        {
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
            "PUT": "401 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "api:forwarding-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"},
    ),
    "api:handovernote-detail": ("handover", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:handovernote-list": (
        None,
        {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:intervention-detail": (
        "intervention",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 404/404",
            "GET": "401 200/200 200/200 200/200 200/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 404/404",
            "PUT": "401 400/400 400/400 403/403 403/404 404/404",
        },
    ),
    "api:intervention-list": (
        None,
        {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:line-detail": (
        "line",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 403/404",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
            "PUT": "401 400/400 400/400 403/403 403/404 403/404",
        },
    ),
    "api:line-list": (None, {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"}),
    "api:loan-check-in": ("loan", {"POST": "401 400/400 400/400 403/403 403/404 403/404"}),
    "api:loan-detail": ("loan", {"GET": "401 200/200 200/200 200/200 200/404 200/404"}),
    "api:loan-list": (None, {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"}),
    "api:logentry-detail": ("logentry", {"GET": "401 200/200 200/200 200/200 200/404 404/404"}),
    "api:logentry-list": (
        None,
        {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:manufacturer-detail": (
        "manufacturer",
        {
            "DELETE": "401 204/204 204/204 403/403 403/403 404/404",
            "GET": "401 200/200 200/200 200/200 200/200 404/404",
            "PATCH": "401 200/200 200/200 403/403 403/403 404/404",
            "PUT": "401 400/400 400/400 403/403 403/403 404/404",
        },
    ),
    "api:manufacturer-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:not-found": (None, {"GET": "404 404 404 404 404 404"}),
    "api:openapi": (None, {"GET": "200 200 200 200 200 200"}),
    "api:operator-detail": (
        "operator",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:operator-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:operatorcontract-detail": (
        "opcontract",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:operatorcontract-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:organisation-detail": (
        "organisation",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:organisation-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:person-detail": (
        "person",
        {
            "DELETE": "401 409/409 409/409 403/403 403/404 403/404",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
            "PUT": "401 400/400 400/400 403/403 403/404 403/404",
        },
    ),
    "api:person-list": (
        None,
        {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:person-readiness": ("person", {"GET": "401 200/200 200/200 200/200 200/404 200/404"}),
    "api:ping-detail": ("ping", {"GET": "401 200/200 200/200 200/200 200/404 404/404"}),
    "api:ping-list": (None, {"GET": "401 200 200 200 200 403"}),
    "api:receivedreport-accept": (
        "report",
        {"POST": "401 409/409 409/409 403/403 404/404 404/404"},
    ),
    "api:receivedreport-reject": (
        "report",
        {"POST": "401 409/409 409/409 403/403 404/404 404/404"},
    ),
    "api:receivedreport-detail": ("report", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:receivedreport-list": (None, {"GET": "401 200 200 200 403 403"}),
    "api:receivedreport-replay": (
        "report",
        {"POST": "401 200/200 200/200 403/403 404/404 404/404"},
    ),
    "api:reservation-cancel": (
        "reservation",
        {"POST": "401 200/200 200/200 403/403 403/404 403/404"},
    ),
    "api:reservation-detail": (
        "reservation",
        {
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "api:reservation-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"},
    ),
    "api:room-detail": (
        "room",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 404/404",
            "GET": "401 200/200 200/200 200/200 200/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 200/404 404/404",
            "PUT": "401 400/400 400/400 403/403 400/404 404/404",
        },
    ),
    "api:room-list": (None, {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 400 403"}),
    "api:round": (None, {"GET": "401 200 200 200 200 403"}),
    "api:routeplan-add": ("routeplan", {"POST": "401 400/400 400/400 403/403 404/404 404/404"}),
    "api:routeplan-detail": ("routeplan", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:routeplan-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:routeplan-record": ("routeplan", {"POST": "401 400/400 400/400 403/403 404/404 404/404"}),
    "api:simcard-detail": (
        "simcard",
        {
            "DELETE": "401 204/204 204/204 403/403 403/404 403/404",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 400/400 400/400 403/403 403/404 403/404",
            "PUT": "401 400/400 400/400 403/403 403/404 403/404",
        },
    ),
    "api:simcard-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 403"},
    ),
    "api:simcard-reveal": ("simcard", {"POST": "401 200/200 403/403 403/403 403/404 403/404"}),
    "api:site-detail": (
        "site",
        {
            "DELETE": "401 409/409 409/409 403/403 403/404 404/404",
            "GET": "401 200/200 200/200 200/200 200/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 200/404 404/404",
            "PUT": "401 400/400 400/400 403/403 400/404 404/404",
        },
    ),
    "api:site-list": (None, {"GET": "401 200 200 200 200 403", "POST": "401 400 400 403 403 403"}),
    "api:software-detail": ("software", {"GET": "401 200/200 200/200 200/200 404/404 404/404"}),
    "api:software-list": (None, {"GET": "401 200 200 200 200 200"}),
    "api:softwareinstallation-list": (
        "asset",
        {"GET": "401 200/200 200/200 200/200 200/404 200/404"},
    ),
    "api:supplier-detail": (
        "supplier",
        {
            "DELETE": "401 204/204 204/204 403/403 404/404 404/404",
            "GET": "401 200/200 200/200 200/200 404/404 404/404",
            "PATCH": "401 200/200 200/200 403/403 404/404 404/404",
            "PUT": "401 400/400 400/400 403/403 404/404 404/404",
        },
    ),
    "api:supplier-list": (
        None,
        {"GET": "401 200 200 200 403 403", "POST": "401 400 400 403 403 403"},
    ),
    "api:ticket-assign": ("ticket", {"POST": "401 400/400 400/400 403/403 403/404 403/404"}),
    "api:ticket-detail": (
        "ticket",
        {
            "DELETE": "401 405/405 405/405 405/405 405/405 405/405",
            "GET": "401 200/200 200/200 200/200 200/404 200/404",
            "PATCH": "401 200/200 200/200 403/403 403/404 403/404",
            "PUT": "401 400/400 400/400 403/403 403/404 403/404",
        },
    ),
    "api:ticket-list": (
        None,
        {"GET": "401 200 200 200 200 200", "POST": "401 400 400 403 403 400"},
    ),
    "api:ticket-satisfaction": ("ticket", {"POST": "401 403/403 403/403 403/403 403/404 400/404"}),
    "api:ticket-status": ("ticket", {"POST": "401 400/400 400/400 403/403 403/404 400/404"}),
    "assets:asset-create": (
        None,
        {"GET": "302L 200 200 403 200 403", "POST": "302L 200 200 403 200 403"},
    ),
    "assets:asset-delete": (
        "asset",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "assets:asset-detail": (
        "asset",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:asset-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:asset-unlock": (
        "asset",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 400/400 400/400 403/403 400/404 403/404",
        },
    ),
    "assets:asset-update": (
        "asset",
        {
            "GET": "302L 200/200 200/200 403/403 200/404 403/404",
            "POST": "302L 200/200 200/200 403/403 200/404 403/404",
        },
    ),
    "assets:assettype-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "assets:assettype-delete": (
        "assettype",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 302/302 302/302 403/403 403/403 404/404",
        },
    ),
    "assets:assettype-detail": (
        "assettype",
        {
            "GET": "302L 200/200 200/200 200/200 200/200 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:assettype-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:assettype-update": (
        "assettype",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 200/200 200/200 403/403 403/403 404/404",
        },
    ),
    "assets:contract-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "assets:contract-delete": (
        "contract",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "assets:contract-detail": (
        "contract",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:contract-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:contract-update": (
        "contract",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "assets:manufacturer-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "assets:manufacturer-delete": (
        "manufacturer",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 302/302 302/302 403/403 403/403 404/404",
        },
    ),
    "assets:manufacturer-detail": (
        "manufacturer",
        {
            "GET": "302L 200/200 200/200 200/200 200/200 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:manufacturer-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:manufacturer-update": (
        "manufacturer",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 200/200 200/200 403/403 403/403 404/404",
        },
    ),
    "assets:model-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "assets:model-delete": (
        "assetmodel",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 302/302 302/302 403/403 403/403 404/404",
        },
    ),
    "assets:model-detail": (
        "assetmodel",
        {
            "GET": "302L 200/200 200/200 200/200 200/200 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:model-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:model-update": (
        "assetmodel",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 404/404",
            "POST": "302L 200/200 200/200 403/403 403/403 404/404",
        },
    ),
    "assets:software-detail": (
        "software",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:software-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:supplier-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "assets:supplier-delete": (
        "supplier",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "assets:supplier-detail": (
        "supplier",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "assets:supplier-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "assets:supplier-update": (
        "supplier",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    # The searchable pickers' choices: whoever may list the model; GET only.
    "choices-assets": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    ),
    "choices-people": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "405 405 405 405 405 405"},
    ),
    "choices-rooms": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "405 405 405 405 405 405"},
    ),
    "choices-sites": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "405 405 405 405 405 405"},
    ),
    "checks:check-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "checks:check-delete": (
        "check",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "checks:check-detail": (
        "check",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "checks:check-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "checks:check-pause": (
        "check",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "checks:check-resume": (
        "check",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "checks:check-update": (
        "check",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 200/200 200/200 403/403 403/404 404/404",
        },
    ),
    "compliance:finding-detail": (
        "finding",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "compliance:lifecycle": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 200 200 200 200 403"},
    ),
    "compliance:overview": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "compliance:unknown": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "compliance:settings": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 200 403 403 403 403"},
    ),
    "compliance:sweep": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 302 302 403 403 403"},
    ),
    "continuity:declare": (
        None,
        {"GET": "302L 200 403 403 403 403", "POST": "302L 200 403 403 403 403"},
    ),
    "continuity:end": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 409 403 403 403 403"},
    ),
    "continuity:kit": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "405 405 405 405 405 405"},
    ),
    "continuity:message": (
        None,
        {"GET": "302L 200 403 403 403 403", "POST": "302L 200 403 403 403 403"},
    ),
    "continuity:page": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "405 405 405 405 405 405"},
    ),
    "continuity:round": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 302 302 403 403 403"},
    ),
    "daily:acknowledge": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 400 400 403 400 403"},
    ),
    "daily:hand-over": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 400 400 403 403 403"},
    ),
    "daily:log": (None, {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"}),
    "daily:note-create": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "302L 400 400 403 403 403"},
    ),
    "daily:today": (None, {"GET": "302L 200 200 200 200 403", "POST": "405 405 405 405 405 405"}),
    "directory:department-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "directory:department-delete": (
        "department",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "directory:department-detail": (
        "department",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:department-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:department-update": (
        "department",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "directory:organisation-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "directory:organisation-delete": (
        "organisation",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "directory:organisation-detail": (
        "organisation",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:organisation-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:organisation-update": (
        "organisation",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "directory:person-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "directory:person-delete": (
        "person",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "directory:person-detail": (
        "person",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:person-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:person-update": (
        "person",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "directory:room-create": (
        None,
        {"GET": "302L 200 200 403 200 403", "POST": "302L 200 200 403 200 403"},
    ),
    "directory:room-delete": (
        "room",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "directory:room-detail": (
        "room",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:room-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:room-update": (
        "room",
        {
            "GET": "302L 200/200 200/200 403/403 200/404 404/404",
            "POST": "302L 200/200 200/200 403/403 200/404 404/404",
        },
    ),
    "directory:source-apply": (
        "dirsource",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 403/403 403/403 403/403 403/403",
        },
    ),
    "directory:source-create": (
        None,
        {"GET": "302L 200 403 403 403 403", "POST": "302L 200 403 403 403 403"},
    ),
    "directory:source-delete": (
        "dirsource",
        {
            "GET": "302L 200/200 403/403 403/403 403/403 403/403",
            "POST": "302L 302/302 403/403 403/403 403/403 403/403",
        },
    ),
    "directory:source-detail": (
        "dirsource",
        {
            "GET": "302L 200/200 403/403 403/403 403/403 403/403",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:source-list": (
        None,
        {"GET": "302L 200 403 403 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:source-preview": (
        "dirsource",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 403/403 403/403 403/403 403/403",
        },
    ),
    "directory:source-update": (
        "dirsource",
        {
            "GET": "302L 200/200 403/403 403/403 403/403 403/403",
            "POST": "302L 200/200 403/403 403/403 403/403 403/403",
        },
    ),
    "directory:sync-run-detail": (
        "syncrun",
        {
            "GET": "302L 200/200 403/403 403/403 403/403 403/403",
            "POST": "405 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:site-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "directory:site-delete": (
        "site",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "directory:site-detail": (
        "site",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "directory:site-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "directory:site-update": (
        "site",
        {
            "GET": "302L 200/200 200/200 403/403 200/404 404/404",
            "POST": "302L 200/200 200/200 403/403 200/404 404/404",
        },
    ),
    "field:intervention-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "field:intervention-delete": (
        "intervention",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 302/302 302/302 403/403 403/404 404/404",
        },
    ),
    "field:intervention-detail": (
        "intervention",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "field:intervention-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "field:intervention-update": (
        "intervention",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 404/404",
            "POST": "302L 200/200 200/200 403/403 403/404 404/404",
        },
    ),
    "field:routeplan-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "field:routeplan-detail": (
        "routeplan",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "field:routeplan-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "field:routeplan-record": (
        "routeplan",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "field:routeplan-replan": (
        "routeplan",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "field:routeplan-sheet": (
        "routeplan",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "field:site-map": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "health": (None, {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"}),
    "health-live": (None, {"GET": "200 200 200 200 200 200", "POST": "200 200 200 200 200 200"}),
    "helpdesk:attachment-download": (
        "attachment",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "405 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "helpdesk:portal": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 200 200 200 200 200"},
    ),
    "helpdesk:portal-new": (
        None,
        {"GET": "302L 403 403 403 403 200", "POST": "302L 403 403 403 403 200"},
    ),
    "helpdesk:priority-matrix": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    ),
    "helpdesk:ticket-assets": (
        "ticket",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "helpdesk:ticket-assign": (
        "ticket",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "helpdesk:ticket-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "helpdesk:ticket-detail": (
        "ticket",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "405 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "helpdesk:ticket-followup": (
        "ticket",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 302/302 302/404 302/404",
        },
    ),
    "helpdesk:ticket-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "helpdesk:ticket-satisfaction": (
        "ticket",
        {
            "GET": "302L 403/403 403/403 403/403 403/404 200/404",
            "POST": "302L 403/403 403/403 403/403 403/404 200/404",
        },
    ),
    "helpdesk:ticket-status": (
        "ticket",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 302/302 302/404 302/404",
        },
    ),
    "helpdesk:ticket-update": (
        "ticket",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "home": (None, {"GET": "302L 200 200 200 200 200"}),
    "inventory:activity": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "inventory:agent-approve": (
        "agent",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/403 403/403",
        },
    ),
    "inventory:agent-detail": (
        "agent",
        {
            "GET": "302L 200/200 200/200 200/200 403/403 403/403",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "inventory:agent-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "inventory:report-accept": (
        "report",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "inventory:report-detail": (
        "report",
        {
            "GET": "302L 200/200 200/200 200/200 403/403 403/403",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "inventory:report-reject": (
        "report",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "inventory:report-replay": (
        "report",
        {
            "GET": "405 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/403 403/403",
        },
    ),
    "inventory:setup": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "405 405 405 405 405 405"},
    ),
    "login": (None, {"GET": "200 302 302 302 302 302", "POST": "200 302 302 302 302 302"}),
    "login-verify": (
        None,
        {"GET": "302L 302 302 302 302 302", "POST": "302L 302 302 302 302 302"},
    ),
    "logout": (None, {"GET": "405 405 405 405 405 405", "POST": "302L 302L 302L 302L 302L 302L"}),
    # Single sign-on is off unless configured (src/regie/directory/tests/test_sso*.py).
    "sso:login": (None, {"GET": "404 404 404 404 404 404", "POST": "405 405 405 405 405 405"}),
    "sso:callback": (None, {"GET": "404 404 404 404 404 404", "POST": "405 405 405 405 405 405"}),
    "otp_webauthn:credential-authentication-begin": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "200 200 200 200 200 200"},
    ),
    "otp_webauthn:credential-authentication-complete": (
        None,
        {"GET": "405 405 405 405 405 405", "POST": "400 400 400 400 400 400"},
    ),
    "otp_webauthn:credential-registration-begin": (
        None,
        {"GET": "403 405 405 405 405 405", "POST": "403 200 200 200 200 200"},
    ),
    "otp_webauthn:credential-registration-complete": (
        None,
        {"GET": "403 405 405 405 405 405", "POST": "403 400 400 400 400 400"},
    ),
    "otp_webauthn:js-i18n-catalog": (
        None,
        {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    ),
    "set_language": (None, {"GET": "302 302 302 302 302 302", "POST": "302 302 302 302 302 302"}),
    "telephony:contract-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:contract-delete": (
        "opcontract",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:contract-detail": (
        "opcontract",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:contract-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:contract-update": (
        "opcontract",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:copper": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 200 200 200 200 403"},
    ),
    "telephony:cutoff-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:cutoff-delete": (
        "cutoff",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:cutoff-detail": (
        "cutoff",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:cutoff-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:cutoff-update": (
        "cutoff",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:extension-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:extension-delete": (
        "extension",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telephony:extension-detail": (
        "extension",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:extension-forwarding": (
        "extension",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telephony:extension-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:extension-update": (
        "extension",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "telephony:fallback-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:fallback-delete": (
        "fallback",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:fallback-detail": (
        "fallback",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:fallback-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:fallback-update": (
        "fallback",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:oncall-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:oncall-delete": (
        "oncall",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:oncall-detail": (
        "oncall",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:oncall-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:oncall-update": (
        "oncall",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:line-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:line-delete": (
        "line",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telephony:line-detail": (
        "line",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:line-forwarding": (
        "line",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telephony:line-import": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:line-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:line-update": (
        "line",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "telephony:operator-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:operator-delete": (
        "operator",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:operator-detail": (
        "operator",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:operator-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:operator-update": (
        "operator",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:plan-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:plan-delete": (
        "plan",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:plan-detail": (
        "plan",
        {
            "GET": "302L 200/200 200/200 200/200 404/404 404/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:plan-end": (
        "plan",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:plan-item-done": (
        "plan",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:plan-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:plan-refresh": (
        "plan",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 404/404 404/404",
        },
    ),
    "telephony:plan-update": (
        "plan",
        {
            "GET": "302L 200/200 200/200 403/403 404/404 404/404",
            "POST": "302L 200/200 200/200 403/403 404/404 404/404",
        },
    ),
    "telephony:simcard-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telephony:simcard-delete": (
        "simcard",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telephony:simcard-detail": (
        "simcard",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telephony:simcard-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "telephony:simcard-reveal": (
        "simcard",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 200/200 403/403 403/403 403/404 403/404",
        },
    ),
    "telephony:simcard-update": (
        "simcard",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "telework:calendar": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:charter-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telework:charter-delete": (
        "charter",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 403/403",
            "POST": "302L 302/302 302/302 403/403 403/403 403/403",
        },
    ),
    "telework:charter-detail": (
        "charter",
        {
            "GET": "302L 200/200 200/200 200/200 200/200 200/200",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:charter-list": (
        None,
        {"GET": "302L 200 200 200 403 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:charter-update": (
        "charter",
        {
            "GET": "302L 200/200 200/200 403/403 403/403 403/403",
            "POST": "302L 200/200 200/200 403/403 403/403 403/403",
        },
    ),
    "telework:loan-checkin": (
        "loan",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "telework:loan-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telework:loan-detail": (
        "loan",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:loan-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:loan-receipt": (
        "loan",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:readiness": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:readiness-person": (
        "person",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:remoteaccess-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telework:remoteaccess-delete": (
        "remoteaccess",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telework:remoteaccess-detail": (
        "remoteaccess",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:remoteaccess-import": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telework:remoteaccess-list": (
        None,
        {"GET": "302L 200 200 200 200 403", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:remoteaccess-update": (
        "remoteaccess",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "telework:reservation-cancel": (
        "reservation",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 302/302 302/302 403/403 403/404 403/404",
        },
    ),
    "telework:reservation-create": (
        None,
        {"GET": "302L 200 200 403 403 403", "POST": "302L 200 200 403 403 403"},
    ),
    "telework:reservation-detail": (
        "reservation",
        {
            "GET": "302L 200/200 200/200 200/200 200/404 200/404",
            "POST": "302L 405/405 405/405 405/405 405/405 405/405",
        },
    ),
    "telework:reservation-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 405 405 405 405 405"},
    ),
    "telework:reservation-update": (
        "reservation",
        {
            "GET": "302L 200/200 200/200 403/403 403/404 403/404",
            "POST": "302L 200/200 200/200 403/403 403/404 403/404",
        },
    ),
    "tokens:token-list": (
        None,
        {"GET": "302L 200 200 200 200 200", "POST": "302L 200 200 200 200 200"},
    ),
    "tokens:token-revoke": (
        "token",
        {
            "GET": "302L 405/405 405/405 405/405 405/405 405/405",
            "POST": "302L 404/404 404/302 404/404 404/404 302/404",
        },
    ),
}

ROUTES = all_routes()


def test_every_route_has_a_row():
    assert sorted(set(ROUTES) - set(TABLE)) == []
    assert sorted(set(TABLE) - set(ROUTES)) == []
    for name, route in ROUTES.items():
        assert sorted(TABLE[name][1]) == sorted(route.methods), name
        assert (TABLE[name][0] is None) == (not route.kwargs or name == "api:not-found"), name


def test_the_skipped_routes_say_why():
    assert all(
        len(reason) > 20
        for reason in [*SKIPPED.values(), *SKIPPED_METHODS.values(), *SKIPPED_PREFIXES.values()]
    )


def expected(answers, persona_index, side):
    token = answers.split()[persona_index]
    parts = token.split("/")
    return parts[min(side, len(parts) - 1)]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_route_answers_each_role_as_declared(
    request, name, site, other_site, staff_user, technician
):
    if name not in ROUTES:
        pytest.fail(f"{name} is in the table but no longer a route")
    route = ROUTES[name]
    target, methods = TABLE[name]
    world = build_world(
        site=site, other_site=other_site, staff_user=staff_user, technician=technician
    )
    clients = clients_for(request)
    got, wanted, changed = {}, {}, []
    for method, answers in methods.items():
        for index, persona in enumerate(PERSONAS):
            for side in (0, 1) if target else (0,):
                answer = call(route, method, clients[persona], world, target, side)
                key = f"{method} {persona} {['mine', 'theirs'][side]}"
                got[key] = f"{answer.status}{'L' if answer.to_login else ''}"
                wanted[key] = expected(answers, index, side)
                refused = answer.status in REFUSED or (persona == "anonymous" and answer.to_login)
                if answer.changed and refused:
                    changed.append(key)
    assert got == wanted
    assert changed == []
