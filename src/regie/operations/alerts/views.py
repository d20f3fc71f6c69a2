"""Pages of the alerts: channels (administrators manage, the IT team and readers read), the
test button, and the delivery log with its "retry now" action. The log also lists the other
mails Régie sends (the outbox of ``regie.core.mail``: ticket notifications…), so a failing
mail server shows in one place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from regie.core.crud import (
    Cell,
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
    DetailField,
    Row,
    model_fields,
)
from regie.core.mail import retry_mail_now
from regie.core.models import MailStatus, OutgoingMail, User
from regie.core.permissions import Action
from regie.operations.alerts.filters import ChannelFilterSet, DeliveryFilterSet
from regie.operations.alerts.forms import ChannelForm
from regie.operations.alerts.models import Channel, ChannelKind, Delivery, DeliveryStatus
from regie.operations.alerts.permissions import channel_policy, delivery_policy
from regie.operations.alerts.services import retry_now, save_channel, send_test_alert

RECENT_DELIVERIES = 10
RECENT_MAILS = 50
# The log's status filter names the deliveries' statuses; the mails' equivalents.
_MAIL_STATUS = {
    DeliveryStatus.PENDING: MailStatus.QUEUED,
    DeliveryStatus.RETRYING: MailStatus.FAILED,
}


class AlertsView(CrudView):
    namespace = "alerts"


class ChannelMixin(AlertsView):
    model = Channel
    policy = channel_policy
    slug = "channel"


class ChannelListView(ChannelMixin, CrudListView):
    template_name = "alerts/channel_list.html"
    filterset_class = ChannelFilterSet
    columns = (
        Column("name", gettext_lazy("Name"), "name", link=True),
        Column("get_kind_display", gettext_lazy("Kind"), "kind"),
        Column("destination", gettext_lazy("Destination")),
        Column("event_kinds", gettext_lazy("Event kinds")),
        Column("get_min_severity_display", gettext_lazy("Minimum severity")),
        Column("enabled", gettext_lazy("State")),
    )

    def rows(self, objects: Any) -> list[Row]:
        rows = super().rows(objects)
        for row in rows:
            channel = row.obj
            assert isinstance(channel, Channel)  # noqa: S101  # the list is of channels
            row.cells[3] = Cell(channel.event_kinds or _("All events"))
            row.cells[-1] = Cell(
                _("Enabled") if channel.enabled else _("Disabled"),
                badge="approved" if channel.enabled else "retired",
            )
        return rows


class ChannelDetailView(ChannelMixin, CrudDetailView):
    template_name = "alerts/channel_detail.html"
    detail_fields = (
        "name",
        "kind",
        "event_kinds",
        "min_severity",
        "enabled",
    )

    def related(self, obj: Channel) -> dict[str, Any]:
        fields = model_fields(obj, self.detail_fields, user=self.user)
        if obj.kind == ChannelKind.EMAIL:
            fields.insert(2, DetailField(_("Recipients"), ", ".join(obj.recipient_list())))
        else:
            url = obj.url if channel_policy.sees_secrets(self.user) else obj.destination
            fields[2:2] = [
                DetailField(_("Webhook URL"), url),
                DetailField(_("Payload format"), obj.get_format_display()),
                DetailField(_("Signing secret"), _("set") if obj.secret else _("none")),
            ]
        deliveries = delivery_policy.visible(self.user, obj.deliveries.all())
        return {
            "fields": fields,
            "deliveries": deliveries[:RECENT_DELIVERIES],
            "log_url": reverse("alerts:delivery-list") + f"?channel={obj.pk}",
            "can_test": channel_policy.can_test(self.user),
            "can_retry": delivery_policy.can_change(self.user, None),
        }


class ChannelFormView(ChannelMixin, CrudFormView):
    form_class = ChannelForm

    def save(self, instance: Any) -> Channel:
        return save_channel(channel=instance, by=self.user)


class ChannelDeleteView(ChannelMixin, CrudDeleteView):
    pass


class DeliveryListView(AlertsView, CrudListView):
    model = Delivery
    policy = delivery_policy
    slug = "delivery"
    template_name = "alerts/delivery_list.html"
    filterset_class = DeliveryFilterSet
    columns = (
        Column("created_at", gettext_lazy("Created at"), "created_at"),
        Column("channel_name", gettext_lazy("Channel")),
        Column("title", gettext_lazy("Alert")),
        Column("status", gettext_lazy("Status")),
        Column("attempts", gettext_lazy("Attempts")),
        Column("next_attempt_at", gettext_lazy("Next attempt"), "next_attempt_at"),
        Column("last_error", gettext_lazy("Last error")),
    )

    def get_queryset(self) -> QuerySet[Delivery]:
        return Delivery.objects.select_related("channel")

    def rows(self, objects: Any) -> list[Row]:
        return []  # the delivery table reads ``page_obj`` itself (actions per row)

    def render(self, context: dict[str, Any], template: str | None = None) -> Any:
        context["can_retry"] = delivery_policy.can_change(self.user, None)
        context["mails"] = outbox_mails(self.request.GET)
        return super().render(context, template)


def outbox_mails(params: QueryDict) -> list[OutgoingMail]:
    """The latest mails of the outbox under the log's filters (status, kind); none when the
    log is filtered on what only alerts have (a channel, a severity)."""
    if params.get("channel") or params.get("severity"):
        return []
    mails = OutgoingMail.objects.all()
    statuses = [
        _MAIL_STATUS.get(DeliveryStatus(value), value)
        for value in params.getlist("status")
        if value in DeliveryStatus.values
    ]
    if statuses:
        mails = mails.filter(status__in=statuses)
    if kind := params.get("kind", "").strip()[:100]:
        mails = mails.filter(kind__startswith=kind)
    return list(mails[:RECENT_MAILS])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe and target.startswith("/") else default)


def _report(request: HttpRequest, delivery: Delivery) -> None:
    if delivery.status == DeliveryStatus.SENT:
        messages.success(
            request, _("Alert sent to “%(channel)s”.") % {"channel": delivery.channel_name}
        )
    elif delivery.status == DeliveryStatus.RETRYING:
        messages.error(
            request,
            _("Sending to “%(channel)s” failed: %(error)s. It will be retried automatically.")
            % {"channel": delivery.channel_name, "error": delivery.last_error},
        )
    else:
        messages.error(
            request,
            _("Sending to “%(channel)s” failed: %(error)s")
            % {"channel": delivery.channel_name, "error": delivery.last_error},
        )


@require_POST
@login_required
def test_channel(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a test alert to the channel now, through the real delivery path."""
    user = _user(request)
    channel = channel_policy.get_for_user(user, pk, Action.VIEW)
    if not channel_policy.can_test(user):
        raise PermissionDenied
    _report(request, send_test_alert(channel=channel, by=user))
    return HttpResponseRedirect(channel.get_absolute_url())


@require_POST
@login_required
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed or given-up delivery once more, now."""
    user = _user(request)
    if not delivery_policy.can_list(user):
        raise PermissionDenied
    delivery = delivery_policy.get_for_user(user, pk, Action.CHANGE)
    if not delivery.can_retry:
        messages.info(
            request,
            _("This delivery is “%(status)s”: there is nothing to retry.")
            % {"status": delivery.get_status_display()},
        )
    else:
        _report(request, retry_now(delivery=delivery))
    return _back(request, reverse("alerts:delivery-list"))


def _report_mail(request: HttpRequest, mail: OutgoingMail) -> None:
    if mail.status == MailStatus.SENT:
        messages.success(request, _("Mail “%(subject)s” sent.") % {"subject": mail.subject})
    else:
        messages.error(
            request,
            _("Sending the mail “%(subject)s” failed: %(error)s")
            % {"subject": mail.subject, "error": mail.last_error},
        )


@require_POST
@login_required
def retry_mail(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed or given-up mail of the outbox once more, now."""
    user = _user(request)
    if not delivery_policy.can_change(user, None):
        raise PermissionDenied
    mail = get_object_or_404(OutgoingMail, pk=pk)
    if not mail.can_retry:
        messages.info(
            request,
            _("This mail is “%(status)s”: there is nothing to retry.")
            % {"status": mail.get_status_display()},
        )
    else:
        _report_mail(request, retry_mail_now(mail=mail))
    return _back(request, reverse("alerts:delivery-list"))
