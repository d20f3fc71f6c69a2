from datetime import timedelta

from django.apps import AppConfig


class PeriodicTestConfig(AppConfig):
    name = "regie.core.tests.periodic"
    label = "periodic_test"

    def ready(self) -> None:
        from regie.core.schedule import register_periodic
        from regie.core.tests.periodic.tasks import tick

        register_periodic("test.tick", tick, every=timedelta(seconds=1))
