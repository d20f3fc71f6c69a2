"""Test helpers every app's tests share: an API client with a real bearer token, a free port,
an SMTP recorder, the test Redis database, a ``regie check`` run with a given environment.

Tests import these from here, never from another app's ``test_*`` module or ``conftest``: an
app's tests follow the same layering as its code (``tests/test_layering.py``). The pytest
fixtures built on them (``smtp_server``, ``redis_db``…) are in the root ``conftest.py``.
Nothing here imports an app above ``core``; helpers that need a domain model (factories) stay
in that app's ``tests/factories.py``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess  # noqa: S404  # runs our own interpreter, no shell
import sys
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from regie.core.models import ApiToken, User
from regie.core.tokens import create_api_token

# pytest-xdist's worker gwN gets Redis database 15 - N: two workers never share one (a flush
# or a registered RQ worker of one would show in the other's tests).
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
TEST_REDIS_URL = f"redis://127.0.0.1:6379/{15 - _XDIST_WORKER % 8}"

# A page that loads something from the network (src= or href= to http(s)://): Régie runs
# without a CDN.
EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["']https?://""")


def bearer_client(user: User, *, scope: str = ApiToken.Scope.WRITE) -> Any:
    """An APIClient that sends ``Authorization: Bearer <token>`` for a new token of ``user``
    (read-write unless ``scope`` says otherwise, never expiring)."""
    from rest_framework.test import APIClient

    _token, raw_key = create_api_token(user=user, name="tests", scope=scope, expires_at=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def free_port() -> int:
    """A TCP port nobody listens on now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpRecorder:
    """An aiosmtpd handler that keeps every message it receives in ``messages``."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  # aiosmtpd's hook name
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": message_from_bytes(envelope.content, policy=policy.default),
            }
        )
        return "250 Message accepted for delivery"


def start_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``regie check`` in a new process with only ``env`` among the REGIE_ variables."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REGIE_", "DATABASE_URL"))
    }
    environment.update({"REGIE_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603  # our own interpreter and module
        [sys.executable, "-m", "regie.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
