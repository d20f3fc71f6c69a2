"""Every filter built on a related model offers only the rows its user may see.

The FilterSets serve both the HTML lists (their choices are shown as a drop-down) and the
API lists (an id outside the choices is a 400): a choice taken from the whole table would
show a correspondent every site's lines and tell an API client which ids exist.
"""

import importlib
import pkgutil

import django_filters
import pytest
from django.test import RequestFactory

import regie
from regie.assets.tests.factories import AssetFactory
from regie.core.models import Role, User
from regie.core.permissions import policy_for, visible_accounts
from regie.core.testing import bearer_client
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import PersonFactory
from regie.inventory.models import Agent
from regie.telephony.tests.factories import ExtensionFactory, LineFactory, SimCardFactory

pytestmark = pytest.mark.django_db

RELATED_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def all_filtersets():
    """Every FilterSet declared in a ``regie.*.filters`` module, found by walking the package."""
    found = []
    for module_info in pkgutil.walk_packages(regie.__path__, "regie."):
        if module_info.name.rsplit(".", 1)[-1] != "filters":
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
                and value._meta.model is not None
            ):
                found.append(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FILTERSETS = all_filtersets()


def visible_rows(model, user):
    if model is User:
        return visible_accounts(user)
    policy = policy_for(model)
    assert policy is not None, f"{model.__name__} is offered as a choice but has no Policy"
    return policy.visible(user)


@pytest.fixture
def world(site, other_site, staff_user):
    """Rows on the user's site and on another one, for each model a filter is built on."""
    for where in (site, other_site):
        person = PersonFactory(site=where)
        AssetFactory(site=where, assigned_to=person)
        line = LineFactory(site=where, person=person)
        SimCardFactory(line=line)
        ExtensionFactory(site=where, person=person)
    other_correspondent = UserFactory(username="correspondant-piscine", role=Role.CORRESPONDENT)
    other_site.correspondents.add(other_correspondent)
    Agent.objects.create(device_id="POSTE-PISCINE-2026-01-01-00-00-00", protocol="glpi")
    return other_correspondent


def test_every_filters_module_is_found():
    modules = {cls.__module__ for cls in FILTERSETS}
    assert modules == {
        "regie.assets.filters",
        "regie.directory.filters",
        "regie.field.filters",
        "regie.helpdesk.filters",
        "regie.inventory.filters",
        "regie.operations.alerts.filters",
        "regie.operations.checks.filters",
        "regie.operations.compliance.filters",
        "regie.operations.daily.filters",
        "regie.telephony.filters",
        "regie.telework.filters",
    }


@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_related_choices_are_what_the_user_may_see(request, world, persona, filterset_class):
    user = request.getfixturevalue(persona)
    http_request = RequestFactory().get("/")
    http_request.user = user
    model = filterset_class._meta.model
    filterset = filterset_class(
        data={}, queryset=model._default_manager.none(), request=http_request
    )
    for name, declared in filterset.filters.items():
        if not isinstance(declared, RELATED_FILTERS):
            continue
        choices = filterset.form.fields[name].queryset
        related = choices.model
        visible = set(visible_rows(related, user).values_list("pk", flat=True))
        offered = set(choices.values_list("pk", flat=True))
        outside = set(related._default_manager.values_list("pk", flat=True)) - visible
        assert offered <= visible, f"{filterset_class.__name__}.{name} offers {offered - visible}"
        assert not offered & outside


@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
def test_the_world_has_rows_outside_each_scope(request, world, persona):
    # Without rows the user may not see, the test above could not fail.
    user = request.getfixturevalue(persona)
    from regie.assets.models import Asset
    from regie.directory.models import Person, Site
    from regie.telephony.models import Extension, Line

    for model in (Site, Person, Asset, Line, Extension, User):
        everything = model._default_manager.count()
        assert visible_rows(model, user).count() < everything, model.__name__
    assert world not in visible_accounts(user)


@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
def test_sim_card_line_filter_lists_only_own_lines(client, request, world, site, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/telephony/sim-cards/")
    offered = set(response.context["filterset"].form.fields["line"].queryset)
    assert offered == set(visible_rows(LineFactory._meta.model, user))
    html = response.content.decode()
    for line in LineFactory._meta.model.objects.exclude(pk__in=[line.pk for line in offered]):
        assert line.number not in html


def test_an_id_outside_the_scope_answers_like_a_missing_one(correspondent, world, other_site):
    api = bearer_client(correspondent)
    theirs = LineFactory._meta.model.objects.get(site=other_site)
    outside = api.get(f"/api/v1/sim-cards/?line={theirs.pk}")
    missing = api.get("/api/v1/sim-cards/?line=999999")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["errors"]["line"] == missing.json()["errors"]["line"]
    assert outside.json()["detail"] == missing.json()["detail"]
