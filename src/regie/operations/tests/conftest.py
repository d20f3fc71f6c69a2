"""The alerts app's real SMTP server and HTTP receiver, for the operations end-to-end tests."""

from regie.operations.alerts.tests.conftest import receiver, smtp_server  # noqa: F401
