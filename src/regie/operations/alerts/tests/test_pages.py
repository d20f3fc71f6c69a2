"""The channel pages, the test button and the delivery log, per role; bad input refused."""

import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.operations.alerts.models import Channel, Delivery, DeliveryStatus
from regie.operations.alerts.tests.factories import ChannelFactory, WebhookChannelFactory

pytestmark = pytest.mark.django_db


def logged(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def channel(db):
    return WebhookChannelFactory(
        name="Mattermost DSI", url="https://chat.cc-mellois.fr/hooks/SECRET-TOKEN", secret="k"
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "admin_user",
            {"list": 200, "detail": 200, "create": 200, "edit": 200, "delete": 200, "log": 200},
        ),
        (
            "technician",
            {"list": 200, "detail": 200, "create": 403, "edit": 403, "delete": 403, "log": 200},
        ),
        (
            "reader",
            {"list": 200, "detail": 200, "create": 403, "edit": 403, "delete": 403, "log": 200},
        ),
        (
            "correspondent",
            {"list": 403, "detail": 404, "create": 403, "edit": 404, "delete": 404, "log": 403},
        ),
        (
            "staff_user",
            {"list": 403, "detail": 404, "create": 403, "edit": 404, "delete": 404, "log": 403},
        ),
    ],
)
def test_pages_answer_each_role(request, client, channel, persona, expected):
    logged(client, request.getfixturevalue(persona))
    answers = {
        "list": client.get(reverse("alerts:channel-list")).status_code,
        "detail": client.get(reverse("alerts:channel-detail", args=[channel.pk])).status_code,
        "create": client.get(reverse("alerts:channel-create")).status_code,
        "edit": client.get(reverse("alerts:channel-update", args=[channel.pk])).status_code,
        "delete": client.get(reverse("alerts:channel-delete", args=[channel.pk])).status_code,
        "log": client.get(reverse("alerts:delivery-list")).status_code,
    }
    assert answers == expected


def test_the_webhook_token_is_shown_to_administrators_only(client, channel, admin_user, reader):
    page = logged(client, reader).get(reverse("alerts:channel-detail", args=[channel.pk]))
    assert "SECRET-TOKEN" not in page.content.decode()
    assert "https://chat.cc-mellois.fr/…" in page.content.decode()
    page = logged(client, admin_user).get(reverse("alerts:channel-detail", args=[channel.pk]))
    assert "https://chat.cc-mellois.fr/hooks/SECRET-TOKEN" in page.content.decode()


def test_admin_creates_an_email_channel(client, admin_user):
    response = logged(client, admin_user).post(
        reverse("alerts:channel-create"),
        {
            "name": "Astreinte",
            "enabled": "on",
            "kind": "email",
            "recipients": "astreinte@cc-mellois.fr, dsi@cc-mellois.fr",
            "format": "generic",
            "event_kinds": "check.",
            "min_severity": "warning",
        },
    )
    channel = Channel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:channel-detail", args=[channel.pk])
    assert channel.recipient_list() == ["astreinte@cc-mellois.fr", "dsi@cc-mellois.fr"]
    assert (channel.event_kinds, channel.min_severity) == ("check.", "warning")
    assert history_of(channel).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"kind": "email", "recipients": "astreinte@cc-mellois.fr\npas-une-adresse"},
            "recipients",
            "« pas-une-adresse » n’est pas une adresse e-mail valide.",
        ),
        (
            {"kind": "email", "recipients": ""},
            "recipients",
            "Indiquez au moins une adresse e-mail.",
        ),
        (
            {"kind": "webhook", "url": "ftp://chat.cc-mellois.fr/hook"},
            "url",
            "Saisissez une adresse web commençant par http:// ou https://.",
        ),
        (
            {"kind": "webhook", "url": "javascript:alert(1)"},
            "url",
            "Saisissez une adresse web commençant par http:// ou https://.",
        ),
        ({"kind": "webhook", "url": ""}, "url", "Indiquez l’adresse du webhook."),
        (
            {"kind": "email", "recipients": "a@b.fr", "event_kinds": "check.*"},
            "event_kinds",
            "« check.* » n’est pas un type d’événement comme check.down ou check.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, admin_user, fields, field, message):
    data = {"name": "Canal", "format": "generic", "min_severity": "info", **fields}
    response = logged(client, admin_user).post(reverse("alerts:channel-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Channel.objects.count() == 0


def test_secret_is_kept_when_left_empty_and_never_in_the_history(client, admin_user, channel):
    data = {
        "name": "Mattermost DSI",
        "enabled": "on",
        "kind": "webhook",
        "url": channel.url,
        "format": "mattermost",
        "min_severity": "info",
        "secret": "",
    }
    logged(client, admin_user).post(reverse("alerts:channel-update", args=[channel.pk]), data)
    channel.refresh_from_db()
    assert (channel.secret, channel.format) == ("k", "mattermost")
    client.post(
        reverse("alerts:channel-update", args=[channel.pk]), {**data, "secret": "nouveau-secret"}
    )
    channel.refresh_from_db()
    assert channel.secret == "nouveau-secret"  # noqa: S105
    secret_changes = history_of(channel).filter(field="secret")
    assert list(secret_changes.values_list("old_value", "new_value")) == [("••••••", "••••••")]


def test_reader_cannot_post_to_create_or_delete(client, reader, channel):
    logged(client, reader)
    assert (
        client.post(
            reverse("alerts:channel-create"), {"name": "x", "kind": "email", "recipients": "a@b.fr"}
        ).status_code
        == 403
    )
    assert client.post(reverse("alerts:channel-delete", args=[channel.pk])).status_code == 403
    assert list(Channel.objects.values_list("name", flat=True)) == ["Mattermost DSI"]


def test_test_button_sends_through_the_real_path(client, technician, receiver):
    channel = WebhookChannelFactory(name="Essai", url=receiver.url, enabled=False)
    response = logged(client, technician).post(
        reverse("alerts:channel-test", args=[channel.pk]), follow=True
    )
    assert "Alerte envoyée à « Essai »." in response.content.decode()
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.status) == ("alerts.test", DeliveryStatus.SENT)
    [request] = receiver.requests
    assert request.json()["title"] == "Alerte de test de Régie"


def test_reader_cannot_send_a_test_and_unknown_ids_are_404(client, reader, admin_user, channel):
    assert (
        logged(client, reader).post(reverse("alerts:channel-test", args=[channel.pk])).status_code
        == 403
    )
    assert (
        logged(client, admin_user).post(reverse("alerts:channel-test", args=[999999])).status_code
        == 404
    )
    assert Delivery.objects.count() == 0


def test_delivery_log_filters_and_retry_now(client, technician, receiver):
    channel = WebhookChannelFactory(name="Hook", url=receiver.url)
    failed = Delivery.objects.create(
        channel=channel,
        channel_name="Hook",
        kind="check.down",
        severity="critical",
        title="NAS en panne",
        occurred_at="2026-11-30T08:00Z",
        status=DeliveryStatus.GIVEN_UP,
        attempts=5,
        last_error="Le webhook a répondu HTTP 500 : boom",
    )
    Delivery.objects.create(
        channel=channel,
        channel_name="Hook",
        kind="finding.new",
        severity="warning",
        title="Constat",
        occurred_at="2026-11-30T08:00Z",
        status=DeliveryStatus.SENT,
    )
    logged(client, technician)

    page = client.get(reverse("alerts:delivery-list"), {"status": "given_up", "kind": "check."})
    html = page.content.decode()
    assert "NAS en panne" in html and "Constat" not in html
    assert "Le webhook a répondu HTTP 500 : boom" in html
    assert "Relancer maintenant" in html

    response = client.post(reverse("alerts:delivery-retry", args=[failed.pk]), follow=True)
    assert "Alerte envoyée à « Hook »." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.SENT, 6)
    assert len(receiver.requests) == 1


def test_reader_cannot_retry(client, reader):
    channel = ChannelFactory()
    failed = Delivery.objects.create(
        channel=channel,
        channel_name="x",
        kind="check.down",
        severity="critical",
        title="t",
        occurred_at="2026-11-30T08:00Z",
        status=DeliveryStatus.GIVEN_UP,
        attempts=5,
    )
    assert (
        logged(client, reader).post(reverse("alerts:delivery-retry", args=[failed.pk])).status_code
        == 403
    )
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.GIVEN_UP, 5)
