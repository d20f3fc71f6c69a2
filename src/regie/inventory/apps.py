from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "regie.inventory"
    label = "inventory"
    verbose_name = _("Agent inventory")

    def ready(self) -> None:
        from regie.core.worker import on_worker_start
        from regie.inventory import permissions  # noqa: F401  # registers the access policies
        from regie.inventory.rounds import register as register_round_source
        from regie.inventory.services import requeue_unprocessed_reports
        from regie.inventory.subnav import register as register_subnav
        from regie.inventory.tabs import register as register_tabs

        on_worker_start(requeue_unprocessed_reports)
        register_tabs()
        register_round_source()
        register_subnav()
