"""The telework sub-menu: each entry shows only to those its page lets in."""

from django.utils.translation import gettext_lazy as _

from regie.core.links import SubnavEntry, register_subnav


def register() -> None:
    register_subnav(
        "telework",
        _("Telework"),
        (
            SubnavEntry(_("Loans"), "telework:loan-list"),
            SubnavEntry(_("Reservations"), "telework:reservation-list"),
            SubnavEntry(_("Pool calendar"), "telework:calendar"),
            SubnavEntry(_("Readiness"), "telework:readiness"),
            SubnavEntry(_("MFA and Office 365"), "telework:remoteaccess-list"),
            SubnavEntry(_("Charter"), "telework:charter-list"),
        ),
    )
