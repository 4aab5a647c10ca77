"""The immersions' answers and event payloads, through schemas.py's Out schemas and the event
schemas of shared/events/placements.py."""

from datetime import date

from services.placements.domain import immersion as rules
from services.placements.schemas import ImmersionOut
from shared import honorability as honorability_rule


def attestation(row):
    return None if row is None else honorability_rule.Attestation(issued_on=row.issued_on, verified_on=row.verified_on)


def name_of(row):
    return f"{row.beneficiary.first_name} {row.beneficiary.last_name}"


def clearance_refusal(row, honorability):
    return rules.clearance_refusal(name_of(row), attestation(honorability), row.starts_on, row.ends_on)


def immersion(row, honorability):
    """The immersion with its beneficiary, signatures, attestation and assessment."""
    current = attestation(honorability)
    beneficiary = row.beneficiary
    return ImmersionOut().dump(
        {
            "id": row.id,
            "beneficiary_id": beneficiary.id,
            "person_id": row.person_id,
            "email": beneficiary.email,
            "first_name": beneficiary.first_name,
            "last_name": beneficiary.last_name,
            "birth_date": beneficiary.birth_date,
            "prescriber": {
                "organisation": row.prescriber_organisation,
                "adviser_name": row.adviser_name,
                "adviser_email": row.adviser_email,
            },
            **{name: getattr(row, name) for name in SAME},
            "signatures": {signer: _signature((row.signatures or {}).get(signer)) for signer in rules.SIGNERS},
            "honorability_issued_on": current.issued_on if current else None,
            "honorability_verified_on": current.verified_on if current else None,
            "honorability_expires_on": current.expires_on if current else None,
            "clearance_refusal": clearance_refusal(row, honorability),
            "assessment": {**row.assessment, "assessed_on": row.assessed_on} if row.assessment else None,
        }
    )


SAME = (
    "object",
    "objectives",
    "activities",
    "starts_on",
    "ends_on",
    "tutor_id",
    "schedule",
    "planned_hours",
    "gratification",
    "status",
    "signed_on",
    "cancelled_on",
    "cancel_reason",
)


def _signature(stored):
    if stored is None:
        return None
    return {"signed_on": date.fromisoformat(stored["signed_on"]), "name": stored["name"]}


def immersions(rows, honorabilities):
    return [immersion(row, honorabilities.get(row.beneficiary_id)) for row in rows]


def fact(row):
    """What every immersion event tells: ids, the object, the prescriber's organisation, the dates."""
    return {
        "person_id": row.person_id,
        "subjects": [{"role": s["role"], "id": s["id"]} for s in row.subjects or []],
        "immersion_id": row.id,
        "beneficiary_id": row.beneficiary_id,
        "object": row.object,
        "prescriber_organisation": row.prescriber_organisation,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "tutor_id": row.tutor_id,
    }


def agreed(row):
    return {**fact(row), "planned_hours": f"{row.planned_hours:.2f}"}


def signed(row):
    return {**fact(row), "signed_on": row.signed_on.isoformat()}


def assessed(row):
    return {**fact(row), "assessed_on": row.assessed_on.isoformat(), "days_present": row.assessment["days_present"]}


def cancelled(row):
    return {**fact(row), "cancelled_on": row.cancelled_on.isoformat()}
