"""Régie settings: one file, every deploy-specific value from the environment.

Each variable is documented in ``docs/configuration.md``. A bad value stops start-up with a
clear message; nothing falls back silently.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import stat
import time as time_module
import zoneinfo
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """A string variable, or the content of the file named by ``<NAME>_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")
    return raw.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {raw!r}")
    return value


def env_time(name: str, default: str) -> time:
    raw = os.environ.get(name) or default
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time such as 08:00, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgresql:// or sqlite://, got {url.split(':')[0]!r}"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    return config


def redis_from_url(url: str) -> dict[str, Any]:
    """The connection settings of ``REGIE_REDIS_URL``; the message never repeats a password."""
    from urllib.parse import urlsplit

    from redis.connection import parse_url

    example = "such as redis://127.0.0.1:6379/0"
    scheme = url.split("://")[0] if "://" in url else ""
    if scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REGIE_REDIS_URL must start with redis://, rediss:// or unix:// ({example}), "
            f"got {scheme + '://' if scheme else 'no scheme'!r}"
        )
    try:
        config: dict[str, Any] = parse_url(url)  # type: ignore[no-untyped-call]  # redis does not annotate it
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"REGIE_REDIS_URL is not a valid Redis URL ({example}): {exc}"
        ) from None
    if scheme != "unix":
        database = urlsplit(url).path.strip("/")
        if not config.get("host"):
            raise ImproperlyConfigured(f"REGIE_REDIS_URL names no host ({example})")
        if database and not database.isdigit():
            raise ImproperlyConfigured(
                f"REGIE_REDIS_URL must end with a database number ({example}), got {database!r}"
            )
    return config


# Every file and directory this process creates is its account's alone: the database and
# the WAL and shared-memory files SQLite opens later, the keys, attachments, uploads, backups.
# Every entry point (``regie``, the WSGI application of granian's workers, the test runner)
# loads these settings before it writes anything, so this is the one place to set it.
PRIVATE_UMASK = 0o077
os.umask(PRIVATE_UMASK)


# What a data directory of Régie's holds; only such a directory (or an empty one) is tightened,
# never a shared one such as /tmp that REGIE_DATA_DIR might name by mistake.
_DATA_DIR_MARKERS = {"regie.sqlite3", "secret_key", "field_encryption_key", "static"}


def private_data_dir(path: Path) -> Path:
    """``path`` created 0700; if it exists, belongs to this account and is Régie's (or
    empty), it and the files directly in it lose any group or other permission (an install
    from before 0700)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        entries = list(path.iterdir())
        ours = path.stat().st_uid == os.geteuid()
        if ours and (not entries or _DATA_DIR_MARKERS & {entry.name for entry in entries}):
            for entry in (path, *entries):
                status = entry.lstat()
                loose = status.st_mode & 0o077 and not stat.S_ISLNK(status.st_mode)
                if loose and status.st_uid == os.geteuid():
                    entry.chmod(status.st_mode & 0o700)
    except OSError as exc:
        raise ImproperlyConfigured(f"REGIE_DATA_DIR: cannot create {path}: {exc}") from exc
    return path


def read_or_create_key(path: Path, make: Callable[[], str]) -> str:
    """The key in ``path``; a new one from ``make()`` written there first (0600, never over
    an existing file: two processes starting together both read the first one written)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as key_file:
            key_file.write(make())
    for _attempt in range(50):  # the first writer may still be writing
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time_module.sleep(0.01)
    raise ImproperlyConfigured(f"{path} is empty: delete it to have a new key generated")


DATA_DIR = private_data_dir(Path(env_str("REGIE_DATA_DIR", "var")).resolve())


def _secret_key() -> str:
    configured = env_str("REGIE_SECRET_KEY", "")
    if configured:
        return configured
    return read_or_create_key(DATA_DIR / "secret_key", lambda: "regie-" + secrets.token_urlsafe(50))


SECRET_KEY = _secret_key()
DEBUG = env_bool("REGIE_DEBUG", False)
ALLOWED_HOSTS = env_list("REGIE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Reverse proxies whose X-Forwarded-For is believed (see regie.core.http.client_address).
TRUSTED_PROXIES = env_list("REGIE_TRUSTED_PROXIES", [])
for _network in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"REGIE_TRUSTED_PROXIES: {_network!r} is not an address or network such as "
            f"10.0.0.5 or 10.0.0.0/24 ({exc})"
        ) from None
CSRF_TRUSTED_ORIGINS = env_list("REGIE_CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"REGIE_CSRF_TRUSTED_ORIGINS entries must start with http:// or https://, "
            f"got {_origin!r}"
        )

INSTALLED_APPS = [
    "regie.core",
    "regie.directory",
    "regie.accounts",
    "regie.assets",
    "regie.inventory",
    "regie.operations.daily",
    "regie.operations.compliance",
    "regie.operations.alerts",
    "regie.field",
    "regie.helpdesk",
    "regie.telephony",
    "regie.operations.checks",
    "regie.telework",
    "regie.continuity",
    "regie.api",
    "regie.backup",
    "regie.demo",
    "regie.bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "regie.accounts.middleware.SecondFactorMiddleware",
    "regie.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regie.urls"
WSGI_APPLICATION = "regie.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regie.navigation.navigation",
            ],
        },
    }
]

# FULL: SQLite syncs the WAL at every commit, so a report acknowledged to an agent survives a
# power cut (NORMAL syncs only at checkpoints: a cut could roll back the last commits).
# NORMAL is for storage that survives power cuts by itself (battery-backed cache).
SQLITE_SYNCHRONOUS = env_str("REGIE_SQLITE_SYNCHRONOUS", "FULL").upper()
if SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL"}:
    raise ImproperlyConfigured(
        f"REGIE_SQLITE_SYNCHRONOUS must be FULL or NORMAL, got {SQLITE_SYNCHRONOUS!r}"
    )

DATABASES: dict[str, dict[str, Any]] = {
    "default": {
        "ENGINE": "regie.core.sqlite",
        "NAME": DATA_DIR / "regie.sqlite3",
        # Keep connections open: opening one runs the pragmas below and registers the
        # collation, and closing the last one checkpoints the WAL; per request or per task
        # that cost ~18 ms each time (the worker closes unusable ones itself).
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids
            # "database is locked" on lock upgrades inside write transactions.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536; "
                # The worker checkpoints the WAL in the background (regie.core.worker); a
                # commit runs one itself only past 64 MB of WAL.
                "PRAGMA wal_autocheckpoint=16384;"
            ),
        },
    }
}
if database_url := env_str("DATABASE_URL", ""):
    DATABASES["default"] = database_from_url(database_url)
if DATABASES["default"]["ENGINE"] == "regie.core.sqlite":
    # Tests run on an in-memory database, said explicitly: pytest-django's xdist support
    # recognises Django's own SQLite engine only and would otherwise give each worker a file
    # named after the data directory.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str(
        "REGIE_TEST_DATABASE", "test_regie"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The directory password for accounts synced from LDAP / Active Directory; local
    # accounts (no directory id) keep their Régie password through ModelBackend.
    "regie.directory.ldap_auth.DirectoryPasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A passkey alone signs in (it is two factors: the device and its PIN or biometrics).
    "django_otp_webauthn.backends.WebAuthnBackend",
]

# Login throttling. Per address: after AXES_FAILURE_LIMIT failed logins from one address, that
# address is blocked for AXES_COOLOFF_TIME hours, whatever the accounts it tried. Per account,
# never a block (an attacker could lock a real user out): after a few failures the account
# answers "try again in N seconds", a wait that doubles up to a minute (regie.accounts.throttle).
AXES_FAILURE_LIMIT = env_int("REGIE_LOGIN_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = env_int("REGIE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "regie.core.http.client_address"

# Second factor (regie.accounts): the roles that must have one (TOTP or passkey) before any page
# opens; other users may add one and are then always asked for it.
MFA_REQUIRED_ROLES = env_list("REGIE_MFA_REQUIRED_ROLES", ["admin", "technician"])
if MFA_REQUIRED_ROLES == ["none"]:
    MFA_REQUIRED_ROLES = []
for _role in MFA_REQUIRED_ROLES:
    if _role not in {"admin", "technician", "reader", "correspondent", "staff"}:
        raise ImproperlyConfigured(
            "REGIE_MFA_REQUIRED_ROLES must be roles among admin, technician, reader, "
            f"correspondent, staff separated by commas, or none; got {_role!r}"
        )
OTP_TOTP_ISSUER = "Régie"
# Passkeys: the relying party id is the host people reach Régie at (REGIE_PUBLIC_URL's, else
# the request's); browsers refuse an IP address, so use a name (localhost on one machine).
OTP_WEBAUTHN_RP_NAME = "Régie"
OTP_WEBAUTHN_RP_ID_CALLABLE = "regie.accounts.webauthn.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "regie.accounts.webauthn.Helper"
# The allowed origin is derived the same way, by that helper, not listed here.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("REGIE_TIME_ZONE", "Europe/Paris")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"REGIE_TIME_ZONE must be a time zone such as Europe/Paris, got {TIME_ZONE!r}"
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"
# Django's file storage sets these modes itself, whatever the umask (0644 by default).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("REGIE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "regie.core.rest.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "regie.core.rest.permissions.TokenScopePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["regie.core.rest.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["regie.core.rest.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "regie.core.rest.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "regie.core.rest.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Régie API",
    "DESCRIPTION": "Fleet, directory and operations of the IT department.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regie.core.rest.schema.postprocess_schema",
    ],
    # The API browser's scripts come from drf-spectacular-sidecar, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "regie.directory.models.OrganisationKind",
        "SiteKindEnum": "regie.directory.models.SiteKind",
        "AssetKindEnum": "regie.assets.models.AssetKind",
        "ContractKindEnum": "regie.assets.models.ContractKind",
        "LogKindEnum": "regie.operations.daily.models.LogKind",
    },
}
# The empty choice of every list filter.
FILTERS_EMPTY_CHOICE_LABEL = _("All")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}
# Several worker machines: the tasks go to Redis (RQ) instead of the database; periodic jobs
# are still claimed in the database (see regie.core.schedule).
REDIS_URL = env_str("REGIE_REDIS_URL", "")
if REDIS_URL:
    redis_from_url(REDIS_URL)
    INSTALLED_APPS.append("django_rq")
    TASKS["default"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    # RQ stops a task after DEFAULT_TIMEOUT seconds (the database backend never does): a
    # nightly sweep over a large fleet must not be cut at RQ's default of three minutes.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

EMAIL_HOST = env_str("REGIE_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("REGIE_SMTP_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("REGIE_FROM_EMAIL", "regie@localhost")
EMAIL_HOST_USER = env_str("REGIE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("REGIE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("REGIE_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("REGIE_SMTP_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("REGIE_SMTP_STARTTLS and REGIE_SMTP_SSL cannot both be true")
EMAIL_TIMEOUT = env_int("REGIE_SMTP_TIMEOUT", 10, minimum=1)

# Alerts (regie.operations.alerts): minutes to wait before each new attempt of a failed
# delivery (the last wait repeats), how many attempts before giving up, webhook timeout.
_retry_minutes = env_list("REGIE_ALERTS_RETRY_MINUTES", ["1", "5", "15", "60"])
if not all(value.isdigit() and 0 < int(value) <= 10_080 for value in _retry_minutes):
    raise ImproperlyConfigured(
        "REGIE_ALERTS_RETRY_MINUTES must be minutes between 1 and 10080 separated by commas, "
        f"got {','.join(_retry_minutes)!r}"
    )
ALERTS_RETRY_MINUTES = [int(value) for value in _retry_minutes]
ALERTS_MAX_ATTEMPTS = env_int("REGIE_ALERTS_MAX_ATTEMPTS", 5, minimum=1)
ALERTS_WEBHOOK_TIMEOUT = env_int("REGIE_ALERTS_WEBHOOK_TIMEOUT", 10, minimum=1)
# The same event kind and link to the same channel within this many seconds is sent once.
ALERTS_DEDUP_SECONDS = env_int("REGIE_ALERTS_DEDUP_SECONDS", 60)

LOG_LEVEL = env_str("REGIE_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ImproperlyConfigured(
        f"REGIE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403, 404) is one warning line; a server error keeps its traceback.
    "filters": {"refusal": {"()": "regie.core.logfilters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["refusal"]},
    },
}

# Agent inventory (regie.inventory): what the receiving endpoints accept.
_MIB = 1024 * 1024
INVENTORY_MAX_BODY_BYTES = env_int("REGIE_INVENTORY_MAX_BODY_MB", 20, minimum=1) * _MIB
INVENTORY_MAX_INFLATED_BYTES = env_int("REGIE_INVENTORY_MAX_INFLATED_MB", 100, minimum=1) * _MIB
INVENTORY_MAX_RATIO = env_int("REGIE_INVENTORY_MAX_RATIO", 200, minimum=10)
INVENTORY_CONTACT_HOURS = env_int("REGIE_INVENTORY_CONTACT_HOURS", 24, minimum=1)
# Agents authenticate with HTTP Basic: the configured credentials, else ones generated once
# into REGIE_DATA_DIR/agent_credentials. REGIE_INVENTORY_AUTH=false lets any agent in (the
# inventory pages and `regie serve` then say so); both empty below means no authentication.
INVENTORY_AUTH = env_bool("REGIE_INVENTORY_AUTH", True)
INVENTORY_USERNAME = env_str("REGIE_INVENTORY_USERNAME", "")
INVENTORY_PASSWORD = env_str("REGIE_INVENTORY_PASSWORD", "")
INVENTORY_CREDENTIALS_FILE = DATA_DIR / "agent_credentials"
if bool(INVENTORY_USERNAME) != bool(INVENTORY_PASSWORD):
    raise ImproperlyConfigured(
        "REGIE_INVENTORY_USERNAME and REGIE_INVENTORY_PASSWORD (or _FILE) must be set together"
    )
if ":" in INVENTORY_USERNAME:
    raise ImproperlyConfigured("REGIE_INVENTORY_USERNAME cannot contain ':' (HTTP Basic)")
if not INVENTORY_AUTH and INVENTORY_USERNAME:
    raise ImproperlyConfigured(
        "REGIE_INVENTORY_AUTH=false turns agent authentication off: "
        "unset REGIE_INVENTORY_USERNAME and REGIE_INVENTORY_PASSWORD, or leave it on"
    )


def _agent_credentials(path: Path) -> tuple[str, str]:
    """The generated agent credentials in ``path`` (``user:password``), created once, 0600."""
    if not path.exists():
        # Written whole under a temporary name, then linked: a process starting at the same
        # moment either links first or reads the complete file the other one linked.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(f"regie-agents:{secrets.token_urlsafe(24)}\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    username, _colon, password = path.read_text(encoding="utf-8").strip().partition(":")
    if not username or not password:
        raise ImproperlyConfigured(f"{path}: expected one line user:password")
    return username, password


INVENTORY_CREDENTIALS_GENERATED = INVENTORY_AUTH and not INVENTORY_USERNAME
if INVENTORY_CREDENTIALS_GENERATED:
    INVENTORY_USERNAME, INVENTORY_PASSWORD = _agent_credentials(INVENTORY_CREDENTIALS_FILE)
INVENTORY_ALLOWED_NETWORKS = env_list("REGIE_INVENTORY_ALLOWED_NETWORKS", [])
for _network in INVENTORY_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"REGIE_INVENTORY_ALLOWED_NETWORKS: {_network!r} is not a network such as "
            f"192.168.10.0/24 ({exc})"
        ) from None
INVENTORY_APPROVAL = env_bool("REGIE_INVENTORY_APPROVAL", False)
# Waiting reports the worker applies in one transaction (one commit, one WAL write of the
# pages they share); 1 applies each report on its own.
INVENTORY_BATCH_REPORTS = env_int("REGIE_INVENTORY_BATCH", 8, minimum=1)

# How long the background worker may stay silent before /health reports it down.
WORKER_HEARTBEAT_SECONDS = 10
WORKER_STALE_SECONDS = 60
# How often each worker looks for periodic jobs to queue (see regie.core.schedule).
SCHEDULER_TICK_SECONDS = 5

# Route planning (regie.field): travel model, working day, solver time limit, detour.
ROUTE_ROAD_FACTOR = env_float("REGIE_ROUTE_ROAD_FACTOR", 1.3, minimum=1.0, maximum=3.0)
ROUTE_SPEED_KMH = env_float("REGIE_ROUTE_SPEED_KMH", 50.0, minimum=5.0, maximum=130.0)
ROUTE_DAY_START = env_time("REGIE_ROUTE_DAY_START", "08:00")
ROUTE_DAY_END = env_time("REGIE_ROUTE_DAY_END", "17:30")
if ROUTE_DAY_END <= ROUTE_DAY_START:
    raise ImproperlyConfigured("REGIE_ROUTE_DAY_END must be later than REGIE_ROUTE_DAY_START")
ROUTE_TIME_LIMIT = env_float("REGIE_ROUTE_TIME_LIMIT", 1.8, minimum=0.05, maximum=60.0)
ROUTE_DETOUR_KM = env_float("REGIE_ROUTE_DETOUR_KM", 5.0, minimum=0.0, maximum=100.0)
ROUTE_BASE_SITE = env_str("REGIE_ROUTE_BASE_SITE", "")

# Helpdesk (regie.helpdesk): links in notification mails, SLA calendar, attachments.
HELPDESK_WORKING_HOURS = env_str("REGIE_HELPDESK_WORKING_HOURS", "08:30-12:00,13:30-17:30")
HELPDESK_WORKING_DAYS = env_list("REGIE_HELPDESK_WORKING_DAYS", ["mon", "tue", "wed", "thu", "fri"])
HELPDESK_SLA_RISK_PERCENT = env_int("REGIE_HELPDESK_SLA_RISK_PERCENT", 25, minimum=1)
HELPDESK_AUTO_CLOSE_DAYS = env_int("REGIE_HELPDESK_AUTO_CLOSE_DAYS", 7, minimum=1)
HELPDESK_ATTACHMENT_MAX_BYTES = env_int("REGIE_HELPDESK_ATTACHMENT_MAX_MB", 10, minimum=1) * _MIB
HELPDESK_ATTACHMENT_DIR = DATA_DIR / "attachments"


# Telephony (regie.telephony): the key encrypting SIM PIN/PUK codes, a Fernet key generated
# once beside the secret key unless given; how many days before a commune's copper cut-off
# its copper lines are flagged; how many days before a contract's notice deadline it is.
def _field_encryption_key() -> str:
    from cryptography.fernet import Fernet

    key = env_str("REGIE_FIELD_ENCRYPTION_KEY", "")
    if not key:
        key = read_or_create_key(
            DATA_DIR / "field_encryption_key", lambda: Fernet.generate_key().decode("ascii")
        )
    try:
        Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(
            "REGIE_FIELD_ENCRYPTION_KEY must be a Fernet key: 32 bytes in URL-safe base64"
        ) from None
    return key


FIELD_ENCRYPTION_KEY = _field_encryption_key()
TELEPHONY_COPPER_WARNING_DAYS = env_int("REGIE_TELEPHONY_COPPER_WARNING_DAYS", 180)
TELEPHONY_NOTICE_WARNING_DAYS = env_int("REGIE_TELEPHONY_NOTICE_WARNING_DAYS", 60)
# Essential-job checks (regie.operations.checks): the public ping endpoint.
PING_BODY_LIMIT = env_int("REGIE_PING_BODY_LIMIT", 100_000, minimum=1_000)  # bytes kept as log
PING_RATE_LIMIT = env_int("REGIE_PING_RATE_LIMIT", 60, minimum=1)  # pings per check per minute
PING_KEEP = env_int("REGIE_PING_KEEP", 200, minimum=10)  # pings kept per check
# How people reach Régie (https://regie.example.fr), for links in mails, webhooks and
# snippets; empty: the request's host where there is one, else http://localhost:8000.
PUBLIC_URL = env_str("REGIE_PUBLIC_URL", "").rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"REGIE_PUBLIC_URL must start with http:// or https://, got {PUBLIC_URL!r}"
    )

# Backups (regie.backup): the nightly archive in DATA_DIR/backups, how many are kept, and the
# file holding the passphrase that encrypts them (none: archives are not encrypted).
BACKUP_ENABLED = env_bool("REGIE_BACKUP_ENABLED", True)
BACKUP_TIME = env_time("REGIE_BACKUP_TIME", "01:30")
BACKUP_KEEP = env_int("REGIE_BACKUP_KEEP", 7, minimum=1)
BACKUP_PASSPHRASE_FILE = os.environ.get("REGIE_BACKUP_PASSPHRASE_FILE", "")
if BACKUP_PASSPHRASE_FILE and not os.access(BACKUP_PASSPHRASE_FILE, os.R_OK):
    raise ImproperlyConfigured(
        f"REGIE_BACKUP_PASSPHRASE_FILE: cannot read {BACKUP_PASSPHRASE_FILE!r}"
    )


def env_sync_schedule(name: str, default: str) -> dict[str, Any] | None:
    """A cron line the scheduler's slots can hold: ``M H * * *`` (daily, local time),
    ``M * * * *`` with M = 0 (hourly), ``*/N * * * *`` or ``0 */N * * *`` (every N minutes or
    hours, N dividing the hour or the day); empty: off. As ``register_periodic`` arguments."""
    from datetime import timedelta

    raw = " ".join(os.environ.get(name, default).split())
    if not raw:
        return None
    error = ImproperlyConfigured(
        f"{name} must be a cron line such as '0 6 * * *' (daily at 06:00), '0 * * * *' "
        f"(hourly), '*/15 * * * *' or '0 */4 * * *', or empty for off; got {raw!r}"
    )
    parts = raw.split(" ")
    if len(parts) != 5 or parts[2:] != ["*", "*", "*"]:
        raise error
    minute, hour = parts[:2]
    try:
        if minute.isdigit() and hour.isdigit():
            return {"daily_at": time(int(hour), int(minute))}
        if minute.startswith("*/") and hour == "*" and 60 % int(minute[2:]) == 0:
            return {"every": timedelta(minutes=int(minute[2:]))}
        if minute == "0" and hour == "*":
            return {"every": timedelta(hours=1)}
        if minute == "0" and hour.startswith("*/") and 24 % int(hour[2:]) == 0:
            return {"every": timedelta(hours=int(hour[2:]))}
    except (ValueError, ZeroDivisionError):
        raise error from None
    raise error


# Directory sync (regie.directory.sync): when the periodic job syncs the enabled sources. Hourly
# by default, so an account disabled in the directory stops within the hour; a run where
# nothing changed writes nothing but its log line.
DIRECTORY_SYNC_SCHEDULE = env_sync_schedule("REGIE_DIRECTORY_SYNC_CRON", "0 * * * *")

# Telework (regie.telework): how many days before the due date a loan reminder goes; how old a
# laptop's last inventory may be; the names of the VPN clients looked for in the installed
# software; the asset type names of headsets, webcams and other lendable equipment.
TELEWORK_REMINDER_DAYS = env_int("REGIE_TELEWORK_REMINDER_DAYS", 2, minimum=1)
TELEWORK_INVENTORY_MAX_DAYS = env_int("REGIE_TELEWORK_INVENTORY_MAX_DAYS", 7, minimum=1)
TELEWORK_VPN_SOFTWARE = env_list(
    "REGIE_TELEWORK_VPN_SOFTWARE",
    ["FortiClient", "GlobalProtect", "OpenVPN", "WireGuard", "Cisco Secure Client", "AnyConnect"],
)
TELEWORK_HEADSET_TYPES = env_list("REGIE_TELEWORK_HEADSET_TYPES", ["Casque", "Headset"])
TELEWORK_WEBCAM_TYPES = env_list("REGIE_TELEWORK_WEBCAM_TYPES", ["Webcam"])
TELEWORK_LENDABLE_TYPES = env_list("REGIE_TELEWORK_LENDABLE_TYPES", ["Routeur 4G", "4G router"])

# Continuity mode (regie.continuity): how many days the plan lasts unless told otherwise; the
# days without an update after which a machine is listed; the words of a job title that make
# its holder essential (served first with the pool's laptops).
CONTINUITY_DEFAULT_DAYS = env_int("REGIE_CONTINUITY_DEFAULT_DAYS", 14, minimum=1)
CONTINUITY_NO_UPDATE_DAYS = env_int("REGIE_CONTINUITY_NO_UPDATE_DAYS", 30, minimum=1)
CONTINUITY_ESSENTIAL_JOBS = env_list(
    "REGIE_CONTINUITY_ESSENTIAL_JOBS",
    ["accueil", "standard", "secrétariat", "état civil", "direction", "reception"],
)

# Single sign-on (regie.directory.sso): OpenID Connect, Entra ID first. Off unless a tenant id
# (Entra ID) or an issuer (any provider) is set; then the client id and secret are required.
OIDC_TENANT_ID = env_str("REGIE_OIDC_TENANT_ID", "").strip()
OIDC_ISSUER = env_str("REGIE_OIDC_ISSUER", "").strip()  # exactly as the provider spells it
OIDC_CLIENT_ID = env_str("REGIE_OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = env_str("REGIE_OIDC_CLIENT_SECRET", "")
OIDC_ROLE_CLAIM = env_str("REGIE_OIDC_ROLE_CLAIM", "groups").strip()
OIDC_LABEL = env_str("REGIE_OIDC_LABEL", "").strip()
OIDC_ROLES: dict[str, list[str]] = {}
if OIDC_TENANT_ID and OIDC_ISSUER:
    raise ImproperlyConfigured(
        "REGIE_OIDC_TENANT_ID (Entra ID) and REGIE_OIDC_ISSUER (another provider) "
        "cannot both be set"
    )
if OIDC_TENANT_ID:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}", OIDC_TENANT_ID):
        raise ImproperlyConfigured(
            "REGIE_OIDC_TENANT_ID must be the directory (tenant) id of the Entra ID app "
            f"registration, such as 72f988bf-86f1-41af-91ab-2d7cd011db47, got {OIDC_TENANT_ID!r}"
        )
    OIDC_ISSUER = f"https://login.microsoftonline.com/{OIDC_TENANT_ID}/v2.0"
elif OIDC_ISSUER:
    _issuer = urlsplit(OIDC_ISSUER)
    _loopback = _issuer.hostname in {"127.0.0.1", "localhost", "::1"}
    if not _issuer.hostname or not (
        _issuer.scheme == "https" or (_issuer.scheme == "http" and _loopback)
    ):
        raise ImproperlyConfigured(
            "REGIE_OIDC_ISSUER must be the provider's https:// address "
            f"(such as https://sso.example.org/realms/regie), got {OIDC_ISSUER!r}"
        )
if OIDC_ISSUER:
    if not OIDC_CLIENT_ID or not OIDC_CLIENT_SECRET:
        raise ImproperlyConfigured(
            "Single sign-on needs REGIE_OIDC_CLIENT_ID and REGIE_OIDC_CLIENT_SECRET (or _FILE) "
            "of the application registered with the provider"
        )
    if OIDC_ROLE_CLAIM not in {"groups", "roles"}:
        raise ImproperlyConfigured(
            f"REGIE_OIDC_ROLE_CLAIM must be groups or roles, got {OIDC_ROLE_CLAIM!r}"
        )
    _oidc_role_names = ("admin", "technician", "reader", "correspondent", "staff")
    for _entry in env_list("REGIE_OIDC_ROLES", []):
        _role, _sep, _value = (part.strip() for part in _entry.partition("="))
        if not _sep or _role not in _oidc_role_names or not _value:
            raise ImproperlyConfigured(
                "REGIE_OIDC_ROLES must be role=group id (or app role) pairs separated by commas, "
                "such as admin=<group id>,technician=<group id>, with the roles "
                f"{', '.join(_oidc_role_names)}; got {_entry!r}"
            )
        OIDC_ROLES.setdefault(_role, []).append(_value)
