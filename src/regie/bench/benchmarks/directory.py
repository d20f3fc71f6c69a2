"""The directory sync on ``users`` generated accounts: a first run, an unchanged run (target
under 5 s and no row written but the run's log), then a run with 20 changes.

The accounts are generated ``DirectoryEntry`` values, the ones an LDAP or Graph reader yields:
this measures the engine (reading Régie, comparing, writing), not a directory server. With
``--ldap-url`` (and ``--ldap-base-dn``, ``--ldap-bind-dn``, the password in
``REGIE_BENCH_LDAP_PASSWORD``) and the LDAP reader installed, it also times reading that
server and syncing what it returned.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from regie.directory.models import (
    DirectorySource,
    Organisation,
    OrganisationKind,
    Person,
    Site,
    SiteKind,
    SourceKind,
)
from regie.directory.sync.engine import reader, sync
from regie.directory.sync.entries import DirectoryEntry

DESCRIPTION = "directory sync of generated accounts: first, unchanged and 20-change runs"
TARGET_UNCHANGED_S = 5.0
CHANGES = 20
SITES = 30
DEPARTMENTS = 40
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

Output = Callable[[str], None]


def generated_entries(users: int) -> list[DirectoryEntry]:
    """``users`` accounts in ``DEPARTMENTS`` departments on ``SITES`` sites, ten per manager,
    one in fifty disabled, groups giving a few technicians and administrators."""
    return [
        DirectoryEntry(
            directory_id=f"6f1c2d3e-0000-4000-8000-{n:012d}",
            username=f"agent{n:05d}",
            principal_name=f"agent{n:05d}@mellois.fr",
            display_name=f"Prénom{n} Nom{n}",
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            email=f"agent{n:05d}@mellois.fr",
            phone=f"05 49 {n // 100 % 100:02d} {n % 100:02d} 00",
            department=f"Service {n % DEPARTMENTS}",
            site=f"Site {n % SITES}",
            job_title="Agent" if n % 7 else "Responsable",
            manager_id=f"6f1c2d3e-0000-4000-8000-{n // 10:012d}" if n >= 10 else "",
            active=n % 50 != 49,
            groups=frozenset({"GG-Tous", "GG-Informatique"} if n % 100 == 0 else {"GG-Tous"}),
        )
        for n in range(users)
    ]


def changed_entries(entries: list[DirectoryEntry]) -> list[DirectoryEntry]:
    """``CHANGES`` people changed: renamed, moved to another department or site, disabled."""
    changed = list(entries)
    step = max(1, len(entries) // CHANGES)
    for k, index in enumerate(range(0, step * CHANGES, step)):
        entry = changed[index]
        changes: list[dict[str, Any]] = [
            {"last_name": entry.last_name + "-Renommé"},
            {"department": f"Service {(index + 1) % DEPARTMENTS}"},
            {"site": f"Site {(index + 1) % SITES}"},
            {"active": not entry.active},
        ]
        change = changes[k % 4]
        changed[index] = dataclasses.replace(entry, **change)
    return changed


@contextmanager
def counting_queries() -> Iterator[dict[str, int]]:
    """Counts every query, and those that write, whatever DEBUG says."""
    counts = {"queries": 0, "writes": 0, "log_writes": 0}

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts["queries"] += 1
        if sql.lstrip().upper().startswith(_WRITES):
            if "directory_directorysyncrun" in sql:
                counts["log_writes"] += 1  # the run's own log line
            else:
                counts["writes"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counts


def _timed(
    label: str, source: DirectorySource, entries: list[DirectoryEntry], out: Output
) -> dict[str, Any]:
    with counting_queries() as counts:
        start = time.perf_counter()
        run = sync(source, dry_run=False, entries=entries)
        seconds = time.perf_counter() - start
    if run.status != "ok":
        raise RuntimeError(f"{label}: the sync failed: {run.error}")
    out(
        f"{label:<18} {seconds:7.2f} s  {counts['queries']:5d} queries  "
        f"{counts['writes']:4d} writes (+{counts['log_writes']} run log)  "
        f"created {run.created}, updated {run.updated}, disabled {run.disabled}, "
        f"unchanged {run.unchanged}"
    )
    return {
        "seconds": round(seconds, 3),
        **counts,
        "created": run.created,
        "updated": run.updated,
        "disabled": run.disabled,
        "unchanged": run.unchanged,
    }


def _territory() -> DirectorySource:
    root = Organisation.objects.create(
        name="Mellois en Poitou", kind=OrganisationKind.INTERCOMMUNALITY
    )
    Site.objects.bulk_create(
        Site(name=f"Site {n}", kind=SiteKind.OTHER, organisation=root) for n in range(SITES)
    )
    return DirectorySource.objects.create(
        name="Banc d'essai",
        kind=SourceKind.ACTIVE_DIRECTORY,
        url="ldap://127.0.0.1",
        base_dn="DC=mellois,DC=lan",
        organisation=root,
        role_mapping=[["GG-Informatique", "technician"]],
    )


def _from_ldap(url: str, base_dn: str, bind_dn: str, out: Output) -> dict[str, Any] | None:
    """Read a real server with the LDAP reader, when both are there."""
    if not url:
        out("LDAP: no --ldap-url given: the engine alone is measured, from generated accounts.")
        return None
    try:
        fetch_ldap = reader("ldap", "fetch_ldap")
    except ImportError:
        out("LDAP: the LDAP reader is not installed: the engine alone is measured.")
        return None
    source = DirectorySource.objects.create(
        name="LDAP du banc d'essai",
        kind=SourceKind.LDAP,
        url=url,
        base_dn=base_dn,
        bind_dn=bind_dn,
        organisation=Organisation.objects.first(),
    )
    source.set_bind_password(os.environ.get("REGIE_BENCH_LDAP_PASSWORD", ""))
    source.save()
    start = time.perf_counter()
    entries = list(fetch_ldap(source.ldap_settings()))
    seconds = time.perf_counter() - start
    out(f"LDAP read          {seconds:7.2f} s  {len(entries)} accounts from {url}")
    return {
        "read_seconds": round(seconds, 3),
        "accounts": len(entries),
        "first": _timed("LDAP first run", source, entries, out),
        "unchanged": _timed("LDAP unchanged", source, entries, out),
    }


def run(
    *,
    users: int,
    ldap_url: str = "",
    ldap_base_dn: str = "",
    ldap_bind_dn: str = "",
    out: Output,
    progress: Output,
) -> dict[str, Any]:
    source = _territory()
    entries = generated_entries(users)
    progress(f"{users} accounts generated; syncing")
    first = _timed("first run", source, entries, out)
    unchanged = _timed("unchanged run", source, entries, out)
    changes = _timed(f"{CHANGES} changes", source, changed_entries(entries), out)
    ok = unchanged["seconds"] < TARGET_UNCHANGED_S and unchanged["writes"] == 0
    verdict = "ok" if ok else f"ABOVE target ({TARGET_UNCHANGED_S} s, no write)"
    out(f"unchanged run: {verdict}")
    return {
        "bench": "directory",
        "users": users,
        "people": Person.objects.count(),
        "database": connection.vendor,
        "source": "generated DirectoryEntry values (the engine, no directory server)",
        "first": first,
        "unchanged": unchanged,
        "changes": changes,
        "ldap": _from_ldap(ldap_url, ldap_base_dn, ldap_bind_dn, out),
        "ok": ok,
    }
