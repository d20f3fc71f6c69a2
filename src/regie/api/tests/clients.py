"""An API client authenticated with a real bearer token, for the API tests of every app."""

from rest_framework.test import APIClient

from regie.core.tokens import create_api_token


def bearer_client(user):
    """An APIClient that sends ``Authorization: Bearer <token>`` for a new token of ``user``."""
    _token, raw_key = create_api_token(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client
