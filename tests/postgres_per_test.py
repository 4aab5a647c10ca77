"""The `databases` fixture on PostgreSQL (COCOON_TEST_DATABASE=postgresql, `make test-postgres`):
every component its own database for each test, on the server of COCOON_TEST_POSTGRES_URL.

Migrating seven databases for every test costs seconds (about 6 s on an idle machine), and
DROP DATABASE waits for a checkpoint (up to seconds each): so each component is migrated once
per session into a template database, each test's database is `CREATE DATABASE … TEMPLATE` of
it, and a test's databases are dropped (WITH (FORCE): its services may still hold connections)
by a process of their own while the next test runs. The session waits for those drops and drops
its templates at the end.
"""

import importlib
import subprocess
import sys
import uuid

import psycopg2
from psycopg2 import sql

from shared import components, config, db, migrate

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
DROP_SCRIPT = """
import sys, psycopg2
from psycopg2 import sql
admin = psycopg2.connect(sys.argv[1])
admin.autocommit = True
with admin.cursor() as cur:
    for name in sys.argv[2:]:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
"""


def admin_url():
    return config.env("COCOON_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL)


def url_of(name):
    return admin_url().rsplit("/", 1)[0] + "/" + name


class PerTestDatabases:
    def __init__(self):
        self.admin = psycopg2.connect(admin_url())
        self.admin.autocommit = True
        self.templates = {}
        self.dropping = []

    def _execute(self, statement, *names):
        with self.admin.cursor() as cur:
            cur.execute(sql.SQL(statement).format(*(sql.Identifier(name) for name in names)))

    def template(self, component):
        """The database `component`'s tests are copies of, migrated once (no connection left open
        to it: CREATE DATABASE … TEMPLATE refuses a template someone is connected to)."""
        if component not in self.templates:
            name = f"cocoon_template_{component}_{uuid.uuid4().hex[:8]}"
            self._execute("CREATE DATABASE {}", name)
            self.templates[component] = name
            migrate.migrate(component, url_of(name))
            models = importlib.import_module(components.named(component).models_module)
            models.database.obj.close_all()
        return self.templates[component]

    def for_test(self):
        """{COMPONENT_DATABASE_URL: url}, a new database per component, each component's models bound to it."""
        urls, names = {}, []
        for component in components.COMPONENTS:
            name = f"cocoon_test_{component.name}_{uuid.uuid4().hex[:8]}"
            self._execute("CREATE DATABASE {} TEMPLATE {}", name, self.template(component.name))
            names.append(name)
            models = importlib.import_module(component.models_module)
            urls[component.database_env] = db.bind(models.database, component.name, url_of(name))
        return urls, names

    def drop_later(self, names):
        self.dropping = [process for process in self.dropping if process.poll() is None]
        self.dropping.append(subprocess.Popen([sys.executable, "-c", DROP_SCRIPT, admin_url(), *names]))

    def close(self):
        for process in self.dropping:
            process.wait(timeout=300)
        for name in self.templates.values():
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        self.admin.close()
