from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "regie.operations.checks"
    label = "checks"
    verbose_name = _("Essential-job checks")

    def ready(self) -> None:
        from datetime import timedelta

        from regie.core.schedule import register_periodic
        from regie.operations.checks import continuity, permissions  # noqa: F401  # registers the policies
        from regie.operations.checks.rounds import register as register_round_source
        from regie.operations.checks.tasks import evaluate_checks_task, prune_pings_task

        register_periodic("checks.evaluate", evaluate_checks_task, every=timedelta(minutes=1))
        register_periodic("checks.prune", prune_pings_task, every=timedelta(minutes=15))
        register_round_source()
        continuity.register()
