"""The worker's WAL checkpointer: on SQLite only, and it stops when asked."""

import pytest
from django.db import connection

from regie.core.worker import wal_checkpointer


@pytest.mark.django_db(transaction=True)
def test_checkpointer_runs_on_sqlite_only_and_stops():
    checkpointer = wal_checkpointer()
    if connection.vendor != "sqlite":
        assert checkpointer is None
        return
    assert checkpointer is not None
    assert checkpointer.is_alive()
    checkpointer.stopping.wait(1.5)  # at least one checkpoint runs meanwhile
    checkpointer.stop()
    assert not checkpointer.is_alive()
