"""The demo's helpdesk and field work: tickets with their follow-ups, visits, a round.

Tickets are written as rows (not through ``helpdesk.services``, which would queue a real
e-mail to an invented address for every step), dated over the last three months, with the
SLA deadlines ``helpdesk.sla.set_deadlines`` computes and the timeline events the services
would have written. Some open tickets need a visit: they become interventions, with
toner deliveries and maintenance at other sites; the next working day's round is planned
through ``field.planning.plan_day``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from regie.assets.models import AssetKind, AssetStatus
from regie.core.models import ChangeSource, Role, User
from regie.directory.models import Person, Site, SiteKind
from regie.field.models import Intervention, InterventionKind, InterventionStatus
from regie.field.models import Priority as VisitPriority
from regie.field.planning import opening_periods, plan_day
from regie.helpdesk.choices import EventKind, TicketSource, TicketStatus, WaitingFor
from regie.helpdesk.models import Category, FollowUp, Ticket, TicketEvent
from regie.helpdesk.priority import priority_for
from regie.helpdesk.sla import set_deadlines

S = TicketStatus

# (category, title, description, urgency, impact, needs a visit)
SUBJECTS: tuple[tuple[str, str, str, int, int, bool], ...] = (
    (
        "Bourrage",
        "Imprimante de l'accueil bloquée",
        "Bourrage papier à chaque impression recto-verso, le voyant orange clignote.",
        3,
        3,
        True,
    ),  # fmt: skip
    (
        "Toner",
        "Plus de toner noir sur le copieur",
        "Le copieur affiche « Toner noir vide ».",
        3,
        3,
        True,
    ),  # fmt: skip
    (
        "Impression impossible",
        "Impossible d'imprimer depuis ce matin",
        "Les documents restent bloqués dans la file d'attente.",
        2,
        3,
        False,
    ),  # fmt: skip
    (
        "VPN",
        "Le VPN ne se connecte plus en télétravail",
        "FortiClient reste bloqué à 40 % puis affiche « Credential or SSLVPN configuration "
        "is wrong ».",
        2,
        4,
        False,
    ),  # fmt: skip
    (
        "VPN",
        "VPN très lent depuis la maison",
        "Les fichiers du partage mettent plusieurs minutes à s'ouvrir.",
        3,
        4,
        False,
    ),  # fmt: skip
    (
        "Messagerie",
        "Je ne reçois plus de messages",
        "Outlook n'affiche rien de nouveau depuis hier soir, le webmail oui.",
        2,
        4,
        False,
    ),  # fmt: skip
    (
        "Messagerie",
        "Boîte aux lettres pleine",
        "Message « Votre boîte aux lettres est presque pleine ».",
        4,
        4,
        False,
    ),  # fmt: skip
    (
        "Teams",
        "Pas de son dans Teams",
        "Mes interlocuteurs ne m'entendent pas en réunion.",
        3,
        4,
        False,
    ),  # fmt: skip
    (
        "Lenteur",
        "Poste très lent au démarrage",
        "Plus de dix minutes avant de pouvoir ouvrir une session.",
        3,
        4,
        False,
    ),  # fmt: skip
    (
        "Lenteur",
        "Ordinateur qui rame avec le logiciel de finances",
        "e.magnus se fige à chaque mandatement.",
        3,
        3,
        False,
    ),  # fmt: skip
    (
        "Panne matérielle",
        "L'écran reste noir",
        "Le poste s'allume mais l'écran ne s'allume pas.",
        2,
        4,
        True,
    ),  # fmt: skip
    (
        "Panne matérielle",
        "Clavier qui ne répond plus",
        "Certaines touches ne marchent plus.",
        4,
        5,
        False,
    ),  # fmt: skip
    (
        "Installation",
        "Installer QGIS sur mon poste",
        "Besoin de QGIS pour les plans cadastraux.",
        4,
        5,
        False,
    ),  # fmt: skip
    (
        "Mot de passe",
        "Compte bloqué",
        "Trop de tentatives, je ne peux plus me connecter.",
        2,
        4,
        False,
    ),  # fmt: skip
    (
        "Nouvel arrivant",
        "Arrivée d'un agent lundi",
        "Prévoir compte, poste et téléphone pour le nouvel agent du service.",
        3,
        4,
        False,
    ),  # fmt: skip
    (
        "Wi-Fi",
        "Wi-Fi coupé dans la salle de réunion",
        "Le réseau n'apparaît plus.",
        3,
        3,
        True,
    ),  # fmt: skip
    (
        "Accès internet",
        "Plus d'internet sur le site",
        "Aucun poste n'accède à internet, le téléphone ne marche plus non plus.",
        1,
        2,
        True,
    ),  # fmt: skip
    (
        "Poste fixe",
        "Le téléphone de l'accueil ne sonne plus",
        "Les appels arrivent sur la messagerie directement.",
        2,
        3,
        True,
    ),  # fmt: skip
    (
        "Renvoi d'appel",
        "Renvoyer la ligne de l'accueil pendant les congés",
        "Fermeture de l'accueil du 23 au 2 janvier.",
        4,
        4,
        False,
    ),  # fmt: skip
    (
        "Finances",
        "Erreur à l'édition des mandats",
        "Message « ORA-01403 » à l'édition.",
        2,
        3,
        False,
    ),  # fmt: skip
    (
        "TBI / VPI",
        "Le TNI de la classe 2 ne s'allume plus",
        "Plus d'image depuis la coupure de courant.",
        2,
        3,
        True,
    ),  # fmt: skip
    (
        "Tablettes",
        "Tablettes qui ne se chargent plus",
        "La valise de recharge ne charge plus les tablettes.",
        3,
        3,
        True,
    ),  # fmt: skip
    (
        "OneDrive / SharePoint",
        "Fichiers OneDrive en conflit",
        "Des copies « -PC » apparaissent partout.",
        4,
        4,
        False,
    ),  # fmt: skip
    (
        "Droits d'accès",
        "Accès au dossier Marchés publics",
        "Merci de m'ouvrir l'accès en lecture.",
        4,
        4,
        False,
    ),  # fmt: skip
)
REPLIES = (
    "Bonjour, je prends votre demande et je reviens vers vous dans la journée.",
    "Pouvez-vous redémarrer le poste et me dire si le problème persiste ?",
    "J'ai pris la main à distance : c'est corrigé, pouvez-vous confirmer ?",
    "Pièce commandée chez le fournisseur, livraison prévue sous 48 h.",
    "Passage sur site prévu lors de la prochaine tournée.",
)
PRIVATE_NOTES = (
    "Même souci la semaine dernière sur un autre poste du site : piste du switch ?",
    "Vu avec l'intégrateur, ticket ouvert chez eux.",
)
OPEN_COUNT = 40
CLOSED_COUNT = 80


@dataclass
class HelpdeskSummary:
    open_tickets: int = 0
    closed_tickets: int = 0
    interventions: int = 0
    round_stops: int = 0
    round_date: dt.date | None = None


def build_helpdesk(
    *, rng: random.Random, now: dt.datetime, people: list[Person], admin: User
) -> HelpdeskSummary:
    summary = HelpdeskSummary()
    technicians = list(
        User.objects.filter(role__in=[Role.TECHNICIAN, Role.ADMIN]).order_by("username")
    )
    categories = {category.name: category for category in Category.objects.all()}
    requesters = [person for person in people if person.active and person.site_id]
    tickets = _tickets(rng, now, requesters, technicians, categories)
    summary.open_tickets = sum(1 for ticket in tickets if ticket.is_open)
    summary.closed_tickets = len(tickets) - summary.open_tickets
    interventions = _interventions(rng, now.date(), tickets)
    summary.interventions = len(interventions)
    summary.round_date, summary.round_stops = _plan_round(rng, now.date(), technicians, admin)
    return summary


def _tickets(
    rng: random.Random,
    now: dt.datetime,
    requesters: list[Person],
    technicians: list[User],
    categories: dict[str, Category],
) -> list[Ticket]:
    tickets: list[Ticket] = []
    statuses = (
        [S.NEW] * 9 + [S.ASSIGNED] * 11 + [S.IN_PROGRESS] * 10 + [S.WAITING] * 7 + [S.REOPENED] * 3
    )
    plans = [(status, rng.uniform(0.1, 20)) for status in statuses[:OPEN_COUNT]]
    plans += [(S.RESOLVED, rng.uniform(1, 6)) for _ in range(6)]
    plans += [(S.CLOSED, rng.uniform(8, 95)) for _ in range(CLOSED_COUNT - 6)]
    for status, days_ago in plans:
        category, title, text, urgency, impact, visit = rng.choice(SUBJECTS)
        if status == S.NEW and rng.random() < 0.45:
            urgency, impact = 1, rng.choice((1, 2))  # unassigned and urgent: the round shows it
        requester = rng.choice(requesters)
        opened = now - dt.timedelta(days=days_ago)
        ticket = Ticket(
            requester=requester,
            created_by=rng.choice(technicians),
            source=rng.choice(list(TicketSource.values)),
            title=title,
            description=text,
            category=categories.get(category),
            urgency=urgency,
            impact=impact,
            priority=priority_for(urgency=urgency, impact=impact),
            status=status,
            site=requester.site,
            needs_visit=visit and status not in (S.RESOLVED, S.CLOSED),
        )
        set_deadlines(ticket, opened_at=opened)
        ticket._opened = opened  # type: ignore[attr-defined]  # build-time only
        if status != S.NEW:
            ticket.assignee = rng.choice(technicians)
            ticket.first_response_at = opened + dt.timedelta(minutes=rng.randint(10, 300))
        if status == S.WAITING:
            ticket.waiting_for = rng.choice(list(WaitingFor.values))
            ticket.paused_since = opened + dt.timedelta(hours=rng.randint(2, 30))
        if status in (S.RESOLVED, S.CLOSED):
            ticket.resolved_at = opened + dt.timedelta(hours=rng.randint(1, 70))
            if status == S.CLOSED:
                ticket.closed_at = ticket.resolved_at + dt.timedelta(days=7)
                if rng.random() < 0.4:
                    ticket.satisfaction = rng.choice((3, 4, 4, 5, 5, 5))
                    ticket.satisfaction_at = ticket.closed_at
        ticket.full_clean(validate_unique=False)
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets)
    for ticket in tickets:
        ticket.created_at = ticket.updated_at = ticket._opened  # type: ignore[attr-defined]
    Ticket.objects.bulk_update(tickets, ["created_at", "updated_at"])
    _timelines(rng, tickets)
    return tickets


def _timelines(rng: random.Random, tickets: list[Ticket]) -> None:
    events: list[TicketEvent] = []
    followups: list[FollowUp] = []
    for ticket in tickets:
        opened: dt.datetime = ticket._opened  # type: ignore[attr-defined]
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=EventKind.CREATED,
                actor=ticket.created_by,
                new_value=ticket.get_source_display(),
                at=opened,
            )
        )
        if ticket.assignee is None:
            continue
        assert ticket.first_response_at is not None  # noqa: S101  # set with the assignee
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=EventKind.ASSIGNED,
                actor=ticket.assignee,
                new_value=str(ticket.assignee),
                at=ticket.first_response_at,
            )
        )
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=EventKind.STATUS,
                actor=ticket.assignee,
                old_value=str(S.NEW.label),
                new_value=str(S(ticket.status).label),
                at=ticket.resolved_at or ticket.first_response_at,
            )
        )
        for number in range(rng.randint(1, 3)):
            followups.append(
                FollowUp(
                    ticket=ticket,
                    author=ticket.assignee,
                    text=REPLIES[(number * 2 + ticket.pk) % len(REPLIES)],
                    private=False,
                )
            )
        if rng.random() < 0.2:
            followups.append(
                FollowUp(
                    ticket=ticket,
                    author=ticket.assignee,
                    text=rng.choice(PRIVATE_NOTES),
                    private=True,
                )
            )
    TicketEvent.objects.bulk_create(events)
    FollowUp.objects.bulk_create(followups)
    moments = {ticket.pk: ticket.first_response_at or ticket.created_at for ticket in tickets}
    for followup in followups:
        followup.created_at = followup.updated_at = moments[followup.ticket_id]
    FollowUp.objects.bulk_update(followups, ["created_at", "updated_at"])


def _interventions(rng: random.Random, today: dt.date, tickets: list[Ticket]) -> list[Intervention]:
    """Visits: the open tickets that need one, toner and maintenance at other sites."""
    ticket_type = ContentType.objects.get_for_model(Ticket)
    visits = []
    for ticket in tickets:
        if not ticket.needs_visit or ticket.site is None:
            continue
        visits.append(
            Intervention(
                kind=InterventionKind.TICKET,
                title=f"Ticket #{ticket.pk} : {ticket.title}",
                description=ticket.description,
                site=ticket.site,
                duration_minutes=rng.choice((30, 45, 60)),
                earliest_date=today,
                latest_date=today + dt.timedelta(days=rng.randint(2, 10)),
                priority=VisitPriority.URGENT if ticket.priority <= 2 else VisitPriority.NORMAL,
                reference=f"#{ticket.pk}",
                origin_type=ticket_type,
                origin_id=ticket.pk,
            )
        )
    copier_sites = list(
        Site.objects.filter(
            assets__asset_type__kind=AssetKind.PRINTER, assets__status=AssetStatus.IN_SERVICE
        )
        .exclude(kind=SiteKind.HEAD_OFFICE)
        .distinct()
        .order_by("pk")
    )
    for site in rng.sample(copier_sites, min(4, len(copier_sites))):
        visits.append(
            Intervention(
                kind=InterventionKind.CONSUMABLE,
                title=f"Livrer du toner — {site.name}",
                site=site,
                duration_minutes=15,
                earliest_date=today,
                latest_date=today + dt.timedelta(days=7),
            )
        )
    schools = list(Site.objects.filter(kind=SiteKind.SCHOOL).order_by("pk"))
    for site in rng.sample(schools, min(3, len(schools))):
        visits.append(
            Intervention(
                kind=InterventionKind.MAINTENANCE,
                title=f"Mise à jour des tablettes et du TNI — {site.name}",
                site=site,
                duration_minutes=90,
                earliest_date=today,
                latest_date=today + dt.timedelta(days=21),
                priority=VisitPriority.LOW,
            )
        )
    for visit in visits:
        visit.full_clean(validate_unique=False)
    Intervention.objects.bulk_create(visits)
    return visits


def _plan_round(
    rng: random.Random, today: dt.date, technicians: list[User], admin: User
) -> tuple[dt.date | None, int]:
    """The next working day's round for one technician, planned by the real planner."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    driver = next((user for user in technicians if user.role == Role.TECHNICIAN), admin)
    candidates = [
        visit
        for visit in Intervention.objects.to_plan().doable_on(day).select_related("site")
        if visit.site is not None and opening_periods(visit.site, day)
    ]
    if not candidates:
        return None, 0
    try:
        plan = plan_day(
            day=day,
            technicians=[driver],
            by=admin,
            interventions=candidates[:12],
            source=ChangeSource.SYSTEM,
            time_limit=2.0,
        )
    except ValidationError:
        return None, 0
    stops = Intervention.objects.filter(status=InterventionStatus.PLANNED).count()
    return plan.date, stops
