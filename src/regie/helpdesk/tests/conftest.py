"""Helpdesk fixtures: attachments in a throw-away directory, a ticket opener."""

import pytest

from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import PersonFactory
from regie.helpdesk.services import create_ticket


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path):
    settings.HELPDESK_ATTACHMENT_DIR = tmp_path / "attachments"


@pytest.fixture
def open_ticket(technician):
    """``open_ticket(requester=..., **fields)``: a ticket created by the technician."""

    def make(requester, **fields):
        fields.setdefault("title", "L'imprimante ne répond plus")
        fields.setdefault("description", "Depuis ce matin, rien ne sort.")
        fields.setdefault("by", technician)
        return create_ticket(requester=requester, **fields)

    return make


@pytest.fixture
def requester(staff_user):
    return staff_user.person


@pytest.fixture
def colleague(site):
    """Another member of staff of the same site, with an account."""
    user = UserFactory(username="collegue", role=Role.STAFF)
    PersonFactory(user=user, site=site, first_name="Bruno", last_name="Martin")
    return user


@pytest.fixture
def outsider_staff(other_site):
    user = UserFactory(username="ailleurs", role=Role.STAFF)
    PersonFactory(user=user, site=other_site, first_name="Chloé", last_name="Bernard")
    return user
