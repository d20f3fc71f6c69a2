"""``regie token create|list|revoke``: API tokens from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.core.models import ApiToken, ChangeSource, User
from regie.core.tokens import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        create: ArgumentParser = commands.add_parser(
            "create", help="Create a token and print it (only the token) on standard output."
        )
        create.add_argument("username")
        create.add_argument("--name", default="cli", help="What the token is for.")
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

    def create(self, *, username: str, name: str, **options: Any) -> None:
        user = self._user(username)
        try:
            _token, raw_key = create_api_token(
                user=user, name=name, by=None, source=ChangeSource.SYSTEM
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
            state = "active" if token.is_active else f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.user.username}\t{token.name}\t{token.key_hint}…\t"
                f"created {token.created_at:%Y-%m-%d %H:%M}\tused {used}\t{state}"
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
