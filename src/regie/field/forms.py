"""Forms of the round: interventions, planning a day, closing a round."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.core.forms import DateInput, PolicyModelForm
from regie.core.models import Role, User
from regie.core.permissions import AnyUser, restrict_choices
from regie.directory.models import Site
from regie.field.models import Intervention, InterventionKind, Priority, RoutePlan, RouteStop
from regie.field.permissions import intervention_policy
from regie.field.planning import default_base
from regie.helpdesk.models import Ticket
from regie.helpdesk.permissions import ticket_policy


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


# A ticket's P1 (critical) … P5 (planned) as a visit's priority.
TICKET_PRIORITY = {1: Priority.URGENT, 2: Priority.HIGH, 3: Priority.NORMAL, 4: Priority.LOW}


class InterventionForm(PolicyModelForm):
    """An intervention; from a ticket (``?ticket=12``) it starts from the ticket's title,
    description, site, priority and equipment, and keeps the ticket as its origin."""

    ticket = forms.ModelChoiceField(
        label=_("Ticket"), queryset=Ticket.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Intervention
        exclude = ["created_at", "updated_at", "origin_type", "origin_id"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "earliest_date": DateInput(),
            "latest_date": DateInput(),
            "done_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticket_field = self.fields["ticket"]
        assert isinstance(ticket_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        ticket_field.queryset = ticket_policy.visible(self.user)
        if self.instance.pk is None and not self.is_bound:
            self._start_from_ticket(ticket_field.queryset)
        # The equipment to pick is the site's: the list stays short and consistent.
        site = self.data.get("site") or self.initial.get("site") or self.instance.site_id
        assets = self.fields["assets"]
        assert isinstance(assets, forms.ModelMultipleChoiceField)  # noqa: S101  # a M2M
        if site and str(site).isdigit():
            assets.queryset = restrict_choices(Asset.objects.filter(site_id=site), self.user)
        else:
            # A whole fleet is too long a list: the equipment comes once the site is known.
            assets.queryset = Asset.objects.none()
            assets.widget = forms.SelectMultiple()  # nothing to search for yet
            assets.help_text = _("Choose the site and save; its equipment can then be linked.")
        done_by = self.fields["done_by"]
        assert isinstance(done_by, forms.ModelChoiceField)  # noqa: S101  # a foreign key
        done_by.queryset = technicians()

    def _start_from_ticket(self, tickets: Any) -> None:
        wanted = str(self.initial.get("ticket", ""))
        ticket = tickets.filter(pk=wanted).first() if wanted.isdigit() else None
        if ticket is None:
            self.initial.pop("ticket", None)
            return
        self.initial.update(
            ticket=ticket.pk,
            kind=InterventionKind.TICKET,
            title=ticket.title,
            description=ticket.description,
            reference=f"#{ticket.pk}",
            priority=TICKET_PRIORITY.get(ticket.priority, Priority.NORMAL),
        )
        if ticket.site_id:
            self.initial["site"] = ticket.site_id
            self.initial["assets"] = [asset.pk for asset in ticket.assets.all()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ticket = cleaned.get("ticket")
        if ticket is not None:
            self.instance.origin = ticket
        return cleaned


def technicians() -> Any:
    return User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.TECHNICIAN]).order_by(
        "username"
    )


class PlanForm(forms.Form):
    """Plan a day: who, from where, when, and optionally which interventions."""

    date = forms.DateField(label=_("Day"), widget=DateInput())
    technicians = forms.ModelMultipleChoiceField(
        label=_("Technicians"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    base = forms.ModelChoiceField(
        label=_("Base"),
        queryset=Site.objects.none(),
        help_text=_("Where the round starts and ends."),
    )
    day_start = forms.TimeField(label=_("Start of the working day"), widget=TimeInput())
    day_end = forms.TimeField(label=_("End of the working day"), widget=TimeInput())
    interventions = forms.ModelMultipleChoiceField(
        label=_("Interventions"),
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every intervention to plan that is due that day."),
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = technicians()  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["base"].queryset = restrict_choices(  # type: ignore[attr-defined]  # a ModelChoiceField
            Site.objects.filter(latitude__isnull=False), user
        )
        choices = self.fields["interventions"]
        assert isinstance(choices, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        # Only what no round holds yet: a planned intervention is changed through its round.
        choices.queryset = intervention_policy.visible(user).to_plan().select_related("site")
        choices.error_messages["invalid_choice"] = _(
            "Intervention %(value)s cannot be added: it is already in a planned round, done, "
            "cancelled or out of your reach."
        )
        choices.label_from_instance = _intervention_label  # type: ignore[method-assign,assignment]  # Django's documented hook
        base = default_base()
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("base", base.pk if base else None)
        self.initial.setdefault("day_start", settings.ROUTE_DAY_START)
        self.initial.setdefault("day_end", settings.ROUTE_DAY_END)
        if isinstance(user, User) and user.effective_role in {Role.ADMIN, Role.TECHNICIAN}:
            self.initial.setdefault("technicians", [user.pk])


def _intervention_label(intervention: Intervention) -> str:
    site = intervention.site or "—"
    return f"{intervention} — {site} ({intervention.duration_minutes} min)"


class RecordRoundForm(forms.Form):
    """One "done" box per stop and the kilometres driven per technician."""

    def __init__(self, *args: Any, plan: RoutePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.stops = list(
            RouteStop.objects.filter(route__plan=plan).select_related(
                "route__technician", "intervention__site"
            )
        )
        for stop in self.stops:
            self.fields[f"done_{stop.pk}"] = forms.BooleanField(
                label=f"{stop.sequence}. {stop.intervention} — {stop.intervention.site}",
                required=False,
                initial=True,
            )
        self.routes = list(plan.routes.select_related("technician"))
        for route in self.routes:
            self.fields[f"km_{route.pk}"] = forms.DecimalField(
                label=_("Kilometres driven by %(name)s") % {"name": route.technician},
                min_value=0,
                max_value=9999,
                max_digits=6,
                decimal_places=1,
                required=False,
                initial=route.distance_km,
            )

    def done_stops(self) -> list[int]:
        return [stop.pk for stop in self.stops if self.cleaned_data.get(f"done_{stop.pk}")]

    def kilometres(self) -> dict[int, Any]:
        return {route.pk: self.cleaned_data.get(f"km_{route.pk}") for route in self.routes}
