"""Full-text search structures, per database (see etabli/documents/search.py).

- SQLite: the FTS5 virtual table ``documents_fts`` (rowid = document id) holding the French-analysed text
  (stems, no accents, no stop words), tokenised by ``unicode61`` with diacritics removed.
- PostgreSQL: the ``unaccent`` extension when it can be created, a text-search configuration
  ``etabli_french`` (French Snowball stemming after unaccent) and a GIN index on ``search_vector``. Without
  the extension (no right to create it), search uses the built-in ``french`` configuration. Long values are
  stored out of line (``toast_tuple_target``) so that counting many matches stays cheap.
"""

from django.db import DatabaseError, migrations, transaction

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS documents_fts"
PG_GIN = "CREATE INDEX IF NOT EXISTS documents_search_gin ON documents_document USING gin (search_vector)"
# Long values (text, tsvector, fields) stored out of line: the table's own pages stay small, so counting
# 30 000 matches of a frequent word reads a few thousand pages instead of the whole 300 MB table.
PG_NARROW = "ALTER TABLE documents_document SET (toast_tuple_target = 128)"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
        return
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except DatabaseError:  # no right to create it: the plain French configuration is used
            pass
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        has_unaccent = cursor.fetchone() is not None
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'etabli_french'")
        if has_unaccent and cursor.fetchone() is None:
            cursor.execute("CREATE TEXT SEARCH CONFIGURATION etabli_french ( COPY = pg_catalog.french )")
            cursor.execute(
                "ALTER TEXT SEARCH CONFIGURATION etabli_french ALTER MAPPING FOR hword, hword_part, word "
                "WITH unaccent, french_stem"
            )
        cursor.execute(PG_GIN)
        cursor.execute(PG_NARROW)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS documents_search_gin")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS etabli_french")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
