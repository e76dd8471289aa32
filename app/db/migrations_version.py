"""The schema version this app writes (PRAGMA user_version), kept apart from the ladder.

Opening a database already at this version needs no migration code: app.db.database compares
with it first and imports the ladder (app.db.migrations, with the old system's converters) only
for a database that is new, the old system's, or older. A step added to the ladder raises this
number with it; app.db.migrations refuses to load while the two differ.
"""

LATEST = 16
