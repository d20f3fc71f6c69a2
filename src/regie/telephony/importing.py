"""Import of lines from an operator's CSV export, all or nothing.

Columns are found by their header (French or English, accents and case ignored; see
``HEADERS``); the separator may be ``;`` or ``,`` and the file UTF-8 or Windows-1252, as
French operators' exports are. Every row is checked first; unless the caller accepts to import
the valid rows only, one refused row means nothing is written. Numbers already known are
reported and skipped.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User
from regie.directory.models import Site
from regie.telephony.models import (
    SIM_KINDS,
    Line,
    LineKind,
    LineStatus,
    Operator,
    OperatorContract,
    SimCard,
    Technology,
)
from regie.telephony.numbers import normalise_iccid, normalise_number

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000


def _plain(text: str) -> str:
    """Lower case, no accents, single spaces: how headers and values are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(base.casefold().replace("_", " ").replace("'", " ").split())


# column → accepted headers (compared with _plain)
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("numero", "number", "numero de ligne", "n de ligne", "ligne", "nd", "msisdn"),
    "kind": ("type", "kind", "type de ligne", "usage"),
    "technology": ("technologie", "technology", "support", "acces"),
    "status": ("statut", "status", "etat"),
    "site": ("site", "site code", "code site"),
    "label": ("libelle", "label", "description", "designation"),
    "iccid": ("iccid", "numero sim", "sim"),
    "operator": ("operateur", "operator"),
    "contract": ("contrat", "contract", "reference contrat", "ref contrat"),
    "notes": ("notes", "commentaire", "remarques"),
}

KIND_VALUES: dict[str, str] = {
    "analogique": LineKind.ANALOGUE,
    "ligne analogique": LineKind.ANALOGUE,
    "rtc": LineKind.ANALOGUE,
    "sip": LineKind.SIP_TRUNK,
    "trunk sip": LineKind.SIP_TRUNK,
    "numeris t0": LineKind.T0,
    "numeris t2": LineKind.T2,
    "gsm": LineKind.MOBILE,
    "forfait mobile": LineKind.MOBILE,
    "4g": LineKind.DATA,
    "5g": LineKind.DATA,
    "cle 4g": LineKind.DATA,
    "internet mobile": LineKind.DATA,
    "alarme": LineKind.ALARM,
    "ascenseur": LineKind.LIFT,
    "urgence": LineKind.EMERGENCY,
    "telephone d urgence": LineKind.EMERGENCY,
}
TECHNOLOGY_VALUES: dict[str, str] = {
    "cuivre": Technology.COPPER,
    "fibre": Technology.FIBRE,
    "fiber": Technology.FIBRE,
    "ftth": Technology.FIBRE,
    "4g": Technology.RADIO,
    "5g": Technology.RADIO,
    "voip": Technology.IP,
}
STATUS_VALUES: dict[str, str] = {
    "actif": LineStatus.ACTIVE,
    "actif ve": LineStatus.ACTIVE,
    "suspendu": LineStatus.SUSPENDED,
    "resilie": LineStatus.TERMINATED,
}


def _choice(
    value: str, choices: type[LineKind | Technology | LineStatus], extra: dict[str, str]
) -> str | None:
    plain = _plain(value)
    for member in choices:
        if plain in {_plain(member.value), _plain(str(member.label))}:
            return str(member.value)
    return extra.get(plain)


@dataclass(frozen=True)
class RowProblem:
    line: int  # line number in the file (the header is line 1)
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: list[Line] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    created: int = 0
    imported: bool = False
    file_error: str = ""


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, no number column)."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's French default)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(text: str) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """(column → header found, [(line number, {column: value})])."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    for index, name in enumerate(header):
        plain = _plain(name)
        for column, accepted in HEADERS.items():
            if plain in accepted and column not in positions:
                positions[column] = index
                found[column] = name.strip()
    if "number" not in positions:
        raise ImportFileError(
            _("No number column: the first line must name the columns (e.g. “Numéro;Type;Site”).")
        )
    if "kind" not in positions:
        raise ImportFileError(_("No kind column (“Type”)."))
    rows: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("Too many rows: at most %(max)s.") % {"max": MAX_ROWS})
        row = {
            column: values[index].strip() if index < len(values) else ""
            for column, index in positions.items()
        }
        rows.append((reader.line_num, row))
    return found, rows


class _Lookups:
    """Sites, operators and contracts by name, read once per import."""

    def __init__(self, default_operator: Operator | None) -> None:
        self.default_operator = default_operator
        self.sites = {_plain(site.name): site for site in Site.objects.all()}
        self.site_ids = {str(site.pk): site for site in self.sites.values()}
        self.operators = {_plain(op.name): op for op in Operator.objects.all()}
        self.contracts = {
            (contract.operator_id, _plain(contract.reference)): contract
            for contract in OperatorContract.objects.all()
        }


def _build_line(row: dict[str, str], lookups: _Lookups) -> tuple[Line, str, list[str]]:
    """The line a row describes, its ICCID, and what is wrong with it."""
    errors: list[str] = []
    line = Line(number=row.get("number", ""), label=row.get("label", "")[:150])
    line.notes = row.get("notes", "")
    kind = _choice(row.get("kind", ""), LineKind, KIND_VALUES)
    if kind is None:
        errors.append(_("unknown kind “%(value)s”") % {"value": row.get("kind", "")})
    else:
        line.kind = kind
    if row.get("technology"):
        technology = _choice(row["technology"], Technology, TECHNOLOGY_VALUES)
        if technology is None:
            errors.append(_("unknown technology “%(value)s”") % {"value": row["technology"]})
        else:
            line.technology = technology
    elif kind == LineKind.ANALOGUE:
        line.technology = Technology.COPPER
    if row.get("status"):
        status = _choice(row["status"], LineStatus, STATUS_VALUES)
        if status is None:
            errors.append(_("unknown status “%(value)s”") % {"value": row["status"]})
        else:
            line.status = status
    if row.get("site"):
        site = lookups.sites.get(_plain(row["site"])) or lookups.site_ids.get(row["site"])
        if site is None:
            errors.append(_("unknown site “%(value)s”") % {"value": row["site"]})
        line.site = site
    operator = lookups.default_operator
    if row.get("operator"):
        operator = lookups.operators.get(_plain(row["operator"]))
        if operator is None:
            errors.append(_("unknown operator “%(value)s”") % {"value": row["operator"]})
    line.operator = operator
    if row.get("contract"):
        contract = (
            lookups.contracts.get((operator.pk, _plain(row["contract"]))) if operator else None
        )
        if contract is None:
            errors.append(_("unknown contract “%(value)s”") % {"value": row["contract"]})
        line.contract = contract
    iccid = row.get("iccid", "")
    if iccid:
        try:
            iccid = normalise_iccid(iccid)
        except ValidationError as exc:
            errors.append(_labelled(_("ICCID"), exc))
        if kind is not None and kind not in SIM_KINDS:
            errors.append(_("an ICCID is given for a line that is not a mobile or data line"))
    return line, iccid, errors


def _labelled(label: str, exc: ValidationError) -> str:
    return _("%(field)s: %(message)s") % {"field": label, "message": " ".join(exc.messages)}


def _field_messages(line: Line, exc: ValidationError) -> list[str]:
    messages = []
    for name, field_messages in exc.message_dict.items():
        fields = {field.name: field for field in line._meta.concrete_fields}
        label = capfirst(str(fields[name].verbose_name)) if name in fields else ""
        for message in field_messages:
            messages.append(
                _("%(field)s: %(message)s") % {"field": label, "message": message}
                if label
                else message
            )
    return messages


def check_rows(rows: list[tuple[int, dict[str, str]]], lookups: _Lookups) -> ImportReport:
    report = ImportReport(rows=len(rows))
    seen_numbers: dict[str, int] = {}
    seen_iccids: dict[str, int] = {}
    known_iccids = set(SimCard.objects.values_list("iccid", flat=True))
    for line_no, row in rows:
        line, iccid, errors = _build_line(row, lookups)
        try:
            line.number = normalise_number(line.number) if line.number else ""
        except ValidationError as exc:
            errors.append(_labelled(_("Number"), exc))
        if not line.number and not errors:
            errors.append(_("Number: this field is required."))
        if line.number and Line.objects.filter(number=line.number).exists():
            report.duplicates.append(
                RowProblem(
                    line_no,
                    _("%(number)s is already recorded; row skipped.")
                    % {"number": line.number_display},
                )
            )
            continue
        if line.number in seen_numbers:
            errors.append(
                _("the number is already on line %(line)s of the file")
                % {"line": seen_numbers[line.number]}
            )
        if iccid and iccid in seen_iccids:
            errors.append(
                _("the ICCID is already on line %(line)s of the file")
                % {"line": seen_iccids[iccid]}
            )
        elif iccid and iccid in known_iccids:
            errors.append(
                _("a SIM card with ICCID %(iccid)s is already recorded") % {"iccid": iccid}
            )
        if not errors:
            try:
                line.full_clean()
            except ValidationError as exc:
                errors.extend(_field_messages(line, exc))
        if errors:
            report.refused.append(RowProblem(line_no, "; ".join(errors)))
            continue
        seen_numbers[line.number] = line_no
        if iccid:
            seen_iccids[iccid] = line_no
        line._import_iccid = iccid  # type: ignore[attr-defined]  # carried to the write step
        report.valid.append(line)
    return report


def import_lines(
    *,
    data: bytes,
    by: User | None,
    operator: Operator | None = None,
    valid_only: bool = False,
    dry_run: bool = False,
    source: str = ChangeSource.WEB,
) -> ImportReport:
    """Check every row of ``data``, then write the lines (and their SIM cards) in one
    transaction — only if no row was refused, or if ``valid_only`` says so."""
    if len(data) > MAX_BYTES:
        return ImportReport(
            file_error=_("The file is too large (at most %(size)s MB).")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        _headers, rows = read_rows(decode(data))
    except (ImportFileError, csv.Error) as exc:
        return ImportReport(file_error=str(exc))
    report = check_rows(rows, _Lookups(operator))
    if dry_run or not report.valid or (report.refused and not valid_only):
        return report
    with transaction.atomic():
        for line in report.valid:
            iccid = line._import_iccid  # type: ignore[attr-defined]
            save_with_history(instance=line, by=by, source=source)
            if iccid:
                sim = SimCard(iccid=iccid, line=line, operator=line.operator)
                sim.full_clean()
                save_with_history(instance=sim, by=by, source=source)
    report.created = len(report.valid)
    report.imported = True
    return report
