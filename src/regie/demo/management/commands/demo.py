"""``regie demo``: load the demo territory once and print how to log in."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from regie.core.models import Role
from regie.demo.territory import DEMO_URL, DemoSummary, build_territory, territory_exists

ROLE_LABELS: dict[str, str] = {
    Role.ADMIN: "administrateur",
    Role.TECHNICIAN: "technicien",
    Role.READER: "lecteur",
    Role.CORRESPONDENT: "correspondant",
    Role.STAFF: "agent",
}


class Command(BaseCommand):
    help = (
        "Charge le territoire de démonstration (CC Mellois en Poitou : communes, sites, "
        "agents, parc) et affiche une fois les identifiants. Sans effet s'il est déjà chargé."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if territory_exists():
            self.stdout.write(
                "La démo est déjà chargée : rien à faire. "
                "Les identifiants ont été affichés lors du premier chargement."
            )
            return
        started = time.perf_counter()
        password = secrets.token_urlsafe(12)
        try:
            summary = build_territory(password=password, progress=self._progress)
        except IntegrityError as exc:
            # Everything was rolled back; the base already holds rows with the demo's names.
            raise CommandError(
                "La démo n'a pas pu être chargée : la base contient déjà des données qui "
                f"entrent en conflit avec elle ({exc}). Utilisez une base vide."
            ) from exc
        self.stderr.write(f"Démo chargée en {time.perf_counter() - started:.1f} s.")
        self.stdout.write(credentials_block(summary, password))

    def _progress(self, message: str) -> None:
        self.stderr.write(f"  … {message}")


def credentials_block(summary: DemoSummary, password: str) -> str:
    counts = summary.counts
    lines = [
        "",
        "=" * 72,
        "Démo Régie chargée : CC Mellois en Poitou",
        f"  {counts['communes']} communes, {counts['sites']} sites, "
        f"{counts['people']} agents, {counts.get('assets', 0)} équipements.",
        "",
        f"  Adresse        : {DEMO_URL}",
        f"  Administrateur : {summary.admin.username}",
        f"  Mot de passe   : {password}",
        "",
        "  Autres comptes (même mot de passe) :",
    ]
    for account in summary.accounts:
        if account.role == Role.ADMIN:
            continue
        lines.append(
            f"    {ROLE_LABELS[account.role]:<14} {account.username:<28} "
            f"{account.full_name}, {account.job_title}"
        )
    lines += [
        "",
        "  Ce mot de passe n'est affiché qu'une fois : notez-le maintenant.",
        "  Les comptes de la démo n'ont pas de second facteur ; une vraie installation en",
        "  exige un pour les administrateurs et les techniciens (REGIE_MFA_REQUIRED_ROLES).",
        "=" * 72,
        "",
    ]
    return "\n".join(lines)
