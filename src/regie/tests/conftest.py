"""The alerts app's real HTTP receiver, for the operations end-to-end tests (the SMTP server
is the project's fixture)."""

from regie.operations.alerts.tests.conftest import receiver  # noqa: F401
