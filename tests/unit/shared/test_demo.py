"""The demo loader's own arithmetic: the fortnight it fills, the gateway it talks to, its off switch."""

import os
import subprocess
import sys
from datetime import date

from shared import demo
from tests.support import REPO


def test_the_fortnight_starts_on_the_current_week_s_monday():
    assert demo.monday_of(date(2026, 12, 2)) == date(2026, 11, 30)  # a Wednesday
    assert demo.monday_of(date(2026, 11, 30)) == date(2026, 11, 30)  # a Monday
    assert demo.monday_of(date(2026, 12, 6)) == date(2026, 11, 30)  # a Sunday


def test_the_gateway_is_reached_where_gunicorn_binds():
    assert demo.gateway_url(None) == "http://127.0.0.1:8000"
    assert demo.gateway_url("0.0.0.0:8080") == "http://127.0.0.1:8080"
    assert demo.gateway_url("127.0.0.1:41000") == "http://127.0.0.1:41000"


def test_every_activity_fits_its_room_and_no_two_share_a_room_at_once():
    capacity = {room["name"]: room["capacity"] for room in demo.ROOMS}
    seen = set()
    for weekday, start, end, _title, _kind, room, children, _v, _t in demo.WEEK_OF_ACTIVITIES:
        assert children <= capacity[room] and room != demo.CRECHE and start < end
        assert (weekday, start, room) not in seen
        seen.add((weekday, start, room))


def test_with_cocoon_demo_0_nothing_is_loaded_and_nothing_is_asked():
    run = subprocess.run(
        [sys.executable, "-m", "shared.demo", "--base-url", "http://127.0.0.1:9"],
        cwd=REPO,
        env=dict(os.environ, COCOON_DEMO="0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and "COCOON_DEMO=0" in run.stdout


def test_a_request_whose_connection_dropped_before_an_answer_is_sent_again(monkeypatch):
    import requests

    monkeypatch.setattr(demo.time, "sleep", lambda seconds: None)
    tries = []

    def send():
        tries.append(1)
        if len(tries) < 3:
            raise requests.ConnectionError("Remote end closed connection without response")
        return "the answer"

    assert demo.Demo._sent(send) == "the answer" and len(tries) == 3


def test_a_gateway_that_never_answers_still_fails_the_loader_after_three_tries(monkeypatch):
    import pytest
    import requests

    monkeypatch.setattr(demo.time, "sleep", lambda seconds: None)
    tries = []

    def send():
        tries.append(1)
        raise requests.ConnectionError("refused")

    with pytest.raises(requests.ConnectionError):
        demo.Demo._sent(send)
    assert len(tries) == 3
