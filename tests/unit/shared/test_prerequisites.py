"""`make test` checks what the tests need before running them (shared/prerequisites.py): one
line per missing piece with the command that fixes it. Here nothing listens on the ports."""

import functools
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from shared import prerequisites
from tests.support import REPO, free_port


@pytest.fixture
def nothing_listening():
    """(AMQP URI, management API URI, PostgreSQL URL) on ports where nothing listens."""
    return (
        f"pyamqp://guest:guest@127.0.0.1:{free_port()}",
        f"http://guest:guest@127.0.0.1:{free_port()}",
        f"postgresql://postgres@127.0.0.1:{free_port()}/test",
    )


def never_enable(api_uri):
    raise AssertionError("the plugin is enabled only when the broker itself answers")


def test_with_nothing_listening_each_missing_prerequisite_gets_one_line_with_its_fix(nothing_listening):
    amqp, api, postgres = nothing_listening
    lines = prerequisites.missing(addresses=nothing_listening, enable_plugin=never_enable)
    assert len(lines) == 3, lines
    broker, management, database = lines
    assert broker.startswith(f"RabbitMQ ne répond pas sur {prerequisites.where(amqp)} (unreachable")
    assert "→ rabbitmq-server -detached" in broker
    assert management.startswith(
        f"L'API de gestion de RabbitMQ (un vhost par test) ne répond pas sur {prerequisites.where(api)}"
    )
    assert management.endswith("→ rabbitmq-plugins enable rabbitmq_management (en root)")
    assert database.startswith(f"PostgreSQL : la base test sur {prerequisites.where(postgres)} ne répond pas")
    assert "→ pg_ctlcluster" in database
    assert all("\n" not in line for line in lines)


def test_only_the_groups_asked_for_are_checked(nothing_listening):
    assert [line[:10] for line in prerequisites.missing(("postgresql",), nothing_listening)] == ["PostgreSQL"]


def test_the_command_prints_the_lines_and_exits_1_without_a_traceback(nothing_listening):
    env = dict(os.environ, COCOON_TEST_POSTGRES_URL=nothing_listening[2])
    checked = subprocess.run(
        [sys.executable, "-m", "shared.dev", "check-test-prerequisites", "postgresql"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert len(checked.stderr.splitlines()) == 1 and checked.stderr.startswith("PostgreSQL : la base test sur ")


def test_an_unknown_prerequisite_name_is_a_usage_error(capsys):
    assert prerequisites.main(["redis"]) == 2
    assert "choose among rabbitmq, postgresql" in capsys.readouterr().err


class FakeNode:
    """A broker that answers AMQP; its management API answers once the plugin command ran."""

    def __init__(self, plugin_exit=0):
        self.plugin_exit = plugin_exit
        self.commands = []

    def run(self, argv, **kwargs):
        self.commands.append(argv)
        return SimpleNamespace(returncode=self.plugin_exit, stdout="", stderr="Error: only root can do that")

    def api_problem(self, api_uri, timeout=3):
        return None if self.commands and self.plugin_exit == 0 else "unreachable: ConnectionError"


def check_rabbitmq(monkeypatch, node, which):
    monkeypatch.setattr(prerequisites.topology, "broker_problem", lambda uri: None)
    monkeypatch.setattr(prerequisites, "api_problem", node.api_problem)
    said = []
    enable = functools.partial(prerequisites.enable_management_plugin, which=which, run=node.run, say=said.append)
    addresses = ("pyamqp://guest:guest@127.0.0.1:5672", "http://guest:guest@127.0.0.1:15672", "unused")
    return prerequisites.missing(("rabbitmq",), addresses, enable_plugin=enable), said


def test_a_missing_management_api_is_enabled_with_rabbitmq_plugins_when_it_is_there(monkeypatch):
    node = FakeNode()
    lines, said = check_rabbitmq(monkeypatch, node, which=lambda name: f"/usr/sbin/{name}")
    assert node.commands == [["rabbitmq-plugins", "enable", "rabbitmq_management"]]
    assert lines == []
    assert said == ["enabling the RabbitMQ management plugin: rabbitmq-plugins enable rabbitmq_management"]


def test_without_rabbitmq_plugins_the_line_gives_the_command_to_run(monkeypatch):
    node = FakeNode()
    lines, _ = check_rabbitmq(monkeypatch, node, which=lambda name: None)
    assert node.commands == []
    assert len(lines) == 1 and lines[0].endswith("→ rabbitmq-plugins enable rabbitmq_management (en root)")


def test_a_plugin_command_that_fails_says_why_and_leaves_the_line(monkeypatch):
    node = FakeNode(plugin_exit=2)
    lines, said = check_rabbitmq(monkeypatch, node, which=lambda name: f"/usr/sbin/{name}")
    assert said[-1] == "  failed (exit 2): Error: only root can do that"
    assert len(lines) == 1 and "rabbitmq-plugins enable rabbitmq_management" in lines[0]


def test_the_addresses_checked_are_the_ones_pytest_is_given(monkeypatch):
    monkeypatch.delenv("COCOON_TEST_POSTGRES_URL", raising=False)
    amqp, api, postgres = prerequisites.test_addresses()
    addopts = (REPO / "pyproject.toml").read_text()
    assert f"--rabbit-amqp-uri={amqp}" in addopts and f"--rabbit-api-uri={api}" in addopts
    assert postgres == "postgresql://postgres@127.0.0.1:5432/test"
