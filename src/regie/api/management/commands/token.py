"""``regie token create|list|revoke``: API tokens from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from regie.core.models import ApiToken, ChangeSource, User
from regie.core.tokens import DEFAULT_LIFETIME, create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        create: ArgumentParser = commands.add_parser(
            "create", help="Create a token and print it (only the token) on standard output."
        )
        create.add_argument("username")
        create.add_argument("--name", default="cli", help="What the token is for.")
        create.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ,
            help="read (the default: the token cannot change anything) or read-write.",
        )
        expiry = create.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-days",
            type=int,
            default=DEFAULT_LIFETIME.days,
            metavar="N",
            help=f"The token expires N days from now (default {DEFAULT_LIFETIME.days}).",
        )
        expiry.add_argument("--no-expiry", action="store_true", help="The token never expires.")
        listing: ArgumentParser = commands.add_parser("list", help="List tokens.")
        listing.add_argument("username", nargs="?", help="Only this user's tokens.")
        revoke: ArgumentParser = commands.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "create":
            self.create(**options)
        elif options["command"] == "list":
            self.list(**options)
        else:
            self.revoke(**options)

    def create(
        self,
        *,
        username: str,
        name: str,
        scope: str,
        expires_days: int,
        no_expiry: bool,
        **options: Any,
    ) -> None:
        user = self._user(username)
        if not no_expiry and expires_days < 1:
            raise CommandError("--expires-days must be at least 1 (or use --no-expiry).")
        expires_at = None if no_expiry else timezone.now() + timedelta(days=expires_days)
        try:
            _token, raw_key = create_api_token(
                user=user,
                name=name,
                scope=scope,
                expires_at=expires_at,
                by=None,
                source=ChangeSource.SYSTEM,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        # Scripts capture standard output: the token and nothing else.
        self.stdout.write(raw_key)

    def list(self, *, username: str | None, **options: Any) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user=self._user(username))
        for token in tokens:
            self.stdout.write("\t".join(self._row(token)))

    @staticmethod
    def _row(token: ApiToken) -> tuple[str, ...]:
        def when(value: datetime) -> str:
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

        if token.revoked_at is not None:
            state = f"revoked {when(token.revoked_at)} ({token.revoked_reason})"
        elif token.is_expired:
            state = "expired"
        else:
            state = "active"
        used = "never"
        if token.last_used_at:
            used = when(token.last_used_at)
            if token.last_used_address:
                used += f" from {token.last_used_address}"
        expires = when(token.expires_at) if token.expires_at else "never"
        return (
            str(token.pk),
            token.user.username,
            token.name,
            f"{token.key_hint}…",
            token.scope,
            f"created {when(token.created_at)}",
            f"expires {expires}",
            f"used {used}",
            state,
        )

    def revoke(self, *, id: int, **options: Any) -> None:
        try:
            token = ApiToken.objects.get(pk=id)
        except ApiToken.DoesNotExist:
            raise CommandError(f"No API token with id {id}.") from None
        revoke_api_token(token=token, by=None, source=ChangeSource.SYSTEM)
        self.stderr.write(f"Token {token.pk} ({token.name}) of {token.user.username} is revoked.")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user account named {username!r}.") from None
