"""The inventory pages: activity, agents, replay and approval, agent set-up."""

import datetime as dt
import hashlib
import re
import zlib
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from regie.assets.models import Asset
from regie.core.tests.html import ON_DARK_CLASSES, button_classes
from regie.inventory.models import (
    Agent,
    AgentProtocol,
    ReceivedReport,
    Refusal,
    RefusalReason,
    ReportStatus,
)
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db

TASK_PATH = "regie.inventory.tasks.process_received_report"
HOSTILE = "<script>alert(1)</script>"


def make_agent(device_id="pc-1", protocol=AgentProtocol.OCS_XML, **fields):
    return Agent.objects.create(device_id=device_id, protocol=protocol, **fields)


def stored(agent, body=b"<REQUEST/>", **fields):
    fields.setdefault("protocol", agent.protocol)
    return ReceivedReport.objects.create(
        agent=agent,
        body=zlib.compress(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_size=len(body),
        **fields,
    )


def page(client, user, url_name, *args, **query):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(url_name, args=args), query)


@pytest.fixture
def agent():
    return make_agent()


@pytest.fixture
def failed_report(agent):
    return stored(
        agent,
        capture("ocs-inventory.xml"),
        status=ReportStatus.FAILED,
        error="Processing failed (KeyError): 'x'",
    )


PAGES = [
    ("inventory:activity", False),
    ("inventory:agent-list", False),
    ("inventory:agent-detail", True),
]


@pytest.mark.parametrize(("url_name", "takes_agent"), PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin_user", 200),
        ("technician", 200),
        ("reader", 200),
        ("correspondent", 403),
        ("staff_user", 403),
    ],
)
def test_pages_are_for_the_it_team_and_readers(
    request, client, agent, url_name, takes_agent, persona, status
):
    user = request.getfixturevalue(persona)
    args = [agent.pk] if takes_agent else []

    response = page(client, user, url_name, *args)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin_user", 200),
        ("technician", 200),
        ("reader", 403),  # the set-up page shows the agents' password
        ("correspondent", 403),
        ("staff_user", 403),
    ],
)
def test_setup_page_is_for_those_who_manage_agents(request, client, persona, status):
    response = page(client, request.getfixturevalue(persona), "inventory:setup")

    assert response.status_code == status


@pytest.mark.parametrize(("url_name", "takes_agent"), [*PAGES, ("inventory:setup", False)])
def test_anonymous_visitors_are_sent_to_the_login_page(client, agent, url_name, takes_agent):
    url = reverse(url_name, args=[agent.pk] if takes_agent else [])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_inventory_pages_do_not_take_the_agents_paths(client, technician):
    client.force_login(technician)
    assert reverse("inventory:activity") == "/inventory/"
    # GLPI 11 agents post to /Inventory: still the receiving endpoint.
    assert client.get("/Inventory").status_code == 405
    assert client.get("/inventory/").status_code == 200


def test_menu_shows_inventory_to_whom_may_see_it(client, technician, correspondent):
    client.force_login(technician)
    entries = {e.label: e.url for e in client.get(reverse("home")).context["nav_entries"]}
    assert entries["Inventaire" if "Inventaire" in entries else "Inventory"] == "/inventory/"
    current = [e.url for e in page(client, technician, "inventory:setup").context["nav_entries"]]
    assert "/inventory/" in current

    client.force_login(correspondent)
    urls = [e.url for e in client.get(reverse("home")).context["nav_entries"]]
    assert "/inventory/" not in urls


def test_activity_counts(client, technician, failed_report):
    now = timezone.now()
    stored(failed_report.agent, b"<a/>", status=ReportStatus.PROCESSED)
    stored(failed_report.agent, b"<b/>", received_at=now - dt.timedelta(days=2))
    make_agent("held-1", approved=False)
    Refusal.objects.create(source="10.0.0.9", reason=RefusalReason.NETWORK, count=4)
    Refusal.objects.create(
        source="old", reason=RefusalReason.MALFORMED, count=1, last_at=now - dt.timedelta(days=3)
    )

    context = page(client, technician, "inventory:activity").context

    assert context["reports_today"] == 2
    assert context["failed_count"] == 1
    assert context["held_count"] == 1
    assert context["refused_recently"] == 1
    assert [r.pk for r in context["failed_reports"]] == [failed_report.pk]


def test_activity_lists_reports_with_their_links(client, technician, agent, owned_asset):
    report = stored(agent, status=ReportStatus.PROCESSED, matched_rule="serial", asset=owned_asset)

    response = page(client, technician, "inventory:activity")

    assert [r.pk for r in response.context["page_obj"]] == [report.pk]
    html = response.content.decode()
    assert f'href="{reverse("inventory:agent-detail", args=[agent.pk])}">pc-1</a>' in html
    assert f'href="{owned_asset.get_absolute_url()}">{owned_asset}</a>' in html
    assert 'class="badge badge-report-processed"' in html


def test_activity_filters_reports(client, technician, agent):
    other = make_agent("pc-2", protocol=AgentProtocol.GLPI_JSON)
    failed = stored(agent, b"<a/>", status=ReportStatus.FAILED, error="x")
    stored(agent, b"<b/>", status=ReportStatus.PROCESSED)
    glpi = stored(other, b"{}", status=ReportStatus.PROCESSED)

    def listed(**query):
        return [
            r.pk
            for r in page(client, technician, "inventory:activity", **query).context["page_obj"]
        ]

    assert listed(status="failed") == [failed.pk]
    assert listed(protocol=AgentProtocol.GLPI_JSON) == [glpi.pk]
    assert listed(agent=other.pk) == [glpi.pk]


def test_activity_htmx_gets_the_results_partial(client, technician, agent):
    stored(agent)
    client.force_login(technician)

    response = client.get(reverse("inventory:activity"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.template_name == "inventory/activity.html#results"
    assert response.content.decode().startswith('\n  <div id="results"')
    assert "failed_reports" not in response.context
    assert response["Vary"].count("HX-Request") == 1


def test_activity_query_count_does_not_grow_with_rows(client, technician):
    def count_queries():
        client.force_login(technician)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("inventory:activity"), {"days": 1}).status_code == 200
        return len(queries)

    def add_rows(start, number):
        for index in range(start, start + number):
            agent = make_agent(f"pc-{index}", last_seen=timezone.now() - dt.timedelta(days=9))
            stored(agent, status=ReportStatus.FAILED, error="boom")
            Refusal.objects.create(source=f"10.0.0.{index}", reason=RefusalReason.HOSTILE)

    add_rows(0, 2)
    few = count_queries()
    add_rows(2, 30)
    assert count_queries() == few
    assert few <= 14


def test_reports_are_paginated(client, technician, agent):
    for index in range(30):
        stored(agent, f"<r{index}/>".encode())

    first = page(client, technician, "inventory:activity")
    second = page(client, technician, "inventory:activity", page=2)

    assert len(first.context["page_obj"]) == 25
    assert first.context["next_url"] == "?page=2"
    assert len(second.context["page_obj"]) == 5


def test_technician_sees_replay_reader_does_not(client, technician, reader, failed_report):
    replay_url = reverse("inventory:report-replay", args=[failed_report.pk])

    as_technician = page(client, technician, "inventory:activity").content.decode()
    as_reader = page(client, reader, "inventory:activity").content.decode()

    assert f'action="{replay_url}"' in as_technician
    assert "Processing failed (KeyError): &#x27;x&#x27;" in as_technician
    assert f'action="{replay_url}"' not in as_reader
    assert "Processing failed (KeyError): &#x27;x&#x27;" in as_reader


def test_replay_is_a_visible_button(client, technician, failed_report):
    html = page(client, technician, "inventory:activity").content.decode()
    classes = button_classes(html, "Rejouer")
    assert "button" in classes
    assert not classes & ON_DARK_CLASSES


def test_replay_processes_a_failed_report(client, technician, failed_report):
    client.force_login(technician)

    response = client.post(
        reverse("inventory:report-replay", args=[failed_report.pk]), {"next": "/inventory/?page=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/inventory/?page=1"
    failed_report.refresh_from_db()
    assert failed_report.status == ReportStatus.PROCESSED
    assert failed_report.error == ""
    assert failed_report.asset == Asset.objects.get()
    assert failed_report.matched_rule == ""  # a new asset: no rule matched an existing one
    messages = [m.level_tag for m in response.wsgi_request._messages]
    assert messages == ["success"]


def test_replay_refuses_a_foreign_next_url(client, technician, failed_report):
    client.force_login(technician)

    response = client.post(
        reverse("inventory:report-replay", args=[failed_report.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("inventory:activity")


def test_replay_of_a_still_broken_report_stays_failed(client, technician, agent):
    report = stored(
        agent,
        b"<REQUEST><DEVICEID>pc-1</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>",
        status="failed",
    )
    client.force_login(technician)

    response = client.post(reverse("inventory:report-replay", args=[report.pk]))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "The inventory request has no CONTENT."
    assert [m.level_tag for m in response.wsgi_request._messages] == ["error"]


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("correspondent", 403)])
def test_replay_by_others_changes_nothing(request, client, failed_report, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("inventory:report-replay", args=[failed_report.pk]))

    assert response.status_code == status
    failed_report.refresh_from_db()
    assert failed_report.status == ReportStatus.FAILED
    assert failed_report.asset is None


def test_replay_is_post_only(client, technician, failed_report):
    client.force_login(technician)

    response = client.get(reverse("inventory:report-replay", args=[failed_report.pk]))

    assert response.status_code == 405


@pytest.fixture
def held_agent(settings):
    settings.INVENTORY_APPROVAL = True
    held = make_agent("held-1", approved=False)
    stored(held, b"<a/>")
    stored(held, b"<b/>")
    return held


def test_approve_button_only_for_a_held_agent_and_a_technician(
    client, technician, reader, agent, held_agent
):
    approve_url = reverse("inventory:agent-approve", args=[held_agent.pk])

    held_page = page(client, technician, "inventory:agent-detail", held_agent.pk)
    approved_page = page(client, technician, "inventory:agent-detail", agent.pk)
    reader_page = page(client, reader, "inventory:agent-detail", held_agent.pk)

    assert f'action="{approve_url}"' in held_page.content.decode()
    assert "inventory:agent-approve" not in approved_page.content.decode()
    assert 'action="/inventory/agents/' not in approved_page.content.decode()
    assert f'action="{approve_url}"' not in reader_page.content.decode()


def test_approve_approves_and_queues_the_waiting_reports(
    client, technician, held_agent, django_capture_on_commit_callbacks
):
    client.force_login(technician)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inventory:agent-approve", args=[held_agent.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("inventory:agent-detail", args=[held_agent.pk])
    held_agent.refresh_from_db()
    assert held_agent.approved is True
    waiting = sorted(held_agent.reports.values_list("pk", flat=True))
    queued = sorted(task.args_kwargs["args"][0] for task in DBTaskResult.objects.all())
    assert queued == waiting
    assert {task.task_path for task in DBTaskResult.objects.all()} == {TASK_PATH}


def test_approve_by_a_reader_changes_nothing(client, reader, held_agent):
    client.force_login(reader)

    response = client.post(reverse("inventory:agent-approve", args=[held_agent.pk]))

    assert response.status_code == 403
    held_agent.refresh_from_db()
    assert held_agent.approved is False
    assert DBTaskResult.objects.count() == 0


def test_agents_not_seen_for_n_days(client, technician):
    now = timezone.now()
    recent = make_agent("recent", last_seen=now - dt.timedelta(days=2))
    week = make_agent("week", last_seen=now - dt.timedelta(days=8))
    month = make_agent("month", last_seen=now - dt.timedelta(days=40))

    default = page(client, technician, "inventory:activity").context
    one_day = page(client, technician, "inventory:activity", days=1).context
    garbage = page(client, technician, "inventory:activity", days="x").context

    assert (default["days"], list(default["stale_agents"])) == (7, [month, week])
    assert default["stale_count"] == 2
    assert (one_day["days"], list(one_day["stale_agents"])) == (1, [month, week, recent])
    assert garbage["days"] == 7


def test_refusals_are_listed(client, reader):
    refusal = Refusal.objects.create(
        source="10.1.2.3",
        reason=RefusalReason.COMPRESSION_BOMB,
        count=12,
        last_address="10.1.2.3",
        last_error=f"Ratio too high {HOSTILE}",
    )

    response = page(client, reader, "inventory:activity")

    assert list(response.context["refusals"]) == [refusal]
    html = response.content.decode()
    row = html[html.index(f'data-refusal="{refusal.pk}"') :]
    assert "<td>12</td>" in row
    assert "Ratio too high &lt;script&gt;alert(1)&lt;/script&gt;" in row


def test_agent_strings_are_escaped_everywhere(client, technician):
    agent = make_agent(
        f"pc-{HOSTILE}",
        name=HOSTILE,
        version=HOSTILE,
        last_seen=timezone.now() - dt.timedelta(days=30),
    )
    stored(agent, status=ReportStatus.FAILED, error=HOSTILE, matched_rule=HOSTILE)

    for url_name, args in [
        ("inventory:activity", []),
        ("inventory:agent-list", []),
        ("inventory:agent-detail", [agent.pk]),
    ]:
        html = page(client, technician, url_name, *args).content.decode()
        assert HOSTILE not in html, url_name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url_name


def test_agent_list_columns_filters_and_pagination(client, reader):
    agent = make_agent(
        "poste-2026-11-30-08-40-03",
        protocol=AgentProtocol.GLPI_JSON,
        name="GLPI-Agent",
        version="1.12",
        last_address="192.168.1.20",
        report_count=3,
    )
    make_agent("held-1", protocol=AgentProtocol.OCS_XML, approved=False)

    response = page(client, reader, "inventory:agent-list", protocol=AgentProtocol.GLPI_JSON)

    [row] = response.context["rows"]
    values = [cell.value for cell in row.cells]
    assert values[0] == "poste-2026-11-30-08-40-03"
    assert row.cells[0].url == reverse("inventory:agent-detail", args=[agent.pk])
    assert values[1:4] == ["GLPI Agent (JSON)", "GLPI-Agent 1.12", "192.168.1.20"]
    assert values[6] == 3
    assert row.cells[7].badge == "approved"
    held = page(client, reader, "inventory:agent-list", approved="false").context["rows"]
    assert [(r.obj.device_id, r.cells[7].badge) for r in held] == [("held-1", "held")]


def test_agent_list_query_count_does_not_grow_with_rows(client, technician):
    def count_queries():
        client.force_login(technician)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("inventory:agent-list")).status_code == 200
        return len(queries)

    make_agent("a-0")
    few = count_queries()
    for index in range(1, 40):
        make_agent(f"a-{index}")
    assert count_queries() == few


def test_agent_detail_lists_its_reports_only(client, reader, agent):
    mine = stored(agent, b"<a/>")
    stored(make_agent("pc-2"), b"<b/>")

    response = page(client, reader, "inventory:agent-detail", agent.pk)

    assert [r.pk for r in response.context["page_obj"]] == [mine.pk]


def test_setup_shows_the_server_urls_for_this_host(client, technician, settings):
    settings.INVENTORY_USERNAME = ""
    settings.INVENTORY_PASSWORD = ""
    settings.ALLOWED_HOSTS = ["regie.example.org"]
    client.force_login(technician)

    response = client.get(reverse("inventory:setup"), HTTP_HOST="regie.example.org", secure=True)

    setups = {setup.name: setup for setup in response.context["setups"]}
    assert setups["GLPI Agent"].server_url == "https://regie.example.org/"
    assert setups["GLPI Agent"].config_lines == ["server = https://regie.example.org/"]
    assert setups["GLPI Agent"].command == "glpi-agent --server https://regie.example.org/"
    assert setups["FusionInventory agent"].server_url == "https://regie.example.org/"
    assert setups["OCS Inventory agent"].server_url == "https://regie.example.org/ocsinventory"
    assert setups["OCS Inventory agent"].config_lines == [
        "server=https://regie.example.org/ocsinventory"
    ]
    html = response.content.decode()
    assert (
        '<code class="server-url" id="setup-3-url">https://regie.example.org/ocsinventory</code>'
        in html
    )
    assert "user =" not in html
    assert 'data-note="approval"' not in html
    assert 'data-note="networks"' not in html


def test_setup_warns_that_urls_come_from_the_browser_without_a_public_url(
    client, technician, settings
):
    settings.PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["localhost"]
    client.force_login(technician)

    response = client.get(reverse("inventory:setup"), HTTP_HOST="localhost:8000")

    setups = {setup.name: setup for setup in response.context["setups"]}
    assert setups["GLPI Agent"].server_url == "http://localhost:8000/"
    html = response.content.decode()
    assert 'data-warning="browser-url"' in html
    assert (
        "REGIE_PUBLIC_URL n'est pas défini : les adresses ci-dessous ont été construites "
        "à partir de l'adresse utilisée par votre navigateur, http://localhost:8000/."
    ) in unescape(html)


def test_setup_uses_the_public_url_and_warns_when_the_browser_used_another(
    client, technician, settings
):
    settings.PUBLIC_URL = "https://regie.example.org"
    settings.INVENTORY_USERNAME = ""
    settings.INVENTORY_PASSWORD = ""
    settings.ALLOWED_HOSTS = ["localhost", "regie.example.org"]
    client.force_login(technician)

    response = client.get(reverse("inventory:setup"), HTTP_HOST="localhost:8000")

    setups = {setup.name: setup for setup in response.context["setups"]}
    assert setups["GLPI Agent"].server_url == "https://regie.example.org/"
    assert setups["GLPI Agent"].command == "glpi-agent --server https://regie.example.org/"
    assert setups["OCS Inventory agent"].server_url == "https://regie.example.org/ocsinventory"
    assert setups["GLPI Agent"].windows_command == (
        "msiexec /i GLPI-Agent-x64.msi /quiet SERVER=https://regie.example.org/"
    )
    html = unescape(response.content.decode())
    assert (
        "Votre navigateur a ouvert Régie à l'adresse http://localhost:8000/, mais les adresses "
        "ci-dessous utilisent REGIE_PUBLIC_URL, https://regie.example.org."
    ) in html
    assert "localhost" not in "".join(s.command + s.server_url for s in setups.values())

    same_host = client.get(reverse("inventory:setup"), HTTP_HOST="regie.example.org", secure=True)
    assert 'data-warning="browser-url"' not in same_host.content.decode()


def test_setup_has_a_copy_button_for_each_url_and_command(client, technician):
    response = page(client, technician, "inventory:setup")

    html = response.content.decode()
    targets = re.findall(r'<button type="button" [^>]*data-copy="([^"]+)"[^>]*hidden>', html)
    assert targets == [
        "setup-1-url",
        "setup-1-config",
        "setup-1-command",
        "setup-1-windows",
        "setup-2-url",
        "setup-2-config",
        "setup-2-command",
        "setup-3-url",
        "setup-3-config",
        "setup-3-command",
    ]
    for target in targets:
        assert f'id="{target}"' in html
    assert '<script src="/static/regie/copy.js" defer></script>' in html
    assert finders.find("regie/copy.js")


def test_setup_shows_the_credentials_for_each_agent(client, technician, settings):
    settings.INVENTORY_USERNAME = "agents"
    settings.INVENTORY_PASSWORD = "s3cret-Pa55"  # noqa: S105  # a test credential
    settings.INVENTORY_APPROVAL = True
    settings.INVENTORY_ALLOWED_NETWORKS = ["192.168.10.0/24"]

    response = page(client, technician, "inventory:setup")

    setups = {setup.name: setup for setup in response.context["setups"]}
    assert setups["GLPI Agent"].config_lines == [
        "server = http://testserver/",
        "user = agents",
        "password = s3cret-Pa55",
    ]
    assert setups["GLPI Agent"].command == (
        "glpi-agent --server http://testserver/ --user agents --password 's3cret-Pa55'"
    )
    assert setups["FusionInventory agent"].config_lines == [
        "server = http://testserver/",
        "user = agents",
        "password = s3cret-Pa55",
    ]
    assert setups["FusionInventory agent"].command == (
        "fusioninventory-agent --server http://testserver/ --user agents --password 's3cret-Pa55'"
    )
    # The OCS agent base64-decodes what it is given: "agents", "s3cret-Pa55" encoded.
    assert setups["OCS Inventory agent"].config_lines == [
        "server=http://testserver/ocsinventory",
        "user=YWdlbnRz",
        "password=czNjcmV0LVBhNTU=",
        "realm=Regie",
    ]
    assert setups["OCS Inventory agent"].command == (
        "ocsinventory-agent --server http://testserver/ocsinventory --user YWdlbnRz "
        "--password 'czNjcmV0LVBhNTU=' --realm 'Regie' --nolocal"
    )
    html = response.content.decode()
    assert "password = s3cret-Pa55" in html
    assert 'data-note="credentials"' in html
    assert 'data-warning="agents-unauthenticated"' not in html
    assert 'data-note="approval"' in html
    assert "<code>192.168.10.0/24</code>" in html


def test_setup_escapes_the_host(client, technician, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(technician)

    response = client.get(reverse("inventory:setup"), HTTP_HOST="a<b>.example")

    assert response.status_code in {200, 400}
    assert "a<b>" not in response.content.decode()


def test_agent_detail_htmx_pages_get_the_results_partial(client, reader, agent):
    for index in range(30):
        stored(agent, f"<r{index}/>".encode())
    client.force_login(reader)

    response = client.get(
        reverse("inventory:agent-detail", args=[agent.pk]),
        {"page": 2},
        headers={"HX-Request": "true"},
    )

    assert response.template_name == "inventory/agent_detail.html#results"
    assert len(response.context["page_obj"]) == 5
    assert response.content.decode().startswith('<div id="results"')
