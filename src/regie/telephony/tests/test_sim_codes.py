"""SIM PIN and PUK codes: encrypted at rest, shown to administrators only, each display
logged and visible on the SIM card's page."""

import pytest
from django.db import connection
from django.urls import reverse

from regie.core.history import history_of
from regie.core.testing import bearer_client
from regie.telephony.models import LineKind, SecretReveal, SimCard
from regie.telephony.services import save_sim_card
from regie.telephony.tests.factories import LineFactory, SimCardFactory, iccid

pytestmark = pytest.mark.django_db


def _raw_columns(sim):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pin_encrypted, puk_encrypted FROM telephony_simcard WHERE id = %s", [sim.pk]
        )
        return cursor.fetchone()


def test_codes_typed_in_the_form_are_stored_encrypted(client, technician):
    line = LineFactory(kind=LineKind.MOBILE, technology="radio")
    client.force_login(technician)
    response = client.post(
        reverse("telephony:simcard-create"),
        {"iccid": iccid(1), "line": line.pk, "status": "active", "pin": "4821", "puk": "73920184"},
    )
    sim = SimCard.objects.get()
    assert response.status_code == 302
    pin_column, puk_column = _raw_columns(sim)
    assert "4821" not in pin_column
    assert "73920184" not in puk_column
    assert pin_column.startswith("gAAAA")  # a Fernet token
    assert history_of(sim).get().action == "create"


def test_a_changed_code_shows_in_the_history_without_its_value(client, technician):
    sim = SimCardFactory()
    client.force_login(technician)
    client.post(
        reverse("telephony:simcard-update", args=[sim.pk]),
        {"iccid": sim.iccid, "status": "active", "pin": "4821"},
    )
    changes = list(history_of(sim).filter(field="pin_encrypted").values("old_value", "new_value"))
    assert changes == [{"old_value": "", "new_value": "••••"}]


def test_editing_a_sim_without_typing_codes_keeps_them(client, technician, admin_user):
    sim = SimCardFactory()
    sim.set_codes(pin="1234", puk="12345678")
    save_sim_card(sim_card=sim, by=technician)
    client.force_login(technician)
    response = client.post(
        reverse("telephony:simcard-update", args=[sim.pk]),
        {"iccid": sim.iccid, "status": "suspended", "pin": "", "puk": ""},
    )
    assert response.status_code == 302
    client.force_login(admin_user)
    response = client.post(reverse("telephony:simcard-reveal", args=[sim.pk]))
    assert response.context["codes"].pin == "1234"
    assert response.context["codes"].puk == "12345678"


def test_a_pin_with_letters_is_refused(client, technician):
    client.force_login(technician)
    response = client.post(
        reverse("telephony:simcard-create"), {"iccid": iccid(2), "status": "active", "pin": "12ab"}
    )
    assert response.context["form"].errors["pin"] == ["Un code PIN a 4 à 8 chiffres."]
    assert SimCard.objects.count() == 0


def test_an_iccid_with_a_bad_check_digit_is_refused_in_the_form(client, technician):
    valid = iccid(3)
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    client.force_login(technician)
    response = client.post(
        reverse("telephony:simcard-create"), {"iccid": wrong, "status": "active"}
    )
    assert response.context["form"].errors["iccid"] == [
        f"Le chiffre de contrôle de l’ICCID « {wrong} » est faux (Luhn) : vérifiez la saisie."
    ]
    assert SimCard.objects.count() == 0


def test_admin_reveals_the_codes_and_the_display_is_logged(client, admin_user):
    sim = SimCardFactory()
    sim.set_codes(pin="4821", puk="73920184")
    sim.save()
    client.force_login(admin_user)
    detail = client.get(reverse("telephony:simcard-detail", args=[sim.pk])).content.decode()
    assert "4821" not in detail
    response = client.post(reverse("telephony:simcard-reveal", args=[sim.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "4821" in response.content.decode() and "73920184" in response.content.decode()
    reveal = SecretReveal.objects.get()
    assert (reveal.sim_card, reveal.by, reveal.source) == (sim, admin_user, "web")
    detail = client.get(reverse("telephony:simcard-detail", args=[sim.pk]))
    assert list(detail.context["reveals"]) == [reveal]


@pytest.mark.parametrize("persona", ["technician", "reader"])
def test_non_admins_cannot_reveal_codes(request, client, persona):
    sim = SimCardFactory()
    sim.set_codes(pin="4821")
    sim.save()
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("telephony:simcard-reveal", args=[sim.pk]))
    assert response.status_code == 403
    assert "4821" not in response.content.decode()
    assert SecretReveal.objects.count() == 0
    detail = client.get(reverse("telephony:simcard-detail", args=[sim.pk]))
    assert detail.context["can_reveal"] is False


def test_reveal_is_a_post(client, admin_user):
    sim = SimCardFactory()
    client.force_login(admin_user)
    assert client.get(reverse("telephony:simcard-reveal", args=[sim.pk])).status_code == 405
    assert SecretReveal.objects.count() == 0


def test_api_never_lists_codes_and_reveal_is_admin_only_and_logged(admin_user, technician):
    sim = SimCardFactory()
    sim.set_codes(pin="4821", puk="73920184")
    sim.save()
    api = bearer_client(technician)
    listed = api.get("/api/v1/sim-cards/").json()["results"][0]
    assert "4821" not in str(listed)
    assert not {"pin", "puk", "pin_encrypted", "puk_encrypted"} & set(listed)
    assert listed["has_codes"] is True
    assert api.post(f"/api/v1/sim-cards/{sim.pk}/reveal/").status_code == 403
    assert SecretReveal.objects.count() == 0
    response = bearer_client(admin_user).post(f"/api/v1/sim-cards/{sim.pk}/reveal/")
    assert response.status_code == 200
    assert response.json() == {"pin": "4821", "puk": "73920184"}
    assert SecretReveal.objects.get().source == "api"


def test_api_writes_codes_encrypted(technician):
    response = bearer_client(technician).post(
        "/api/v1/sim-cards/", {"iccid": iccid(5), "status": "active", "pin": "9876"}, format="json"
    )
    assert response.status_code == 201
    assert "pin" not in response.json()
    sim = SimCard.objects.get()
    assert "9876" not in _raw_columns(sim)[0]


def test_api_refuses_a_bad_iccid(technician):
    response = bearer_client(technician).post(
        "/api/v1/sim-cards/", {"iccid": "89331500000000000A1", "status": "active"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["iccid"] == [
        "Un ICCID ne contient que des chiffres ; "
        "« 89331500000000000A1 » contient d’autres caractères."
    ]
    assert SimCard.objects.count() == 0
