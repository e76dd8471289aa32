"""The SQLite database of the app (Peewee models, migrations, opening and closing).

Peewee looks for the MySQL and PostgreSQL drivers when it is imported and would load pymysql
(and with it cryptography) on every start, though the app's database is always SQLite: the MySQL
data sources use pymysql themselves (app.sources.sql), only when a query runs. So peewee is
imported here with those drivers hidden; nothing of peewee's own MySQL support is used.
"""

import sys

if "peewee" not in sys.modules:
    _HIDDEN = ("pymysql", "MySQLdb", "psycopg2", "psycopg")
    _saved = {name: sys.modules.get(name) for name in _HIDDEN}
    try:
        for _name in _HIDDEN:
            if _saved[_name] is None:
                sys.modules[_name] = None  # type: ignore[assignment] - "import" raises ImportError
        import peewee  # noqa: F401
    finally:
        for _name in _HIDDEN:
            if _saved[_name] is None and sys.modules.get(_name, 0) is None:
                del sys.modules[_name]
