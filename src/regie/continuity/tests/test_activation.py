"""Declaring the plan: forwardings, bookings, deliveries, messages and the round, in one go;
declaring twice changes nothing; ending undoes only the forwardings the plan set."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.continuity.models import Activation, MessageTemplate
from regie.core.history import history_of
from regie.core.models import OutgoingMail, Role
from regie.core.tests.factories import UserFactory
from regie.directory.models import Site, SiteKind
from regie.directory.tests.factories import SiteFactory
from regie.field.models import Intervention, InterventionKind, RoutePlan, RouteStop
from regie.telephony.models import ContinuityPlan, Forwarding, SiteFallback
from regie.telephony.services import set_forwarding
from regie.telework.models import Reservation, ReservationStatus

pytestmark = pytest.mark.django_db


def ends_on(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


def declare(client, user, days=10):
    client.force_login(user)
    return client.post(
        reverse("continuity:declare"),
        {"ends_on": ends_on(days).isoformat()},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def forwarded(subject):
    forwarding = Forwarding.objects.filter(**{subject._meta.model_name: subject}).first()
    return forwarding.target if forwarding is not None and forwarding.active else None


def snapshot():
    return {
        "activations": Activation.objects.count(),
        "plans": ContinuityPlan.objects.count(),
        "reservations": Reservation.objects.count(),
        "interventions": Intervention.objects.count(),
        "mails": OutgoingMail.objects.count(),
        "forwardings": sorted(
            Forwarding.objects.values_list("pk", "active", "target").order_by("pk")
        ),
    }


def test_declaring_the_plan_does_everything_in_one_go(
    client, world, django_capture_on_commit_callbacks
):
    lines = world.lines
    with django_capture_on_commit_callbacks():
        response = declare(client, world.admin)
    assert response.status_code == 302
    activation = Activation.objects.get()
    assert activation.active and activation.ends_on == ends_on()
    assert activation.started_by == world.admin
    assert history_of(activation).exists()

    # Telephony: each line to its proposed target; Fanny's, forwarded by hand, is left alone;
    # Émile's extension has no target.
    assert forwarded(lines["claire"]) == "+33612345678"
    assert forwarded(lines["denise"]) == "+33549279999"
    assert forwarded(lines["bruno"]) == "+33549270077"
    assert forwarded(lines["fanny"]) == "+33699887766"
    assert forwarded(lines["emile"]) is None
    plan = ContinuityPlan.objects.get()
    assert plan.items.filter(done_at__isnull=False).count() == 3
    claire_forwarding = Forwarding.objects.get(line=lines["claire"])
    assert history_of(claire_forwarding).filter(actor=world.admin, action="create").exists()
    assert activation.results["telephony"]["forwardings_set"] == 3

    # Telework: the one free pool laptop is booked for Claire (head of department) until the end.
    [reservation] = Reservation.objects.all()
    assert reservation.person == world.claire
    assert reservation.asset == world.pool_laptop
    assert reservation.status == ReservationStatus.BOOKED
    assert timezone.localdate(reservation.end) == ends_on() + datetime.timedelta(days=1)

    # Field: one delivery intervention for that booking, at Claire's site.
    [delivery] = Intervention.objects.filter(kind=InterventionKind.LOAN_DELIVERY)
    assert delivery.origin == reservation
    assert delivery.site == world.mairie
    assert list(delivery.assets.all()) == [world.pool_laptop]

    # Messages: every active person with an e-mail address, in French, about them.
    mails = {mail.recipients: mail for mail in OutgoingMail.objects.all()}
    # Claire, Bruno, Denise, Émile, Fanny and Thomas; Gaston has no address.
    assert activation.messages_queued == len(mails) == 6
    assert world.claire.email in mails and world.thomas.email in mails
    claire = mails[world.claire.email]
    assert claire.subject.startswith("Plan de continuité")
    assert "Bonjour Claire Martin" in claire.body
    assert "PRET-001" in claire.body  # what will be delivered
    assert "Pas prêt" in claire.body
    assert "/telework/" in claire.body  # the charter's link
    assert "aucun" in mails[world.denise.email].body  # nothing to deliver to her

    # The round: the page says the mode is on, until when.
    page = client.get(reverse("daily:today"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Mode continuité actif jusqu’au" in page.content.decode()
    page = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Mode continuité actif jusqu’au" in page.content.decode()
    assert "Réservé : " in page.content.decode()


def test_declaring_twice_changes_nothing(client, world):
    declare(client, world.admin)
    before = snapshot()
    response = declare(client, world.admin, days=20)
    assert response.status_code == 409
    assert "déjà déclenché" in response.content.decode()
    assert snapshot() == before
    # The sections' hooks are idempotent on their own too.
    from regie.core.continuity import sections

    activation = Activation.objects.get()
    for section in sections():
        if section.activate is not None:
            section.activate(activation, world.admin)
    assert snapshot() == before


def test_ending_undoes_only_the_forwardings_the_plan_set(client, world):
    declare(client, world.admin)
    lines = world.lines
    # Since the plan, Denise's line was sent elsewhere by hand: that stays.
    set_forwarding(subject=lines["denise"], active=True, target="+33611111111", by=world.technician)
    response = client.post(reverse("continuity:end"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    activation = Activation.objects.get()
    assert not activation.active and activation.ended_by == world.admin
    assert activation.results["ended"]["telephony"]["forwardings_ended"] == 2
    assert forwarded(lines["claire"]) is None
    assert forwarded(lines["bruno"]) is None
    assert forwarded(lines["denise"]) == "+33611111111"
    assert forwarded(lines["fanny"]) == "+33699887766"  # set by hand before the plan
    turned_off = history_of(Forwarding.objects.get(line=lines["claire"])).get(field="active")
    assert (turned_off.old_value, turned_off.new_value, turned_off.actor) == (
        "oui",
        "non",
        world.admin,
    )
    # The bookings and deliveries are real: they stay; the record is kept.
    assert Reservation.objects.filter(status=ReservationStatus.BOOKED).count() == 1
    assert Intervention.objects.count() == 1
    assert ContinuityPlan.objects.count() == 1
    page = client.get(reverse("daily:today"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Mode continuité actif" not in page.content.decode()
    # Ending again: nothing in force.
    before = snapshot()
    assert client.post(reverse("continuity:end")).status_code == 409
    assert snapshot() == before


def test_declaring_again_after_the_end_forwards_each_line_to_its_target_of_the_day(client, world):
    declare(client, world.admin)
    client.post(reverse("continuity:end"))
    # Between the two plans the town hall's fallback number changed: Denise's line (no
    # mobile) goes to the new one; the others to the same targets as the first time.
    SiteFallback.objects.filter(site=world.mairie).update(number="+33549275555")
    lines = world.lines

    assert declare(client, world.admin).status_code == 302

    second = Activation.objects.active().get()
    assert second.results["telephony"]["forwardings_set"] == 3
    assert forwarded(lines["claire"]) == "+33612345678"
    assert forwarded(lines["denise"]) == "+33549275555"
    assert forwarded(lines["bruno"]) == "+33549270077"
    assert forwarded(lines["fanny"]) == "+33699887766"
    assert forwarded(lines["emile"]) is None
    denise = history_of(Forwarding.objects.get(line=lines["denise"]))
    target = denise.filter(field="target").get()
    assert (target.old_value, target.new_value, target.actor) == (
        "+33549279999",
        "+33549275555",
        world.admin,
    )
    # Claire's target did not change: only "forwarded" went back on, twice in all.
    claire = history_of(Forwarding.objects.get(line=lines["claire"]))
    assert not claire.filter(field="target").exists()
    assert list(claire.filter(field="active").values_list("new_value", flat=True)) == [
        "oui",
        "non",
    ]


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.READER, Role.CORRESPONDENT, Role.STAFF])
def test_only_administrators_declare_and_end(client, world, role):
    user = UserFactory(username=f"u-{role}", role=role)
    before = snapshot()
    assert declare(client, user).status_code == 403
    assert client.get(reverse("continuity:declare")).status_code == 403
    assert client.post(reverse("continuity:end")).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("value", ["", "pas une date", "2001-01-01", "2099-01-01"])
def test_a_bad_end_date_is_refused_and_changes_nothing(client, world, value):
    client.force_login(world.admin)
    before = snapshot()
    response = client.post(
        reverse("continuity:declare"), {"ends_on": value}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    assert "Veuillez corriger les erreurs" in response.content.decode()
    assert snapshot() == before


def test_the_confirmation_page_says_what_will_happen(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("continuity:declare"), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirmer et déclencher le plan" in html
    assert ends_on(14).isoformat() in html


def test_the_message_is_editable_by_administrators_and_checked(client, world):
    client.force_login(world.admin)
    url = reverse("continuity:message")
    response = client.post(url, {"subject": "Fermeture", "body": "Bonjour {nom}"})
    assert response.status_code == 200
    assert "Champ inconnu : {nom}" in response.content.decode()
    assert not MessageTemplate.objects.exists()
    response = client.post(url, {"subject": "Fermeture {ends_on}", "body": "Bonjour {name} !"})
    assert response.status_code == 302
    with_template = MessageTemplate.objects.get()
    assert history_of(with_template).exists()
    declare(client, world.admin)
    mail = OutgoingMail.objects.get(recipients=world.bruno.email)
    assert mail.subject == f"Fermeture {ends_on():%d/%m/%Y}"
    assert mail.body == "Bonjour Bruno Bernard !"
    client.force_login(world.technician)
    assert client.get(url).status_code == 403


def test_tomorrows_round_is_planned_in_one_click(client, world, settings):
    settings.ROUTE_TIME_LIMIT = 0.2
    hours = {
        f"hours_{day}": "08:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }
    SiteFactory(
        name="Siège", kind=SiteKind.HEAD_OFFICE, latitude="46.2220", longitude="-0.1420", **hours
    )
    Site.objects.filter(pk=world.mairie.pk).update(latitude="46.2300", longitude="-0.1500", **hours)
    declare(client, world.admin)
    client.force_login(world.technician)
    page = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Planifier la tournée du" in page.content.decode()
    response = client.post(reverse("continuity:round"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    plan = RoutePlan.objects.get()
    assert plan.date == timezone.localdate() + datetime.timedelta(days=1)
    assert response["Location"] == plan.get_absolute_url()
    [stop] = RouteStop.objects.filter(route__plan=plan)
    assert stop.intervention.kind == InterventionKind.LOAN_DELIVERY
    page = client.get(reverse("continuity:page"), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Ouvrir la tournée de demain" in html
    assert "Livrer " in html  # the stop, on the page


def test_planning_with_nothing_to_visit_says_why(client, world):
    client.force_login(world.technician)
    response = client.post(reverse("continuity:round"), HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert response.status_code == 200
    assert not RoutePlan.objects.exists()
    assert list(response.context["messages"])  # the planner's reason


def test_readers_do_not_plan(client, world):
    client.force_login(UserFactory(username="lecteur", role=Role.READER))
    assert client.post(reverse("continuity:round")).status_code == 403
    assert not RoutePlan.objects.exists()
