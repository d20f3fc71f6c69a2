from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "regie.operations.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from regie.core.events import subscribe
        from regie.core.schedule import register_periodic
        from regie.operations.alerts import permissions  # noqa: F401  # registers the policies
        from regie.operations.alerts.services import on_event
        from regie.operations.alerts.tasks import retry_deliveries

        subscribe(on_event)
        register_periodic("alerts.retry", retry_deliveries, every=timedelta(minutes=1))
