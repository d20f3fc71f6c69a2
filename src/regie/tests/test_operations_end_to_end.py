"""From the fleet to the person on duty: a serious compliance finding becomes an e-mail, a
webhook call and an item of the daily round, through the real SMTP server and HTTP receiver."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from regie.operations.alerts.models import Delivery
from regie.operations.alerts.tests.conftest import run_queued_tasks
from regie.operations.alerts.tests.factories import ChannelFactory, WebhookChannelFactory
from regie.operations.checks.services import evaluate_checks
from regie.operations.checks.tests.factories import CheckFactory
from regie.operations.checks.tests.test_state_machine import ping
from regie.operations.compliance.models import Finding, RuleCode
from regie.operations.compliance.services import evaluate_assets
from regie.operations.daily.services import hand_over
from regie.tests.compliance_reports import applied, glpi_capture

T0 = datetime(2026, 1, 12, 22, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_a_firewall_off_reaches_mail_webhook_and_round(smtp_server, receiver, client, technician):
    ChannelFactory(recipients="astreinte@cc-mellois.fr", event_kinds="finding.")
    WebhookChannelFactory(url=receiver.url, event_kinds="")
    hand_over(user=technician, text="RAS, bonne journée.")
    # The real GLPI Agent capture reports firewalld off on this Debian machine.
    asset = applied(glpi_capture())

    evaluate_assets()
    run_queued_tasks()

    finding = Finding.objects.get(asset=asset, rule=RuleCode.FIREWALL, resolved_at__isnull=True)
    assert Delivery.objects.filter(status="sent").count() == 2
    (mail,) = smtp_server.messages
    assert mail["to"] == ["astreinte@cc-mellois.fr"]
    assert "pare-feu" in mail["message"]["Subject"].lower()
    body = mail["message"].get_body(preferencelist=("plain",)).get_content()
    assert asset.name in body
    (call,) = receiver.requests
    payload = call.json()
    assert payload["kind"] == "finding.new"
    assert str(asset.pk) in str(payload)

    client.force_login(technician)
    page = client.get(reverse("daily:today"))
    # New since the hand-over: the finding is on the page of the person on duty.
    assert str(asset) in page.content.decode()
    assert finding.get_rule_display() in page.content.decode()

    # The same sweep again: nothing new, nothing sent again.
    evaluate_assets()
    run_queued_tasks()
    assert len(smtp_server.messages) == 1
    assert len(receiver.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_stops_pinging_is_mailed_then_seen_by_the_site_correspondent(
    smtp_server, client, site, correspondent
):
    ChannelFactory(
        recipients="astreinte@cc-mellois.fr", event_kinds="check.", min_severity="critical"
    )
    check = CheckFactory(
        name="Sauvegarde NAS Melle", site=site, period_minutes=60, grace_minutes=30
    )
    ping(check, at=T0)

    evaluate_checks(now=T0 + timedelta(minutes=61))  # late: a warning, below the channel's bar
    evaluate_checks(now=T0 + timedelta(minutes=95))  # down
    run_queued_tasks()

    (mail,) = smtp_server.messages
    assert "Sauvegarde NAS Melle" in mail["message"]["Subject"]
    assert "en panne" in mail["message"]["Subject"]
    # The correspondent of the site sees the outage in their round.
    client.force_login(correspondent)
    page = client.get(reverse("daily:today")).content.decode()
    assert "Sauvegarde NAS Melle" in page
