"""The insights service's answers, each through its Out schema (schemas.py)."""

from datetime import date

from services.insights.schemas import MonthOut, PathStepOut, SummaryOut


def summary(start, end, counted):
    return SummaryOut().dump({"from_": start, "to": end, **counted})


def monthly(months):
    return MonthOut(many=True).dump(months)


def person_path(steps):
    return PathStepOut(many=True).dump([{**step, "on": date.fromisoformat(step["on"])} for step in steps])
