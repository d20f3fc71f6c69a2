"""``/api/v1/findings/`` and ``/api/v1/compliance/rules/`` per role."""

import pytest
from rest_framework.test import APIClient

from regie.assets.tests.factories import AssetFactory
from regie.core.testing import bearer_client
from regie.operations.compliance.models import ComplianceSettings, Finding, RuleCode
from regie.operations.compliance.tests.test_views import finding
from regie.operations.compliance.tests.test_views import findings as findings  # noqa: F401  # fixture

pytestmark = pytest.mark.django_db
FIELDS = {
    "id",
    "asset",
    "asset_brief",
    "rule",
    "severity",
    "reason",
    "details",
    "first_seen",
    "last_seen",
    "resolved_at",
    "is_open",
}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_wide_readers_list_every_finding(request, findings, persona):
    client = bearer_client(request.getfixturevalue(persona))
    response = client.get("/api/v1/findings/")
    assert response.status_code == 200
    assert ids(response) == {f.pk for f in findings.values()}
    assert set(response.json()["results"][0]) == FIELDS


def test_filters(findings, technician):
    client = bearer_client(technician)
    here, there, resolved = findings["here"], findings["there"], findings["resolved"]
    assert ids(client.get("/api/v1/findings/?open=true")) == {here.pk, there.pk}
    assert ids(client.get("/api/v1/findings/?open=false")) == {resolved.pk}
    assert ids(client.get("/api/v1/findings/?severity=critical")) == {there.pk}
    assert ids(client.get("/api/v1/findings/?rule=firewall")) == {resolved.pk}
    assert ids(client.get(f"/api/v1/findings/?asset={here.asset_id}")) == {here.pk, resolved.pk}
    bad = client.get("/api/v1/findings/?severity=grave")
    assert bad.status_code == 400
    assert set(bad.json()) == {"detail", "errors"}
    assert "severity" in bad.json()["errors"]


def test_detail_shape(findings, reader):
    response = bearer_client(reader).get(f"/api/v1/findings/{findings['there'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["rule"] == "antivirus"
    assert body["severity"] == "critical"
    assert body["reason"] == "Aucun antivirus en état de marche"
    assert body["is_open"] is True
    assert body["asset_brief"]["id"] == findings["there"].asset_id


def test_correspondents_see_their_sites_findings_only(findings, correspondent):
    client = bearer_client(correspondent)
    assert ids(client.get("/api/v1/findings/")) == {findings["here"].pk, findings["resolved"].pk}
    assert client.get(f"/api/v1/findings/{findings['there'].pk}/").status_code == 404


def test_staff_get_no_findings(findings, staff_user, owned_asset):
    finding(owned_asset)
    client = bearer_client(staff_user)
    assert client.get("/api/v1/findings/").status_code == 403
    assert client.get(f"/api/v1/findings/{findings['here'].pk}/").status_code == 404
    assert client.get("/api/v1/compliance/rules/").status_code == 403


def test_findings_are_read_only(findings, admin_user):
    client = bearer_client(admin_user)
    item = f"/api/v1/findings/{findings['here'].pk}/"
    assert client.post("/api/v1/findings/", {}, format="json").status_code == 405
    assert client.patch(item, {"severity": "info"}, format="json").status_code == 405
    assert client.delete(item).status_code == 405
    assert Finding.objects.get(pk=findings["here"].pk).severity == "warning"


def test_no_token_no_findings(findings):
    assert APIClient().get("/api/v1/findings/").status_code == 401


def test_unknown_finding_is_404(technician):
    assert bearer_client(technician).get("/api/v1/findings/999999/").status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(technician, django_assert_max_num_queries):
    for _ in range(30):
        finding(AssetFactory(), RuleCode.FIREWALL)
    client = bearer_client(technician)
    client.get("/api/v1/findings/")
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/findings/")
    assert response.json()["count"] == 30


def test_rules_list_their_thresholds(reader):
    ComplianceSettings.objects.update_or_create(
        pk=1, defaults={"update_max_age_days": 20, "antivirus_enabled": False}
    )
    response = bearer_client(reader).get("/api/v1/compliance/rules/")
    assert response.status_code == 200
    rules = {rule["code"]: rule for rule in response.json()}
    assert list(rules) == [code.value for code in RuleCode]
    assert rules["os_updates"] == {
        "code": "os_updates",
        "label": "Système d'exploitation non mis à jour",
        "severity": "warning",
        "enabled": True,
        "threshold_days": 20,
        "announced": ["warning", "critical"],
        "unknown": 0,
    }
    assert rules["antivirus"]["enabled"] is False
    assert rules["antivirus"]["threshold_days"] is None
    assert rules["warranty_expired"]["announced"] == ["critical"]
