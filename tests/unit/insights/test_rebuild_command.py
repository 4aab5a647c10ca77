"""`cocoon insights rebuild`: the indicators' tables dropped and replayed from the log, on the
insights database (the services may be stopped), giving the same numbers."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.insights import models
from services.insights.service import InsightsService
from services.insights.settings import InsightsSettings
from shared import migrate
from shared.operator import cli
from shared.unit_of_work import Work
from tests.insights_journey import JOURNEY, PERSON
from tests.unit.insights.conftest import tell


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'insights.db'}"
    monkeypatch.setenv("INSIGHTS_DATABASE_URL", url)
    migrate.migrate("insights", url)
    return url


def service():
    return worker_factory(
        InsightsService, uow=Work(models.database, models.Outbox, models.Inbox, "cid"), settings=InsightsSettings()
    )


def test_the_rebuild_command_replays_the_log_into_the_same_numbers(db_url, capsys):
    with models.database.connection_context():
        insights = service()
        for name, payload, occurred_at in JOURNEY:
            tell(insights, name, payload, occurred_at)
        before, path = insights.summary(), insights.person_path(PERSON)
        models.Fact.update(value="99").execute()  # a projection gone wrong
        models.Link.delete().execute()
        assert insights.person_path(PERSON) != path
    assert cli.main(["insights", "rebuild", "--json"]) == cli.OK
    answer = json.loads(capsys.readouterr().out)
    assert answer["events"] == len(JOURNEY) and answer["facts"] > 0
    with models.database.connection_context():
        insights = service()
        assert insights.summary() == before and insights.person_path(PERSON) == path


def test_the_rebuild_command_says_so_when_there_is_no_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INSIGHTS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    assert cli.main(["insights", "rebuild"]) == cli.NOTHING
    assert "no database file" in capsys.readouterr().err
