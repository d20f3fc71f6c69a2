"""End-of-support dates of the operating systems the fleet runs, with their sources.

The table is data, reviewed by hand: each row names the vendor page it comes from, and
``REVIEWED_ON`` says when the whole table was last checked against those pages. The date kept
is the last day on which the vendor publishes security updates **free of charge to every
user** of that release:

* Windows 10/11: the end of servicing of the feature update (version) for the edition
  family — Home/Pro (also Pro Education, Pro for Workstations) or Enterprise/Education — or
  of the LTSC release; paid Extended Security Updates are not counted;
* Windows Server: the end of extended support (security updates) of the fixed lifecycle;
* Debian: the end of Debian LTS (the project's free security support after the security
  team's three years);
* Ubuntu LTS: the end of standard security maintenance (ESM needs Ubuntu Pro); Canonical
  publishes a month, kept here as the month's last day;
* macOS: Apple publishes no dates; a major release is treated as out of support from the day
  Apple released the major that ended its security updates. Releases still updated have no
  date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

REVIEWED_ON = dt.date(2026, 11, 30)

MS_WINDOWS_10 = "https://learn.microsoft.com/en-us/windows/release-health/release-information"
MS_WINDOWS_11 = (
    "https://learn.microsoft.com/en-us/windows/release-health/windows11-release-information"
)
MS_SERVER = "https://learn.microsoft.com/en-us/lifecycle/products/windows-server-{}"
DEBIAN_LTS = "https://wiki.debian.org/LTS"
UBUNTU = "https://ubuntu.com/about/release-cycle"
APPLE = "https://support.apple.com/en-us/100100"


class Family(StrEnum):
    WINDOWS = "windows"
    WINDOWS_SERVER = "windows_server"
    DEBIAN = "debian"
    UBUNTU = "ubuntu"
    MACOS = "macos"


class Edition(StrEnum):
    """Windows client editions whose servicing differs; other systems use ``ANY``."""

    ANY = ""
    HOME_PRO = "home_pro"
    ENTERPRISE = "enterprise"  # Enterprise and Education
    LTSC = "ltsc"


@dataclass(frozen=True)
class Release:
    family: Family
    name: str  # as shown: "Windows 10 22H2", "Debian 12 (bookworm)"
    key: str  # what identifies it in an inventory: build number, major version
    edition: Edition
    end_of_support: dt.date | None  # None: still supported, no end announced
    source: str

    @property
    def source_name(self) -> str:
        return _SOURCE_NAMES[self.family]

    @property
    def label(self) -> str:
        suffix = {
            Edition.HOME_PRO: "Famille/Professionnel",
            Edition.ENTERPRISE: "Entreprise/Éducation",
            Edition.LTSC: "Entreprise LTSC",
        }.get(self.edition)
        return f"{self.name} {suffix}" if suffix else self.name


_SOURCE_NAMES = {
    Family.WINDOWS: "Microsoft Lifecycle",
    Family.WINDOWS_SERVER: "Microsoft Lifecycle",
    Family.DEBIAN: "Debian LTS",
    Family.UBUNTU: "Ubuntu release cycle",
    Family.MACOS: "Apple security releases",
}


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _windows(name: str, build: str, home_pro: str, enterprise: str, source: str) -> list[Release]:
    return [
        Release(Family.WINDOWS, name, build, Edition.HOME_PRO, _d(home_pro), source),
        Release(Family.WINDOWS, name, build, Edition.ENTERPRISE, _d(enterprise), source),
    ]


RELEASES: tuple[Release, ...] = (
    # Windows 10: build 10.0.<key>
    *_windows("Windows 10 20H2", "19042", "2022-05-10", "2023-05-09", MS_WINDOWS_10),
    *_windows("Windows 10 21H1", "19043", "2022-12-13", "2022-12-13", MS_WINDOWS_10),
    *_windows("Windows 10 21H2", "19044", "2023-06-13", "2024-06-11", MS_WINDOWS_10),
    *_windows("Windows 10 22H2", "19045", "2025-10-14", "2025-10-14", MS_WINDOWS_10),
    Release(
        Family.WINDOWS,
        "Windows 10 LTSC 2019",
        "17763",
        Edition.LTSC,
        _d("2029-01-09"),
        MS_WINDOWS_10,
    ),
    Release(
        Family.WINDOWS,
        "Windows 10 LTSC 2021",
        "19044",
        Edition.LTSC,
        _d("2027-01-12"),
        MS_WINDOWS_10,
    ),
    # Windows 11
    *_windows("Windows 11 21H2", "22000", "2023-10-10", "2024-10-08", MS_WINDOWS_11),
    *_windows("Windows 11 22H2", "22621", "2024-10-08", "2025-10-14", MS_WINDOWS_11),
    *_windows("Windows 11 23H2", "22631", "2025-11-11", "2026-11-10", MS_WINDOWS_11),
    *_windows("Windows 11 24H2", "26100", "2026-10-13", "2027-10-12", MS_WINDOWS_11),
    *_windows("Windows 11 25H2", "26200", "2027-10-12", "2028-10-10", MS_WINDOWS_11),
    Release(
        Family.WINDOWS,
        "Windows 11 LTSC 2024",
        "26100",
        Edition.LTSC,
        _d("2029-10-09"),
        MS_WINDOWS_11,
    ),
    # Windows Server: build 6.3.9600 / 10.0.<key>
    Release(
        Family.WINDOWS_SERVER,
        "Windows Server 2012 R2",
        "9600",
        Edition.ANY,
        _d("2023-10-10"),
        MS_SERVER.format("2012-r2"),
    ),
    Release(
        Family.WINDOWS_SERVER,
        "Windows Server 2016",
        "14393",
        Edition.ANY,
        _d("2027-01-12"),
        MS_SERVER.format("2016"),
    ),
    Release(
        Family.WINDOWS_SERVER,
        "Windows Server 2019",
        "17763",
        Edition.ANY,
        _d("2029-01-09"),
        MS_SERVER.format("2019"),
    ),
    Release(
        Family.WINDOWS_SERVER,
        "Windows Server 2022",
        "20348",
        Edition.ANY,
        _d("2031-10-14"),
        MS_SERVER.format("2022"),
    ),
    Release(
        Family.WINDOWS_SERVER,
        "Windows Server 2025",
        "26100",
        Edition.ANY,
        _d("2034-10-10"),
        MS_SERVER.format("2025"),
    ),
    # Debian: major version
    Release(Family.DEBIAN, "Debian 10 (buster)", "10", Edition.ANY, _d("2024-06-30"), DEBIAN_LTS),
    Release(Family.DEBIAN, "Debian 11 (bullseye)", "11", Edition.ANY, _d("2026-08-31"), DEBIAN_LTS),
    Release(Family.DEBIAN, "Debian 12 (bookworm)", "12", Edition.ANY, _d("2028-06-30"), DEBIAN_LTS),
    Release(Family.DEBIAN, "Debian 13 (trixie)", "13", Edition.ANY, _d("2030-06-30"), DEBIAN_LTS),
    # Ubuntu LTS: year.month
    Release(Family.UBUNTU, "Ubuntu 18.04 LTS", "18.04", Edition.ANY, _d("2023-05-31"), UBUNTU),
    Release(Family.UBUNTU, "Ubuntu 20.04 LTS", "20.04", Edition.ANY, _d("2025-05-31"), UBUNTU),
    Release(Family.UBUNTU, "Ubuntu 22.04 LTS", "22.04", Edition.ANY, _d("2027-05-31"), UBUNTU),
    Release(Family.UBUNTU, "Ubuntu 24.04 LTS", "24.04", Edition.ANY, _d("2029-04-30"), UBUNTU),
    # macOS: major version
    Release(Family.MACOS, "macOS 12 Monterey", "12", Edition.ANY, _d("2024-09-16"), APPLE),
    Release(Family.MACOS, "macOS 13 Ventura", "13", Edition.ANY, _d("2025-09-15"), APPLE),
    Release(Family.MACOS, "macOS 14 Sonoma", "14", Edition.ANY, None, APPLE),
    Release(Family.MACOS, "macOS 15 Sequoia", "15", Edition.ANY, None, APPLE),
    Release(Family.MACOS, "macOS 26 Tahoe", "26", Edition.ANY, None, APPLE),
)

_BUILD = re.compile(r"^(?:10\.0|6\.3)\.(\d{4,5})")
_LEADING_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_ENTERPRISE_WORDS = ("enterprise", "entreprise", "education", "éducation", "education")
_LTSC_WORDS = ("ltsc", "ltsb")


def _family(name: str) -> Family | None:
    text = name.casefold()
    if "windows" in text:
        return Family.WINDOWS_SERVER if "server" in text else Family.WINDOWS
    for family, words in (
        (Family.DEBIAN, ("debian",)),
        (Family.UBUNTU, ("ubuntu",)),
        (Family.MACOS, ("macos", "mac os", "os x", "darwin")),
    ):
        if any(word in text for word in words):
            return family
    return None


def _edition(full_name: str) -> Edition:
    text = full_name.casefold()
    if any(word in text for word in _LTSC_WORDS):
        return Edition.LTSC
    if any(word in text for word in _ENTERPRISE_WORDS):
        return Edition.ENTERPRISE
    return Edition.HOME_PRO  # Home, Pro, Pro Education, Pro for Workstations, unknown


def _key(family: Family, version: str, build: str, full_name: str) -> str | None:
    if family in {Family.WINDOWS, Family.WINDOWS_SERVER}:
        # Agents give the kernel version ("10.0.19045", OCS "10.0.19045") as the build.
        for text in (build, version):
            if match := _BUILD.match(text.strip()):
                return match.group(1)
        return None
    for text in (version, full_name):
        if match := _LEADING_NUMBER.search(text):
            number = match.group(1)
            if family is Family.UBUNTU:
                year, _dot, month = number.partition(".")
                return f"{year}.{month[:2]}" if month else None
            return number.split(".")[0]
    return None


def find_release(*, name: str, full_name: str, version: str, build: str) -> Release | None:
    """The table's row for an operating system as an inventory agent reported it, if any.

    ``name``/``full_name`` pick the family (and the Windows edition), the build number
    (Windows) or the version (others) the release. Unknown systems give ``None``.
    """
    family = _family(f"{name} {full_name}")
    if family is None:
        return None
    key = _key(family, version or "", build or "", full_name or name or "")
    if key is None:
        return None
    edition = _edition(full_name or name) if family is Family.WINDOWS else Edition.ANY
    candidates = [r for r in RELEASES if r.family is family and r.key == key]
    for release in candidates:
        if release.edition is edition:
            return release
    # An LTSC build the table has no LTSC row for is serviced as its Enterprise edition.
    if edition is Edition.LTSC:
        return next((r for r in candidates if r.edition is Edition.ENTERPRISE), None)
    return None
