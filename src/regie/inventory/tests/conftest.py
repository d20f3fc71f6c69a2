"""The inventory tests speak the agents' protocols with the door open by default.

A fresh install requires the generated agent credentials (``REGIE_INVENTORY_AUTH``); the
tests of the protocols, parsing and processing post as unconfigured agents do, so here
authentication is off unless a test sets credentials (the door's tests, ``test_trust``).
"""

import pytest


@pytest.fixture(autouse=True)
def _agents_without_credentials(settings):
    settings.INVENTORY_AUTH = False
    settings.INVENTORY_USERNAME = ""
    settings.INVENTORY_PASSWORD = ""
    settings.INVENTORY_CREDENTIALS_GENERATED = False
