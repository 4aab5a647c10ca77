"""Log lines are one JSON object each: fixed fields first, then what the caller gave in `extra=`."""

import json
import logging
import sys
import time
from datetime import UTC, datetime

from shared.logs import CorrelationFilter, json_formatter


def line_of(record):
    CorrelationFilter("bookings").filter(record)
    return json.loads(json_formatter().format(record))


def record(msg="booking decided", args=(), exc_info=None, **extra):
    return logging.getLogger("services.bookings").makeRecord(
        "services.bookings", logging.INFO, __file__, 1, msg, args, exc_info, extra=extra
    )


def test_a_line_has_the_fixed_fields_then_the_extra_ones_in_order():
    at = record("booking %s", ("decided",), booking_id="b-1", status="confirmed", correlation_id="req-1")
    at.created, at.msecs = datetime(2026, 1, 31, 9, 0, 0, tzinfo=UTC).timestamp(), 123.9

    line = line_of(at)

    assert list(line) == ["ts", "level", "service", "logger", "message", "correlation_id", "booking_id", "status"]
    assert line["ts"] == "2026-01-31T09:00:00.123+00:00"  # UTC, with its offset
    assert (line["level"], line["service"], line["logger"]) == ("INFO", "bookings", "services.bookings")
    assert (line["message"], line["correlation_id"], line["booking_id"]) == ("booking decided", "req-1", "b-1")


def test_values_json_does_not_know_are_written_as_before_dates_in_iso_format_classes_by_name():
    line = line_of(record(at=datetime(2026, 1, 31, 9, 30), kind=ValueError, count=3))
    assert (line["at"], line["kind"], line["count"]) == ("2026-01-31T09:30:00", "ValueError", 3)


def test_a_failure_is_logged_with_its_traceback():
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        line = line_of(record("could not decide", exc_info=sys.exc_info()))
    assert line["exc_info"].startswith("Traceback") and "ZeroDivisionError" in line["exc_info"]


def test_the_time_is_written_in_utc_whatever_the_zone_of_the_process(monkeypatch):
    monkeypatch.setenv("TZ", "America/Cayenne")  # UTC-3
    time.tzset()
    try:
        at = record()
        at.created, at.msecs = datetime(2026, 7, 1, 22, 30, 5, tzinfo=UTC).timestamp(), 7.0
        assert line_of(at)["ts"] == "2026-07-01T22:30:05.007+00:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_line_names_the_service_running_its_thread_in_a_process_of_several():
    """shared/service_container.py sets it for every thread of a service's container."""
    from shared import logs

    try:
        logs.set_service("volunteers")
        filtered = record()
        CorrelationFilter("services").filter(filtered)
        assert filtered.service == "volunteers"
        named = record(service="team")  # a line that names its service keeps it
        CorrelationFilter("services").filter(named)
        assert named.service == "team"
    finally:
        logs.set_service(None)
    alone = record()
    CorrelationFilter("services").filter(alone)
    assert alone.service == "services"  # the process's COCOON_SERVICE_NAME
