"""The team service's answers and event payloads, each through its Out schema (schemas.py) or its
event contract (shared/events/team.py)."""

from services.team.domain import clearance, staff
from services.team.schemas import AttestationOut, StaffAccessOut, StaffOut
from shared import honorability
from shared.events.team import StaffClearanceExpired, StaffCleared, StaffProfile
from shared.renewals import RenewalOut


def _profile_fields(member, qualifying):
    return {
        "staff_id": member.id,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "job_title": member.job_title,
        "diplomas": list(member.diplomas),
        "counts_in_ratio": staff.counts(member.diplomas, qualifying, member.active),
        "state_diploma": staff.state_diploma(member.diplomas),
        "health_referent": member.health_referent,
        "active": member.active,
    }


def staff_profile(member, qualifying):
    """team.staff_registered / team.staff_updated."""
    return StaffProfile().dump(_profile_fields(member, qualifying))


def staff_member(member, attestation_row, qualifying, today):
    """`attestation_row`: the member's current attestation (or None); `today`: the venue's day."""
    current = clearance.attestation(attestation_row)
    fields = _profile_fields(member, qualifying)
    fields["id"] = fields.pop("staff_id")
    name = f"{member.first_name} {member.last_name}"
    fields.update(
        email=member.email,
        left_on=member.left_on,
        staff_roles=list(member.staff_roles or []),
        roles_version=member.roles_version,
        honorability_issued_on=current.issued_on if current else None,
        honorability_verified_on=current.verified_on if current else None,
        honorability_expires_on=current.expires_on if current else None,
        cleared=honorability.gap(current, today) is None,
        clearance_gap=honorability.gap(current, today),
        clearance_refusal=honorability.refusal(name, current, today),
    )
    return StaffOut().dump(fields)


def staff_access(member):
    return StaffAccessOut().dump(
        {"staff_id": member.id, "staff_roles": list(member.staff_roles or []), "roles_version": member.roles_version}
    )


def staff_members(members, attestations, qualifying, today):
    return [staff_member(m, attestations.get(m.id), qualifying, today) for m in members]


def attestation(row):
    return AttestationOut().dump({**_row_fields(row), "expires_on": clearance.attestation(row).expires_on})


def _row_fields(row):
    return {
        "id": row.id,
        "staff_id": row.staff_id,
        "issued_on": row.issued_on,
        "verified_on": row.verified_on,
        "verified_by": row.verified_by,
    }


def staff_cleared(row):
    current = clearance.attestation(row)
    return StaffCleared().dump(
        {"staff_id": row.staff_id, "verified_on": current.verified_on, "expires_on": current.expires_on}
    )


def clearance_expired(row):
    return StaffClearanceExpired().dump({"staff_id": row.staff_id, "expired_on": clearance.attestation(row).expires_on})


def renewal(member, attestation_row, status):
    current = clearance.attestation(attestation_row)
    return RenewalOut().dump(
        {
            "kind": "staff",
            "person_id": member.id,
            "name": f"{member.first_name} {member.last_name}",
            "issued_on": current.issued_on if current else None,
            "verified_on": current.verified_on if current else None,
            "expires_on": current.expires_on if current else None,
            "status": status,
        }
    )
