"""The alerts API: channels (administrators write), the delivery log (read-only), per role."""

import pytest
from rest_framework.test import APIClient

from regie.core.testing import bearer_client
from regie.operations.alerts.models import Channel, Delivery, DeliveryStatus
from regie.operations.alerts.tests.factories import ChannelFactory, WebhookChannelFactory

pytestmark = pytest.mark.django_db

CHANNELS = "/api/v1/alerts/channels/"
DELIVERIES = "/api/v1/alerts/deliveries/"


def answers(client, channel):
    item = f"{CHANNELS}{channel.pk}/"
    return {
        "list": client.get(CHANNELS).status_code,
        "read": client.get(item).status_code,
        "create": client.post(CHANNELS, {}, format="json").status_code,
        "change": client.patch(item, {}, format="json").status_code,
        "delete": client.delete(item).status_code,
        "log": client.get(DELIVERIES).status_code,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "technician",
            {"list": 200, "read": 200, "create": 403, "change": 403, "delete": 403, "log": 200},
        ),
        (
            "reader",
            {"list": 200, "read": 200, "create": 403, "change": 403, "delete": 403, "log": 200},
        ),
        (
            "correspondent",
            {"list": 403, "read": 404, "create": 403, "change": 404, "delete": 404, "log": 403},
        ),
        (
            "staff_user",
            {"list": 403, "read": 404, "create": 403, "change": 404, "delete": 404, "log": 403},
        ),
    ],
)
def test_each_role_gets_what_its_policy_says(request, persona, expected):
    channel = ChannelFactory()
    assert answers(bearer_client(request.getfixturevalue(persona)), channel) == expected
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_without_a_token_everything_is_401():
    channel = ChannelFactory()
    assert set(answers(APIClient(), channel).values()) == {401}


def test_admin_creates_reads_and_deletes_a_webhook_channel(admin_user, reader):
    client = bearer_client(admin_user)
    response = client.post(
        CHANNELS,
        {
            "name": "Teams DSI",
            "kind": "webhook",
            "url": "https://contoso.webhook.office.com/webhookb2/TOKEN",
            "format": "teams",
            "secret": "partagé",
            "event_kinds": "check.down",
            "min_severity": "critical",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "secret" not in body
    assert body["has_secret"] is True
    assert body["url"] == "https://contoso.webhook.office.com/webhookb2/TOKEN"
    channel = Channel.objects.get()
    assert (channel.secret, channel.format, channel.min_severity) == (
        "partagé",
        "teams",
        "critical",
    )
    # Readers see the host only, not the token in the URL.
    read = bearer_client(reader).get(f"{CHANNELS}{channel.pk}/").json()
    assert read["url"] == "https://contoso.webhook.office.com/…"
    assert client.delete(f"{CHANNELS}{channel.pk}/").status_code == 204
    assert Channel.objects.count() == 0


def test_recipients_are_a_list_of_valid_addresses(admin_user):
    client = bearer_client(admin_user)
    response = client.post(
        CHANNELS,
        {"name": "Astreinte", "kind": "email", "recipients": ["dsi@cc-mellois.fr", "nope@"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "recipients": ["« nope@ » n’est pas une adresse e-mail valide."]
    }
    response = client.post(
        CHANNELS, {"name": "Hook", "kind": "webhook", "url": "file:///etc/passwd"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "url": ["Saisissez une adresse web commençant par http:// ou https://."]
    }
    response = client.post(
        CHANNELS,
        {"name": "Astreinte", "kind": "email", "recipients": "dsi@cc-mellois.fr"},
        format="json",
    )
    assert response.status_code == 400
    assert Channel.objects.count() == 0

    response = client.post(
        CHANNELS,
        {"name": "Astreinte", "kind": "email", "recipients": ["dsi@cc-mellois.fr"]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["recipients"] == ["dsi@cc-mellois.fr"]


def test_delivery_log_is_read_only_and_filterable(technician):
    channel = ChannelFactory(name="Astreinte")
    for kind, status in [
        ("check.down", DeliveryStatus.SENT),
        ("finding.new", DeliveryStatus.GIVEN_UP),
    ]:
        Delivery.objects.create(
            channel=channel,
            channel_name="Astreinte",
            kind=kind,
            severity="warning",
            title=kind,
            occurred_at="2026-11-30T08:00Z",
            status=status,
        )
    client = bearer_client(technician)

    body = client.get(DELIVERIES, {"status": "given_up"}).json()
    assert [row["kind"] for row in body["results"]] == ["finding.new"]
    assert body["results"][0]["channel_brief"] == {
        "id": channel.pk,
        "name": "Astreinte",
        "kind": "email",
    }
    assert [
        row["kind"] for row in client.get(DELIVERIES, {"kind": "check."}).json()["results"]
    ] == ["check.down"]
    assert client.post(DELIVERIES, {}, format="json").status_code == 405
    assert client.get(f"{DELIVERIES}999999/").status_code == 404


def test_retry_of_a_sent_delivery_is_a_conflict(technician):
    channel = ChannelFactory()
    sent = Delivery.objects.create(
        channel=channel,
        channel_name="x",
        kind="check.down",
        severity="warning",
        title="t",
        occurred_at="2026-11-30T08:00Z",
        status=DeliveryStatus.SENT,
        attempts=1,
    )
    response = bearer_client(technician).post(f"{DELIVERIES}{sent.pk}/retry/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cet envoi est « Envoyé » : il n’y a rien à relancer."


def test_test_action_sends_a_test_alert(admin_user, reader, receiver):
    channel = WebhookChannelFactory(url=receiver.url)
    assert bearer_client(reader).post(f"{CHANNELS}{channel.pk}/test/").status_code == 403
    response = bearer_client(admin_user).post(f"{CHANNELS}{channel.pk}/test/")
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["status"]) == ("alerts.test", "sent")
    assert len(receiver.requests) == 1
