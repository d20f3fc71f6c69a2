import pytest

from regie.assets.models import Software, SoftwareInstallation, SoftwareVersion
from regie.assets.permissions import software_installation_policy, software_policy
from regie.inventory.models import Agent, AgentProtocol
from regie.inventory.permissions import agent_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return Agent.objects.create(
        device_id="poste-2026-11-30-08-00-00", protocol=AgentProtocol.OCS_XML
    )


@pytest.mark.parametrize(
    ("persona", "sees", "acts"),
    [
        ("admin_user", True, True),
        ("technician", True, True),
        ("reader", True, False),
        ("correspondent", False, False),
        ("staff_user", False, False),
    ],
)
def test_agents_are_the_it_teams(request, agent, persona, sees, acts):
    user = request.getfixturevalue(persona)
    assert list(agent_policy.visible(user)) == ([agent] if sees else [])
    assert agent_policy.can_change(user, agent) is acts
    assert agent_policy.can_create(user) is False


def test_installations_follow_their_assets_visibility(staff_user, owned_asset, colleague_asset):
    firefox = Software.objects.create(
        name="Firefox", normalized_name="firefox", publisher="Mozilla"
    )
    version = SoftwareVersion.objects.create(software=firefox, version="128.0")
    mine = SoftwareInstallation.objects.create(asset=owned_asset, version=version)
    SoftwareInstallation.objects.create(asset=colleague_asset, version=version)
    elsewhere = Software.objects.create(name="GIMP", normalized_name="gimp")
    SoftwareInstallation.objects.create(
        asset=colleague_asset, version=SoftwareVersion.objects.create(software=elsewhere)
    )
    assert list(software_installation_policy.visible(staff_user)) == [mine]
    # Staff see the catalogue entries of their own machines only.
    assert list(software_policy.visible(staff_user)) == [firefox]
    assert software_policy.can_create(staff_user) is False
