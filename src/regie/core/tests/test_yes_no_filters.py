"""Yes/no filters ask a question and answer it with All / Yes / No, never "Unknown"."""

import django_filters
import pytest
from django.urls import reverse

from regie import urls  # noqa: F401  # imports every app's FilterSets
from regie.core.filters import YesNoFilter
from regie.core.tests.html import content_of


def _filtersets(cls=django_filters.FilterSet):
    for subclass in cls.__subclasses__():
        if subclass.__module__.startswith("regie."):
            yield subclass
        yield from _filtersets(subclass)


def test_every_yes_no_filter_is_a_question():
    found = {}
    for filterset in _filtersets():
        for name, filter_ in filterset.base_filters.items():
            if isinstance(filter_, django_filters.BooleanFilter):
                found[f"{filterset.__name__}.{name}"] = (type(filter_), str(filter_.label))
    assert len(found) >= 12
    assert {key: kind for key, (kind, _label) in found.items() if kind is not YesNoFilter} == {}
    assert {key: label for key, (_kind, label) in found.items() if not label.endswith("?")} == {}


@pytest.mark.django_db
def test_list_filter_reads_as_a_question_with_all_yes_no(client, technician):
    client.force_login(technician)
    html = content_of(client.get(reverse("directory:person-list")).content.decode())
    assert "Actif\xa0?" in html
    select = html.split('name="active"', 1)[1].split("</select>", 1)[0]
    assert [label for label in ("Tous", "Oui", "Non", "Inconnu") if f">{label}<" in select] == [
        "Tous",
        "Oui",
        "Non",
    ]
