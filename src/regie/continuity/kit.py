"""The continuity kit: what the director keeps on a laptop for the day Régie is unreachable.

One self-contained HTML file: the page (every row, not the first hundred), the contacts of the
IT team and of the heads of department, every office line with where it goes, and each site's
address, contact and access notes. The CSS is inline; there is no script and no link back to
the server, so it opens from a USB stick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.continuity.services import build_page
from regie.core.models import Role, User
from regie.directory.models import Department, Person, Site
from regie.telephony.continuity import office_subjects
from regie.telephony.models import TargetSource
from regie.telephony.numbers import national_format


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str
    mobile: str
    email: str


def contacts() -> list[Contact]:
    """The IT team (people whose account is an administrator's or a technician's), then the
    heads of department, with their phone numbers."""
    it_team = Q(user__role__in=(Role.ADMIN, Role.TECHNICIAN)) | Q(user__is_superuser=True)
    heads = Department.objects.filter(head__isnull=False).values("head")
    people = (
        Person.objects.filter(active=True)
        .filter(it_team | Q(pk__in=heads))
        .select_related("department", "user")
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )
    head_of = dict(Department.objects.filter(head__isnull=False).values_list("head_id", "name"))
    result = []
    for person in people:
        if person.pk in head_of:
            role = _("Head of %(department)s") % {"department": head_of[person.pk]}
        else:
            role = person.job_title or _("IT team")
        result.append(Contact(person.full_name, role, person.phone, person.mobile, person.email))
    return result


def kit_context(user: User) -> dict[str, Any]:
    forwardings = [
        {
            "number": subject.number,
            "holder": subject.holder,
            "site": subject.site,
            "now": national_format(subject.forwarded_to) if subject.forwarded_to else "",
            "target": national_format(subject.target),
            "source": TargetSource(subject.source).label,
        }
        for subject in office_subjects()
    ]
    return {
        "page": build_page(user, limit=None, fresh=True),
        "generated_at": timezone.now(),
        "contacts": contacts(),
        "forwardings": forwardings,
        "sites": Site.objects.select_related("organisation").order_by("name"),
    }
