"""C4, operations: essential-job checks, fleet compliance, alerts and the daily round.

Each is its own Django app (``regie.operations.checks``, ``.compliance``, ``.alerts``,
``.daily``) with its own models and migrations; together they are the team's control room.
"""
