"""A token never outlives the credentials it was created on: disabling the account,
changing its password or its role revokes its tokens at once, with the reason and a history
row; other changes leave them alone."""

import pytest
from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.models import ApiToken, ChangeSource, CredentialChange, Role, User
from regie.core.signals import credentials_changed
from regie.core.tests.factories import UserFactory
from regie.core.tokens import create_api_token, revoke_api_token

ASSETS = "/api/v1/assets/"


def _token(user, name="script"):
    return create_api_token(user=user, name=name, scope=ApiToken.Scope.WRITE, expires_at=None)


def _status(raw_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client.get(ASSETS, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def signals_sent():
    sent = []

    def receiver(sender, user, reasons, **kwargs):
        sent.append((sender, user.pk, reasons))

    credentials_changed.connect(receiver, sender=User)
    yield sent
    credentials_changed.disconnect(receiver, sender=User)


def _assert_revoked(token, reason):
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_reason == reason
    revoked = [r for r in history_of(token) if r.field == "revoked_at"]
    assert [(r.actor, r.source) for r in revoked] == [(None, ChangeSource.SYSTEM)]
    reasons = [r.new_value for r in history_of(token) if r.field == "revoked_reason"]
    assert reasons == [str(ApiToken.RevokedReason(reason).label)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda user: setattr(user, "is_active", False), ApiToken.RevokedReason.DISABLED),
        (
            lambda user: user.set_password("Un-nouveau-mot-de-passe"),
            ApiToken.RevokedReason.PASSWORD,
        ),
        (lambda user: user.set_unusable_password(), ApiToken.RevokedReason.PASSWORD),
        (lambda user: setattr(user, "role", Role.READER), ApiToken.RevokedReason.ROLE),
        (lambda user: setattr(user, "is_superuser", True), ApiToken.RevokedReason.ROLE),
    ],
    ids=["disabled", "password", "unusable-password", "role", "made-superuser"],
)
def test_credential_change_revokes_every_active_token(technician, signals_sent, change, reason):
    token, raw_key = _token(technician)
    other, _other_key = _token(technician, name="autre")
    colleague_token, colleague_key = _token(UserFactory(role=Role.TECHNICIAN))
    assert _status(raw_key).status_code == 200
    user = User.objects.get(pk=technician.pk)
    change(user)
    user.save()
    _assert_revoked(token, reason)
    _assert_revoked(other, reason)
    response = _status(raw_key)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token was revoked on ")
    assert response.json()["detail"].endswith(f": {str(reason.label).lower()}.")
    assert signals_sent == [(User, technician.pk, frozenset({CredentialChange(reason.value)}))]
    colleague_token.refresh_from_db()
    assert colleague_token.revoked_at is None
    assert _status(colleague_key).status_code == 200


def test_already_revoked_token_keeps_its_first_reason(technician):
    token, _raw_key = _token(technician)
    revoke_api_token(token=token, by=technician)
    technician.is_active = False
    technician.save()
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.RevokedReason.REVOKED
    assert len([r for r in history_of(token) if r.field == "revoked_at"]) == 1


def test_several_changes_at_once_give_one_signal_and_the_first_reason(technician, signals_sent):
    token, _raw_key = _token(technician)
    technician.is_active = False
    technician.role = Role.READER
    technician.save()
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.RevokedReason.DISABLED
    assert signals_sent == [
        (User, technician.pk, frozenset({CredentialChange.DISABLED, CredentialChange.ROLE}))
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda user: setattr(user, "first_name", "Autre"),
        lambda user: setattr(user, "email", "autre@example.org"),
        # Reactivating an account gives nothing back, and takes nothing either.
        lambda user: setattr(user, "is_active", True),
        # A superuser is an administrator whatever their stored role.
        lambda user: setattr(user, "role", Role.READER),
    ],
    ids=["first-name", "email", "still-active", "superuser-role-field"],
)
def test_unrelated_change_keeps_the_tokens(db, signals_sent, change):
    created = UserFactory(role=Role.ADMIN, is_superuser=True)
    token, raw_key = _token(created)
    user = User.objects.get(pk=created.pk)
    change(user)
    user.save()
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_reason) == (None, "")
    assert _status(raw_key).status_code == 200
    assert signals_sent == []


def test_save_with_update_fields_only_looks_at_those_fields(technician, signals_sent):
    token, _raw_key = _token(technician)
    technician.is_active = False
    technician.save(update_fields=["first_name"])  # is_active is not written
    token.refresh_from_db()
    assert token.revoked_at is None
    technician.save(update_fields=["is_active"])
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.RevokedReason.DISABLED
    assert len(signals_sent) == 1


def test_a_second_save_of_the_same_object_does_not_signal_again(technician, signals_sent):
    technician.set_password("Un-nouveau-mot-de-passe")
    technician.save()
    token, raw_key = _token(technician)
    technician.first_name = "Autre"
    technician.save()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert len(signals_sent) == 1


def test_password_rehash_at_login_is_not_a_password_change(technician, settings, signals_sent):
    # The stored hash uses a hasher that is no longer the preferred one: a correct password
    # is re-hashed and saved, the password itself did not change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    User.objects.filter(pk=technician.pk).update(
        password=make_password("Le-mot-de-passe", hasher="md5")
    )
    user = User.objects.get(pk=technician.pk)
    token, raw_key = _token(user)
    assert user.check_password("Le-mot-de-passe")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _status(raw_key).status_code == 200
    assert signals_sent == []


def test_disabling_an_account_in_the_administration_revokes_its_tokens(client, admin_user):
    target = UserFactory(username="nadia", role=Role.TECHNICIAN)
    token, raw_key = _token(target)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/core/user/{target.pk}/change/",
        {
            "username": "nadia",
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "role": Role.TECHNICIAN,
            "last_login_0": "",
            "date_joined_0": "",
        },
    )
    assert response.status_code == 302
    _assert_revoked(token, ApiToken.RevokedReason.DISABLED)
    assert _status(raw_key).status_code == 401


def test_changing_a_password_in_the_administration_revokes_its_tokens(client, admin_user):
    target = UserFactory(username="nadia", role=Role.TECHNICIAN)
    token, _raw_key = _token(target)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/core/user/{target.pk}/password/",
        {"password1": "Un-nouveau-mot-2026", "password2": "Un-nouveau-mot-2026"},
    )
    assert response.status_code == 302
    _assert_revoked(token, ApiToken.RevokedReason.PASSWORD)
