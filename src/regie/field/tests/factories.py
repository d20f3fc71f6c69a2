from typing import Any

import factory

from regie.field.models import Intervention, InterventionKind


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    title = factory.Sequence(lambda n: f"Intervention {n}")
    kind = InterventionKind.MAINTENANCE
    duration_minutes = 30


def make_intervention(**fields: Any) -> Intervention:
    """``InterventionFactory(**fields)``, typed as what it returns."""
    return Intervention.objects.get(pk=InterventionFactory(**fields).pk)
