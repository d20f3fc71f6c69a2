"""The pieces of the LDAP mapping that need no server: GUIDs, DNs, the sign-in filter.

The whole mapping is tested against real servers in ``test_ldap_directory``.
"""

from regie.directory.sync.entries import LDAP_ATTRIBUTES, LdapSettings
from regie.directory.sync.ldap import (
    RawUser,
    first_rdn_value,
    is_active,
    normalise_dn,
    read_directory_id,
    user_filter,
)


def test_object_guid_bytes_are_read_little_endian_as_microsoft_lays_them_out():
    # The GUID 00112233-4455-6677-8899-aabbccddeeff travels as 33 22 11 00 55 44 77 66 88 99…
    user = RawUser(
        dn="CN=x", attributes={"objectguid": [bytes.fromhex("33221100554477668899aabbccddeeff")]}
    )
    assert read_directory_id(user, "objectGUID") == "00112233-4455-6677-8899-aabbccddeeff"


def test_an_entry_uuid_is_lowercased_and_another_id_kept():
    upper = RawUser(dn="uid=x", attributes={"entryuuid": [b"375533C4-86D6-1041-9E37-E11B12C64719"]})
    assert read_directory_id(upper, "entryUUID") == "375533c4-86d6-1041-9e37-e11b12c64719"
    other = RawUser(dn="uid=x", attributes={"nsuniqueid": [b"ABC-123"]})
    assert read_directory_id(other, "nsUniqueId") == "abc-123"
    assert read_directory_id(RawUser(dn="uid=x", attributes={}), "entryUUID") == ""


def test_user_account_control_disabled_bit():
    def active(value: bytes) -> bool:
        return is_active(
            RawUser(dn="CN=x", attributes={"useraccountcontrol": [value]}), "userAccountControl"
        )

    assert active(b"512") is True
    assert active(b"514") is False  # 512 + ACCOUNTDISABLE
    assert active(b"66050") is False  # password never expires, disabled
    assert active(b"544") is True
    assert is_active(RawUser(dn="uid=x", attributes={}), "") is True


def test_dns_compare_whatever_their_spelling():
    assert normalise_dn(
        "CN=Lef\\C3\\A8vre\\, née Dupont,OU=Finances,DC=regie,DC=test"
    ) == normalise_dn("cn=Lefèvre\\, Née Dupont, ou=Finances,dc=regie,dc=test")
    assert normalise_dn("CN=A,DC=x") != normalise_dn("CN=B,DC=x")
    assert first_rdn_value("CN=GG-Finances,OU=Groupes,DC=regie,DC=test") == "GG-Finances"
    assert first_rdn_value("CN=Élus\\2C direction,DC=x") == "Élus, direction"


def test_the_sign_in_filter_escapes_the_typed_name():
    ad = LdapSettings(url="ldap://x", bind_dn="", bind_password="", base_dn="DC=x")
    assert user_filter(ad, "alice*)(uid=*") == (
        "(&(&(objectCategory=person)(objectClass=user))"
        "(|(sAMAccountName=alice\\2a\\29\\28uid=\\2a)(userPrincipalName=alice\\2a\\29\\28uid=\\2a)))"
    )
    ldap = LdapSettings(
        url="ldap://x",
        bind_dn="",
        bind_password="",
        base_dn="dc=x",
        kind="ldap",
        user_filter="objectClass=inetOrgPerson",
        attributes=dict(LDAP_ATTRIBUTES),
    )
    assert user_filter(ldap, "hblanc") == "(&(objectClass=inetOrgPerson)(uid=hblanc))"
