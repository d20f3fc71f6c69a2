import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.core.models import Role
from regie.core.tests.factories import UserFactory

PASSWORD = "motdepasse-de-test"  # noqa: S105  # the factories' test password


@pytest.fixture
def mfa_required(settings):
    """REGIE_MFA_REQUIRED_ROLES's default, which the root conftest empties for other tests."""
    settings.MFA_REQUIRED_ROLES = ["admin", "technician"]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", role=Role.TECHNICIAN)


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    """The code the authenticator app shows now (``offset`` steps later)."""
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


@pytest.fixture
def alice_totp(alice):
    return TOTPDevice.objects.create(user=alice, name="Téléphone", confirmed=True)
