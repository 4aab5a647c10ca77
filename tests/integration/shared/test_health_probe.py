"""`cocoon health SERVICE`, docker-compose.prod.yml's probe of each nameko service: exit 0 while
the service answers its health RPC, 1 with a line saying why when no one answers."""

import pytest

from services.volunteers.service import VolunteersService
from shared.operator import cli


@pytest.fixture
def volunteers(container_factory, service_config):
    container = container_factory(VolunteersService, service_config)
    container.start()
    return container


def test_a_running_service_is_healthy(volunteers, service_config, capsys):
    assert cli.main(["health", "volunteers", "--amqp-uri", service_config["AMQP_URI"]]) == cli.OK
    assert capsys.readouterr().out == "volunteers: ok\n"


def test_a_service_no_one_runs_is_not_healthy(volunteers, service_config, capsys):
    assert cli.main(["health", "team", "--amqp-uri", service_config["AMQP_URI"], "--timeout", "2"]) == cli.NOTHING
    assert "team is not healthy" in capsys.readouterr().err


def test_an_unreachable_broker_is_not_healthy(capsys):
    nowhere = "amqp://guest:guest@127.0.0.1:1/"
    assert cli.main(["health", "team", "--amqp-uri", nowhere, "--timeout", "2"]) == cli.NOTHING
    assert "team is not healthy" in capsys.readouterr().err


def test_one_probe_asks_several_services_and_names_the_first_not_healthy(
    volunteers, container_factory, service_config, capsys
):
    """The one-process packaging's probe (docker-compose.one.yml, deploy/kubernetes/one-process)."""
    from services.team.service import TeamService

    uri = ["--amqp-uri", service_config["AMQP_URI"], "--timeout", "2"]
    assert cli.main(["health", "volunteers", "team", "education", *uri]) == cli.NOTHING
    assert "team is not healthy" in capsys.readouterr().err
    container_factory(TeamService, service_config).start()
    assert cli.main(["health", "volunteers", "team", *uri]) == cli.OK
    assert capsys.readouterr().out.splitlines() == ["volunteers: ok", "team: ok"]
