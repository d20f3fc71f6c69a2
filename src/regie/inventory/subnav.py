"""The inventory sub-menu: each entry shows only to those its page lets in."""

from django.utils.translation import gettext_lazy as _

from regie.core.links import SubnavEntry, register_subnav


def register() -> None:
    register_subnav(
        "inventory",
        _("Inventory"),
        (
            SubnavEntry(_("Activity"), "inventory:activity"),
            SubnavEntry(_("Agents"), "inventory:agent-list"),
            SubnavEntry(_("Agent set-up"), "inventory:setup"),
        ),
    )
