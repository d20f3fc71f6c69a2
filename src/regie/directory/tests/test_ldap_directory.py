"""Reading Active Directory and OpenLDAP for real, and signing in with the directory password.

A Samba domain controller (REGIE.TEST, LDAP on 127.0.0.1:389) and an OpenLDAP slapd are
provisioned once (see ``directory_servers``). The fixtures are session-scoped: pytest-django
puts the database tests after the others, which would split this module and provision the
domain twice with module scope. The database plays no part in what these tests prove, so CI
runs them in the SQLite pass only (marker ``directory_servers``). Skipped without the
programs, unless REGIE_REQUIRE_DIRECTORY is set.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from dataclasses import replace

import ldap3
import pytest
from django.urls import reverse
from django.utils import translation

from regie.core.testing import free_port
from regie.core.tests.factories import UserFactory
from regie.directory import ldap_auth
from regie.directory.models import Person
from regie.directory.sync.entries import LDAP_ATTRIBUTES, DirectoryEntry, LdapSettings
from regie.directory.sync.ldap import DirectoryError, fetch_ldap
from regie.directory.tests import directory_servers as servers
from regie.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.directory_servers

CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="session")
def samba(tmp_path_factory):
    with servers.samba_domain(tmp_path_factory.mktemp("samba-ad")) as domain:
        print(  # noqa: T201  # the set-up's cost, shown with -s or on failure
            f"Samba AD: provisioned in {domain.provision_seconds:.1f} s, started in "
            f"{domain.start_seconds:.1f} s, filled in {domain.populate_seconds:.1f} s "
            f"({servers.GENERATED_USERS} generated users: {domain.generated_seconds:.1f} s)"
        )
        yield domain


@pytest.fixture(scope="session")
def openldap(tmp_path_factory):
    with servers.openldap_directory(tmp_path_factory.mktemp("slapd")) as directory:
        yield directory


def ad_settings(samba: servers.SambaDomain, **changes) -> LdapSettings:
    settings = LdapSettings(
        url=samba.url,
        bind_dn=servers.SERVICE_DN,
        bind_password=servers.SERVICE_PASSWORD,
        base_dn=servers.BASE_DN,
    )
    return replace(settings, **changes)


def by_username(entries) -> dict[str, DirectoryEntry]:
    return {entry.username: entry for entry in entries}


@pytest.fixture(scope="session")
def people(samba) -> dict[str, DirectoryEntry]:
    """The hand-made people, read once under their OU (the generated agents aside)."""
    return by_username(fetch_ldap(ad_settings(samba, base_dn=servers.PEOPLE_OU)))


def guid_of(samba: servers.SambaDomain, directory_id: str) -> str:
    """The DN AD itself finds for that GUID (``<GUID=…>`` as the search base)."""
    connection = samba.admin()
    connection.search(f"<GUID={directory_id}>", "(objectClass=*)", ldap3.BASE)
    dn = connection.response[0]["dn"]
    connection.unbind()
    return dn


# --- Active Directory: the mapping ---------------------------------------------------------


def test_every_mapped_attribute_of_an_ad_user_is_read(people):
    alice = people["alice.martin"]
    assert alice == DirectoryEntry(
        directory_id=alice.directory_id,
        username="alice.martin",
        principal_name="alice.martin@regie.test",
        display_name="Alice Martin",
        first_name="Alice",
        last_name="Martin",
        email="alice.martin@regie.test",
        phone="+33 1 23 45 67 01",
        mobile="+33 6 12 34 56 01",
        department="Informatique",
        site="Hôtel de ville",  # physicalDeliveryOfficeName wins over l
        job_title="Responsable informatique",
        manager_id="",
        active=True,
        groups=frozenset({"GG-Informatique", "GG-Regie-Admins"}),
    )
    # No office: the locality is the site.
    assert people["bruno.petit"].site == "Saint-Martin"
    # Accents and a comma (escaped in the DN) come back as typed.
    elodie = people["elodie.lefevre"]
    assert (elodie.first_name, elodie.last_name) == ("Élodie", "Lefèvre, née Dupont")
    assert elodie.email == ""


def test_object_guid_is_the_lowercase_canonical_uuid_ad_knows(samba, people):
    for username, entry in people.items():
        assert CANONICAL_UUID.match(entry.directory_id), entry.directory_id
        # AD finds the same user from that string: the byte order (little-endian first
        # three fields) is right.
        assert guid_of(samba, entry.directory_id) == samba.dns[username]
    assert len({entry.directory_id for entry in people.values()}) == len(people)


def test_a_disabled_account_is_inactive(people):
    assert people["chloe.durand"].active is False
    assert all(entry.active for name, entry in people.items() if name != "chloe.durand")


def test_groups_are_the_groups_names(people):
    assert people["alice.martin"].groups == {"GG-Informatique", "GG-Regie-Admins"}
    assert people["elodie.lefevre"].groups == {"GG-Finances"}


def test_the_manager_is_the_managers_directory_id(people):
    alice, chloe = people["alice.martin"], people["chloe.durand"]
    assert people["bruno.petit"].manager_id == alice.directory_id
    assert people["david.roux"].manager_id == alice.directory_id
    assert people["elodie.lefevre"].manager_id == chloe.directory_id
    assert alice.manager_id == ""


def test_a_manager_outside_the_base_dn_is_left_empty(samba):
    it_only = by_username(fetch_ldap(ad_settings(samba, base_dn=servers.FINANCE_OU)))
    assert set(it_only) == {"chloe.durand", "elodie.lefevre"}
    assert it_only["elodie.lefevre"].manager_id == it_only["chloe.durand"].directory_id
    it_people = by_username(fetch_ldap(ad_settings(samba, base_dn=servers.IT_OU)))
    assert it_people["bruno.petit"].manager_id == it_people["alice.martin"].directory_id


def test_renamed_moved_and_disabled_users_keep_their_directory_id(samba, people):
    settings = ad_settings(samba, base_dn=servers.PEOPLE_OU)
    before = people["david.roux"]
    admin = samba.admin()
    dn = samba.dns["david.roux"]

    # Renamed: names, display name and logon name change.
    admin.modify(
        dn,
        {
            "givenName": [(ldap3.MODIFY_REPLACE, ["Davy"])],
            "sn": [(ldap3.MODIFY_REPLACE, ["Roux-Marchand"])],
            "displayName": [(ldap3.MODIFY_REPLACE, ["Davy Roux-Marchand"])],
            "sAMAccountName": [(ldap3.MODIFY_REPLACE, ["davy.roux-marchand"])],
        },
    )
    renamed = by_username(fetch_ldap(settings))
    assert "david.roux" not in renamed
    davy = renamed["davy.roux-marchand"]
    assert davy.directory_id == before.directory_id
    assert (davy.first_name, davy.last_name, davy.display_name) == (
        "Davy",
        "Roux-Marchand",
        "Davy Roux-Marchand",
    )
    assert (davy.department, davy.site, davy.active) == ("Informatique", "Hôtel de ville", True)

    # Moved to another OU, another department and another office.
    admin.modify_dn(dn, "CN=Davy Roux-Marchand", new_superior=servers.FINANCE_OU)
    dn = f"CN=Davy Roux-Marchand,{servers.FINANCE_OU}"
    admin.modify(
        dn,
        {
            "department": [(ldap3.MODIFY_REPLACE, ["Finances"])],
            "physicalDeliveryOfficeName": [(ldap3.MODIFY_REPLACE, ["Centre administratif"])],
        },
    )
    moved = by_username(fetch_ldap(settings))["davy.roux-marchand"]
    assert moved.directory_id == before.directory_id
    assert (moved.department, moved.site) == ("Finances", "Centre administratif")
    assert moved.manager_id == people["alice.martin"].directory_id  # the manager followed

    # Disabled.
    admin.modify(
        dn,
        {
            "userAccountControl": [
                (ldap3.MODIFY_REPLACE, [str(servers.NORMAL_ACCOUNT | servers.DISABLED)])
            ]
        },
    )
    admin.unbind()
    after = by_username(fetch_ldap(settings))
    disabled = after["davy.roux-marchand"]
    assert disabled.directory_id == before.directory_id
    assert disabled.active is False
    assert len(after) == len(people)  # still one entry, nobody gained or lost


def test_two_thousand_users_come_back_in_pages_of_500(samba, caplog):
    caplog.set_level(logging.DEBUG, logger="regie.directory.sync.ldap")
    started = time.monotonic()
    entries = list(fetch_ldap(ad_settings(samba)))
    took = time.monotonic() - started
    usernames = {entry.username for entry in entries}
    generated = {f"agent{n:04d}" for n in range(1, servers.GENERATED_USERS + 1)}
    assert generated <= usernames
    assert {name for _ou, name, _attributes in servers.PEOPLE} - {"david.roux"} <= usernames
    assert len({entry.directory_id for entry in entries}) == len(entries)
    pages = [r.getMessage() for r in caplog.records if "page" in r.getMessage()]
    assert len(pages) >= len(entries) // 500
    assert all(int(message.rsplit(", ", 1)[1].split()[0]) <= 500 for message in pages)
    agent = next(entry for entry in entries if entry.username == "agent0042")
    assert (agent.department, agent.site) == ("État civil", "Médiathèque")
    print(f"fetch_ldap: {len(entries)} users in {took:.1f} s")  # noqa: T201


# --- Active Directory: errors and TLS --------------------------------------------------------


def test_a_wrong_service_password_is_a_clear_error_without_the_password(samba):
    with pytest.raises(DirectoryError) as raised:
        list(fetch_ldap(ad_settings(samba, bind_password="Pas-Le-Bon-Mot-123")))
    message = str(raised.value)
    assert message == (
        f"{samba.url} a refusé le compte {servers.SERVICE_DN} : "
        "identifiant ou mot de passe incorrect."
    )
    assert "Pas-Le-Bon-Mot-123" not in message
    assert servers.SERVICE_PASSWORD not in message


def test_the_messages_are_in_english_too(samba):
    with translation.override("en"), pytest.raises(DirectoryError) as raised:
        list(fetch_ldap(ad_settings(samba, bind_password="Pas-Le-Bon-Mot-123")))
    assert str(raised.value) == (
        f"{samba.url} refused the account {servers.SERVICE_DN}: wrong name or password."
    )


def test_an_unreachable_server_is_a_clear_error(samba):
    url = f"ldap://127.0.0.1:{free_port()}"
    with pytest.raises(DirectoryError) as raised:
        list(fetch_ldap(ad_settings(samba, url=url, timeout=2)))
    assert str(raised.value) == (
        f"Impossible de joindre le serveur d'annuaire {url} (en 2 s) : vérifiez son adresse, "
        "son port et le pare-feu."
    )
    assert servers.SERVICE_PASSWORD not in str(raised.value)


def test_an_anonymous_read_refused_by_ad_is_a_clear_error(samba):
    with pytest.raises(DirectoryError) as raised:
        list(fetch_ldap(ad_settings(samba, bind_dn="", bind_password="")))
    assert str(raised.value).startswith(
        f"{samba.url} a refusé la recherche sous {servers.BASE_DN} : operationsError ("
    )


def test_a_server_that_never_answers_times_out(samba):
    # A firewall that drops the packets: the connection opens, no answer ever comes.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(DirectoryError) as raised:
            list(fetch_ldap(ad_settings(samba, url=url, timeout=2)))
        took = time.monotonic() - started
    assert str(raised.value).startswith(
        f"Impossible de joindre le serveur d'annuaire {url} (en 2 s)"
    )
    assert took < 10


def test_a_base_dn_that_does_not_exist_is_a_clear_error(samba):
    base = "OU=Nulle Part,DC=regie,DC=test"
    with pytest.raises(DirectoryError) as raised:
        list(fetch_ldap(ad_settings(samba, base_dn=base)))
    assert str(raised.value) == f"Le DN de base {base} n'existe pas sur {samba.url}."


def test_ldaps_and_start_tls_verify_the_certificate_against_the_ca_file(samba, tmp_path):
    over_ldaps = by_username(
        fetch_ldap(
            ad_settings(samba, url=samba.ldaps_url, ca_file=samba.ca_file, base_dn=servers.IT_OU)
        )
    )
    assert "alice.martin" in over_ldaps
    with_start_tls = by_username(
        fetch_ldap(ad_settings(samba, start_tls=True, ca_file=samba.ca_file, base_dn=servers.IT_OU))
    )
    assert with_start_tls == over_ldaps
    # Another CA's file: the certificate does not verify, nothing is read.
    other_ca = servers.make_certificates(tmp_path).ca_file
    for changes in ({"url": samba.ldaps_url}, {"start_tls": True}):
        with pytest.raises(DirectoryError) as raised:
            list(fetch_ldap(ad_settings(samba, ca_file=str(other_ca), **changes)))
        assert str(raised.value).startswith("La connexion sécurisée à ")


# --- OpenLDAP ----------------------------------------------------------------------------------


def test_openldap_inet_org_person_mapping(openldap):
    settings = LdapSettings(
        url=openldap.url,
        bind_dn=servers.LDAP_READER_DN,
        bind_password=servers.LDAP_READER_PASSWORD,
        base_dn=f"ou=people,{servers.LDAP_BASE_DN}",
        kind="ldap",
        user_filter="(objectClass=inetOrgPerson)",
        attributes=dict(LDAP_ATTRIBUTES),
    )
    entries = by_username(fetch_ldap(settings))
    assert set(entries) == {"gmoreau", "hblanc"}
    gaelle, hugo = entries["gmoreau"], entries["hblanc"]
    assert CANONICAL_UUID.match(gaelle.directory_id)
    assert gaelle == DirectoryEntry(
        directory_id=gaelle.directory_id,
        username="gmoreau",
        display_name="Gaëlle Moreau",
        first_name="Gaëlle",
        last_name="Moreau",
        email="gaelle.moreau@regie.test",
        phone="+33 1 23 45 67 20",
        mobile="+33 6 12 34 56 20",
        department="Direction générale",
        site="Hôtel de ville",
        job_title="Directrice générale des services",
        groups=frozenset({"direction", "informatique"}),  # groupOfNames members
    )
    assert (hugo.site, hugo.manager_id, hugo.groups) == (
        "Saint-Martin",
        gaelle.directory_id,
        {"informatique"},
    )
    # entryUUID as the server gives it.
    admin = openldap.admin()
    admin.search(openldap.dns["gmoreau"], "(objectClass=*)", ldap3.BASE, attributes=["entryUUID"])
    assert admin.response[0]["raw_attributes"]["entryUUID"][0].decode() == gaelle.directory_id
    admin.unbind()


# --- Signing in with the directory password ------------------------------------------------


@pytest.fixture
def ad_source(samba, monkeypatch, db):
    settings = ad_settings(samba, base_dn=f"OU=Regie,{servers.BASE_DN}")
    monkeypatch.setattr(ldap_auth, "ldap_sources", lambda: [settings])
    return settings


def linked_user(people, username: str, regie_username: str):
    user = UserFactory(username=regie_username)
    PersonFactory(user=user, directory_id=people[username].directory_id)
    return user


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_the_directory_password_signs_in_the_linked_account(client, ad_source, people):
    user = linked_user(people, "alice.martin", "amartin")
    response = sign_in(client, "alice.martin", servers.USER_PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(user.pk)
    client.post(reverse("logout"))
    # The user principal name and the Windows DOMAIN\\name work too.
    for name in ("alice.martin@regie.test", "REGIE\\alice.martin"):
        sign_in(client, name, servers.USER_PASSWORD)
        assert signed_in_as(client) == str(user.pk)
        client.post(reverse("logout"))


def test_a_wrong_directory_password_is_refused(client, ad_source, people):
    linked_user(people, "alice.martin", "alice.martin")
    response = sign_in(client, "alice.martin", "Pas-Le-Bon-Mot-123")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    # Nor does the Régie password of an account that belongs to the directory.
    response = sign_in(client, "alice.martin", "motdepasse-de-test")
    assert signed_in_as(client) is None


def test_a_disabled_ad_account_cannot_sign_in(client, ad_source, people):
    linked_user(people, "chloe.durand", "chloe.durand")
    response = sign_in(client, "chloe.durand", servers.USER_PASSWORD)
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_a_directory_user_without_a_regie_account_gets_none(client, ad_source, people):
    accounts = UserFactory._meta.model.objects.count()
    response = sign_in(client, "bruno.petit", servers.USER_PASSWORD)
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert UserFactory._meta.model.objects.count() == accounts
    assert not Person.objects.filter(directory_id=people["bruno.petit"].directory_id).exists()


def test_a_local_admin_still_signs_in_with_the_regie_password(client, ad_source, samba):
    admin = UserFactory(username="secours")
    sign_in(client, "secours", "motdepasse-de-test")
    assert signed_in_as(client) == str(admin.pk)


def test_a_local_admin_signs_in_while_the_directory_is_unreachable(client, monkeypatch, db, people):
    unreachable = LdapSettings(
        url=f"ldap://127.0.0.1:{free_port()}",
        bind_dn=servers.SERVICE_DN,
        bind_password=servers.SERVICE_PASSWORD,
        base_dn=servers.BASE_DN,
        timeout=2,
    )
    monkeypatch.setattr(ldap_auth, "ldap_sources", lambda: [unreachable])
    linked_user(people, "alice.martin", "alice.martin")
    sign_in(client, "alice.martin", "motdepasse-de-test")
    assert signed_in_as(client) is None  # a directory account never uses its Régie password
    admin = UserFactory(username="secours")
    sign_in(client, "secours", "motdepasse-de-test")
    assert signed_in_as(client) == str(admin.pk)


def test_an_openldap_user_signs_in_with_its_dn(client, openldap, monkeypatch, db):
    settings = LdapSettings(
        url=openldap.url,
        bind_dn=servers.LDAP_READER_DN,
        bind_password=servers.LDAP_READER_PASSWORD,
        base_dn=servers.LDAP_BASE_DN,
        kind="ldap",
        user_filter="(objectClass=inetOrgPerson)",
        attributes=dict(LDAP_ATTRIBUTES),
    )
    monkeypatch.setattr(ldap_auth, "ldap_sources", lambda: [settings])
    hugo = by_username(fetch_ldap(settings))["hblanc"]
    user = UserFactory(username="hugo")
    PersonFactory(user=user, directory_id=hugo.directory_id)
    sign_in(client, "hblanc", "wrong")
    assert signed_in_as(client) is None
    sign_in(client, "hblanc", servers.USER_PASSWORD)
    assert signed_in_as(client) == str(user.pk)
