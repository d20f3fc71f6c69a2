"""Runs of ``regie demo`` on empty databases: determinism, passwords, conflicts."""

from unittest import mock

import pytest
from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from regie.demo import territory
from regie.demo.territory import of_place
from regie.demo.tests.support import printed_credentials, run_demo, territory_digest
from regie.directory.models import Organisation, Person, Site


def _directory_only(**kwargs):
    return territory.build_territory(with_fleet=False, **kwargs)


def test_each_run_prints_a_new_password(db):
    passwords = []
    command = "regie.demo.management.commands.demo.build_territory"
    for _ in range(2):
        with transaction.atomic(), mock.patch(command, _directory_only):
            passwords.append(printed_credentials(run_demo())[1])
            transaction.set_rollback(True)
    assert passwords[0] != passwords[1]


def test_two_empty_databases_get_the_same_territory(db):
    digests = []
    for _ in range(2):
        # A rollback keeps PostgreSQL's sequences where they were: start them again, as in
        # an empty database (SQLite takes the next id from the table itself).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)
        with transaction.atomic():
            run_demo()
            digests.append(territory_digest())
            transaction.set_rollback(True)
        assert not Organisation.objects.exists()
    assert digests[0] == digests[1]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Melle", "de Melle"),
        ("Aigondigné", "d'Aigondigné"),
        ("Le Vert", "du Vert"),
        ("Les Fosses", "des Fosses"),
        ("La Mothe-Saint-Héray", "de La Mothe-Saint-Héray"),
    ],
)
def test_of_place_elides_like_french(name, expected):
    assert of_place(name) == expected


def test_a_conflicting_database_is_refused_and_left_unchanged(db):
    from regie.directory.tests.factories import SiteFactory

    SiteFactory(name="Piscine communautaire de Melle")
    with pytest.raises(CommandError, match="conflit"):
        run_demo()
    assert Organisation.objects.count() == 1  # the factory's commune only
    assert Site.objects.count() == 1
    assert not Person.objects.exists()
