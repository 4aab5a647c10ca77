"""`migrate` waits for RabbitMQ, then stops with one line and a non-zero exit (no broker needed
here; tests/integration/shared/test_outbox_relay.py shows it waiting for a broker that starts late)."""

import pytest

from shared import migrate


def test_migrate_stops_with_one_line_and_a_non_zero_exit_when_the_broker_never_answers(monkeypatch, capsys):
    monkeypatch.setenv("AMQP_URI", "amqp://guest:secret@127.0.0.1:1/")
    monkeypatch.setenv("COCOON_BROKER_WAIT_SECONDS", "0.3")
    with pytest.raises(SystemExit) as stopped:
        migrate.declare_queues()
    message = stopped.value.code
    assert isinstance(message, str)  # sys.exit(text): printed on stderr, exit status 1
    assert "RabbitMQ" in message and "COCOON_BROKER_WAIT_SECONDS" in message
    assert "\n" not in message and "secret" not in message
    assert "declared" not in capsys.readouterr().out
