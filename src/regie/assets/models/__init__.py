"""The fleet's models, split by sub-domain; import them from here.

``fleet`` holds assets and what they are bought with (types, makers, suppliers, contracts).
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

__all__ = [
    "Asset",
    "AssetKind",
    "AssetModel",
    "AssetStatus",
    "AssetType",
    "Contract",
    "ContractKind",
    "Manufacturer",
    "Supplier",
]
