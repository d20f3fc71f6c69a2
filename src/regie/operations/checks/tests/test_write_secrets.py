"""The ping code is a write secret: only those who may change a check ever receive it."""

import pytest

from regie.core.testing import bearer_client
from regie.operations.checks.models import Check, CheckStatus, Ping
from regie.operations.checks.tests.factories import CheckFactory


@pytest.fixture
def check(technician, site):
    # Created through the API, so its history and every page that shows it are in play.
    response = bearer_client(technician).post(
        "/api/v1/checks/",
        {
            "name": "Sauvegarde école",
            "kind": "backup",
            "site": site.pk,
            "schedule_kind": "period",
            "period_minutes": 1440,
            "grace_minutes": 60,
        },
        format="json",
    )
    assert response.status_code == 201
    return Check.objects.get(pk=response.json()["id"])


def bodies(client, api, check):
    """Every page and API answer that speaks of the check, as text."""
    return {
        "list page": client.get("/checks/"),
        "detail page": client.get(f"/checks/{check.pk}/"),
        "round page": client.get("/today/"),
        "api list": api.get("/api/v1/checks/"),
        "api detail": api.get(f"/api/v1/checks/{check.pk}/"),
        "api pings": api.get(f"/api/v1/pings/?check={check.pk}"),
        "api flips": api.get(f"/api/v1/flips/?check={check.pk}"),
    }


@pytest.mark.parametrize("persona", ["reader", "correspondent"])
def test_readers_see_the_status_but_never_the_ping_code(client, request, persona, check):
    client.get(f"/ping/{check.ping_uuid}")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    api = bearer_client(user)
    answers = bodies(client, api, check)
    for name, response in answers.items():
        assert response.status_code == 200, name
        assert str(check.ping_uuid) not in response.content.decode(), name
        assert str(check.ping_uuid).replace("-", "") not in response.content.decode(), name
    detail = answers["api detail"].json()
    assert detail["ping_uuid"] is None
    assert detail["ping_url"] is None
    assert detail["status"] == CheckStatus.UP
    assert [row["ping_uuid"] for row in answers["api list"].json()["results"]] == [None]
    assert 'id="urls-title"' not in answers["detail page"].content.decode()
    assert answers["detail page"].context["snippets"] == []


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_those_who_may_change_the_check_get_its_ping_url(client, request, persona, check):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(f"/checks/{check.pk}/")
    assert page.status_code == 200
    assert f"http://testserver/ping/{check.ping_uuid}/fail" in page.content.decode()
    assert 'id="urls-title"' in page.content.decode()
    assert len(page.context["snippets"]) > 0
    detail = bearer_client(user).get(f"/api/v1/checks/{check.pk}/").json()
    assert detail["ping_uuid"] == str(check.ping_uuid)
    assert detail["ping_url"] == f"http://testserver/ping/{check.ping_uuid}"


def test_staff_get_nothing_of_a_check(client, staff_user, check):
    client.force_login(staff_user)
    assert client.get(f"/checks/{check.pk}/").status_code == 404
    response = bearer_client(staff_user).get(f"/api/v1/checks/{check.pk}/")
    assert response.status_code == 404
    assert str(check.ping_uuid) not in response.content.decode()


def test_a_reader_cannot_learn_a_code_to_flip_a_failed_check(client, reader, other_site):
    failed = CheckFactory(name="Sauvegarde piscine", site=other_site)
    client.get(f"/ping/{failed.ping_uuid}/fail")
    failed.refresh_from_db()
    assert failed.status == CheckStatus.DOWN
    api = bearer_client(reader)
    codes = [row["ping_uuid"] for row in api.get("/api/v1/checks/").json()["results"]]
    assert codes == [None]
    assert Ping.objects.filter(check_obj=failed).count() == 1
