"""The delivery log answers with a fixed number of queries, whatever the page size."""

import pytest
from django.urls import reverse

from regie.core.models import MailStatus, OutgoingMail
from regie.core.testing import bearer_client
from regie.operations.alerts.models import Delivery, DeliveryStatus
from regie.operations.alerts.tests.factories import ChannelFactory, WebhookChannelFactory

pytestmark = pytest.mark.django_db


def make_deliveries(count):
    channels = [ChannelFactory(), WebhookChannelFactory()]
    Delivery.objects.bulk_create(
        Delivery(
            channel=channels[number % 2],
            channel_name=channels[number % 2].name,
            kind="check.down",
            severity="critical",
            title=f"Contrôle {number}",
            occurred_at="2026-11-30T08:00Z",
            status=DeliveryStatus.GIVEN_UP if number % 3 else DeliveryStatus.SENT,
            last_error="Le webhook a répondu HTTP 500 : boom" if number % 3 else "",
        )
        for number in range(count)
    )


@pytest.mark.parametrize("page_size", [5, 100])
def test_delivery_log_page_runs_a_fixed_number_of_queries(
    client, technician, django_assert_max_num_queries, page_size
):
    make_deliveries(120)
    OutgoingMail.objects.bulk_create(
        OutgoingMail(
            kind="helpdesk.created",
            recipients="agnes.durand@example.org",
            subject=f"Ticket {number}",
            body="…",
            status=MailStatus.GIVEN_UP if number % 2 else MailStatus.SENT,
        )
        for number in range(80)
    )
    client.force_login(technician)
    # session, user, count, page, the choices of the channel filter, the latest mails
    with django_assert_max_num_queries(6):
        response = client.get(reverse("alerts:delivery-list"), {"page_size": page_size})
    assert len(response.context["page_obj"].object_list) == page_size
    assert len(response.context["mails"]) == 50
    assert response.content.decode().count("Relancer maintenant") == sum(
        1 for delivery in response.context["page_obj"].object_list if delivery.can_retry
    ) + sum(1 for mail in response.context["mails"] if mail.can_retry)


@pytest.mark.parametrize("page_size", [5, 100])
def test_delivery_api_list_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    make_deliveries(page_size)
    client = bearer_client(technician)
    client.get("/api/v1/alerts/deliveries/")  # the first request records the token's last use
    # token, count, page
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/alerts/deliveries/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
