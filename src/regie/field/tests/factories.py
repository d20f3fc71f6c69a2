import factory

from regie.field.models import Intervention, InterventionKind


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    title = factory.Sequence(lambda n: f"Intervention {n}")
    kind = InterventionKind.MAINTENANCE
    duration_minutes = 30
