"""The telephony sub-menu: each entry shows only to those its page lets in."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regie.core.links import SubnavEntry, register_subnav


def register() -> None:
    register_subnav(
        "telephony",
        _("Telephony"),
        (
            SubnavEntry(_("Lines"), "telephony:line-list"),
            SubnavEntry(_("Extensions"), "telephony:extension-list"),
            SubnavEntry(pgettext_lazy("menu", "SIM cards"), "telephony:simcard-list"),
            SubnavEntry(_("Operators"), "telephony:operator-list"),
            SubnavEntry(_("Contracts"), "telephony:contract-list"),
            SubnavEntry(_("Continuity plans"), "telephony:plan-list"),
            SubnavEntry(_("Fallback numbers"), "telephony:fallback-list"),
            SubnavEntry(_("On-call numbers"), "telephony:oncall-list"),
            SubnavEntry(_("Copper cut-off"), "telephony:copper"),
            SubnavEntry(_("Cut-off dates"), "telephony:cutoff-list"),
        ),
    )
