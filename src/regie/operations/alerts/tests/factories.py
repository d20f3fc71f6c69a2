import factory

from regie.operations.alerts.models import Channel, ChannelKind, WebhookFormat


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Canal {n}")
    kind = ChannelKind.EMAIL
    recipients = "astreinte@cc-mellois.fr"


class WebhookChannelFactory(ChannelFactory):
    kind = ChannelKind.WEBHOOK
    recipients = ""
    url = "http://127.0.0.1:9/hook"
    format = WebhookFormat.GENERIC
