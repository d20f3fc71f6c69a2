"""Pages of telephony: operators, contracts, lines, SIM cards, extensions, forwarding,
continuity plans, the copper cut-off and the CSV import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
    DetailField,
)
from regie.core.formatting import format_money
from regie.core.history import history_of, record_link_changes, save_with_history
from regie.core.links import opens_for
from regie.core.models import Role, User
from regie.core.permissions import Action, AnyUser, manages, reads_everything
from regie.telephony import copper
from regie.telephony.filters import (
    ContinuityPlanFilterSet,
    CopperCutoffFilterSet,
    DepartmentOnCallFilterSet,
    ExtensionFilterSet,
    LineFilterSet,
    OperatorContractFilterSet,
    OperatorFilterSet,
    SimCardFilterSet,
    SiteFallbackFilterSet,
)
from regie.telephony.forms import (
    ContinuityPlanForm,
    CopperCutoffForm,
    DepartmentOnCallForm,
    ExtensionForm,
    ForwardingForm,
    ImportForm,
    ItemDoneForm,
    LineForm,
    OperatorContractForm,
    OperatorForm,
    SimCardForm,
    SiteFallbackForm,
)
from regie.telephony.importing import MAX_BYTES, import_lines
from regie.telephony.models import (
    ContinuityItem,
    ContinuityPlan,
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
)
from regie.telephony.numbers import PhoneNumberField, national_format
from regie.telephony.permissions import (
    continuity_plan_policy,
    copper_cutoff_policy,
    department_on_call_policy,
    extension_policy,
    forwarding_policy,
    line_policy,
    operator_contract_policy,
    operator_policy,
    sim_card_policy,
    site_fallback_policy,
)
from regie.telephony.services import (
    end_plan_forwardings,
    generate_plan_items,
    mark_item_done,
    reveal_sim_codes,
    save_sim_card,
    set_forwarding,
)

LIST_TEMPLATE = "telephony/object_list.html"
RELATED_LIMIT = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


class TelephonyView(CrudView):
    namespace = "telephony"

    def render(self, context: dict[str, Any], template: str | None = None) -> TemplateResponse:
        if "fields" in context and context.get("object") is not None:
            context["fields"] = national_fields(context["object"], context["fields"])
        return super().render(context, template)


def national_fields(obj: models.Model, fields: list[DetailField]) -> list[DetailField]:
    """Detail rows with the phone numbers in the national format, one tap to call."""
    numbers = {
        str(capfirst(str(field.verbose_name))): getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if isinstance(field, PhoneNumberField) and getattr(obj, field.attname)
    }
    return [
        DetailField(row.label, national_format(numbers[row.label]), f"tel:{numbers[row.label]}")
        if row.label in numbers
        else row
        for row in fields
    ]


# --- operators and contracts ---------------------------------------------------------------


class OperatorMixin(TelephonyView):
    model = Operator
    policy = operator_policy
    slug = "operator"


class OperatorListView(OperatorMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = OperatorFilterSet
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("customer_account", _("Customer account")),
        Column("support_contact", _("Support contact")),
    )


class OperatorDetailView(OperatorMixin, CrudDetailView):
    template_name = "telephony/operator_detail.html"
    detail_fields = (
        "name",
        "customer_account",
        "support_contact",
        "support_phone",
        "notes",
    )

    def related(self, obj: Operator) -> dict[str, Any]:
        lines = line_policy.visible(self.user, Line.objects.for_list().filter(operator=obj))
        return {
            "contracts": obj.contracts.all(),
            "lines": lines[:RELATED_LIMIT],
            "line_count": lines.count(),
        }


class OperatorFormView(OperatorMixin, CrudFormView):
    form_class = OperatorForm


class OperatorDeleteView(OperatorMixin, CrudDeleteView):
    pass


class ContractMixin(TelephonyView):
    model = OperatorContract
    policy = operator_contract_policy
    slug = "contract"


class ContractListView(ContractMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = OperatorContractFilterSet
    columns = (
        Column("reference", _("Reference"), "reference", link=True),
        Column("operator", _("Operator")),
        Column("monthly_cost", _("Monthly cost"), "cost", display=format_money),
        Column("end_date", _("End date"), "end_date"),
        Column("notice_deadline", _("Last day to give notice")),
        Column("notice_flag", _("Notice"), badge="notice_badge"),
    )


class ContractDetailView(ContractMixin, CrudDetailView):
    template_name = "telephony/contract_detail.html"
    detail_fields = (
        "operator",
        "reference",
        "monthly_cost",
        "start_date",
        "end_date",
        "notice_months",
        "notes",
    )

    def related(self, obj: OperatorContract) -> dict[str, Any]:
        lines = line_policy.visible(self.user, Line.objects.for_list().filter(contract=obj))
        return {"lines": lines[:RELATED_LIMIT], "line_count": lines.count()}


class ContractFormView(ContractMixin, CrudFormView):
    form_class = OperatorContractForm


class ContractDeleteView(ContractMixin, CrudDeleteView):
    pass


# --- lines ---------------------------------------------------------------------------------


def _forwarding_context(user: User, subject: Line | Extension, url_name: str) -> dict[str, Any]:
    forwarding = (
        Forwarding.objects.filter(
            **({"line": subject} if isinstance(subject, Line) else {"extension": subject})
        )
        .select_related("by")
        .first()
    )
    return {
        "forwarding": forwarding,
        "forwarding_history": history_of(forwarding) if forwarding else [],
        "forwarding_url": (
            reverse(f"telephony:{url_name}", args=[subject.pk]) if manages(user) else ""
        ),
        "history": history_of(subject),
    }


class LineMixin(TelephonyView):
    model = Line
    policy = line_policy
    slug = "line"


class LineListView(LineMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = LineFilterSet
    filter_fields = ("q", "kind", "technology", "status", "site")
    columns = (
        Column("number_display", _("Number"), "number", link=True),
        Column("label", _("Label")),
        Column("get_kind_display", _("Kind"), "kind"),
        Column("get_technology_display", _("Technology")),
        Column("get_status_display", _("Status"), "status", badge="status"),
        Column("site", _("Site"), "site"),
        Column("person", _("Person"), "person"),
    )


class LineDetailView(LineMixin, CrudDetailView):
    template_name = "telephony/line_detail.html"
    detail_fields = (
        "number",
        "label",
        "kind",
        "technology",
        "status",
        "operator",
        "contract",
        "person",
        "site",
        "desk_phone",
        "notes",
    )

    def related(self, obj: Line) -> dict[str, Any]:
        return {
            "number_display": obj.number_display,
            "sim_cards": sim_card_policy.visible(self.user, obj.sim_cards.all()),
            "extensions": extension_policy.visible(self.user, obj.extensions.all()),
            **_forwarding_context(self.user, obj, "line-forwarding"),
        }


class LineFormView(LineMixin, CrudFormView):
    form_class = LineForm


class LineDeleteView(LineMixin, CrudDeleteView):
    pass


# --- SIM cards -----------------------------------------------------------------------------


class SimCardMixin(TelephonyView):
    model = SimCard
    policy = sim_card_policy
    slug = "simcard"


class SimCardListView(SimCardMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = SimCardFilterSet
    columns = (
        Column("iccid", _("ICCID"), "iccid", link=True),
        Column("line", _("Line")),
        Column("operator", _("Operator")),
        Column("get_status_display", _("Status"), badge="status"),
    )


class SimCardDetailView(SimCardMixin, CrudDetailView):
    template_name = "telephony/simcard_detail.html"
    detail_fields = (
        "iccid",
        "line",
        "operator",
        "status",
        "notes",
    )

    def related(self, obj: SimCard) -> dict[str, Any]:
        can_reveal = sim_card_policy.can_reveal(self.user)
        return {
            "can_reveal": can_reveal,
            "reveal_url": reverse("telephony:simcard-reveal", args=[obj.pk]),
            "reveals": obj.reveals.select_related("by")[:RELATED_LIMIT] if can_reveal else [],
            "history": history_of(obj),
        }


class SimCardFormView(SimCardMixin, CrudFormView):
    form_class = SimCardForm

    def save(self, instance: models.Model) -> models.Model:
        assert isinstance(instance, SimCard)  # noqa: S101  # SimCardForm builds SIM cards
        return save_sim_card(sim_card=instance, by=self.user)


class SimCardDeleteView(SimCardMixin, CrudDeleteView):
    pass


@login_required
@require_POST
def simcard_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a SIM card's PIN and PUK to an administrator, and log that they were shown."""
    sim_card = sim_card_policy.get_for_user(request.user, pk, Action.VIEW)
    if not sim_card_policy.can_reveal(request.user):
        raise PermissionDenied
    codes = reveal_sim_codes(sim_card=sim_card, by=_user(request))
    response = TemplateResponse(
        request, "telephony/simcard_codes.html", {"object": sim_card, "codes": codes}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- extensions ----------------------------------------------------------------------------


class ExtensionMixin(TelephonyView):
    model = Extension
    policy = extension_policy
    slug = "extension"


class ExtensionListView(ExtensionMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = ExtensionFilterSet
    columns = (
        Column("number", _("Extension"), "number", link=True),
        Column("person", _("Person"), "person"),
        Column("site", _("Site")),
        Column("line", _("Direct line (DID)")),
        Column("desk_phone", _("Desk phone")),
        Column("softphone_display", _("Softphone")),
    )


class ExtensionDetailView(ExtensionMixin, CrudDetailView):
    template_name = "telephony/extension_detail.html"
    detail_fields = (
        "number",
        "line",
        "person",
        "site",
        "desk_phone",
        "softphone",
        "softphone_client",
        "notes",
    )

    def related(self, obj: Extension) -> dict[str, Any]:
        return _forwarding_context(self.user, obj, "extension-forwarding")


class ExtensionFormView(ExtensionMixin, CrudFormView):
    form_class = ExtensionForm


class ExtensionDeleteView(ExtensionMixin, CrudDeleteView):
    pass


# --- forwarding ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forwarding_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Set or clear the forwarding of a line (``kind="line"``) or an extension."""
    policy = line_policy if kind == "line" else extension_policy
    subject = policy.get_for_user(request.user, pk, Action.VIEW)
    if not forwarding_policy.can_create(request.user):
        raise PermissionDenied
    current = Forwarding.objects.filter(**{kind: subject}).first()
    initial = (
        {"active": current.active, "target": current.target_display, "note": current.note}
        if current
        else {}
    )
    form = ForwardingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_forwarding(
            subject=subject,
            active=form.cleaned_data["active"],
            target=form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            by=_user(request),
        )
        messages.success(request, gettext("The forwarding state has been saved."))
        return HttpResponseRedirect(subject.get_absolute_url())
    return TemplateResponse(
        request, "telephony/forwarding_form.html", {"form": form, "subject": subject}
    )


# --- continuity plans ----------------------------------------------------------------------


class PlanMixin(TelephonyView):
    model = ContinuityPlan
    policy = continuity_plan_policy
    slug = "plan"


class PlanListView(PlanMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = ContinuityPlanFilterSet
    columns = (
        Column("title", _("Title"), link=True),
        Column("starts_on", _("From")),
    )


class PlanDetailView(PlanMixin, CrudDetailView):
    template_name = "telephony/plan_detail.html"
    detail_fields = (
        "title",
        "starts_on",
        "notes",
        "created_by",
    )

    def related(self, obj: ContinuityPlan) -> dict[str, Any]:
        items = list(
            obj.items.select_related(
                "line__forwarding",
                "extension__forwarding",
                "person",
                "site",
                "done_by",
            ).order_by("site__name", "person__last_name", "id")
        )
        done = sum(1 for item in items if item.is_done)
        return {
            "items": items,
            "done": done,
            "total": len(items),
            "missing_targets": sum(
                1
                for item in items
                if not item.target and not item.is_done and item.current_forwarding is None
            ),
            "can_track": manages(self.user),
            "people": obj.people.all(),
            "sites": obj.sites.all(),
        }


class PlanFormView(PlanMixin, CrudFormView):
    form_class = ContinuityPlanForm

    def save(self, instance: models.Model) -> models.Model:
        assert isinstance(instance, ContinuityPlan)  # noqa: S101  # the plan form
        if instance._state.adding:
            instance.created_by = self.user
        return save_with_history(instance=instance, by=self.user)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.make_form(obj)
        if not form.is_valid():
            return self.render({"form": form, "object": obj})
        with transaction.atomic():
            before: dict[str, set[str]] = {"people": set(), "sites": set()}
            if obj is not None:
                before = {
                    "people": {str(p) for p in obj.people.all()},  # type: ignore[attr-defined]  # a plan
                    "sites": {str(s) for s in obj.sites.all()},  # type: ignore[attr-defined]  # a plan
                }
            plan = self.save(form.save(commit=False))
            form.save_m2m()
            record_link_changes(instance=plan, before=before, by=self.user)
            assert isinstance(plan, ContinuityPlan)  # noqa: S101
            generate_plan_items(plan=plan)
        messages.success(
            request,
            ngettext(
                "The plan lists %(count)s forwarding.",
                "The plan lists %(count)s forwardings.",
                count := plan.items.count(),
            )
            % {"count": count},
        )
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanDeleteView(PlanMixin, CrudDeleteView):
    pass


def _plan_item(request: HttpRequest, plan_pk: int, item_pk: int) -> ContinuityItem:
    plan = continuity_plan_policy.get_for_user(request.user, plan_pk, Action.CHANGE)
    return get_object_or_404(ContinuityItem, plan=plan, pk=item_pk)


@login_required
@require_POST
def plan_item_done(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Mark one forwarding of a plan as set: the line's forwarding state follows."""
    item = _plan_item(request, pk, item_pk)
    form = ItemDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["target"]))
        mark_item_done(item=item, target=form.cleaned_data["target"], by=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("“%(item)s” is done.") % {"item": item.subject})
    return HttpResponseRedirect(reverse("telephony:plan-detail", args=[pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def plan_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """List the plan's forwardings again (new lines, new mobiles); done items stay."""
    plan = continuity_plan_policy.get_for_user(request.user, pk, Action.CHANGE)
    generate_plan_items(plan=plan)
    messages.success(request, gettext("The plan has been brought up to date."))
    return HttpResponseRedirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The offices reopen: turn off the forwardings this plan set."""
    plan = continuity_plan_policy.get_for_user(request.user, pk, Action.CHANGE)
    count = end_plan_forwardings(plan=plan, by=_user(request))
    messages.success(
        request,
        ngettext(
            "%(count)s forwarding has been turned off.",
            "%(count)s forwardings have been turned off.",
            count,
        )
        % {"count": count},
    )
    return HttpResponseRedirect(plan.get_absolute_url())


# --- site fallback numbers and copper cut-off ----------------------------------------------


class FallbackMixin(TelephonyView):
    model = SiteFallback
    policy = site_fallback_policy
    slug = "fallback"


class FallbackListView(FallbackMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = SiteFallbackFilterSet
    columns = (
        Column("site", _("Site"), link=True),
        Column("number_display", _("Fallback number")),
        Column("note", _("Note")),
    )


class FallbackDetailView(FallbackMixin, CrudDetailView):
    detail_fields = (
        "site",
        "number",
        "note",
    )


class FallbackFormView(FallbackMixin, CrudFormView):
    form_class = SiteFallbackForm


class FallbackDeleteView(FallbackMixin, CrudDeleteView):
    pass


class OnCallMixin(TelephonyView):
    model = DepartmentOnCall
    policy = department_on_call_policy
    slug = "oncall"


class OnCallListView(OnCallMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = DepartmentOnCallFilterSet
    columns = (
        Column("department", _("Department"), link=True),
        Column("number_display", _("On-call number")),
        Column("note", _("Note")),
    )


class OnCallDetailView(OnCallMixin, CrudDetailView):
    detail_fields = ("department", "number", "note")


class OnCallFormView(OnCallMixin, CrudFormView):
    form_class = DepartmentOnCallForm


class OnCallDeleteView(OnCallMixin, CrudDeleteView):
    pass


class CutoffMixin(TelephonyView):
    model = CopperCutoff
    policy = copper_cutoff_policy
    slug = "cutoff"


class CutoffListView(CutoffMixin, CrudListView):
    template_name = LIST_TEMPLATE
    filterset_class = CopperCutoffFilterSet
    columns = (
        Column("commune", _("Commune"), link=True),
        Column("cutoff_date", _("Copper closing date"), "cutoff_date"),
        Column("lot", _("Lot or phase")),
    )


class CutoffDetailView(CutoffMixin, CrudDetailView):
    detail_fields = (
        "commune",
        "cutoff_date",
        "lot",
        "notes",
    )


class CutoffFormView(CutoffMixin, CrudFormView):
    form_class = CopperCutoffForm


class CutoffDeleteView(CutoffMixin, CrudDeleteView):
    pass


def _sees_copper(user: AnyUser) -> bool:
    """The copper cut-off page is for those who read everything and for correspondents."""
    return line_policy.can_list(user) and (
        reads_everything(user) or getattr(user, "role", None) == Role.CORRESPONDENT
    )


@opens_for(_sees_copper)
@login_required
def copper_page(request: HttpRequest) -> HttpResponse:
    """ "Arrêt du cuivre": the sites with copper lines, soonest cut-off first."""
    if not _sees_copper(request.user):
        raise PermissionDenied
    sites = copper.copper_by_site(line_policy.visible(request.user))
    return TemplateResponse(
        request,
        "telephony/copper.html",
        {
            "sites": sites,
            "flagged": [entry for entry in sites if entry.flagged],
            "warning_days": settings.TELEPHONY_COPPER_WARNING_DAYS,
            "can_manage": manages(request.user),
        },
    )


# --- CSV import ----------------------------------------------------------------------------


# Room for the multipart boundaries and the other fields of the form.
UPLOAD_OVERHEAD = 64 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not line_policy.can_create(request.user):
        raise PermissionDenied
    too_large = gettext("The file is too large (at most %(size)s MB).") % {
        "size": MAX_BYTES // (1024 * 1024)
    }
    if request.method == "POST" and _content_length(request) > MAX_BYTES + UPLOAD_OVERHEAD:
        # Refused before the body is read: nothing is spooled to disk.
        return TemplateResponse(
            request,
            "telephony/import.html",
            {"form": ImportForm(), "too_large": too_large, "max_mb": MAX_BYTES // (1024 * 1024)},
            status=413,
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", too_large)
        else:
            report = import_lines(
                data=upload.read(),
                by=_user(request),
                operator=form.cleaned_data["operator"],
                valid_only=form.cleaned_data["valid_only"],
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.file_error:
                form.add_error("file", report.file_error)
    return TemplateResponse(
        request,
        "telephony/import.html",
        {"form": form, "report": report, "max_mb": MAX_BYTES // (1024 * 1024)},
        status=400 if form.errors else 200,
    )
