"""Import of MFA enrolment and Office 365 licences from a CSV file, all or nothing.

People are found by e-mail address. Columns are found by their header (French or English,
accents and case ignored); the separator may be ``;`` or ``,`` and the file UTF-8 or
Windows-1252. Every row is checked first: one refused row means nothing is written, and the
report names each refused row with its reason.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User
from regie.directory.models import Person
from regie.telework.models import RemoteAccess
from regie.telework.services import normalised_name

MAX_ROWS = 5_000

HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("e-mail", "email", "mail", "courriel", "adresse e-mail", "adresse mail"),
    "mfa": ("mfa", "mfa enrolled", "mfa active", "double authentification", "2fa"),
    "office365": (
        "office 365",
        "office365",
        "licence office 365",
        "licence",
        "m365",
        "microsoft 365",
    ),
    "date": ("date", "recorded on", "date de releve", "releve le"),
    "source": ("source", "origine"),
}
REQUIRED = ("email", "mfa", "office365")
TRUE = {"oui", "yes", "true", "vrai", "1", "o", "y", "x"}
FALSE = {"non", "no", "false", "faux", "0", "n", ""}


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _columns(header: list[str]) -> dict[str, int]:
    plain = [normalised_name(name.replace("_", " ")) for name in header]
    found: dict[str, int] = {}
    for column, names in HEADERS.items():
        for index, name in enumerate(plain):
            if name in names and column not in found:
                found[column] = index
    return found


def _boolean(value: str) -> bool | None:
    value = normalised_name(value)
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    return None


def _date(value: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007  # a date, no time
        except ValueError:
            continue
    return None


@dataclass
class _Row:
    person: Person
    mfa: bool
    office365: bool
    date: datetime.date
    source: str


def _parse(text: str) -> tuple[list[_Row], list[RowError]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return [], [RowError(1, _("The file is empty."))]
    columns = _columns(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return [], [
            RowError(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        ]
    records = list(reader)
    if len(records) > MAX_ROWS:
        return [], [RowError(1, _("Too many rows (at most %(max)d).") % {"max": MAX_ROWS})]
    emails = {
        record[columns["email"]].strip().casefold()
        for record in records
        if len(record) > columns["email"]
    }
    people = {
        person.email.casefold(): person
        for person in Person.objects.annotate(plain_email=Lower("email")).filter(
            plain_email__in=emails
        )
    }
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for line, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(name: str, record: list[str] = record) -> str:
            index = columns.get(name)
            return record[index].strip() if index is not None and index < len(record) else ""

        email = cell("email").casefold()
        problems: list[str] = []
        person = people.get(email)
        if not email:
            problems.append(_("no e-mail address"))
        elif person is None:
            problems.append(_("nobody has the e-mail address %(email)s") % {"email": email})
        elif email in seen:
            problems.append(
                _("%(email)s already on line %(line)d") % {"email": email, "line": seen[email]}
            )
        mfa, office365 = _boolean(cell("mfa")), _boolean(cell("office365"))
        if mfa is None:
            problems.append(_("MFA must be yes or no, not “%(value)s”") % {"value": cell("mfa")})
        if office365 is None:
            problems.append(
                _("Office 365 must be yes or no, not “%(value)s”") % {"value": cell("office365")}
            )
        recorded = _date(cell("date")) if cell("date") else today
        if recorded is None:
            problems.append(_("unreadable date “%(value)s”") % {"value": cell("date")})
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        assert person is not None and mfa is not None and office365 is not None  # noqa: S101
        assert recorded is not None  # noqa: S101
        seen[email] = line
        rows.append(_Row(person, mfa, office365, recorded, cell("source")[:100]))
    return rows, errors


def import_remote_access(*, data: bytes, by: User | None, default_source: str) -> ImportResult:
    """Create or update the records of the file's people; nothing at all if a row is wrong."""
    rows, errors = _parse(_decode(data))
    result = ImportResult(errors=errors)
    if errors:
        return result
    existing = {
        access.person_id: access
        for access in RemoteAccess.objects.filter(person__in=[row.person for row in rows])
    }
    with transaction.atomic():
        for row in rows:
            access = existing.get(row.person.pk) or RemoteAccess(person=row.person)
            created = access.pk is None
            access.mfa_enrolled = row.mfa
            access.office365_licence = row.office365
            access.recorded_on = row.date
            access.source = row.source or default_source
            save_with_history(instance=access, by=by, source=ChangeSource.WEB)
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
