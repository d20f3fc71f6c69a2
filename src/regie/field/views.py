"""Pages of the round: interventions, planning a day, the plan, its sheet, closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
)
from regie.core.forms import add_service_errors
from regie.core.models import User
from regie.core.permissions import Action
from regie.directory.models import Site
from regie.directory.permissions import site_policy
from regie.field.filters import InterventionFilterSet, RoutePlanFilterSet
from regie.field.forms import InterventionForm, PlanForm, RecordRoundForm
from regie.field.map import route_map, sites_map
from regie.field.models import Intervention, PlanStatus, RoutePlan, RouteStop
from regie.field.permissions import intervention_policy, route_plan_policy
from regie.field.planning import (
    MAX_INTERVENTIONS,
    place_of,
    plan_day,
    record_round,
    replan_with,
    suggestions,
)


class FieldView(CrudView):
    namespace = "field"


# --- interventions ---------------------------------------------------------------------------


class InterventionMixin(FieldView):
    model = Intervention
    policy = intervention_policy
    slug = "intervention"


class InterventionListView(InterventionMixin, CrudListView):
    template_name = "field/intervention_list.html"
    filterset_class = InterventionFilterSet
    select_related = ("site",)
    filter_fields = ("q", "status", "kind", "site", "due_after", "due_before")
    columns = (
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("site", gettext_lazy("Site"), "site"),
        Column("get_priority_display", gettext_lazy("Priority"), "priority"),
        Column("latest_date", gettext_lazy("Due by"), "latest_date"),
        Column("get_status_display", gettext_lazy("Status"), "status", badge="status"),
    )


class InterventionDetailView(InterventionMixin, CrudDetailView):
    template_name = "field/intervention_detail.html"
    detail_fields = (
        "kind",
        "title",
        "description",
        "site",
        "duration_minutes",
        "earliest_date",
        "latest_date",
        "priority",
        "status",
        "reference",
        "done_by",
        "done_at",
        "notes",
    )

    def related(self, obj: Intervention) -> dict[str, Any]:
        return {
            "assets": obj.assets.all(),
            "stops": obj.stops.select_related("route__plan", "route__technician").order_by(
                "-route__plan__date"
            ),
        }


class InterventionFormView(InterventionMixin, CrudFormView):
    form_class = InterventionForm


class InterventionDeleteView(InterventionMixin, CrudDeleteView):
    pass


# --- route plans -----------------------------------------------------------------------------


class RoutePlanMixin(FieldView):
    model = RoutePlan
    policy = route_plan_policy
    slug = "routeplan"


class RoutePlanListView(RoutePlanMixin, CrudListView):
    template_name = "field/routeplan_list.html"
    filterset_class = RoutePlanFilterSet
    select_related = ("base",)
    columns = (
        Column("__str__", pgettext_lazy("heading of the list of route plans", "Round"), link=True),
        Column("date", gettext_lazy("Date"), "date"),
        Column("base", gettext_lazy("Base")),
        Column("distance_km", gettext_lazy("Kilometres")),
        Column("get_status_display", gettext_lazy("Status"), badge="status"),
    )


def plan_context(plan: RoutePlan) -> dict[str, Any]:
    """Routes with their stops, what was left out, the map: for the page and the sheet."""
    routes = list(
        plan.routes.select_related("technician").prefetch_related(
            Prefetch("stops", RouteStop.objects.select_related("intervention__site"))
        )
    )
    actual = [route.actual_km for route in routes if route.actual_km is not None]
    return {
        "plan": plan,
        "routes": routes,
        "unplanned": plan.unplanned.select_related("intervention__site"),
        "map": route_map(plan),
        "actual_km": sum(actual) if actual else None,
    }


class RoutePlanDetailView(RoutePlanMixin):
    """The plan: summary, map, stops per technician, what was left out, "while you are there"."""

    template_name = "field/routeplan_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.policy.get_for_user(self.user, pk, Action.VIEW)
        is_open = plan.status == PlanStatus.PLANNED
        pool = intervention_policy.visible(self.user).to_plan().doable_on(plan.date)
        return self.render(
            {
                **plan_context(plan),
                "object": plan,
                "suggestions": suggestions(plan, pool.select_related("site")[:500])
                if is_open
                else [],
                "can_plan": is_open and self.policy.can_change(self.user, plan),
                "sheet_url": reverse("field:routeplan-sheet", args=[plan.pk]),
            }
        )


class RoutePlanCreateView(RoutePlanMixin):
    template_name = "field/routeplan_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.policy.can_create(self.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: PlanForm) -> HttpResponse:
        """The form, and the sites with interventions to plan drawn on the territory."""
        waiting: dict[int, tuple[Site, int]] = {}
        for intervention in (
            intervention_policy.visible(self.user)
            .to_plan()
            .filter(site__latitude__isnull=False)
            .select_related("site")[:MAX_INTERVENTIONS]
        ):
            site = intervention.site
            assert site is not None  # noqa: S101  # filtered above
            waiting[site.pk] = (site, waiting.get(site.pk, (site, 0))[1] + 1)
        sites = sorted(waiting.values(), key=lambda item: (item[0].city, item[0].name))
        return self.render(
            {
                "form": form,
                "map": sites_map(site for site, _count in sites),
                "map_title": _("Sites with interventions to plan"),
                "waiting_sites": sites,
            }
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"interventions": request.GET.getlist("interventions")}
        return self.render_form(PlanForm(user=self.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanForm(request.POST, user=self.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plan_day(
                    day=data["date"],
                    technicians=list(data["technicians"]),
                    base=data["base"],
                    interventions=list(data["interventions"]) or None,
                    day_start=data["day_start"],
                    day_end=data["day_end"],
                    by=self.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round has been planned."))
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render_form(form)


class RoutePlanReplanView(RoutePlanMixin):
    """POST the "while you are there" interventions to add: plans the day again with them."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.policy.get_for_user(self.user, pk, Action.CHANGE)
        ids = [value for value in request.POST.getlist("add") if value.isdigit()]
        add = list(intervention_policy.visible(self.user).filter(pk__in=ids).select_related("site"))
        if not add or len(add) != len(set(ids)):
            messages.error(request, _("Choose the interventions to add."))
            return HttpResponseRedirect(plan.get_absolute_url())
        try:
            new_plan = replan_with(plan=plan, add=add, by=self.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(plan.get_absolute_url())
        messages.success(request, _("The round has been planned again with the added visits."))
        return HttpResponseRedirect(new_plan.get_absolute_url())


class RoutePlanSheetView(RoutePlanMixin):
    """The printable route sheet."""

    template_name = "field/routeplan_sheet.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.policy.get_for_user(self.user, pk, Action.VIEW)
        return self.render(plan_context(plan))


class RoutePlanRecordView(RoutePlanMixin):
    """After the round: the stops done and the kilometres driven."""

    template_name = "field/routeplan_record.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.policy.get_for_user(self.user, pk, Action.CHANGE)
        return self.render({"plan": plan, "form": RecordRoundForm(plan=plan)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.policy.get_for_user(self.user, pk, Action.CHANGE)
        form = RecordRoundForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                record_round(
                    plan=plan,
                    done_stops=form.done_stops(),
                    kilometres=form.kilometres(),
                    by=self.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round has been recorded."))
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render({"plan": plan, "form": form})


# --- the territory ---------------------------------------------------------------------------


class SiteMapView(LoginRequiredMixin, View):
    """Every site the user may see, on the communes of the territory, with what waits there."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # noqa: S101  # LoginRequiredMixin ran first
        if not site_policy.can_list(user):
            raise PermissionDenied
        waiting: dict[int, int] = {}
        if intervention_policy.can_list(user):
            for row in (
                intervention_policy.visible(user)
                .pending()
                .values("site")
                .annotate(count=Count("pk"))
                .order_by()
            ):
                waiting[row["site"]] = row["count"]
        sites = list(site_policy.visible(user).order_by("city", "name"))
        placed = [site for site in sites if place_of(site) is not None]
        return TemplateResponse(
            request,
            "field/site_map.html",
            {
                "map": sites_map(placed),
                "map_title": _("Sites on the territory"),
                "rows": [(site, waiting.get(site.pk, 0)) for site in placed],
                "unplaced": [site for site in sites if place_of(site) is None],
                "interventions_url": (
                    reverse("field:intervention-list") if intervention_policy.can_list(user) else ""
                ),
            },
        )
