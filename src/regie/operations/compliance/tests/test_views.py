"""The compliance pages and the asset page's panel, per role."""

import datetime as dt

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from regie.assets.tests.factories import AssetFactory
from regie.core.history import history_of
from regie.operations.compliance.models import ComplianceSettings, Finding, RuleCode

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)


def finding(asset, rule=RuleCode.WARRANTY_ENDING, severity="warning", reason="raison", **extra):
    return Finding.objects.create(
        asset=asset,
        rule=rule,
        severity=severity,
        reason=reason,
        first_seen=NOW,
        last_seen=NOW,
        **extra,
    )


@pytest.fixture
def findings(colleague_asset, outside_asset):
    return {
        "here": finding(colleague_asset, reason="Garantie proche ici"),
        "there": finding(
            outside_asset, RuleCode.ANTIVIRUS, "critical", "Aucun antivirus en état de marche"
        ),
        "resolved": finding(colleague_asset, RuleCode.FIREWALL, reason="Ancien", resolved_at=NOW),
    }


def listed(response):
    return {row.obj.pk for row in response.context["rows"]}


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_the_it_team_and_readers_see_every_open_finding(request, client, findings, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("compliance:overview"))
    assert response.status_code == 200
    assert listed(response) == {findings["here"].pk, findings["there"].pk}
    counts = {
        row["label"]: [c for c, _url in row["cells"]] for row in response.context["count_rows"]
    }
    assert counts["Antivirus désactivé ou pas à jour"] == [1, 0, 0]
    assert counts["Fin de garantie proche"] == [0, 1, 0]
    assert response.context["open_total"] == 2
    assert "Aucun antivirus en état de marche" in response.content.decode()


def test_a_correspondent_sees_the_findings_of_their_sites_only(client, correspondent, findings):
    client.force_login(correspondent)
    response = client.get(reverse("compliance:overview"))
    assert listed(response) == {findings["here"].pk}
    assert response.context["open_total"] == 1
    assert response.context["can_sweep"] is False
    other = reverse("compliance:finding-detail", args=[findings["there"].pk])
    assert client.get(other).status_code == 404
    mine = reverse("compliance:finding-detail", args=[findings["here"].pk])
    assert client.get(mine).status_code == 200


def test_staff_get_no_compliance_page(client, staff_user, owned_asset, findings):
    finding(owned_asset)
    client.force_login(staff_user)
    assert client.get(reverse("compliance:overview")).status_code == 403
    assert client.get(reverse("compliance:lifecycle")).status_code == 403
    assert client.get(reverse("compliance:settings")).status_code == 403
    detail = reverse("compliance:finding-detail", args=[findings["here"].pk])
    assert client.get(detail).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, findings):
    response = client.get(reverse("compliance:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_filters_search_resolved_and_htmx(client, technician, findings):
    client.force_login(technician)
    url = reverse("compliance:overview")
    assert listed(client.get(url, {"severity": "critical"})) == {findings["there"].pk}
    assert listed(client.get(url, {"rule": "warranty_ending"})) == {findings["here"].pk}
    site = findings["there"].asset.site
    assert listed(client.get(url, {"site": site.pk})) == {findings["there"].pk}
    assert listed(client.get(url, {"q": "PISCINE"})) == {findings["there"].pk}
    assert listed(client.get(url, {"open": "false"})) == {findings["resolved"].pk}
    assert len(listed(client.get(url, {"open": ""}))) == 3
    sorted_page = client.get(url, {"ordering": "-severity"})
    assert [row.obj.pk for row in sorted_page.context["rows"]] == [
        findings["here"].pk,
        findings["there"].pk,
    ]
    partial = client.get(url, {"severity": "critical"}, HTTP_HX_REQUEST="true")
    assert partial.template_name == "compliance/overview.html#results"
    assert "counts-title" not in partial.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(client, technician, django_assert_max_num_queries):
    for _ in range(30):
        finding(AssetFactory())
    client.force_login(technician)
    client.get(reverse("compliance:overview"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("compliance:overview"), {"page_size": 25})
    assert len(response.context["rows"]) == 25


def test_the_asset_page_shows_its_open_findings(client, technician, findings):
    client.force_login(technician)
    response = client.get(findings["here"].asset.get_absolute_url())
    page = response.content.decode()
    assert "Conformité (1)" in page
    assert "Garantie proche ici" in page
    assert "Ancien" not in page


def test_the_asset_page_of_a_staff_member_shows_no_compliance(client, staff_user, owned_asset):
    finding(owned_asset, reason="Invisible pour l'agent")
    client.force_login(staff_user)
    page = client.get(owned_asset.get_absolute_url()).content.decode()
    assert "Invisible pour l'agent" not in page
    assert "Conformité" not in page


def test_the_lifecycle_table_shows_sources_and_review_date(client, reader):
    client.force_login(reader)
    page = client.get(reverse("compliance:lifecycle")).content.decode()
    assert "Dernière revue le 30/11/2026" in page
    assert "Windows 10 22H2 Famille/Professionnel" in page
    assert "14/10/2025" in page
    assert "https://learn.microsoft.com/en-us/windows/release-health/release-information" in page


def test_only_administrators_change_the_settings(client, technician, reader, admin_user):
    url = reverse("compliance:settings")
    data = {
        "eol_warning_days": 120,
        "update_max_age_days": 30,
        "inventory_max_age_days": 15,
        "warranty_warning_days": 90,
        "max_events_per_sweep": 3,
        "firewall_enabled": "on",
    }
    for user in (technician, reader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["form"].fields["eol_warning_days"].disabled is True
        assert client.post(url, data).status_code == 403
    assert ComplianceSettings.load().eol_warning_days == 90
    client.force_login(admin_user)
    response = client.post(url, data)
    assert response.status_code == 302
    config = ComplianceSettings.load()
    assert (config.eol_warning_days, config.inventory_max_age_days) == (120, 15)
    assert (config.firewall_enabled, config.antivirus_enabled) == (True, False)
    assert history_of(config).filter(field="eol_warning_days").get().new_value == "120"


def test_negative_or_zero_days_are_refused_with_a_clear_message(client, admin_user):
    client.force_login(admin_user)
    data = {
        "eol_warning_days": -5,
        "update_max_age_days": 0,
        "inventory_max_age_days": "trente",
        "warranty_warning_days": 60,
        "max_events_per_sweep": 5,
    }
    response = client.post(reverse("compliance:settings"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["eol_warning_days"] == ["Saisissez un nombre de jours d'au moins 1."]
    assert errors["update_max_age_days"] == ["Saisissez un nombre de jours d'au moins 1."]
    assert errors["inventory_max_age_days"] == ["Saisissez un nombre entier."]
    assert ComplianceSettings.load().eol_warning_days == 90


def test_the_it_team_queues_a_sweep_now(client, technician, reader, correspondent):
    url = reverse("compliance:sweep")
    for user in (reader, correspondent):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert DBTaskResult.objects.count() == 0
    client.force_login(technician)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    [task] = DBTaskResult.objects.all()
    assert task.task_path.endswith("sweep_compliance")


def test_the_menu_shows_compliance_to_the_it_team_and_correspondents(
    client, technician, staff_user
):
    client.force_login(technician)
    assert "/compliance/" in client.get(reverse("home")).content.decode()
    client.force_login(staff_user)
    assert 'href="/compliance/"' not in client.get(reverse("home")).content.decode()
