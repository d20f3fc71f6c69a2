"""The continuity page: the four sections' numbers on a small territory, as each role sees it."""

import pytest
from django.urls import reverse

from regie.core.models import Role
from regie.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def figures(response, section):
    """{caption: value} of one section's figures, as the page shows them (the caption agrees
    with its number)."""
    [view] = [view for view in response.context["page"].sections if view.key == section]
    return {figure.caption: figure.value for figure in view.result.figures}


def table(response, section, key):
    [view] = [view for view in response.context["page"].sections if view.key == section]
    [found] = [table for table in view.result.tables if table.key == key]
    return found


def test_the_page_answers_the_four_questions_in_french(client, world):
    client.force_login(world.technician)
    response = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Télétravail", "Téléphonie", "Tâches essentielles", "Sur site"):
        assert heading in html
    telephony = figures(response, "telephony")
    assert telephony["à renvoyer"] == 3  # Claire → mobile, Denise → site, Bruno → on call
    assert telephony["déjà renvoyée"] == 1  # Fanny's, by hand
    assert telephony["sans cible"] == 1  # Émile: no mobile, no site, no department
    assert "06 12 34 56 78" in html  # Claire's mobile line
    assert "05 49 27 99 99" in html  # the town hall's fallback
    assert "05 49 27 00 77" in html  # the technical department's on-call number
    telework = figures(response, "telework")
    assert telework["sur un ordinateur personnel"] == 6  # all but Fanny
    assert telework["ordinateur de prêt libre"] == 1
    # Claire heads a department: the free pool laptop is proposed to her first.
    [first, second, *_others] = table(response, "telework", "personal_computer").cell_rows
    assert first[0].text == "Claire Martin"
    assert "Ordinateur de prêt libre" in str(first[-1]) and "PRET-001" in str(first[-1])
    # Denise works at the reception: essential, second; nothing free is left for her.
    assert second[0].text == "Denise Dupont"
    assert str(second[-1]) == "Prêt à préparer : aucun ordinateur de prêt libre"
    essential = figures(response, "essential")
    assert essential["site dont la sauvegarde a tourné"] == 1
    assert essential["site dont la sauvegarde a échoué ou est en retard"] == 1
    assert essential["site dont les mises à jour ont échoué ou sont en retard"] == 1
    assert essential["site sans tâche de mise à jour connue"] == 1  # the school: unknown
    assert essential["machine sans mise à jour depuis 30 jours"] == 1  # Fanny's laptop
    assert essential["machines dont les mises à jour sont inconnues"] == 2  # never reported
    assert "Inconnu (aucune vérification)" in html
    field = figures(response, "field")
    assert field["ticket nécessitant une visite"] == 1
    assert field["sauvegarde en échec sur site"] == 1
    assert "Planifier la tournée du" in html


def test_the_figures_agree_with_their_numbers_in_english(client, world):
    client.force_login(world.technician)
    response = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="en")
    assert figures(response, "telephony")["already forwarded"] == 1
    assert figures(response, "telework")["pool laptop free"] == 1
    essential = figures(response, "essential")
    assert essential["machine with no update for 30 days"] == 1
    assert essential["machines whose updates are unknown"] == 2
    assert "pool laptop free" in response.content.decode()
    assert "pool laptops free" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status", "declare", "kit"),
    [
        (Role.ADMIN, 200, True, True),
        (Role.TECHNICIAN, 200, False, True),
        (Role.READER, 200, False, False),
        (Role.CORRESPONDENT, 403, False, False),
        (Role.STAFF, 403, False, False),
    ],
)
def test_each_role_sees_what_it_may(client, world, role, status, declare, kit):
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    response = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == status
    html = response.content.decode()
    assert ("Déclencher le plan de continuité" in html) is declare
    assert ("Télécharger le kit hors ligne" in html) is kit


def test_the_costly_sections_are_kept_a_while_and_fresh_on_demand(client, world):
    client.force_login(world.technician)
    url = reverse("continuity:page")
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert figures(first, "telework")["sur un ordinateur personnel"] == 6
    world.claire.active = False
    world.claire.save()
    kept = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert figures(kept, "telework")["sur un ordinateur personnel"] == 6
    assert "Calculé à" in kept.content.decode()
    fresh = client.get(url + "?fresh=1", HTTP_ACCEPT_LANGUAGE="fr")
    assert figures(fresh, "telework")["sur un ordinateur personnel"] == 5


def test_the_round_puts_continuity_first_while_the_plan_is_in_force(world):
    from regie.continuity.services import declare_plan, default_ends_on
    from regie.core.rounds import CONTINUITY_PRIORITY, round_sources

    usual = [source.key for source in round_sources()]
    declare_plan(ends_on=default_ends_on(), by=world.admin)
    during = [source.key for source in round_sources()]
    present = [key for key in CONTINUITY_PRIORITY if key in usual]
    assert during[: len(present)] == present
    assert sorted(during) == sorted(usual)
    assert usual != during
