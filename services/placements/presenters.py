"""The placements service's answers and event payloads: one function per kind of answer, each
dumping rows (or the domain's results) through an Out schema of schemas.py."""

from datetime import date
from decimal import Decimal

from services.placements.domain import clearance, gratification, lifecycle
from services.placements.domain import programmes as programme_rules
from services.placements.domain.payments import total_paid
from services.placements.domain.progress import Logged, hours_between, progress
from services.placements.domain.school_year import school_year_label
from services.placements.domain.working_time import age_on
from services.placements.schemas import (
    HourLogOut,
    PlacementOut,
    PlacementRowOut,
    ProgrammeOut,
    TraineeOut,
)
from shared import honorability as honorability_rule
from shared.renewals import RenewalOut
from shared.timeutil import as_utc, from_db, venue_zone


def attestation(row):
    """A TraineeHonorability row as the shared rule's Attestation (None stays None)."""
    return None if row is None else honorability_rule.Attestation(issued_on=row.issued_on, verified_on=row.verified_on)


def trainee(row, honorability, today: date):
    """The trainee with their attestation d'honorabilité (the current row, or None) and their
    clearance on `today` (the venue's date)."""
    current = attestation(honorability)
    name = f"{row.first_name} {row.last_name}"
    return TraineeOut().dump(
        {
            **{field: getattr(row, field) for field in TRAINEE_FIELDS},
            "honorability_issued_on": current.issued_on if current else None,
            "honorability_verified_on": current.verified_on if current else None,
            "honorability_expires_on": current.expires_on if current else None,
            "clearance_status": clearance.status(current, today),
            "cleared": honorability_rule.gap(current, today) is None,
            "clearance_refusal": honorability_rule.refusal(name, current, today),
        }
    )


TRAINEE_FIELDS = (
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "birth_date",
    "programme",
    "school",
    "referent_name",
    "referent_email",
)


def renewals(lines):
    """`lines`: (Trainee, TraineeHonorability or None, status), in the list's order."""
    rows = []
    for t, h, status in lines:
        current = attestation(h)
        rows.append(
            {
                "kind": "trainee",
                "person_id": t.id,
                "name": f"{t.first_name} {t.last_name}",
                "issued_on": current.issued_on if current else None,
                "verified_on": current.verified_on if current else None,
                "expires_on": current.expires_on if current else None,
                "status": status,
            }
        )
    return RenewalOut(many=True).dump(rows)


def programmes():
    rows = programme_rules.PROGRAMMES.items()
    return ProgrammeOut(many=True).dump([{"key": k, "label": label, "default_hours": h} for k, (label, h) in rows])


def logged(logs):
    return [Logged(as_utc(log.starts_at), as_utc(log.ends_at), log.kind, log.status) for log in logs]


def placement(row, logs, settings, today: date, stays=(), payments=(), changes=()):
    """A placement with its progress and gratification, from all its logs (`today`: the venue's
    date). `stays`: every placement of the trainee here as domain Stays (this one included), for
    the gratification across the school year; `payments`, `changes`: its rows."""
    found = progress(logged(logs), venue_zone())
    stays = list(stays)
    owed = gratification.due_by_placement(stays, settings.gratification_hourly).get(row.id)
    by_year = gratification.hours_by_school_year(stays)
    t = row.trainee
    kind = programme_rules.programme(t.programme)
    planned = row.planned_hours if row.planned_hours is not None else row.required_hours
    return PlacementOut().dump(
        {
            **{name: getattr(row, name) for name in PLACEMENT_FIELDS},
            "planned_hours": planned,
            "designated_on": row.designated_on or row.starts_on,
            "trainee_id": t.id,
            "trainee_name": f"{t.first_name} {t.last_name}",
            "trainee_birth_date": t.birth_date,
            "trainee_minor": age_on(t.birth_date, today) < 18,
            "programme": t.programme,
            "programme_label": kind.label,
            "hours_to_validate": kind.hours_to_validate,
            "validated_hours": found.validated_hours,
            "submitted_hours": found.submitted_hours,
            "training_hours": found.training_hours,
            "can_complete": row.status == lifecycle.ACTIVE
            and lifecycle.can_complete(found.validated_hours, planned, row.ends_on, today),
            "weeks": found.weeks,
            "gratification_due": bool(owed and owed.due),
            "gratification_school_years": [school_year_label(y) for y in (owed.due_school_years if owed else ())],
            "school_year_planned_hours": {school_year_label(y): h for y, h in sorted(by_year.items())},
            "gratification_months": list(owed.months) if owed else [],
            "gratification_total": owed.minimum if owed else Decimal("0.00"),
            "gratification_payments": [
                {"month": p.month, "amount": p.amount, "recorded_by": p.recorded_by, "recorded_at": p.created_at}
                for p in payments
            ],
            "gratification_paid": total_paid(p.amount for p in payments),
            "history": [
                {"changed_at": c.created_at, "changed_by": c.changed_by, "reason": c.reason, "changes": c.changes}
                for c in changes
            ],
        }
    )


PLACEMENT_FIELDS = (
    "id",
    "tutor_id",
    "school",
    "starts_on",
    "ends_on",
    "required_hours",
    "weekly_schedule",
    "under_convention",
    "status",
    "interruption_reason",
    "started_at",
    "ended_at",
    "evaluation",
    "evaluated_at",
)


def placement_rows(rows):
    return PlacementRowOut(many=True).dump(rows)


def hour_log(log, trainee_name=""):
    return HourLogOut().dump(
        {
            **{name: getattr(log, name) for name in LOG_FIELDS},
            "placement_id": log.placement_id,
            "hours": hours_between(log.starts_at, log.ends_at),
            "trainee_name": trainee_name,
        }
    )


LOG_FIELDS = (
    "id",
    "starts_at",
    "ends_at",
    "tasks",
    "activity_id",
    "kind",
    "source",
    "status",
    "reason",
    "validated_by",
    "validated_at",
    "confirmed_by_trainee_at",
)


def hour_logs(logs, with_trainee=False):
    return [
        hour_log(log, f"{log.placement.trainee.first_name} {log.placement.trainee.last_name}" if with_trainee else "")
        for log in logs
    ]


# --- event payloads (shared/events/placements.py) ---------------------------------------------
def placement_fact(row):
    return {
        "placement_id": row.id,
        "trainee_id": row.trainee_id,
        "tutor_id": row.tutor_id,
    }


def placement_created(row):
    return {
        **placement_fact(row),
        "school": row.school,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "required_hours": f"{Decimal(row.required_hours):.2f}",
        "planned_hours": f"{Decimal(row.planned_hours):.2f}",
    }


def placement_changed(row, changed):
    return {
        **placement_fact(row),
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "required_hours": f"{Decimal(row.required_hours):.2f}",
        "planned_hours": f"{Decimal(row.planned_hours):.2f}",
        "changed": sorted(changed),
    }


def hours_fact(log, placement_row):
    return {
        "hour_log_id": log.id,
        **placement_fact(placement_row),
        "starts_at": from_db(log.starts_at).isoformat(),
        "ends_at": from_db(log.ends_at).isoformat(),
        "hours": str(hours_between(log.starts_at, log.ends_at)),
        "kind": log.kind,
        "activity_id": log.activity_id,
    }


def trainee_cleared(honorability):
    current = attestation(honorability)
    return {
        "trainee_id": honorability.trainee_id,
        "verified_on": current.verified_on.isoformat(),
        "expires_on": current.expires_on.isoformat(),
    }


def trainee_clearance_expired(honorability):
    return {"trainee_id": honorability.trainee_id, "expired_on": attestation(honorability).expires_on.isoformat()}
