"""Continuity plans: the forwardings to set when offices close, tracked item by item; marking
an item done sets the line's forwarding state, with its history."""

import datetime

import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.directory.tests.factories import PersonFactory, SiteFactory
from regie.telephony.models import ContinuityPlan, Forwarding, LineKind, TargetSource
from regie.telephony.services import line_continuity_for, set_forwarding
from regie.telephony.tests.factories import (
    ExtensionFactory,
    LineFactory,
    SiteFallbackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mairie(db):
    site = SiteFactory(name="Mairie de Melle")
    SiteFallbackFactory(site=site, number="+33549279999")
    return site


@pytest.fixture
def plan_people(mairie):
    with_mobile_line = PersonFactory(first_name="Anne", last_name="Bernard", site=mairie)
    LineFactory(
        number="+33612345678", kind=LineKind.MOBILE, technology="radio", person=with_mobile_line
    )
    with_mobile = PersonFactory(
        first_name="Bruno", last_name="Caillaud", site=mairie, mobile="06 98 76 54 32"
    )
    without = PersonFactory(first_name="Claire", last_name="Dupuis", site=None)
    return with_mobile_line, with_mobile, without


def _create_plan(client, **data):
    return client.post(
        reverse("telephony:plan-create"),
        {"title": "Mairie fermée", "starts_on": "2026-12-01", **data},
    )


def test_plan_lists_each_office_line_with_its_target(client, technician, mairie, plan_people):
    anne, bruno, claire = plan_people
    anne_line = LineFactory(number="+33549270001", person=anne, site=mairie)
    bruno_extension = ExtensionFactory(number="201", person=bruno)
    claire_line = LineFactory(number="+33549270003", person=claire, kind=LineKind.SIP_TRUNK)
    reception = LineFactory(number="+33549270000", site=mairie, label="Accueil")
    LineFactory(number="+33549270009", site=mairie, kind=LineKind.ALARM)  # not forwarded
    client.force_login(technician)
    response = _create_plan(client, sites=[mairie.pk], people=[claire.pk])
    plan = ContinuityPlan.objects.get()
    assert response.status_code == 302
    assert plan.created_by == technician
    items = {item.subject: (item.target, item.target_source) for item in plan.items.all()}
    assert items == {
        anne_line: ("+33612345678", TargetSource.MOBILE_LINE),
        bruno_extension: ("+33698765432", TargetSource.PERSON_MOBILE),
        claire_line: ("", TargetSource.NONE),
        reception: ("+33549279999", TargetSource.SITE_FALLBACK),
    }
    page = client.get(plan.get_absolute_url())
    content = page.content.decode()
    assert "Avancement : 0/4 faits" in content
    assert "1 ligne sans destination" in content


def test_a_plan_needs_people_or_sites(client, technician):
    client.force_login(technician)
    response = _create_plan(client)
    assert response.context["form"].non_field_errors() == [
        "Choisissez au moins une personne ou un site."
    ]
    assert ContinuityPlan.objects.count() == 0


def test_marking_an_item_done_forwards_the_line_with_history(
    client, technician, mairie, plan_people
):
    anne, _bruno, _claire = plan_people
    line = LineFactory(number="+33549270001", person=anne, site=mairie)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    plan = ContinuityPlan.objects.get()
    item = plan.items.get()
    response = client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_by == technician and item.done_at is not None
    forwarding = Forwarding.objects.get(line=line)
    assert (forwarding.active, forwarding.target, forwarding.by) == (
        True,
        "+33612345678",
        technician,
    )
    assert history_of(forwarding).get().action == "create"
    assert "Avancement : 1/1 faits" in client.get(plan.get_absolute_url()).content.decode()
    assert line_continuity_for(anne).covered is True


def test_an_item_without_target_needs_one_typed_in(client, technician, plan_people):
    _anne, _bruno, claire = plan_people
    line = LineFactory(person=claire)
    client.force_login(technician)
    _create_plan(client, people=[claire.pk])
    plan = ContinuityPlan.objects.get()
    item = plan.items.get()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]))
    item.refresh_from_db()
    assert item.done_at is None
    assert not Forwarding.objects.exists()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]), {"target": "07 00"})
    assert not Forwarding.objects.exists()
    client.post(
        reverse("telephony:plan-item-done", args=[plan.pk, item.pk]), {"target": "06 11 22 33 44"}
    )
    item.refresh_from_db()
    assert (item.target, item.target_source, item.done_by) == (
        "+33611223344",
        TargetSource.MANUAL,
        technician,
    )
    assert Forwarding.objects.get(line=line).target == "+33611223344"


@pytest.mark.parametrize("persona", ["reader", "correspondent", "staff_user"])
def test_only_managers_track_plans(request, client, technician, persona, plan_people):
    anne, _bruno, _claire = plan_people
    LineFactory(person=anne)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    plan = ContinuityPlan.objects.get()
    item = plan.items.get()
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]))
    assert response.status_code == (403 if persona == "reader" else 404)
    item.refresh_from_db()
    assert item.done_at is None
    assert not Forwarding.objects.exists()


def test_refresh_keeps_done_items_and_adds_new_lines(client, technician, plan_people):
    anne, _bruno, _claire = plan_people
    LineFactory(number="+33549270001", person=anne)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    plan = ContinuityPlan.objects.get()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, plan.items.get().pk]))
    LineFactory(number="+33549270002", person=anne)
    client.post(reverse("telephony:plan-refresh", args=[plan.pk]))
    assert sorted((item.line.number, item.is_done) for item in plan.items.all()) == [
        ("+33549270001", True),
        ("+33549270002", False),
    ]


def test_forwarding_form_records_each_change(client, technician):
    line = LineFactory()
    client.force_login(technician)
    url = reverse("telephony:line-forwarding", args=[line.pk])
    client.post(url, {"active": "on", "target": "06 12 34 56 78", "note": "Télétravail"})
    client.post(url, {"target": "06 12 34 56 78"})
    forwarding = Forwarding.objects.get(line=line)
    assert forwarding.active is False
    changes = [(r.action, r.field, r.old_value, r.new_value) for r in history_of(forwarding)]
    assert ("update", "active", "oui", "non") in changes
    assert changes[-1][0] == "create"
    response = client.post(url, {"active": "on", "target": ""})
    assert response.context["form"].errors["target"] == [
        "Indiquez le numéro vers lequel les appels sont renvoyés."
    ]


def test_line_continuity_for_softphone_and_forwarding(technician):
    person = PersonFactory()
    assert line_continuity_for(person).covered is True  # nothing to forward
    line = LineFactory(person=person)
    assert line_continuity_for(person).covered is False
    set_forwarding(subject=line, active=True, target="0612345678", by=technician)
    assert line_continuity_for(person) == line_continuity_for(person).__class__(
        office_lines=1, forwarded=1, softphone=False
    )
    other = PersonFactory()
    LineFactory(person=other)
    ExtensionFactory(person=other, softphone=True)
    state = line_continuity_for(other)
    assert (state.office_lines, state.forwarded, state.softphone, state.covered) == (
        2,
        0,
        True,
        True,
    )


def test_plan_starts_on_is_kept(client, technician, plan_people):
    anne, _bruno, _claire = plan_people
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    assert ContinuityPlan.objects.get().starts_on == datetime.date(2026, 12, 1)


def test_ending_a_plan_turns_off_only_the_forwardings_it_set(
    client, technician, mairie, plan_people
):
    anne, bruno, _claire = plan_people
    anne_line = LineFactory(number="+33549270001", person=anne, site=mairie)
    bruno_line = LineFactory(number="+33549270002", person=bruno, site=mairie)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk, bruno.pk])
    plan = ContinuityPlan.objects.get()
    for item in plan.items.all():
        client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]))
    # Bruno's line was sent elsewhere by hand afterwards: the plan leaves it alone.
    set_forwarding(subject=bruno_line, active=True, target="0611223344", by=technician)
    response = client.post(reverse("telephony:plan-end", args=[plan.pk]))
    assert response.status_code == 302
    assert Forwarding.objects.get(line=anne_line).active is False
    assert Forwarding.objects.get(line=bruno_line).active is True
    assert history_of(Forwarding.objects.get(line=anne_line)).filter(field="active").count() == 1


def test_reader_cannot_end_a_plan(client, technician, reader, plan_people):
    anne, _bruno, _claire = plan_people
    line = LineFactory(person=anne)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    plan = ContinuityPlan.objects.get()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, plan.items.get().pk]))
    client.force_login(reader)
    assert client.post(reverse("telephony:plan-end", args=[plan.pk])).status_code == 403
    assert Forwarding.objects.get(line=line).active is True


def test_a_line_forwarded_on_its_page_shows_its_destination_in_the_plan(
    client, technician, plan_people
):
    _anne, _bruno, claire = plan_people
    line = LineFactory(number="+33549270003", person=claire)
    client.force_login(technician)
    _create_plan(client, people=[claire.pk])
    plan = ContinuityPlan.objects.get()
    assert "Sans destination" in client.get(plan.get_absolute_url()).content.decode()
    client.post(
        reverse("telephony:line-forwarding", args=[line.pk]),
        {"active": "on", "target": "06 11 22 33 44", "note": "Télétravail"},
    )
    content = client.get(plan.get_absolute_url()).content.decode()
    assert "Sans destination" not in content
    assert "sans destination" not in content  # no "1 line without a target" either
    assert "06 11 22 33 44" in content
    assert 'name="target"' not in content  # nothing to type: the destination is known
    item = plan.items.get()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, item.pk]))
    item.refresh_from_db()
    assert (item.target, item.target_source, item.done_by) == (
        "+33611223344",
        TargetSource.MANUAL,
        technician,
    )
    content = client.get(plan.get_absolute_url()).content.decode()
    assert "Sans destination" not in content and "06 11 22 33 44" in content
    # Brought up to date, a new item proposes where the line already goes.
    second = LineFactory(number="+33549270004", person=claire)
    set_forwarding(subject=second, active=True, target="0622334455", by=technician)
    client.post(reverse("telephony:plan-refresh", args=[plan.pk]))
    new_item = plan.items.get(line__number="+33549270004")
    assert (new_item.target, new_item.target_source) == ("+33622334455", TargetSource.MANUAL)


def test_a_done_item_forwarded_elsewhere_by_hand_says_where_calls_go(
    client, technician, mairie, plan_people
):
    anne, _bruno, _claire = plan_people
    line = LineFactory(number="+33549270001", person=anne, site=mairie)
    client.force_login(technician)
    _create_plan(client, people=[anne.pk])
    plan = ContinuityPlan.objects.get()
    client.post(reverse("telephony:plan-item-done", args=[plan.pk, plan.items.get().pk]))
    set_forwarding(subject=line, active=True, target="0611223344", by=technician)
    content = client.get(plan.get_absolute_url()).content.decode()
    assert "06 12 34 56 78" in content
    assert "Désormais renvoyée vers 06 11 22 33 44" in content
