"""Planning a day on the demo territory: windows, reasons, optimality, suggestions, km."""

import itertools
import random
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.core.history import history_of
from regie.core.models import Role, User
from regie.core.tests.factories import UserFactory
from regie.directory.hours import WEEKDAYS, parse_periods
from regie.directory.models import Site, SiteKind
from regie.field import solver
from regie.field.models import (
    DropReason,
    Intervention,
    InterventionStatus,
    PlanStatus,
    Priority,
    RoutePlan,
    RouteStop,
)
from regie.field.planning import (
    penalty,
    plan_day,
    record_round,
    replan_with,
    start_ranges,
    suggestions,
    within,
)
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import make_intervention
from regie.field.travel import GreatCircleMatrix, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(db):
    return UserFactory(username="tech-route", role=Role.TECHNICIAN)


def site(name):
    return Site.objects.get(name=name)


def seconds(moment):
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def periods_on(site_, day):
    return [
        (seconds(a), seconds(b))
        for a, b in parse_periods(getattr(site_, f"hours_{WEEKDAYS[day.weekday()][0]}"))
    ]


def assert_schedule_respects_hours(plan):
    """Every stop: service inside one opening period; chained times; day bounds."""
    matrix = GreatCircleMatrix(road_factor=float(plan.road_factor), speed_kmh=plan.speed_kmh)
    for route in plan.routes.all():
        previous = plan.base
        clock = seconds(route.leave_at)
        assert clock >= seconds(plan.day_start)
        for stop in route.stops.select_related("intervention__site"):
            intervention = stop.intervention
            table = matrix.table([place(previous), place(intervention.site)])
            assert stop.travel_s == table.seconds[0][1]
            assert seconds(stop.arrival) == clock + table.seconds[0][1]
            start, end = seconds(stop.start), seconds(stop.departure)
            assert start >= seconds(stop.arrival)
            assert end - start == intervention.duration_minutes * 60
            assert any(
                opening <= start and end <= closing
                for opening, closing in periods_on(intervention.site, plan.date)
            ), (intervention.site, stop.start, stop.departure)
            clock, previous = end, intervention.site
        back = clock + matrix.table([place(previous), place(plan.base)]).seconds[0][1]
        if route.stops.exists():
            assert seconds(route.back_at) == back
        assert seconds(route.back_at) <= seconds(plan.day_end)


def place(site_):
    return Place(float(site_.latitude), float(site_.longitude))


# --- time windows ----------------------------------------------------------------------------


def test_two_technicians_twenty_visits_respect_opening_hours_and_lunch(
    territory, head_office, tech, settings
):
    settings.ROUTE_TIME_LIMIT = 0.5
    other = User.objects.get(pk=UserFactory(username="tech-2", role=Role.TECHNICIAN).pk)
    rng = random.Random(7)  # noqa: S311  # reproducible test data
    sites = list(Site.objects.exclude(pk=head_office.pk).order_by("name"))
    for index in range(20):
        make_intervention(
            site=rng.choice(sites),
            duration_minutes=rng.choice([20, 30, 45, 60]),
            priority=rng.choice(list(Priority.values)),
            title=f"Visite {index}",
        )
    plan = plan_day(day=next_weekday(1), technicians=[tech, other], by=tech)

    assert plan.method == "ortools"
    assert RouteStop.objects.filter(route__plan=plan).count() >= 10
    assert RouteStop.objects.filter(route__plan=plan).count() + plan.unplanned.count() == 20
    assert_schedule_respects_hours(plan)
    # Schools close for lunch: no service there spans 12:00-13:30.
    for stop in RouteStop.objects.filter(
        route__plan=plan, intervention__site__kind=SiteKind.SCHOOL
    ):
        assert stop.departure <= time(12) or stop.start >= time(13, 30)


def test_a_visit_that_cannot_end_before_lunch_waits_for_the_afternoon(territory, tech):
    school = site("École élémentaire de Celles-sur-Belle")  # 08:30-12:00, 13:30-16:30
    intervention = make_intervention(site=school, duration_minutes=60)
    plan = plan_day(
        day=next_weekday(1), technicians=[tech], day_start=time(11), day_end=time(17), by=tech
    )
    stop = RouteStop.objects.get(route__plan=plan)
    assert stop.intervention == intervention
    # 60 minutes do not fit between 11:00 + the drive and the lunch closure at 12:00: the
    # visit starts when the school opens again, and the technician leaves just in time.
    assert (stop.arrival, stop.start, stop.departure) == (time(13, 30), time(13, 30), time(14, 30))
    route = plan.routes.get()
    assert seconds(route.leave_at) == seconds(time(13, 30)) - stop.travel_s
    assert_schedule_respects_hours(plan)


# --- optimality --------------------------------------------------------------------------------


def solver_problem(base, interventions, day, matrix):
    """The problem the planner solves for these interventions, built here from the sites."""
    day_start, day_end = 8 * 3600, 17 * 3600 + 1800
    table = matrix.table([place(base)] + [place(i.site) for i in interventions])
    visits = []
    for node, intervention in enumerate(interventions, 1):
        service = intervention.duration_minutes * 60
        starts = within(
            start_ranges(parse_periods_on(intervention.site, day), service),
            day_start + table.seconds[0][node],
            day_end - service - table.seconds[node][0],
        )
        visits.append(
            solver.Visit(
                key=intervention.pk,
                service=service,
                starts=tuple(starts) or ((0, -1),),
                penalty=penalty(intervention.priority),
            )
        )
    return solver.Problem(table, visits, 1, day_start, day_end)


def parse_periods_on(site_, day):
    return parse_periods(getattr(site_, f"hours_{WEEKDAYS[day.weekday()][0]}"))


def brute_force_best(problem):
    """The least objective over every permutation of every subset (one technician)."""
    best = solver.cost_of(problem, [])
    for size in range(1, len(problem.visits) + 1):
        for order in itertools.permutations(range(len(problem.visits)), size):
            routes = solver.schedule_team(problem, [list(order)])
            if routes is not None:
                best = min(best, solver.cost_of(problem, routes))
    return best


@pytest.mark.parametrize(("seed", "weekday", "count"), [(1, 1, 6), (2, 2, 6), (3, 3, 6), (4, 0, 5)])
def test_small_plans_reach_exactly_the_optimum(territory, head_office, tech, seed, weekday, count):
    rng = random.Random(seed)  # noqa: S311  # reproducible test data
    sites = rng.sample(list(Site.objects.exclude(pk=head_office.pk).order_by("pk")), count)
    interventions = [
        make_intervention(site=s, duration_minutes=rng.choice([15, 30, 45, 60, 90])) for s in sites
    ]
    day = next_weekday(weekday)
    plan = plan_day(day=day, technicians=[tech], interventions=interventions, by=tech)

    problem = solver_problem(
        head_office, interventions, day, GreatCircleMatrix(road_factor=1.3, speed_kmh=50)
    )
    index = {visit.key: position for position, visit in enumerate(problem.visits)}
    order = [index[stop.intervention_id] for stop in plan.routes.get().stops.all()]
    (route,) = solver.schedule_team(problem, [order])
    assert solver.cost_of(problem, [route]) == brute_force_best(problem)
    assert plan.driving_s == route.driving
    assert_schedule_respects_hours(plan)


# --- what is left out and why --------------------------------------------------------------


def test_left_out_visits_carry_their_reason(territory, head_office, tech):
    day = next_weekday(0)  # a Monday: media libraries are closed
    closed = make_intervention(site=site("Médiathèque de Melle"), title="Médiathèque")
    too_long = make_intervention(
        site=site("École maternelle de Melle"), duration_minutes=240, title="Trop long"
    )
    not_due = make_intervention(
        site=site("Multi-accueil de Melle"), latest_date=day - timedelta(days=1), title="Échue"
    )
    nowhere = make_intervention(site=None, title="Sans site")
    no_position = make_intervention(
        site=Site.objects.create(
            name="Salle des fêtes",
            kind=SiteKind.OTHER,
            organisation=head_office.organisation,
            hours_mon="08:00-18:00",
        ),
        title="Sans position",
    )
    # The waste centre opens at 14:00 on Mondays; the day here ends at 13:00.
    late = make_intervention(site=site("Déchèterie de Lezay"), title="Après la journée")
    fine = make_intervention(site=site("Multi-accueil de Melle"), title="Faisable")

    plan = plan_day(
        day=day,
        technicians=[tech],
        interventions=[closed, too_long, not_due, nowhere, no_position, late, fine],
        day_end=time(13),
        by=tech,
    )
    reasons = {row.intervention.title: row.reason for row in plan.unplanned.all()}
    assert reasons == {
        "Médiathèque": DropReason.CLOSED,
        "Trop long": DropReason.WINDOW_TOO_SHORT,
        "Échue": DropReason.NOT_DUE,
        "Sans site": DropReason.NO_SITE,
        "Sans position": DropReason.NO_POSITION,
        "Après la journée": DropReason.OUTSIDE_DAY,
    }
    assert list(
        RouteStop.objects.filter(route__plan=plan).values_list("intervention", flat=True)
    ) == [fine.pk]
    fine.refresh_from_db()
    closed.refresh_from_db()
    assert fine.status == InterventionStatus.PLANNED
    assert closed.status == InterventionStatus.TO_PLAN


def test_when_the_day_is_full_lower_priorities_are_left_out(territory, head_office, tech):
    day = next_weekday(1)
    nursery = site("Multi-accueil de Melle")  # open 07:30-18:30, next to the base
    urgent = [
        make_intervention(site=nursery, duration_minutes=240, priority=Priority.URGENT)
        for _ in range(2)
    ]
    low = make_intervention(site=nursery, duration_minutes=240, priority=Priority.LOW)
    plan = plan_day(day=day, technicians=[tech], interventions=[low, *urgent], by=tech)
    planned = set(RouteStop.objects.filter(route__plan=plan).values_list("intervention", flat=True))
    assert planned == {u.pk for u in urgent}
    assert [(row.intervention, row.reason) for row in plan.unplanned.all()] == [
        (low, DropReason.NO_TIME)
    ]


# --- refused requests ------------------------------------------------------------------------


def refused(**kwargs):
    before = set(Intervention.objects.values_list("pk", "status"))
    with pytest.raises(ValidationError) as caught:
        plan_day(**kwargs)
    assert RoutePlan.objects.count() == 0
    assert set(Intervention.objects.values_list("pk", "status")) == before
    return caught.value.message_dict


def test_nothing_to_plan_is_refused_with_a_message(territory, tech):
    day = next_weekday(1)
    assert refused(day=day, technicians=[tech], by=tech) == {
        "interventions": [
            f"Rien à planifier le {day:%d/%m/%Y} : "
            "aucune intervention n'attend de visite ce jour-là."
        ]
    }


def test_a_past_day_a_non_technician_and_a_base_without_position_are_refused(territory, tech):
    staff = UserFactory(username="agent-x", role=Role.STAFF)
    base = Site.objects.create(
        name="Annexe", kind=SiteKind.OTHER, organisation=Site.objects.first().organisation
    )
    make_intervention(site=site("Multi-accueil de Melle"))
    yesterday = timezone.localdate() - timedelta(days=1)
    errors = refused(day=yesterday, technicians=[tech, staff], base=base, by=tech)
    assert errors == {
        "date": [f"Le {yesterday:%d/%m/%Y} est passé : planifiez aujourd'hui ou un jour à venir."],
        "technicians": [f"« {staff} » n'est ni technicien ni administrateur actif."],
        "base": [
            "Le point de départ « Annexe » n'a pas de coordonnées : "
            "renseignez d'abord sa latitude et sa longitude."
        ],
    }


def test_when_nothing_can_fit_the_reasons_are_given(territory, tech):
    day = next_weekday(6)  # a Sunday: the nursery is closed
    closed = make_intervention(site=site("Multi-accueil de Melle"), title="Imprimante")
    long = make_intervention(
        site=site("Piscine communautaire de Melle"), title="Baie", duration_minutes=500
    )
    errors = refused(day=day, technicians=[tech], interventions=[closed, long], by=tech)
    assert errors == {
        "interventions": [
            f"Aucune de ces interventions ne peut être planifiée le {day:%d/%m/%Y} "
            "(« Imprimante » : le site est fermé ce jour-là ; « Baie » : "
            "aucune plage d'ouverture assez longue pour la durée)."
        ]
    }


def test_done_interventions_cannot_be_planned(territory, tech):
    done = make_intervention(site=site("Multi-accueil de Melle"), status=InterventionStatus.DONE)
    errors = refused(day=next_weekday(1), technicians=[tech], interventions=[done], by=tech)
    assert errors == {
        "interventions": [
            f"« {done} » est terminée : "
            "seules les interventions en attente peuvent être planifiées."
        ]
    }


# --- baseline, suggestions, re-planning, the round's record ---------------------------------


def test_the_saving_is_measured_against_the_priority_order(territory, head_office, tech):
    names_by_priority = [  # far, near, far, near: the priority order zigzags
        ("École primaire de Chizé", Priority.URGENT),
        ("École maternelle de Melle", Priority.HIGH),
        ("École primaire de Brioux-sur-Boutonne", Priority.NORMAL),
        ("École élémentaire de Melle", Priority.LOW),
    ]
    interventions = [
        make_intervention(site=site(name), priority=priority, duration_minutes=20)
        for name, priority in names_by_priority
    ]
    plan = plan_day(day=next_weekday(1), technicians=[tech], interventions=interventions, by=tech)
    matrix = GreatCircleMatrix(road_factor=1.3, speed_kmh=50)
    path = [head_office] + [i.site for i in interventions] + [head_office]
    expected = sum(
        matrix.table([place(a), place(b)]).metres[0][1] for a, b in itertools.pairwise(path)
    )
    assert RouteStop.objects.filter(route__plan=plan).count() == 4
    assert plan.baseline_distance_m == expected
    assert plan.distance_m < expected
    assert plan.saved_km == round((expected - plan.distance_m) / 1000, 1)


def test_while_you_are_there_offers_same_site_and_short_detours(territory, tech, settings):
    settings.ROUTE_DETOUR_KM = 5
    day = next_weekday(1)
    planned = make_intervention(site=site("École élémentaire de Lezay"), title="Prévue")
    same_site = make_intervention(site=site("École élémentaire de Lezay"), title="Même site")
    nearby = make_intervention(site=site("Multi-accueil de Lezay"), title="À côté")
    far = make_intervention(site=site("École primaire de Chizé"), title="Loin")
    later = make_intervention(
        site=site("École maternelle de Lezay"), earliest_date=day + timedelta(days=3)
    )
    plan = plan_day(day=day, technicians=[tech], interventions=[planned], by=tech)

    pool = Intervention.objects.to_plan().doable_on(day).select_related("site")
    found = suggestions(plan, pool)
    assert [(s.intervention.title, s.same_site) for s in found] == [
        ("Même site", True),
        ("À côté", False),
    ]
    assert 0 < found[1].detour_m <= 5000
    assert far.pk not in {s.intervention.pk for s in found}
    assert later.pk not in {s.intervention.pk for s in found}

    new_plan = replan_with(plan=plan, add=[same_site, nearby], by=tech)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REPLACED
    assert plan.replaced_by == new_plan
    assert set(
        RouteStop.objects.filter(route__plan=new_plan).values_list("intervention__title", flat=True)
    ) == {"Prévue", "Même site", "À côté"}
    assert new_plan.distance_m < plan.distance_m + 2 * 5000
    with pytest.raises(ValidationError):
        replan_with(plan=plan, add=[far], by=tech)


def test_recording_the_round_logs_kilometres_and_closes_interventions(territory, tech):
    day = next_weekday(1)
    done = make_intervention(site=site("Multi-accueil de Melle"), title="Faite")
    missed = make_intervention(site=site("École élémentaire de Melle"), title="Pas faite")
    plan = plan_day(day=day, technicians=[tech], interventions=[done, missed], by=tech)
    route = plan.routes.get()
    done_stop = route.stops.get(intervention=done)
    at = timezone.now()

    record_round(
        plan=plan, done_stops=[done_stop.pk], kilometres={route.pk: Decimal("12.4")}, by=tech, at=at
    )

    route.refresh_from_db()
    assert route.actual_km == Decimal("12.4")
    done.refresh_from_db()
    missed.refresh_from_db()
    assert (done.status, done.done_by, done.done_at) == (InterventionStatus.DONE, tech, at)
    assert (missed.status, missed.done_by) == (InterventionStatus.TO_PLAN, None)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    assert {(r.field, r.new_value) for r in history_of(done) if r.field == "status"} >= {
        ("status", "Terminée")
    }
    with pytest.raises(ValidationError):
        record_round(plan=plan, done_stops=[], kilometres={}, by=tech)


def test_an_intervention_already_in_a_round_is_refused_for_another(territory, tech):
    waiting = make_intervention(site=site("École élémentaire de Melle"), title="Vidéoprojecteur")
    first = plan_day(day=next_weekday(1), technicians=[tech], by=tech)
    waiting.refresh_from_db()
    assert waiting.status == InterventionStatus.PLANNED

    with pytest.raises(ValidationError) as caught:
        plan_day(day=next_weekday(2), technicians=[tech], interventions=[waiting], by=tech)
    assert caught.value.message_dict == {
        "interventions": [
            "« Vidéoprojecteur » est déjà dans une tournée planifiée : modifiez cette tournée, "
            "ou enregistrez-la, avant de la planifier à nouveau."
        ]
    }
    assert list(RoutePlan.objects.all()) == [first]


def test_five_visits_and_an_afternoon_opening_are_shared_by_two_technicians(
    territory, head_office, tech, settings
):
    """Four school visits in the morning and a media library that opens at 14:00: one
    technician alone would wait on the road for the opening; two share the day."""
    settings.ROUTE_TIME_LIMIT = 0.5
    other = User.objects.get(pk=UserFactory(username="tech-2", role=Role.TECHNICIAN).pk)
    names = [
        "École maternelle de Melle",
        "École élémentaire de Celles-sur-Belle",
        "École maternelle de Celles-sur-Belle",
        "École élémentaire de Melle",
        "Médiathèque de Melle",  # Tuesdays 14:00-18:00
    ]
    for name in names:
        make_intervention(site=site(name), duration_minutes=45, title=name)
    plan = plan_day(day=next_weekday(1), technicians=[tech, other], by=tech)

    stops = list(RouteStop.objects.filter(route__plan=plan).select_related("route"))
    assert len(stops) == 5
    assert {stop.route.technician_id for stop in stops} == {tech.pk, other.pk}
    for stop in stops:  # nobody waits on the road for an opening
        assert seconds(stop.start) - seconds(stop.arrival) < 15 * 60, stop
    ends = [seconds(route.back_at) for route in plan.routes.all()]
    assert max(ends) <= seconds(time(15, 30))
    assert_schedule_respects_hours(plan)
