"""Urgency × impact → priority, through one fixed table (as ITIL and GLPI do).

Rows are the urgency, columns the impact, both from 1 (very high) to 5 (very low); the cell
is the priority, P1 (critical) to P5 (planned). Shown on the "Priorities" help page.
"""

from __future__ import annotations

PRIORITY_MATRIX: tuple[tuple[int, ...], ...] = (
    # impact:  1  2  3  4  5
    (1, 1, 2, 3, 4),  # urgency 1 (very high)
    (1, 2, 2, 3, 4),  # urgency 2 (high)
    (2, 2, 3, 4, 4),  # urgency 3 (medium)
    (3, 3, 4, 4, 5),  # urgency 4 (low)
    (4, 4, 4, 5, 5),  # urgency 5 (very low)
)


def priority_for(*, urgency: int, impact: int) -> int:
    """The priority of a ticket of this urgency and impact (each 1–5)."""
    if not (1 <= urgency <= 5 and 1 <= impact <= 5):
        raise ValueError(f"urgency and impact must be 1 to 5, got {urgency} and {impact}")
    return PRIORITY_MATRIX[urgency - 1][impact - 1]
