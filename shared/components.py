"""The one list of the venue's components: the nameko services and the gateway.

Topology, migration, the operator command, `make run`'s checks and the test fixtures read it;
the deployment files (Procfile, docker-compose.yml, deploy/postgres-init.sql) stay plain files,
and tests/unit/test_deploy_files.py fails when one of them disagrees with this list.

Adding a service: its package under services/<name>/ (a copy of the skeleton services/_template/,
which is not listed here: nothing runs or deploys it), one line below, then the lines
test_deploy_files.py asks for (docs/contributing.md, "Add a service").
Standard library only: config.py imports it.
"""

from dataclasses import dataclass

NAMEKO = "nameko"  # started by `python -m shared.run_service <module:Class>`
GUNICORN = "gunicorn"  # started by `gunicorn --config deploy/gunicorn.conf.py "<module:factory()>"`


@dataclass(frozen=True)
class Component:
    name: str  # process name, `<NAME>_DATABASE_URL`, database name, nameko service name
    target: str  # what its process runs: "module:Class" (nameko) or "module:factory()" (gunicorn)
    runner: str = NAMEKO

    @property
    def database_env(self):
        return f"{self.name.upper()}_DATABASE_URL"

    @property
    def models_module(self):
        """Where its peewee models and MODELS live: every component owns one database."""
        return f"services.{self.name}.models"


COMPONENTS = (
    Component("bookings", "services.bookings.service:BookingsService"),
    Component("placements", "services.placements.service:PlacementsService"),
    Component("education", "services.education.service:EducationService"),
    Component("volunteers", "services.volunteers.service:VolunteersService"),
    Component("notifications", "services.notifications.service:NotificationsService"),
    Component("team", "services.team.service:TeamService"),
    Component("insights", "services.insights.service:InsightsService"),
    Component("gateway", "services.gateway.app:create_app()", runner=GUNICORN),
)

SERVICES = tuple(c for c in COMPONENTS if c.runner == NAMEKO)  # the nameko services, behind the bus
COMPONENT_NAMES = tuple(c.name for c in COMPONENTS)
SERVICE_NAMES = tuple(c.name for c in SERVICES)


def named(name):
    """The component called `name`; KeyError naming the known ones otherwise."""
    for component in COMPONENTS:
        if component.name == name:
            return component
    raise KeyError(f"unknown component {name!r}; choose among {', '.join(COMPONENT_NAMES)}")
