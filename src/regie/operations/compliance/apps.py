from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "regie.operations.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from datetime import time

        from regie.core.schedule import register_periodic
        from regie.operations.compliance import panels, permissions, readiness, rounds  # noqa: F401  # registers the access policies
        from regie.operations.compliance.tasks import sweep_compliance

        register_periodic("compliance.sweep", sweep_compliance, daily_at=time(2, 30))
        panels.register()
        readiness.register()
        rounds.register()
