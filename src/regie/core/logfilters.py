"""Filters for the log: what a refused request writes.

Django logs a refused request (403 from ``PermissionDenied``) with the exception's
traceback, as if it were a bug: an administrator reading the log then cannot tell a
technician opening a page they may not see from a crash. A refusal is one warning line;
server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Drop the traceback of a request answered with a 4xx; keep the line itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
