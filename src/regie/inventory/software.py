"""Bringing an asset's installed software to what a report lists, through the catalogue.

Everything is diffed in Python on natural keys, with a fixed number of queries whatever the
number of programs: one read of the asset's installations, then for what is new a read and
an ``INSERT … ON CONFLICT DO NOTHING`` per catalogue level, one insert of installations and
one delete. Catalogue rows are inserted in sorted order and conflicts ignored, so two
reports inserting the same new program at once neither fail nor deadlock (both wait on
the same first key), and the re-read finds the row whichever transaction created it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction

from regie.assets.models import (
    SOFTWARE_ARCHITECTURE_LENGTH,
    SOFTWARE_NAME_LENGTH,
    SOFTWARE_VERSION_LENGTH,
    Asset,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
    normalise_software_text,
)
from regie.core.database import insert_rows
from regie.inventory import report as reported

# Well under every backend's limit on query parameters (SQLite: 999 on old builds).
_CHUNK = 900

T = TypeVar("T")

ProgramKey = tuple[str, str]  # normalised name, normalised publisher
InstallKey = tuple[str, str, str, str]  # program key + version + architecture


@dataclass(frozen=True, slots=True)
class Wanted:
    name: str
    publisher: str
    version: str
    architecture: str
    install_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Installed:
    pk: int
    name: str
    version: str
    install_date: dt.date | None


@dataclass(frozen=True, slots=True)
class SoftwareDiff:
    added: dict[InstallKey, Wanted]
    removed: dict[InstallKey, Installed]
    had_any: bool  # whether the asset had any software before
    total: int  # installations after the sync


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def wanted_software(entries: Iterable[reported.Software]) -> dict[InstallKey, Wanted]:
    """The report's programs keyed like the catalogue; the first of duplicates wins."""
    wanted: dict[InstallKey, Wanted] = {}
    for entry in entries:
        name = " ".join(entry.name.split())[:SOFTWARE_NAME_LENGTH]
        key = (
            normalise_software_text(name),
            normalise_software_text(entry.publisher),
            (entry.version or "").strip()[:SOFTWARE_VERSION_LENGTH],
            (entry.architecture or "").strip()[:SOFTWARE_ARCHITECTURE_LENGTH],
        )
        if key[0] and key not in wanted:
            publisher = " ".join((entry.publisher or "").split())[:SOFTWARE_NAME_LENGTH]
            wanted[key] = Wanted(name, publisher, key[2], key[3], entry.install_date)
    return wanted


def _installed_details(pks: Sequence[int]) -> dict[InstallKey, Installed]:
    """The catalogue key, name and version of the installations ``pks``."""
    found: dict[InstallKey, Installed] = {}
    for chunk in _chunks(sorted(pks)):
        # ``order_by()``: the models' default ordering would sort by the programs' French
        # collation, a Python callback on SQLite, for rows only ever read into a dict.
        rows = (
            SoftwareInstallation.objects.filter(pk__in=chunk)
            .order_by()
            .values_list(
                "pk",
                "install_date",
                "version__version",
                "version__architecture",
                "version__software__normalized_name",
                "version__software__normalized_publisher",
                "version__software__name",
            )
        )
        found.update(
            {
                (name_key, publisher_key, version, architecture): Installed(pk, name, version, date)
                for pk, date, version, architecture, name_key, publisher_key, name in rows
            }
        )
    return found


class _Catalogue:
    """Ids of catalogue rows this process has seen committed: (program key) → software id,
    (software id, version, architecture) → version id.

    A machine's first inventory names hundreds of programs that other machines already
    reported; looking them up again cost ~10 ms a report. Rows enter only after their
    transaction commits. Catalogue rows are never deleted by Régie (installations protect
    them); should one be removed by hand, the report that used its id fails on commit and
    ``forget`` lets the retry read the database again.
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self.programs: dict[ProgramKey, int] = {}
        self.versions: dict[tuple[int, str, str], int] = {}

    def remember(
        self, programs: dict[ProgramKey, int], versions: dict[tuple[int, str, str], int]
    ) -> None:
        def commit() -> None:
            if len(self.programs) + len(programs) > self.LIMIT:
                self.forget()
            self.programs.update(programs)
            self.versions.update(versions)

        transaction.on_commit(commit)

    def forget(self) -> None:
        self.programs.clear()
        self.versions.clear()


catalogue = _Catalogue()


def _program_ids(keys: dict[ProgramKey, Wanted]) -> dict[ProgramKey, int]:
    def read(wanted: Iterable[ProgramKey]) -> dict[ProgramKey, int]:
        wanted = set(wanted)
        found: dict[ProgramKey, int] = {}
        for names in _chunks(sorted({name for name, _ in wanted})):
            rows = (
                Software.objects.filter(normalized_name__in=names)
                .order_by()
                .values_list("pk", "normalized_name", "normalized_publisher")
            )
            found.update({(n, p): pk for pk, n, p in rows if (n, p) in wanted})
        return found

    known = catalogue.programs
    ids = {key: known[key] for key in keys if key in known}
    ids.update(read(key for key in keys if key not in ids))
    missing = sorted(set(keys) - set(ids))
    if missing:
        Software.objects.bulk_create(
            (
                Software(
                    name=keys[key].name,
                    publisher=keys[key].publisher,
                    normalized_name=key[0],
                    normalized_publisher=key[1],
                )
                for key in missing
            ),
            ignore_conflicts=True,
        )
        ids.update(read(missing))
    return ids


def _version_ids(keys: set[tuple[int, str, str]]) -> dict[tuple[int, str, str], int]:
    def read(wanted: set[tuple[int, str, str]]) -> dict[tuple[int, str, str], int]:
        found: dict[tuple[int, str, str], int] = {}
        # By program AND version text: a program seen on many machines may have thousands
        # of versions in the catalogue, of which a report names one or two.
        for chunk in _chunks(sorted(wanted)):
            rows = (
                SoftwareVersion.objects.filter(
                    software_id__in={program for program, _, _ in chunk},
                    version__in={version for _, version, _ in chunk},
                )
                .order_by()
                .values_list("pk", "software_id", "version", "architecture")
            )
            found.update({(s, v, a): pk for pk, s, v, a in rows if (s, v, a) in wanted})
        return found

    known = catalogue.versions
    ids = {key: known[key] for key in keys if key in known}
    unknown = keys - set(ids)
    if unknown:
        ids.update(read(unknown))
    missing = sorted(keys - set(ids))
    if missing:
        SoftwareVersion.objects.bulk_create(
            (SoftwareVersion(software_id=s, version=v, architecture=a) for s, v, a in missing),
            ignore_conflicts=True,
        )
        ids.update(read(set(missing)))
    return ids


def sync_software(*, asset: Asset, wanted: dict[InstallKey, Wanted]) -> SoftwareDiff:
    """Make ``asset``'s installations ``wanted`` (see ``wanted_software``); return what was
    added and removed.

    The wanted programs are turned into catalogue version ids first (remembered by the
    worker, created when new), so the asset's installations are compared by id: reading
    them needs only the (asset, version) index, not a join over the catalogue for each of
    hundreds of rows, which grows costly as the fleet grows. Only removed rows are read in
    full, for the history. Install dates are taken when a program is installed and not
    rewritten afterwards: agents disagree about them (or leave them out), and rewriting
    would turn every re-inventory into hundreds of writes.
    """
    programs = _program_ids({key[:2]: item for key, item in wanted.items()})
    versions = _version_ids({(programs[key[:2]], key[2], key[3]) for key in wanted})
    catalogue.remember(programs, versions)
    wanted_ids = {versions[(programs[key[:2]], key[2], key[3])]: key for key in wanted}
    installed_ids = dict(
        SoftwareInstallation.objects.filter(asset=asset).order_by().values_list("version_id", "pk")
    )
    added_ids = sorted(wanted_ids.keys() - installed_ids.keys())
    removed_pks = [installed_ids[version] for version in installed_ids.keys() - wanted_ids.keys()]
    removed = _installed_details(removed_pks) if removed_pks else {}
    for pks in _chunks(sorted(removed_pks)):
        SoftwareInstallation.objects.filter(pk__in=pks).delete()
    insert_rows(
        SoftwareInstallation,
        ("asset", "version", "install_date"),
        ((asset.pk, version, wanted[wanted_ids[version]].install_date) for version in added_ids),
    )
    added = {wanted_ids[version]: wanted[wanted_ids[version]] for version in added_ids}
    return SoftwareDiff(
        added=added, removed=removed, had_any=bool(installed_ids), total=len(wanted_ids)
    )


def describe_changes(diff: SoftwareDiff) -> list[tuple[str, str]]:
    """(old, new) texts for the history: "Firefox 115" → "Firefox 128" when upgraded.

    A removed and an added version of the same program and architecture pair up as an
    upgrade (or downgrade); the rest read as added ("" → new) or removed (old → "").
    """
    removed_by_program: dict[tuple[str, str, str], list[Installed]] = defaultdict(list)
    for key, item in sorted(diff.removed.items()):
        removed_by_program[(key[0], key[1], key[3])].append(item)
    lines: list[tuple[str, str]] = []
    for key, wanted in sorted(diff.added.items()):
        new = f"{wanted.name} {wanted.version}".strip()
        previous = removed_by_program.get((key[0], key[1], key[3]))
        old = previous.pop(0) if previous else None
        lines.append((f"{old.name} {old.version}".strip() if old else "", new))
    for items in removed_by_program.values():
        lines.extend((f"{item.name} {item.version}".strip(), "") for item in items)
    return lines
