"""The SQLite asset search index holds folded text: « Hélène » is found by "helene".

The index of migration 0004 read the columns as they are, so a word typed without its
accents found nothing. It now holds its own copy of the folded columns (``regie_fold``, see
``core.search``, registered on every connection Régie opens), kept in step by triggers. The
copy (not an external-content table) lets a row be removed by its id alone, whatever the
folding gave when it was written. PostgreSQL searches with the same folding, unindexed.

The triggers call ``regie_fold``: a connection that has not registered it (the ``sqlite3``
shell) can read assets but not write them; write through Régie (``regie shell``).
"""

from django.db import migrations

DROP_RAW = [
    "DROP TRIGGER IF EXISTS assets_asset_search_ai",
    "DROP TRIGGER IF EXISTS assets_asset_search_ad",
    "DROP TRIGGER IF EXISTS assets_asset_search_au",
    "DROP TABLE IF EXISTS assets_asset_search",
]
CREATE_FOLDED = [
    """
    CREATE VIRTUAL TABLE assets_asset_search USING fts5(
        inventory_number, name, serial_number, hardware_uuid, tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER assets_asset_search_ai AFTER INSERT ON assets_asset BEGIN
        INSERT INTO assets_asset_search(
            rowid, inventory_number, name, serial_number, hardware_uuid
        ) VALUES (
            new.id, regie_fold(new.inventory_number), regie_fold(new.name),
            regie_fold(new.serial_number), regie_fold(new.hardware_uuid)
        );
    END
    """,
    """
    CREATE TRIGGER assets_asset_search_ad AFTER DELETE ON assets_asset BEGIN
        DELETE FROM assets_asset_search WHERE rowid = old.id;
    END
    """,
    """
    CREATE TRIGGER assets_asset_search_au
    AFTER UPDATE OF inventory_number, name, serial_number, hardware_uuid ON assets_asset
    BEGIN
        DELETE FROM assets_asset_search WHERE rowid = old.id;
        INSERT INTO assets_asset_search(
            rowid, inventory_number, name, serial_number, hardware_uuid
        ) VALUES (
            new.id, regie_fold(new.inventory_number), regie_fold(new.name),
            regie_fold(new.serial_number), regie_fold(new.hardware_uuid)
        );
    END
    """,
    """
    INSERT INTO assets_asset_search(rowid, inventory_number, name, serial_number, hardware_uuid)
    SELECT id, regie_fold(inventory_number), regie_fold(name), regie_fold(serial_number),
           regie_fold(hardware_uuid)
    FROM assets_asset
    """,
]
# Back to migration 0004's index of the raw columns.
CREATE_RAW = [
    """
    CREATE VIRTUAL TABLE assets_asset_search USING fts5(
        inventory_number, name, serial_number, hardware_uuid, content='assets_asset', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER assets_asset_search_ai AFTER INSERT ON assets_asset BEGIN
        INSERT INTO assets_asset_search(rowid, inventory_number, name, serial_number, hardware_uuid)
        VALUES (new.id, new.inventory_number, new.name, new.serial_number, new.hardware_uuid);
    END
    """,
    """
    CREATE TRIGGER assets_asset_search_ad AFTER DELETE ON assets_asset BEGIN
        INSERT INTO assets_asset_search(assets_asset_search, rowid, inventory_number, name, serial_number, hardware_uuid)
        VALUES ('delete', old.id, old.inventory_number, old.name, old.serial_number,
                old.hardware_uuid);
    END
    """,
    """
    CREATE TRIGGER assets_asset_search_au
    AFTER UPDATE OF inventory_number, name, serial_number, hardware_uuid ON assets_asset
    BEGIN
        INSERT INTO assets_asset_search(assets_asset_search, rowid, inventory_number, name, serial_number, hardware_uuid)
        VALUES ('delete', old.id, old.inventory_number, old.name, old.serial_number,
                old.hardware_uuid);
        INSERT INTO assets_asset_search(rowid, inventory_number, name, serial_number, hardware_uuid)
        VALUES (new.id, new.inventory_number, new.name, new.serial_number, new.hardware_uuid);
    END
    """,
    "INSERT INTO assets_asset_search(assets_asset_search) VALUES ('rebuild')",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("assets", "0009_inventory_software_fingerprint")]
    operations = [
        migrations.RunPython(run(DROP_RAW + CREATE_FOLDED), run(DROP_RAW + CREATE_RAW))
    ]
