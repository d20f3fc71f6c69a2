"""Pages and API of the checks, per role; invalid schedules refused with a clear message."""

import pytest
from django.utils import translation

from regie.core.models import ChangeRecord
from regie.core.testing import EXTERNAL_ASSET, bearer_client
from regie.operations.checks.models import Check, CheckStatus, Flip, Ping
from regie.operations.checks.tests.factories import CheckFactory


@pytest.fixture
def checks(site, other_site):
    mine = CheckFactory(name="Sauvegarde école", site=site)
    theirs = CheckFactory(name="Sauvegarde piscine", site=other_site)
    return mine, theirs


def form_data(**overrides):
    data = {
        "name": "Sauvegarde Veeam mairie",
        "kind": "backup",
        "schedule_kind": "cron",
        "cron": "0 22 * * 1-5",
        "time_zone": "Europe/Paris",
        "grace_minutes": "60",
        "failure_keywords": "error, échec",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("persona", "list_status", "names", "detail_mine", "detail_theirs", "create"),
    [
        ("admin_user", 200, ["Sauvegarde piscine", "Sauvegarde école"], 200, 200, 200),
        ("technician", 200, ["Sauvegarde piscine", "Sauvegarde école"], 200, 200, 200),
        ("reader", 200, ["Sauvegarde piscine", "Sauvegarde école"], 200, 200, 403),
        ("correspondent", 200, ["Sauvegarde école"], 200, 404, 403),
        ("staff_user", 403, [], 404, 404, 403),
    ],
)
def test_pages_per_role(
    client, request, checks, persona, list_status, names, detail_mine, detail_theirs, create
):
    mine, theirs = checks
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/checks/")
    assert response.status_code == list_status
    if list_status == 200:
        assert [row.obj.name for row in response.context["rows"]] == names
    assert client.get(f"/checks/{mine.pk}/").status_code == detail_mine
    assert client.get(f"/checks/{theirs.pk}/").status_code == detail_theirs
    assert client.get("/checks/new/").status_code == create


def test_detail_shows_ping_url_snippets_history_and_escaped_logs(client, technician, settings):
    settings.PUBLIC_URL = "https://regie.example.fr"
    check = CheckFactory(name="Sauvegarde NAS")
    client.get(f"/ping/{check.ping_uuid}/start")
    client.post(f"/ping/{check.ping_uuid}", "<script>alert(1)</script>", content_type="text/plain")
    client.force_login(technician)
    html = client.get(f"/checks/{check.pk}/").content.decode()
    url = f"https://regie.example.fr/ping/{check.ping_uuid}"
    assert html.count(f"PING_URL=&quot;{url}&quot;") == 3  # restic, borg, synology
    assert html.count(f"$PingUrl = &quot;{url}&quot;") == 2  # Veeam, Windows
    assert f"{url}/${{PIPESTATUS[0]}}" in html  # cron
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert html.count('<rect x="') == 2  # one run bar, one status period
    # The picture is drawn in the page, not fetched from anywhere.
    assert "<svg" in html
    assert not EXTERNAL_ASSET.search(html)


def test_ping_url_falls_back_to_the_request_host(client, technician):
    check = CheckFactory()
    client.force_login(technician)
    html = client.get(f"/checks/{check.pk}/").content.decode()
    assert f"http://testserver/ping/{check.ping_uuid}" in html


def test_list_filters_by_status_kind_and_search(client, technician):
    CheckFactory(name="Mises à jour WSUS", kind="update", status=CheckStatus.DOWN)
    CheckFactory(name="Sauvegarde NAS", kind="backup")
    client.force_login(technician)
    names = lambda q: [r.obj.name for r in client.get("/checks/" + q).context["rows"]]  # noqa: E731
    assert names("?status=down") == ["Mises à jour WSUS"]
    assert names("?kind=backup") == ["Sauvegarde NAS"]
    assert names("?q=wsus") == ["Mises à jour WSUS"]


def test_create_edit_pause_resume_delete(client, technician):
    client.force_login(technician)
    response = client.post("/checks/new/", form_data())
    check = Check.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/checks/{check.pk}/"
    assert (check.cron, check.time_zone, check.status) == ("0 22 * * 1-5", "Europe/Paris", "new")
    assert ChangeRecord.objects.filter(object_id=check.pk, action="create").exists()
    client.post(f"/checks/{check.pk}/edit/", form_data(name="Sauvegarde Veeam", cron="0 23 * * *"))
    assert Check.objects.get().cron == "0 23 * * *"
    client.post(f"/checks/{check.pk}/pause/")
    assert Check.objects.get().status == CheckStatus.PAUSED
    client.post(f"/checks/{check.pk}/resume/")
    assert Check.objects.get().status == CheckStatus.NEW
    assert list(Flip.objects.values_list("to_status", flat=True).order_by("id")) == [
        "paused",
        "new",
    ]
    client.post(f"/checks/{check.pk}/delete/")
    assert not Check.objects.exists()


def test_reader_cannot_pause(client, reader):
    check = CheckFactory()
    client.force_login(reader)
    assert client.post(f"/checks/{check.pk}/pause/").status_code == 403
    assert Check.objects.get().status == CheckStatus.NEW


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cron", "0 25 * * *", "n’est pas une expression cron valide"),
        ("cron", "tous les soirs", "n’est pas une expression cron valide"),
        ("time_zone", "Europe/Melle", "« Europe/Melle » n’est pas un fuseau horaire connu"),
    ],
)
def test_invalid_cron_or_time_zone_refused_in_the_form(client, technician, field, value, message):
    client.force_login(technician)
    with translation.override("fr"):
        response = client.post(
            "/checks/new/", form_data(**{field: value}), HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Check.objects.exists()


def test_period_schedule_needs_a_period(client, technician):
    client.force_login(technician)
    response = client.post(
        "/checks/new/", form_data(schedule_kind="period", cron=""), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.context["form"].errors["period_minutes"] == [
        "Une planification périodique demande une période d’au moins une minute."
    ]


# --- API -------------------------------------------------------------------------------------


def test_api_create_returns_the_ping_url(technician, settings):
    settings.PUBLIC_URL = "https://regie.example.fr"
    api = bearer_client(technician)
    response = api.post(
        "/api/v1/checks/",
        {
            "name": "Sauvegarde restic",
            "kind": "backup",
            "schedule_kind": "period",
            "period_minutes": 1440,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    check = Check.objects.get()
    assert response.json()["ping_url"] == f"https://regie.example.fr/ping/{check.ping_uuid}"
    assert response.json()["status"] == "new"


def test_api_refuses_invalid_cron_with_a_clear_message(technician):
    api = bearer_client(technician)
    response = api.post(
        "/api/v1/checks/",
        {"name": "X", "schedule_kind": "cron", "cron": "61 * * * *", "time_zone": "Mars/Olympus"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "n’est pas une expression cron valide" in errors["cron"][0]
    assert "n’est pas un fuseau horaire connu" in errors["time_zone"][0]
    assert not Check.objects.exists()


@pytest.mark.parametrize(
    ("persona", "visible", "write_status"),
    [
        ("admin_user", 2, 200),
        ("technician", 2, 200),
        ("reader", 2, 403),
        ("correspondent", 1, 403),
        ("staff_user", 0, 404),
    ],
)
def test_api_access_per_role(request, client, checks, persona, visible, write_status):
    mine, theirs = checks
    client.get(f"/ping/{mine.ping_uuid}")
    client.get(f"/ping/{theirs.ping_uuid}")
    api = bearer_client(request.getfixturevalue(persona))
    for resource in ("checks", "pings", "flips"):
        response = api.get(f"/api/v1/{resource}/")
        if persona == "staff_user":
            assert response.status_code == 403, resource
        else:
            assert (response.status_code, response.json()["count"]) == (200, visible), resource
    response = api.patch(f"/api/v1/checks/{mine.pk}/", {"name": "Renommé"}, format="json")
    assert response.status_code == write_status
    assert Check.objects.get(pk=mine.pk).name == (
        "Renommé" if write_status == 200 else "Sauvegarde école"
    )
    ping = Ping.objects.filter(check_obj=mine).first()
    assert api.delete(f"/api/v1/pings/{ping.pk}/").status_code in (403, 405)
    assert Ping.objects.filter(pk=ping.pk).exists()


def test_api_pings_filter_by_check(technician, client):
    one, two = CheckFactory(), CheckFactory()
    client.get(f"/ping/{one.ping_uuid}")
    client.get(f"/ping/{two.ping_uuid}/fail")
    api = bearer_client(technician)
    results = api.get(f"/api/v1/pings/?check={two.pk}").json()["results"]
    assert [(r["check"], r["kind"]) for r in results] == [(two.pk, "fail")]
    flips = api.get(f"/api/v1/flips/?check={two.pk}").json()["results"]
    assert [(f["from_status"], f["to_status"]) for f in flips] == [("new", "down")]
