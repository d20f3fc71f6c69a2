import factory

from regie.operations.checks.models import Check, CheckKind, ScheduleKind


class CheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Check

    name = factory.Sequence(lambda n: f"Sauvegarde {n}")
    kind = CheckKind.BACKUP
    schedule_kind = ScheduleKind.PERIOD
    period_minutes = 1440
    grace_minutes = 60
