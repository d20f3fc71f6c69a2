"""Régie's settings plus a job queued every second, and workers that look for it often."""

from regie.settings import *  # noqa: F403  # the shipped settings, extended below
from regie.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "regie.core.tests.periodic"]
SCHEDULER_TICK_SECONDS = 1
WORKER_HEARTBEAT_SECONDS = 1
