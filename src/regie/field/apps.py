from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The main menu's entries for this app (``regie.navigation``), named here for the catalogue.
MENU_LABELS = (_("Interventions"), _("Rounds"))


class FieldConfig(AppConfig):
    name = "regie.field"
    label = "field"
    verbose_name = _("On-site round")

    def ready(self) -> None:
        from regie.field import continuity, panels, permissions, rounds  # noqa: F401  # registers the access policies

        panels.register()
        rounds.register()
        continuity.register()
