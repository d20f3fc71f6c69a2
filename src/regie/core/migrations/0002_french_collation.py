"""The ``regie_fr`` collation on PostgreSQL (ICU French order); see ``core.collation``.

SQLite gets the same name from a function registered on each connection, so there is
nothing to store there.
"""

from django.db import migrations


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        migrations.RunPython(
            run("CREATE COLLATION IF NOT EXISTS regie_fr (provider = icu, locale = 'fr-FR')"),
            run("DROP COLLATION IF EXISTS regie_fr"),
        )
    ]
