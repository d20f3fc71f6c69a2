"""Real directory servers for the tests, on loopback only, thrown away after the run.

- :func:`samba_domain` provisions an Active Directory domain (REGIE.TEST) with Samba in a
  temporary directory — LDAP service only, listening on 127.0.0.1:389 (a domain controller's
  LDAP port cannot be moved), its own CA and certificate for LDAPS and StartTLS — starts
  ``samba`` in the foreground, fills the domain (:func:`populate_domain`) and stops it at the
  end.
- :func:`openldap_directory` starts ``slapd`` (mdb backend, no memberOf overlay: groups list
  their members) on a free port of 127.0.0.1 and loads a few inetOrgPerson users.

Nothing is cached between runs. The programs come from Debian packages (samba, samba-ad-dc,
slapd); without them the tests are skipped, unless REGIE_REQUIRE_DIRECTORY is set (CI), where
they fail.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import ldap3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from regie.core.testing import free_port

REQUIRED = os.environ.get("REGIE_REQUIRE_DIRECTORY", "").lower() in {"1", "true", "yes", "on"}

REALM = "REGIE.TEST"
NETBIOS_DOMAIN = "REGIE"
BASE_DN = "DC=regie,DC=test"
ADMIN_PASSWORD = "Adm1n-Provision-42!"  # noqa: S105  # a throw-away test domain
SERVICE_PASSWORD = "Lecture-Seule-2026!"  # noqa: S105
USER_PASSWORD = "Bonjour-Regie-2026!"  # noqa: S105
GENERATED_USERS = 2000

PEOPLE_OU = f"OU=Personnel,OU=Regie,{BASE_DN}"
IT_OU = f"OU=Informatique,{PEOPLE_OU}"
FINANCE_OU = f"OU=Finances,{PEOPLE_OU}"
AGENTS_OU = f"OU=Agents,OU=Regie,{BASE_DN}"  # the generated users
GROUPS_OU = f"OU=Groupes,OU=Regie,{BASE_DN}"
SERVICE_OU = f"OU=Comptes de service,OU=Regie,{BASE_DN}"
SERVICE_DN = f"CN=svc-regie,{SERVICE_OU}"

NORMAL_ACCOUNT = 0x200
DISABLED = 0x2
PASSWORD_NOT_REQUIRED = 0x20


def require_program(name: str, package: str) -> str:
    path = shutil.which(name) or next(
        (str(p) for d in ("/usr/sbin", "/sbin") if (p := Path(d, name)).exists()), None
    )
    if path is None:
        message = f"{name} is not installed (Debian package {package})"
        if REQUIRED:
            pytest.fail(f"{message}, and REGIE_REQUIRE_DIRECTORY is set")
        pytest.skip(message)
    return path


def unusable(message: str) -> None:
    if REQUIRED:
        pytest.fail(f"{message}, and REGIE_REQUIRE_DIRECTORY is set")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for_port(host: str, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while not port_open(host, port):
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on {host}:{port} after 60 s")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Certificates:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_certificates(directory: Path, *, host: str = "127.0.0.1") -> Certificates:
    """A throw-away CA and a server certificate for the loopback address and localhost."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Régie test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    paths.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    paths.key_file.chmod(0o600)  # Samba refuses a key others can read
    return paths


# --- Samba Active Directory -------------------------------------------------------------


@dataclass
class SambaDomain:
    url: str
    ldaps_url: str
    ca_file: str
    provision_seconds: float = 0.0
    start_seconds: float = 0.0
    populate_seconds: float = 0.0
    generated_seconds: float = 0.0
    # sAMAccountName → DN of the people the set-up created (not the generated ones).
    dns: dict[str, str] = field(default_factory=dict)

    def admin(self) -> ldap3.Connection:
        """A connection as the domain's Administrator, to change the directory in tests."""
        server = ldap3.Server(self.url, get_info=ldap3.NONE, connect_timeout=10)
        return ldap3.Connection(
            server,
            user=f"Administrator@{REALM.lower()}",
            password=ADMIN_PASSWORD,
            auto_bind=True,
            receive_timeout=60,
            raise_exceptions=True,
        )


SMB_CONF = """\
[global]
\tnetbios name = DC1
\tworkgroup = {domain}
\trealm = {realm}
\tserver role = active directory domain controller
\tserver services = ldap
\tinterfaces = 127.0.0.1
\tbind interfaces only = yes
\tldap server require strong auth = no
\tprivate dir = {root}/private
\tbinddns dir = {root}/bind-dns
\tlock directory = {root}
\tstate directory = {root}/state
\tcache directory = {root}/cache
\tpid directory = {root}/run
\tncalrpc dir = {root}/run/ncalrpc
\twinbindd socket directory = {root}/run/winbindd
\tlogging = file
\tlog file = {root}/log/samba.log
\tlog level = 1
\ttls enabled = yes
\ttls cafile = {tls.ca_file}
\ttls certfile = {tls.cert_file}
\ttls keyfile = {tls.key_file}
\tidmap_ldb:use rfc2307 = yes
\tldb:nosync = true
"""


@contextmanager
def samba_domain(root: Path) -> Iterator[SambaDomain]:
    """Provision, start, fill and at the end stop a throw-away Samba AD domain controller."""
    samba = require_program("samba", "samba-ad-dc")
    samba_tool = require_program("samba-tool", "samba")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        unusable("a Samba domain controller runs as root only")
    if port_open("127.0.0.1", 389):
        unusable("127.0.0.1:389 is taken (a system slapd or samba?): the test domain needs it")
    started = time.monotonic()
    tls = make_certificates(root / "tls")
    for name in ("run", "log"):
        (root / name).mkdir(parents=True, exist_ok=True)
    options = SMB_CONF.format(domain=NETBIOS_DOMAIN, realm=REALM, root=root, tls=tls)
    subprocess.run(  # noqa: S603  # fixed arguments
        [
            samba_tool,
            "domain",
            "provision",
            f"--targetdir={root}",
            f"--realm={REALM}",
            f"--domain={NETBIOS_DOMAIN}",
            "--server-role=dc",
            "--dns-backend=NONE",
            "--use-rfc2307",
            "--host-name=dc1",
            f"--adminpass={ADMIN_PASSWORD}",
            "--option=ldb:nosync = true",
            "--option=interfaces = 127.0.0.1",
            "--option=bind interfaces only = yes",
            "--quiet",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    conf = root / "etc" / "smb.conf"
    conf.write_text(options)  # ours, replacing the provisioned one: LDAP only, on loopback
    provisioned = time.monotonic()
    log = root / "log" / "stdout.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  # fixed arguments
            [samba, "--interactive", "--model=single", f"--configfile={conf}", "--debug-stdout"],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port("127.0.0.1", 389, process, log)
        domain = SambaDomain(
            url="ldap://127.0.0.1:389",
            ldaps_url="ldaps://127.0.0.1:636",
            ca_file=str(tls.ca_file),
            provision_seconds=provisioned - started,
            start_seconds=time.monotonic() - provisioned,
        )
        populate_domain(domain)
        yield domain
    finally:
        stop(process)
        shutil.rmtree(root, ignore_errors=True)  # 50 MB of databases, of no use after the run


def password_value(password: str) -> bytes:
    """AD's unicodePwd: the password in double quotes, UTF-16-LE."""
    return f'"{password}"'.encode("utf-16-le")


# The people the tests look at; each tuple: OU, sAMAccountName, attributes.
PEOPLE: list[tuple[str, str, dict[str, str]]] = [
    (
        IT_OU,
        "alice.martin",
        {
            "givenName": "Alice",
            "sn": "Martin",
            "displayName": "Alice Martin",
            "mail": "alice.martin@regie.test",
            "telephoneNumber": "+33 1 23 45 67 01",
            "mobile": "+33 6 12 34 56 01",
            "department": "Informatique",
            "physicalDeliveryOfficeName": "Hôtel de ville",
            "l": "Villeneuve",
            "title": "Responsable informatique",
        },
    ),
    (
        IT_OU,
        "bruno.petit",
        {
            "givenName": "Bruno",
            "sn": "Petit",
            "displayName": "Bruno Petit",
            "mail": "bruno.petit@regie.test",
            "department": "Informatique",
            "l": "Saint-Martin",  # no office: the locality is the site
            "title": "Technicien",
        },
    ),
    (
        FINANCE_OU,
        "chloe.durand",
        {
            "givenName": "Chloé",
            "sn": "Durand",
            "displayName": "Chloé Durand",
            "mail": "chloe.durand@regie.test",
            "department": "Finances",
            "physicalDeliveryOfficeName": "Centre administratif",
            "title": "Comptable",
        },
    ),
    (
        IT_OU,
        "david.roux",
        {
            "givenName": "David",
            "sn": "Roux",
            "displayName": "David Roux",
            "mail": "david.roux@regie.test",
            "department": "Informatique",
            "physicalDeliveryOfficeName": "Hôtel de ville",
            "title": "Technicien réseau",
        },
    ),
    (
        FINANCE_OU,
        "elodie.lefevre",
        {
            "givenName": "Élodie",
            "sn": "Lefèvre, née Dupont",  # a comma in the name: escaped in the DN
            "displayName": "Élodie Lefèvre",
            "department": "Finances",
            "physicalDeliveryOfficeName": "Centre administratif",
        },
    ),
]
DISABLED_PEOPLE = {"chloe.durand"}
MANAGERS = {
    "bruno.petit": "alice.martin",
    "david.roux": "alice.martin",
    "elodie.lefevre": "chloe.durand",
}
GROUPS = {
    "GG-Informatique": ["alice.martin", "bruno.petit", "david.roux"],
    "GG-Finances": ["chloe.durand", "elodie.lefevre"],
    "GG-Regie-Admins": ["alice.martin"],
}
AGENT_DEPARTMENTS = ["Services techniques", "Culture", "État civil", "Urbanisme", "Enfance"]
AGENT_OFFICES = ["Hôtel de ville", "Centre technique", "Médiathèque", "Mairie annexe"]


def rdn_escape(value: str) -> str:
    return ldap3.utils.dn.escape_rdn(value)


def populate_domain(domain: SambaDomain) -> None:
    """OUs, groups, the service account, the people above, then the generated agents."""
    started = time.monotonic()
    connection = domain.admin()
    for ou in (
        f"OU=Regie,{BASE_DN}",
        PEOPLE_OU,
        IT_OU,
        FINANCE_OU,
        AGENTS_OU,
        GROUPS_OU,
        SERVICE_OU,
    ):
        connection.add(ou, ["organizationalUnit"])
    # The service account is an ordinary user: AD lets any user read the directory.
    connection.add(
        SERVICE_DN,
        ["user"],
        {
            "sAMAccountName": "svc-regie",
            "userPrincipalName": f"svc-regie@{REALM.lower()}",
            "unicodePwd": password_value(SERVICE_PASSWORD),
            "userAccountControl": str(NORMAL_ACCOUNT),
        },
    )
    for ou, username, attributes in PEOPLE:
        dn = f"CN={rdn_escape(attributes['displayName'])},{ou}"
        if username == "elodie.lefevre":
            dn = f"CN={rdn_escape(attributes['sn'])},{ou}"
        flags = NORMAL_ACCOUNT | (DISABLED if username in DISABLED_PEOPLE else 0)
        connection.add(
            dn,
            ["user"],
            {
                **attributes,
                "sAMAccountName": username,
                "userPrincipalName": f"{username}@{REALM.lower()}",
                "unicodePwd": password_value(USER_PASSWORD),
                "userAccountControl": str(flags),
            },
        )
        domain.dns[username] = dn
    for username, manager in MANAGERS.items():
        connection.modify(
            domain.dns[username], {"manager": [(ldap3.MODIFY_REPLACE, [domain.dns[manager]])]}
        )
    for group, members in GROUPS.items():
        connection.add(
            f"CN={group},{GROUPS_OU}",
            ["group"],
            {"sAMAccountName": group, "member": [domain.dns[m] for m in members]},
        )
    generated = time.monotonic()
    for number in range(1, GENERATED_USERS + 1):
        username = f"agent{number:04d}"
        connection.add(
            f"CN={username},{AGENTS_OU}",
            ["user"],
            {
                "sAMAccountName": username,
                "givenName": "Agent",
                "sn": f"Numéro {number:04d}",
                "displayName": f"Agent {number:04d}",
                "department": AGENT_DEPARTMENTS[number % len(AGENT_DEPARTMENTS)],
                "physicalDeliveryOfficeName": AGENT_OFFICES[number % len(AGENT_OFFICES)],
                "userAccountControl": str(NORMAL_ACCOUNT | PASSWORD_NOT_REQUIRED),
            },
        )
    connection.unbind()
    domain.generated_seconds = time.monotonic() - generated
    domain.populate_seconds = time.monotonic() - started


# --- OpenLDAP -----------------------------------------------------------------------------

LDAP_BASE_DN = "dc=regie,dc=test"
LDAP_ROOT_DN = f"cn=admin,{LDAP_BASE_DN}"
LDAP_ROOT_PASSWORD = "Racine-2026!"  # noqa: S105
LDAP_READER_DN = f"cn=lecteur,ou=services,{LDAP_BASE_DN}"
LDAP_READER_PASSWORD = "Lecteur-2026!"  # noqa: S105

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
argsfile {root}/slapd.args

access to attrs=userPassword
    by self write
    by anonymous auth
    by * none
access to *
    by users read
    by * none

database mdb
maxsize 104857600
suffix "{base}"
rootdn "{rootdn}"
rootpw {rootpw}
directory {root}/data
index objectClass eq
index uid eq
index member eq
"""


@dataclass
class OpenLdap:
    url: str
    dns: dict[str, str] = field(default_factory=dict)

    def admin(self) -> ldap3.Connection:
        server = ldap3.Server(self.url, get_info=ldap3.NONE, connect_timeout=10)
        return ldap3.Connection(
            server,
            user=LDAP_ROOT_DN,
            password=LDAP_ROOT_PASSWORD,
            auto_bind=True,
            receive_timeout=30,
            raise_exceptions=True,
        )


@contextmanager
def openldap_directory(root: Path) -> Iterator[OpenLdap]:
    """Start slapd on a free loopback port with a few inetOrgPerson users; stop it after."""
    slapd = require_program("slapd", "slapd")
    (root / "data").mkdir(parents=True, exist_ok=True)
    conf = root / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(
            root=root, base=LDAP_BASE_DN, rootdn=LDAP_ROOT_DN, rootpw=LDAP_ROOT_PASSWORD
        )
    )
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    log = root / "slapd.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  # fixed arguments
            [slapd, "-d", "0", "-h", f"{url}/", "-f", str(conf)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port("127.0.0.1", port, process, log)
        directory = OpenLdap(url=url)
        populate_openldap(directory)
        yield directory
    finally:
        stop(process)


def populate_openldap(directory: OpenLdap) -> None:
    connection = directory.admin()
    connection.add(LDAP_BASE_DN, ["dcObject", "organization"], {"dc": "regie", "o": "Régie"})
    for ou in ("people", "groups", "services"):
        connection.add(f"ou={ou},{LDAP_BASE_DN}", ["organizationalUnit"])
    connection.add(
        LDAP_READER_DN,
        ["organizationalRole", "simpleSecurityObject"],
        {"userPassword": LDAP_READER_PASSWORD},
    )
    people = {
        "gmoreau": {
            "cn": "Gaëlle Moreau",
            "givenName": "Gaëlle",
            "sn": "Moreau",
            "displayName": "Gaëlle Moreau",
            "mail": "gaelle.moreau@regie.test",
            "telephoneNumber": "+33 1 23 45 67 20",
            "mobile": "+33 6 12 34 56 20",
            "departmentNumber": "Direction générale",
            "physicalDeliveryOfficeName": "Hôtel de ville",
            "title": "Directrice générale des services",
        },
        "hblanc": {
            "cn": "Hugo Blanc",
            "givenName": "Hugo",
            "sn": "Blanc",
            "displayName": "Hugo Blanc",
            "mail": "hugo.blanc@regie.test",
            "departmentNumber": "Informatique",
            "l": "Saint-Martin",
            "title": "Technicien",
        },
    }
    for uid, attributes in people.items():
        dn = f"uid={uid},ou=people,{LDAP_BASE_DN}"
        connection.add(
            dn,
            ["inetOrgPerson"],
            {**attributes, "uid": uid, "userPassword": USER_PASSWORD},
        )
        directory.dns[uid] = dn
    connection.modify(
        directory.dns["hblanc"], {"manager": [(ldap3.MODIFY_REPLACE, [directory.dns["gmoreau"]])]}
    )
    connection.add(
        f"cn=informatique,ou=groups,{LDAP_BASE_DN}",
        ["groupOfNames"],
        {"member": [directory.dns["hblanc"], directory.dns["gmoreau"]]},
    )
    connection.add(
        f"cn=direction,ou=groups,{LDAP_BASE_DN}",
        ["groupOfNames"],
        {"member": [directory.dns["gmoreau"]]},
    )
    connection.unbind()
