"""What a directory source yields, whatever the directory: one value per user account.

A source (``ldap.fetch_ldap``, ``graph.fetch_graph``) reads its directory and turns each user
into a :class:`DirectoryEntry`; the engine never sees LDAP attributes or Graph JSON. Text
fields are stripped, empty when the directory has no value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One user account as the directory describes it."""

    # The permanent id people are matched on: AD objectGUID as a lowercase canonical UUID
    # (8-4-4-4-12), LDAP entryUUID, Entra ID object id. Never a name.
    directory_id: str
    # sAMAccountName (AD), uid (LDAP), userPrincipalName's local part (Entra).
    username: str
    principal_name: str = ""  # userPrincipalName
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    department: str = ""
    site: str = ""  # physicalDeliveryOfficeName, else l (locality); Entra officeLocation
    job_title: str = ""
    manager_id: str = ""  # the manager's directory_id, "" when none
    active: bool = True  # AD: userAccountControl's ACCOUNTDISABLE bit clear; Entra accountEnabled
    groups: frozenset[str] = field(default_factory=frozenset)  # group names (cn, displayName)
    # Entra only; None when the source cannot tell (LDAP, or the permission is missing).
    mfa_registered: bool | None = None
    licences: tuple[str, ...] | None = None  # Microsoft 365 SKU part numbers


# Active Directory's attribute for each DirectoryEntry field: the defaults an administrator
# starts from.
AD_ATTRIBUTES: Mapping[str, str] = {
    "directory_id": "objectGUID",
    "username": "sAMAccountName",
    "principal_name": "userPrincipalName",
    "display_name": "displayName",
    "first_name": "givenName",
    "last_name": "sn",
    "email": "mail",
    "phone": "telephoneNumber",
    "mobile": "mobile",
    "department": "department",
    "site": "physicalDeliveryOfficeName",
    "site_fallback": "l",
    "job_title": "title",
    "manager_id": "manager",
    "active": "userAccountControl",
    "groups": "memberOf",
}

# A plain LDAP directory (OpenLDAP, inetOrgPerson).
LDAP_ATTRIBUTES: Mapping[str, str] = {
    "directory_id": "entryUUID",
    "username": "uid",
    "principal_name": "",
    "display_name": "displayName",
    "first_name": "givenName",
    "last_name": "sn",
    "email": "mail",
    "phone": "telephoneNumber",
    "mobile": "mobile",
    "department": "departmentNumber",
    "site": "physicalDeliveryOfficeName",
    "site_fallback": "l",
    "job_title": "title",
    "manager_id": "manager",
    "active": "",
    "groups": "memberOf",
}


@dataclass(frozen=True, slots=True)
class LdapSettings:
    """How to read an LDAP directory or an Active Directory."""

    url: str  # ldap://dc.example.org:389 or ldaps://…
    bind_dn: str
    bind_password: str
    base_dn: str
    kind: Literal["ad", "ldap"] = "ad"
    user_filter: str = "(&(objectCategory=person)(objectClass=user))"
    attributes: Mapping[str, str] = field(default_factory=lambda: dict(AD_ATTRIBUTES))
    start_tls: bool = False
    ca_file: str = ""  # PEM file of the CA that signed the directory's certificate
    timeout: int = 10  # seconds


@dataclass(frozen=True, slots=True)
class GraphSettings:
    """How to read Entra ID through Microsoft Graph (an app registration's credentials)."""

    tenant_id: str
    client_id: str
    client_secret: str
    authority: str = "https://login.microsoftonline.com"
    graph_url: str = "https://graph.microsoft.com/v1.0"
    timeout: int = 30  # seconds
