"""Database housekeeping shared by the commands."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """Let the query planner see how the data is spread (after bulk loads, at start-up).

    Without statistics SQLite walks the ordered index of a list page even when a search
    matches a handful of rows; with them it counts a 100,000-asset search in ~3 ms instead of
    ~30 ms. PostgreSQL's autovacuum analyzes on its own; an explicit ANALYZE after a bulk
    load only brings that forward.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
