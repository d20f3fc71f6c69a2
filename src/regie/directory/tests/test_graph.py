"""Reading Entra ID through Microsoft Graph (``regie.directory.sync.graph``).

Microsoft Graph cannot be reached from the machines that run these tests. So the client is
tested against a real HTTP server on 127.0.0.1 (``graph_server.py``: a WSGI app served by
wsgiref in a thread, no mock transport) that REPLAYS THE RESPONSE SHAPES MICROSOFT DOCUMENTS,
not answers recorded from a live tenant:

- token (client credentials, and its error body):
  https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
- users, ``$select``, ``$top``: https://learn.microsoft.com/en-us/graph/api/user-list
- the expanded manager: https://learn.microsoft.com/en-us/graph/api/user-list-manager
- paging with ``@odata.nextLink``: https://learn.microsoft.com/en-us/graph/paging
- ``$expand`` limits (20 expanded directory objects, no nextLink; 100 users a page):
  https://learn.microsoft.com/en-us/graph/known-issues and
  https://learn.microsoft.com/en-us/graph/query-parameters
- groups and their members: https://learn.microsoft.com/en-us/graph/api/group-list and
  https://learn.microsoft.com/en-us/graph/api/group-list-members
- MFA registration: https://learn.microsoft.com/en-us/graph/api/authenticationmethodsroot-list-userregistrationdetails
- licences: https://learn.microsoft.com/en-us/graph/api/subscribedsku-list
- throttling (429, ``Retry-After``): https://learn.microsoft.com/en-us/graph/throttling
- error bodies: https://learn.microsoft.com/en-us/graph/errors

What a real tenant answers beyond these shapes (its own throttling thresholds, report latency,
Entra ID P1 licensing of the MFA report) is not exercised here.
"""

from __future__ import annotations

import time

import httpx
import pytest

from regie.directory.sync import graph as graph_module
from regie.directory.sync.entries import DirectoryEntry, GraphSettings
from regie.directory.sync.graph import GraphError, fetch_graph
from regie.directory.tests.graph_server import (
    CLIENT_ID,
    SECRET,
    TENANT,
    FakeGraph,
    serve,
    user,
)

E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
E1 = "18181a46-0d4e-45cd-891e-60aabd171b4e"
REPORTS = "/reports/authenticationMethods/userRegistrationDetails"


def settings_for(base: str, secret: str = SECRET) -> GraphSettings:
    return GraphSettings(
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret=secret,
        authority=base,
        graph_url=f"{base}/v1.0",
        timeout=5,
    )


def small_tenant() -> FakeGraph:
    boss = user(
        1,
        userPrincipalName="m.durand@cc-mellois.fr",
        displayName="Marie Durand",
        givenName="Marie",
        surname="Durand",
        mail="m.durand@cc-mellois.fr",
        department="Direction générale ",
        officeLocation="Siège — Melle",
        jobTitle="Directrice générale des services",
        assignedLicenses=[{"disabledPlans": [], "skuId": E3}],
    )
    agent = user(
        2,
        userPrincipalName="p.martin@cc-mellois.fr",
        displayName="Paul Martin",
        givenName="Paul",
        surname="Martin",
        mail=None,
        businessPhones=[],
        mobilePhone="06 12 34 56 78",
        manager=boss["id"],
        assignedLicenses=[{"disabledPlans": [], "skuId": E1}, {"disabledPlans": [], "skuId": E3}],
    )
    disabled = user(3, accountEnabled=False, manager=boss["id"])
    guest = user(
        4, userPrincipalName="ext_partner.fr#EXT#@ccmellois.onmicrosoft.com", userType="Guest"
    )
    return FakeGraph(
        users=[boss, agent, disabled, guest],
        groups=[
            {"id": "g-it", "displayName": "Régie - Techniciens", "members": [agent["id"]]},
            {"id": "g-all", "displayName": "Tous", "members": [boss["id"], agent["id"]]},
        ],
        registrations=[
            {
                "id": boss["id"],
                "userPrincipalName": boss["userPrincipalName"],
                "isMfaRegistered": True,
                "isMfaCapable": True,
                "methodsRegistered": ["microsoftAuthenticatorPush"],
            },
            {
                "id": agent["id"],
                "userPrincipalName": agent["userPrincipalName"],
                "isMfaRegistered": False,
                "isMfaCapable": False,
                "methodsRegistered": [],
            },
        ],  # fmt: skip
        skus=[
            {"skuId": E3, "skuPartNumber": "ENTERPRISEPACK", "appliesTo": "User"},
            {"skuId": E1, "skuPartNumber": "STANDARDPACK", "appliesTo": "User"},
        ],
    )


def test_a_small_tenant_becomes_directory_entries():
    graph = small_tenant()
    with serve(graph) as base:
        entries = list(fetch_graph(settings_for(base)))
    assert entries == [
        DirectoryEntry(
            directory_id="00000000-0000-0000-0000-000000000001",
            username="m.durand",
            principal_name="m.durand@cc-mellois.fr",
            display_name="Marie Durand",
            first_name="Marie",
            last_name="Durand",
            email="m.durand@cc-mellois.fr",
            phone="+33 5 49 00 00 00",
            department="Direction générale",
            site="Siège — Melle",
            job_title="Directrice générale des services",
            groups=frozenset({"Tous"}),
            mfa_registered=True,
            licences=("ENTERPRISEPACK",),
        ),
        DirectoryEntry(
            directory_id="00000000-0000-0000-0000-000000000002",
            username="p.martin",
            principal_name="p.martin@cc-mellois.fr",
            display_name="Paul Martin",
            first_name="Paul",
            last_name="Martin",
            mobile="06 12 34 56 78",
            department="Services techniques",
            site="Melle",
            job_title="Agent technique",
            manager_id="00000000-0000-0000-0000-000000000001",
            groups=frozenset({"Tous", "Régie - Techniciens"}),
            mfa_registered=False,
            licences=("ENTERPRISEPACK", "STANDARDPACK"),
        ),
        # The registration report leaves disabled accounts out: MFA unknown, not "no".
        DirectoryEntry(
            directory_id="00000000-0000-0000-0000-000000000003",
            username="agent3",
            principal_name="agent3@cc-mellois.fr",
            display_name="Agent 3",
            first_name="Agent",
            last_name="N3",
            email="agent3@cc-mellois.fr",
            phone="+33 5 49 00 00 00",
            department="Services techniques",
            site="Melle",
            job_title="Agent technique",
            manager_id="00000000-0000-0000-0000-000000000001",
            active=False,
            mfa_registered=None,
            licences=(),
        ),
    ]  # the guest account is left out
    assert graph.requests == [
        ("POST", f"/{TENANT}/oauth2/v2.0/token"),
        ("GET", "/v1.0/subscribedSkus"),
        ("GET", f"/v1.0{REPORTS}"),
        ("GET", "/v1.0/groups"),
        ("GET", "/v1.0/groups/g-it/members"),
        ("GET", "/v1.0/groups/g-all/members"),
        ("GET", "/v1.0/users"),
    ]


def test_two_thousand_users_over_many_pages_all_come_back():
    users = [user(n, manager=str(graph_id(n - 1)) if n > 1 else None) for n in range(1, 2001)]
    groups = [
        {"id": f"g{g}", "displayName": f"Service {g}", "members": [u["id"] for u in users[g::40]]}
        for g in range(40)
    ]  # 40 groups of 50: more than the 20 an $expand=members would have returned
    registrations = [{"id": u["id"], "isMfaRegistered": n % 3 != 0} for n, u in enumerate(users)]
    graph = FakeGraph(
        users=users,
        groups=groups,
        registrations=registrations,
        skus=[{"skuId": E3, "skuPartNumber": "ENTERPRISEPACK"}],
    )
    with serve(graph) as base:
        started = time.monotonic()
        entries = list(fetch_graph(settings_for(base)))
        elapsed = time.monotonic() - started
    assert len(entries) == 2000
    assert {entry.directory_id for entry in entries} == {u["id"] for u in users}
    assert entries[1999].manager_id == users[1998]["id"]
    assert entries[41].groups == frozenset({"Service 1"})
    assert sum(entry.mfa_registered is True for entry in entries) == 1333
    # 1 token + 1 licences + 4 report pages (500 each) + 1 group list + 40 groups' members
    # + 20 pages of users (100 a page, Graph's cap when $expand is used) = 67 requests,
    # where asking each user's memberOf would alone have cost 2,000.
    assert graph.count(f"/{TENANT}/") == 1
    assert graph.count(f"/v1.0{REPORTS}") == 4
    assert graph.count("/v1.0/groups/") == 40
    assert graph.count("/v1.0/users") == 20
    assert len(graph.requests) == 67
    assert elapsed < 30


def graph_id(number: int) -> str:
    return user(number)["id"]


def test_throttled_requests_wait_for_retry_after_then_succeed():
    graph = small_tenant()
    graph.throttle = {"/users": 2, "/groups": 1}
    graph.retry_after = "1"
    with serve(graph) as base:
        started = time.monotonic()
        entries = list(fetch_graph(settings_for(base)))
        elapsed = time.monotonic() - started
    assert [entry.username for entry in entries] == ["m.durand", "p.martin", "agent3"]
    assert graph.count("/v1.0/users") == 3
    assert graph.count("/v1.0/groups") == 4  # 2 group lists (one throttled) + 2 member lists
    assert 3 <= elapsed < 10  # three waits of one second each


def test_a_long_retry_after_is_capped(monkeypatch):
    monkeypatch.setattr(graph_module, "MAX_RETRY_WAIT", 0.2)
    graph = small_tenant()
    graph.throttle = {"/subscribedSkus": 1}
    graph.retry_after = "3600"
    with serve(graph) as base:
        started = time.monotonic()
        entries = list(fetch_graph(settings_for(base)))
        elapsed = time.monotonic() - started
    assert entries[0].licences == ("ENTERPRISEPACK",)
    assert elapsed < 5


def test_throttled_without_end_is_an_error_after_bounded_attempts(monkeypatch):
    monkeypatch.setattr(graph_module, "MAX_RETRY_WAIT", 0.01)
    graph = small_tenant()
    graph.throttle = {"/users": 100}
    with serve(graph) as base, pytest.raises(GraphError) as raised:
        list(fetch_graph(settings_for(base)))
    assert str(raised.value) == (
        "Graph answered HTTP 429 TooManyRequests on /v1.0/users: Too many requests."
    )
    assert graph.count("/v1.0/users") == graph_module.MAX_ATTEMPTS == 5


def test_without_the_report_permission_mfa_is_unknown_and_said_so(caplog):
    graph = small_tenant()
    graph.forbidden = {REPORTS}
    warnings: list[str] = []
    with serve(graph) as base:
        entries = list(fetch_graph(settings_for(base), warnings=warnings))
    assert [entry.mfa_registered for entry in entries] == [None, None, None]
    assert [entry.licences for entry in entries] == [
        ("ENTERPRISEPACK",),
        ("ENTERPRISEPACK", "STANDARDPACK"),
        (),
    ]
    expected = (
        "MFA registration unknown: Graph answered HTTP 403 Authorization_RequestDenied on "
        f"/v1.0{REPORTS}: Insufficient privileges to complete the operation."
    )
    assert warnings == [expected]
    assert expected in caplog.messages


def test_without_the_licence_permission_licences_are_unknown():
    graph = small_tenant()
    graph.forbidden = {"/subscribedSkus"}
    warnings: list[str] = []
    with serve(graph) as base:
        entries = list(fetch_graph(settings_for(base), warnings=warnings))
    assert [entry.licences for entry in entries] == [None, None, None]
    assert [entry.mfa_registered for entry in entries] == [True, False, None]
    assert len(warnings) == 1
    assert warnings[0].startswith("Microsoft 365 licences unknown: Graph answered HTTP 403")


def test_without_the_users_permission_the_sync_stops_with_a_clear_error():
    graph = small_tenant()
    graph.forbidden = {"/users"}
    with serve(graph) as base, pytest.raises(GraphError) as raised:
        list(fetch_graph(settings_for(base)))
    assert str(raised.value) == (
        "Graph answered HTTP 403 Authorization_RequestDenied on /v1.0/users: "
        "Insufficient privileges to complete the operation."
    )


def test_a_refused_secret_is_a_graph_error_that_never_repeats_it():
    graph = small_tenant()
    with serve(graph) as base, pytest.raises(GraphError) as raised:
        list(fetch_graph(settings_for(base, secret="wrong-" + SECRET)))
    message = str(raised.value)
    assert SECRET not in message
    assert message.startswith(
        "The token endpoint refused the app registration (HTTP 401 invalid_client): "
        "AADSTS7000215: Invalid client secret provided."
    )
    assert message.endswith(
        "check the tenant id, the client id and the client secret (and its expiry)."
    )
    assert graph.requests == [("POST", f"/{TENANT}/oauth2/v2.0/token")]  # no Graph call


def test_a_token_near_its_expiry_is_renewed_and_a_revoked_one_replaced():
    graph = small_tenant()
    graph.token_lifetime = 60  # below the renewal margin: each call renews it
    with serve(graph) as base:
        list(fetch_graph(settings_for(base)))
    assert graph.count(f"/{TENANT}/") == 6  # one per Graph request
    graph = small_tenant()
    graph.users = [user(n) for n in range(1, 151)]  # two pages of users
    with serve(graph) as base:
        entries = fetch_graph(settings_for(base))
        first = next(entries)  # one token so far; Graph now says it expired early
        graph.revoked = set(graph.tokens)
        rest = list(entries)
    assert first.username == "agent1"
    assert len(rest) == 149
    assert graph.count(f"/{TENANT}/") == 2
    assert graph.count("/v1.0/users") == 3  # the second page refused once, then asked again


def test_a_next_link_to_another_host_is_refused():
    graph = small_tenant()
    graph.users = [user(n) for n in range(1, 150)]
    with serve(graph) as base:
        graph.base = "http://127.0.0.2:9"  # where the nextLinks now point
        with pytest.raises(GraphError) as raised:
            list(fetch_graph(settings_for(base)))
    assert str(raised.value) == (f"Graph sent a link outside {base}: http://127.0.0.2:9")


def test_plain_http_is_refused_off_loopback():
    settings = GraphSettings(
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret=SECRET,
        authority="http://login.example.org",
    )
    with pytest.raises(GraphError) as raised:
        list(fetch_graph(settings))
    assert str(raised.value) == "http://login.example.org must be an https:// address"


def test_an_unreachable_server_is_a_graph_error():
    with serve(FakeGraph()) as base:
        pass  # the server is stopped: its port refuses connections now
    with pytest.raises(GraphError) as raised:
        list(fetch_graph(settings_for(base)))
    assert str(raised.value).startswith(f"Cannot reach {base}: ConnectError")
    assert SECRET not in str(raised.value)


def test_a_given_client_is_used_and_left_open():
    graph = small_tenant()
    with serve(graph) as base, httpx.Client(timeout=5) as client:
        entries = list(fetch_graph(settings_for(base), client=client))
        assert not client.is_closed
    assert len(entries) == 3


def test_a_licence_missing_from_the_subscriptions_keeps_its_sku_id():
    graph = small_tenant()
    trial = "f30db892-07e9-47e9-837c-80727f46fd3d"
    graph.users[2]["assignedLicenses"] = [{"disabledPlans": [], "skuId": trial}]
    with serve(graph) as base:
        entries = list(fetch_graph(settings_for(base)))
    assert entries[2].licences == (trial,)


@pytest.mark.django_db
def test_an_entra_sync_keeps_mfa_and_licences_and_logs_what_it_could_not_read(monkeypatch):
    """The engine reads an Entra ID source through fetch_graph (here from the local stand-in):
    the people come with what Entra says of their MFA and licences, and the run says which
    field stayed unknown."""
    from regie.directory.models import (
        DirectorySource,
        Organisation,
        OrganisationKind,
        Person,
        SourceKind,
    )
    from regie.directory.sync.engine import sync

    Organisation.objects.create(name="Mellois en Poitou", kind=OrganisationKind.INTERCOMMUNALITY)
    source = DirectorySource(
        name="Entra CC Mellois",
        kind=SourceKind.ENTRA,
        tenant_id=TENANT,
        client_id=CLIENT_ID,
    )
    source.set_client_secret(SECRET)
    source.save()
    graph = small_tenant()
    graph.forbidden = {"/subscribedSkus"}
    with serve(graph) as base:
        monkeypatch.setattr(DirectorySource, "graph_settings", lambda self: settings_for(base))
        run = sync(source, dry_run=False)
    assert run.status == "ok", run.error
    assert run.created == 3
    assert "Microsoft 365 licences unknown: Graph answered HTTP 403" in run.warnings[-1]
    accounts = {
        person.first_name: (person.cloud_account.mfa_registered, person.cloud_account.licences)
        for person in Person.objects.filter(cloud_account__isnull=False)
    }
    assert accounts == {"Marie": (True, None), "Paul": (False, None)}
