"""The team's headcount (placements' host quota asks it): the staff still at the venue."""

import pytest
from nameko.testing.services import worker_factory

from services.team import models
from services.team.service import TeamService
from shared import migrate
from shared.unit_of_work import Work


@pytest.fixture
def team(tmp_path):
    migrate.migrate("team", f"sqlite:///{tmp_path / 'team.db'}")
    models.database.connect()
    yield worker_factory(TeamService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"))
    models.database.close()


def test_the_headcount_counts_the_staff_still_at_the_venue(team):
    for n in range(3):
        team.register_staff(
            {"id": f"staff-{n}", "email": f"equipe{n}@cocoonage.fr", "first_name": "A", "last_name": f"B{n}"}
        )
    assert team.headcount() == 3
    team.update_staff("staff-1", {"active": False})
    assert team.headcount() == 2
