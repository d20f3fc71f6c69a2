"""The fleet's models, split by sub-domain; import them from here.

``fleet`` holds assets and what they are bought with (types, makers, suppliers, contracts);
``hardware`` what inventory agents report about an asset (operating system, interfaces and
addresses, the other sections as a snapshot); ``software`` the normalised software catalogue.
"""

from regie.assets.models.fleet import (
    Asset,
    AssetKind,
    AssetModel,
    AssetStatus,
    AssetType,
    Contract,
    ContractKind,
    Manufacturer,
    Supplier,
)
from regie.assets.models.hardware import (
    AssetInventory,
    AssetOperatingSystem,
    IpAddress,
    IpVersion,
    NetworkInterface,
)
from regie.assets.models.software import (
    SOFTWARE_ARCHITECTURE_LENGTH,
    SOFTWARE_NAME_LENGTH,
    SOFTWARE_VERSION_LENGTH,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
    normalise_software_text,
)

__all__ = [
    "SOFTWARE_ARCHITECTURE_LENGTH",
    "SOFTWARE_NAME_LENGTH",
    "SOFTWARE_VERSION_LENGTH",
    "Asset",
    "AssetInventory",
    "AssetKind",
    "AssetModel",
    "AssetOperatingSystem",
    "AssetStatus",
    "AssetType",
    "Contract",
    "ContractKind",
    "IpAddress",
    "IpVersion",
    "Manufacturer",
    "NetworkInterface",
    "Software",
    "SoftwareInstallation",
    "SoftwareVersion",
    "Supplier",
    "normalise_software_text",
]
