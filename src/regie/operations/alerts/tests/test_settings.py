"""Bad mail and alert settings stop start-up, naming the variable."""

import os
import subprocess
import sys

import pytest

from regie.core.testing import start_with


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"REGIE_SMTP_STARTTLS": "true", "REGIE_SMTP_SSL": "true"},
            "REGIE_SMTP_STARTTLS and REGIE_SMTP_SSL cannot both be true",
        ),
        ({"REGIE_SMTP_TIMEOUT": "0"}, "REGIE_SMTP_TIMEOUT must be at least 1, got 0"),
        ({"REGIE_PUBLIC_URL": "regie.example.org"}, "REGIE_PUBLIC_URL must start with http://"),
        ({"REGIE_ALERTS_RETRY_MINUTES": "1,cinq"}, "REGIE_ALERTS_RETRY_MINUTES must be minutes"),
        ({"REGIE_ALERTS_RETRY_MINUTES": "0"}, "REGIE_ALERTS_RETRY_MINUTES must be minutes"),
        ({"REGIE_ALERTS_MAX_ATTEMPTS": "0"}, "REGIE_ALERTS_MAX_ATTEMPTS must be at least 1"),
    ],
)
def test_bad_value_fails_at_start_with_its_name(tmp_path, env, message):
    result = start_with(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_public_url_and_smtp_options_reach_the_settings(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "DATABASE_URL"))
    }
    environment.update(
        REGIE_DATA_DIR=str(tmp_path),
        REGIE_PUBLIC_URL="https://regie.example.org/",
        REGIE_SMTP_USER="regie",
        REGIE_SMTP_STARTTLS="true",
        REGIE_ALERTS_RETRY_MINUTES="2, 10",
        DJANGO_SETTINGS_MODULE="regie.settings",
    )
    code = (
        "from django.conf import settings as s; "
        "print(s.PUBLIC_URL, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
        "s.ALERTS_RETRY_MINUTES)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "https://regie.example.org regie True False [2, 10]", (
        result.stderr
    )
