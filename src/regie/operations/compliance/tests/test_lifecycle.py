"""The end-of-support table finds the right row for what agents report."""

import datetime as dt

import pytest

from regie.operations.compliance.lifecycle import RELEASES, REVIEWED_ON, find_release


@pytest.mark.parametrize(
    ("name", "full_name", "version", "build", "label", "end"),
    [
        (
            "Windows",
            "Microsoft Windows 10 Professionnel",
            "22H2",
            "10.0.19045",
            "Windows 10 22H2 Famille/Professionnel",
            dt.date(2025, 10, 14),
        ),
        (
            "Windows",
            "Microsoft Windows 10 Entreprise",
            "22H2",
            "10.0.19045",
            "Windows 10 22H2 Entreprise/Éducation",
            dt.date(2025, 10, 14),
        ),
        (
            "Windows",
            "Microsoft Windows 10 Pro",
            "21H2",
            "10.0.19044",
            "Windows 10 21H2 Famille/Professionnel",
            dt.date(2023, 6, 13),
        ),
        (
            "Windows",
            "Microsoft Windows 10 Education",
            "21H2",
            "10.0.19044",
            "Windows 10 21H2 Entreprise/Éducation",
            dt.date(2024, 6, 11),
        ),
        (
            "Windows",
            "Microsoft Windows 10 Enterprise LTSC",
            "21H2",
            "10.0.19044",
            "Windows 10 LTSC 2021 Entreprise LTSC",
            dt.date(2027, 1, 12),
        ),
        (
            "Windows",
            "Microsoft Windows 11 Pro",
            "23H2",
            "10.0.22631",
            "Windows 11 23H2 Famille/Professionnel",
            dt.date(2025, 11, 11),
        ),
        (
            "Windows",
            "Microsoft Windows 11 Entreprise",
            "23H2",
            "10.0.22631",
            "Windows 11 23H2 Entreprise/Éducation",
            dt.date(2026, 11, 10),
        ),
        (
            "Windows",
            "Microsoft Windows 11 Famille",
            "24H2",
            "10.0.26100",
            "Windows 11 24H2 Famille/Professionnel",
            dt.date(2026, 10, 13),
        ),
        (
            "Windows",
            "Microsoft Windows 11 Éducation",
            "24H2",
            "10.0.26100",
            "Windows 11 24H2 Entreprise/Éducation",
            dt.date(2027, 10, 12),
        ),
        (
            "Windows",
            "Microsoft Windows Server 2012 R2 Standard",
            "",
            "6.3.9600",
            "Windows Server 2012 R2",
            dt.date(2023, 10, 10),
        ),
        (
            "Windows",
            "Microsoft Windows Server 2019 Standard",
            "",
            "10.0.17763",
            "Windows Server 2019",
            dt.date(2029, 1, 9),
        ),
        (
            "Windows",
            "Microsoft Windows Server 2025 Datacenter",
            "24H2",
            "10.0.26100",
            "Windows Server 2025",
            dt.date(2034, 10, 10),
        ),
        (
            "Debian GNU/Linux",
            "Debian GNU/Linux 12 (bookworm)",
            "12.11",
            "6.1.0",
            "Debian 12 (bookworm)",
            dt.date(2028, 6, 30),
        ),
        (
            "Debian GNU/Linux",
            "Debian GNU/Linux 11 (bullseye)",
            "11.9",
            "5.10",
            "Debian 11 (bullseye)",
            dt.date(2026, 8, 31),
        ),
        (
            "Ubuntu",
            "Ubuntu 20.04.6 LTS",
            "20.04.6 LTS (Focal Fossa)",
            "5.4",
            "Ubuntu 20.04 LTS",
            dt.date(2025, 5, 31),
        ),
        ("macOS", "macOS 13.6", "13.6", "22.6.0", "macOS 13 Ventura", dt.date(2025, 9, 15)),
    ],
)
def test_reported_systems_find_their_row(name, full_name, version, build, label, end):
    release = find_release(name=name, full_name=full_name, version=version, build=build)
    assert (release.label, release.end_of_support) == (label, end)
    assert release.source.startswith("https://")


def test_unknown_systems_have_no_row():
    assert find_release(name="Fedora", full_name="Fedora 31", version="31", build="5.6") is None
    assert (
        find_release(name="Windows", full_name="Microsoft Windows 7", version="", build="6.1.7601")
        is None
    )


def test_every_row_has_a_source_and_the_table_a_review_date():
    assert dt.date(2026, 11, 30) == REVIEWED_ON
    assert all(release.source.startswith("https://") for release in RELEASES)
    keys = [(r.family, r.key, r.edition) for r in RELEASES]
    assert len(keys) == len(set(keys))
