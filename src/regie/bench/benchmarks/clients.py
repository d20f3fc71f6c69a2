"""The browser a benchmark measures pages with."""

from __future__ import annotations

from django.test import Client

from regie.accounts.factors import SECOND_FACTOR
from regie.core.models import User


def signed_in_client(user: User) -> Client:
    """A client signed in as ``user`` with its second factor given, as a technician or an
    administrator is after the second step (their roles require one)."""
    client = Client(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS accepts by default
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR] = "totp"
    session.save()
    return client
