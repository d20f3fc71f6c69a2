"""Tokens that exist before scopes and expiries keep working: the migration makes them
read-write tokens expiring a year after it runs, created under their user's role."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0005_outgoing_mail")]
AFTER = [("core", "0007_api_token_revoked_with_reason")]
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_become_read_write_for_a_year():
    old_apps = _migrate(BEFORE)
    try:
        User = old_apps.get_model("core", "User")
        ApiToken = old_apps.get_model("core", "ApiToken")
        tech = User.objects.create(username="tech", role="technician")
        boss = User.objects.create(username="chef", role="staff", is_superuser=True)
        ApiToken.objects.create(user=tech, name="actif", key_hash="a" * 64, key_hint="regie_aaaa")
        ApiToken.objects.create(
            user=boss, name="ancien", key_hash="b" * 64, key_hint="regie_bbbb", revoked_at=NOW
        )
        with time_machine.travel(NOW, tick=False):
            new_apps = _migrate(AFTER)
        ApiToken = new_apps.get_model("core", "ApiToken")
        rows = {
            token.name: (
                token.scope,
                token.expires_at,
                token.role,
                token.revoked_reason,
                token.last_used_address,
            )
            for token in ApiToken.objects.all()
        }
        assert rows == {
            "actif": ("read-write", NOW + timedelta(days=365), "technician", "", None),
            "ancien": ("read-write", NOW + timedelta(days=365), "admin", "revoked", None),
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
