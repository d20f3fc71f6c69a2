"""Fields a person edited by hand, which inventory agents never overwrite.

Adding a column makes SQLite rebuild ``assets_asset``, which drops the triggers that keep the
trigram search index (0004) current; the index is dropped first and rebuilt after, with the
statements of 0004 (a migration, frozen like this one).
"""

import importlib

from django.db import migrations, models

search_index = importlib.import_module("regie.assets.migrations.0004_asset_search_index")


class Migration(migrations.Migration):
    dependencies = [("assets", "0005_french_order")]

    operations = [
        migrations.RunPython(
            search_index.run(search_index.DROP), search_index.run(search_index.CREATE)
        ),
        migrations.AddField(
            model_name="asset",
            name="locked_fields",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Fields edited by hand, which inventory agents never overwrite.",
                verbose_name="fields locked against inventory",
            ),
        ),
        migrations.RunPython(
            search_index.run(search_index.CREATE), search_index.run(search_index.DROP)
        ),
    ]
