"""`make migrate`: create each component's tables in its own database (safe to run again).

Run as `python -m shared.migrate [component ...]`. Tables are created only when missing;
a later change of schema gets a playhouse.migrate step here, never a silent change at import.
"""
import importlib
import sys

from shared import config, db

COMPONENTS = config.SERVICES + ("gateway",)


def migrate(component, url=None):
    models = importlib.import_module(f"services.{component}.models")
    url = db.bind(models.database, component, url)
    with models.database.connection_context():
        models.database.create_tables(models.MODELS, safe=True)
    return url


def main(argv):
    for component in argv or COMPONENTS:
        if component not in COMPONENTS:
            sys.exit(f"unknown component {component!r}; choose among {', '.join(COMPONENTS)}")
        url = migrate(component)
        print(f"migrated {component}: {db.redact(url)}")


if __name__ == "__main__":
    main(sys.argv[1:])
