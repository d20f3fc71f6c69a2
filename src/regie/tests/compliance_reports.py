"""Assets built from the real captured inventories, through the inventory pipeline."""

import dataclasses
import datetime as dt

from regie.assets.models import Asset
from regie.inventory.applying import apply_report
from regie.inventory.protocols import glpi_json, ocs_xml
from regie.inventory.report import OperatingSystem
from regie.inventory.tests.fixtures import GLPI_EXAMPLES, capture, read_fixture

UTC = dt.UTC


def glpi_capture():
    """GLPI Agent 1.12 on Debian 12 (a container: firewalld reported off), 2026-11-30."""
    return glpi_json.parse(capture("glpiagent-inventory-full.json"))


def ocs_capture():
    """OCS agent 2.10 on Debian 12, with package installation dates (newest 2026-10-30)."""
    return ocs_xml.parse(capture("ocs-inventory.xml"))


def glpi_example(name):
    """A computer of the published GLPI inventory format's examples (laptops running Fedora)."""
    return glpi_json.parse(read_fixture(GLPI_EXAMPLES / name))


def windows(report, full_name, build, version=""):
    system = OperatingSystem(
        name="Windows", full_name=full_name, version=version, build=build, architecture="64-bit"
    )
    return dataclasses.replace(report, operating_system=system)


def applied(report, now=None) -> Asset:
    return apply_report(report=report, now=now).asset
