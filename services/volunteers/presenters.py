"""The volunteers service's answers and event payloads, each through its Out schema (schemas.py)
or its event contract: no dict is built or patched by hand beyond naming the fields."""

from services.volunteers.models import CONFIRMED
from services.volunteers.schemas import (
    ExpiringOut,
    HoursOut,
    MeOut,
    OpportunityOut,
    ProfileOut,
    SignupOut,
    VenueHoursOut,
    VolunteerFileOut,
    VolunteerOut,
)
from shared import honorability as honorability_rule
from shared.renewals import RenewalOut
from shared.timeutil import from_db


def volunteer(row):
    return VolunteerOut().dump(row)


def ranked_opportunities(ranked):
    """`ranked`: domain.matching.Ranked, best match first."""
    return OpportunityOut(many=True).dump(ranked)


def _expires_on(honorability):
    return honorability_rule.expires_on(honorability.verified_on) if honorability else None


def _profile_fields(row, honorability, missing, gaps, charter_version):
    """`charter_version`: the current version of the charte de bénévolat (the setting)."""
    return {
        **{name: getattr(row, name) for name in VolunteerOut().fields},
        "emergency_name": row.emergency_name,
        "emergency_phone": row.emergency_phone,
        "consent_version": row.consent_version,
        "consented_at": row.consented_at,
        "insurer": row.insurer,
        "insurance_policy": row.insurance_policy,
        "insurance_valid_from": row.insurance_valid_from,
        "insurance_valid_until": row.insurance_valid_until,
        "honorability_issued_on": honorability.issued_on if honorability else None,
        "honorability_expires_on": _expires_on(honorability),
        "cleared": not missing,
        "missing": missing,
        "clearance_gaps": list(gaps),
        "charter_version": row.charter_version,
        "charter_accepted_at": row.charter_accepted_at,
        "charter_current_version": charter_version,
        "charter_accepted": row.charter_version == charter_version,
    }


def profile(row, honorability, missing, gaps, charter_version):
    """`missing`: domain.clearance.missing today, as sentences; `gaps`: the same as codes."""
    return ProfileOut().dump(_profile_fields(row, honorability, missing, gaps, charter_version))


def profiles(rows, honorabilities, missing_of, gaps_of, charter_version):
    return [profile(row, honorabilities.get(row.id), missing_of(row), gaps_of(row), charter_version) for row in rows]


def volunteer_file(row, honorability, missing, gaps, signups, year_hours, now, charter_version):
    """`signups`: Signup rows joined to their `opportunity`; `year_hours`: hours_fields() of this year."""
    fields = _profile_fields(row, honorability, missing, gaps, charter_version)
    fields.update(
        honorability_verified_on=honorability.verified_on if honorability else None,
        honorability_verified_by=honorability.verified_by if honorability else None,
        insurance_recorded_by=row.insurance_recorded_by,
        first_activity_on=row.first_activity_on,
        signups=[dict(signup_fields(s, s.opportunity, now), ended_at=s.ended_at) for s in signups],
        year_hours=year_hours,
    )
    return VolunteerFileOut().dump(fields)


def signup_fields(signup, opportunity, now=None):
    return {
        "id": signup.id,
        "activity_id": signup.activity_id,
        "volunteer_id": signup.volunteer_id,
        "status": signup.status,
        "cancel_reason": signup.cancel_reason,
        "title": opportunity.title,
        "kind": opportunity.kind,
        "room_name": opportunity.room_name,
        "starts_at": opportunity.starts_at,
        "ends_at": opportunity.ends_at,
        "children_capacity": opportunity.children_capacity,
        "withdrawable": signup.status == CONFIRMED and (now is None or from_db(opportunity.starts_at) > now),
    }


def signup(signup_row, opportunity, now=None):
    return SignupOut().dump(signup_fields(signup_row, opportunity, now))


def me(row, honorability, missing, signups, now, gaps, charter_version):
    """`signups`: Signup rows joined to their `opportunity`."""
    fields = _profile_fields(row, honorability, missing, gaps, charter_version)
    fields["signups"] = [signup_fields(s, s.opportunity, now) for s in signups]
    return MeOut().dump(fields)


def expiring(pairs):
    """`pairs`: (Honorability, Volunteer), soonest expiry first."""
    return ExpiringOut(many=True).dump(
        [
            {
                "volunteer_id": v.id,
                "first_name": v.first_name,
                "last_name": v.last_name,
                "email": v.email,
                "honorability_id": h.id,
                "issued_on": h.issued_on,
                "expires_on": _expires_on(h),
            }
            for h, v in pairs
        ]
    )


def renewals(lines):
    """`lines`: (Volunteer, Honorability or None, status), in the list's order."""
    return RenewalOut(many=True).dump(
        [
            {
                "kind": "volunteer",
                "person_id": v.id,
                "name": f"{v.first_name} {v.last_name}",
                "issued_on": h.issued_on if h else None,
                "verified_on": h.verified_on if h else None,
                "expires_on": _expires_on(h),
                "status": status,
            }
            for v, h, status in lines
        ]
    )


def _line(r, people=None):
    line = {
        "activity_id": r.activity_id,
        "title": r.title,
        "kind": r.kind,
        "starts_at": r.starts_at,
        "ends_at": r.ends_at,
        "hours": f"{r.hours:.2f}",
        "age_group": r.age_group,
    }
    if people is not None:
        person = people.get(r.volunteer_id)
        line.update(volunteer_id=r.volunteer_id, volunteer=f"{person.first_name} {person.last_name}" if person else "")
    return line


def _age_groups(total):
    """`total`: domain.hours.Summary -> its age groups, the most activities first."""
    return [
        {"age_group": group, "activities": n, "hours": f"{total.age_group_hours[group]:.2f}"}
        for group, n in sorted(total.age_groups.items(), key=lambda item: (-item[1], item[0]))
    ]


def _training_line(t, people=None):
    line = {
        "session_id": t.session_id,
        "part_index": t.part_index,
        "title": t.title,
        "starts_at": t.starts_at,
        "ends_at": t.ends_at,
        "hours": f"{t.hours:.2f}",
    }
    if people is not None:
        person = people.get(t.volunteer_id)
        line.update(volunteer_id=t.volunteer_id, volunteer=f"{person.first_name} {person.last_name}" if person else "")
    return line


def _total(year, total, lines, trained_lines):
    return {
        "year": year,
        "hours": f"{total.hours:.2f}",
        "activities": total.activities,
        "lines": lines,
        "age_groups": _age_groups(total),
        "training_hours": f"{total.training_hours:.2f}",
        "training_parts": total.training_parts,
        "training_lines": trained_lines,
    }


def hours_fields(year, total, records, trained=()):
    """`total`: domain.hours.Summary; `records`: HoursRecord rows of that year; `trained`: its
    TrainingRecord rows (only the parts attended are lines)."""
    return _total(year, total, [_line(r) for r in records], [_training_line(t) for t in trained if t.present])


def hours(year, total, records, trained=()):
    return HoursOut().dump(hours_fields(year, total, records, trained))


def venue_hours(year, total, records, trained, people, each):
    """The same for the venue, each line with its volunteer (`people`: {id: Volunteer}), and
    `each`: {volunteer_id: domain.hours.Summary}, shown by name."""

    def name(volunteer_id):
        person = people.get(volunteer_id)
        return f"{person.first_name} {person.last_name}" if person else ""

    def order(volunteer_id):
        person = people.get(volunteer_id)
        return (person.last_name, person.first_name, volunteer_id) if person else ("", "", volunteer_id)

    fields = _total(
        year,
        total,
        [_line(r, people) for r in records],
        [_training_line(t, people) for t in trained if t.present],
    )
    fields["volunteers"] = [
        {
            "volunteer_id": volunteer_id,
            "volunteer": name(volunteer_id),
            "hours": f"{each[volunteer_id].hours:.2f}",
            "activities": each[volunteer_id].activities,
            "age_groups": _age_groups(each[volunteer_id]),
            "training_hours": f"{each[volunteer_id].training_hours:.2f}",
            "training_parts": each[volunteer_id].training_parts,
        }
        for volunteer_id in sorted(each, key=order)
    ]
    return VenueHoursOut().dump(fields)


# --- event payloads ----------------------------------------------------------------------------------
def signup_fact(signup_row):
    return {"signup_id": signup_row.id, "activity_id": signup_row.activity_id, "volunteer_id": signup_row.volunteer_id}


def signup_confirmed(signup_row, opportunity):
    """With the activity's title, times and room: the volunteer's confirmation email and reminder."""
    return {
        **signup_fact(signup_row),
        "title": opportunity.title,
        "starts_at": from_db(opportunity.starts_at).isoformat(),
        "ends_at": from_db(opportunity.ends_at).isoformat(),
        "room_name": opportunity.room_name,
    }


def signup_cancelled(signup_row, opportunity, reason, starts_at):
    """`starts_at`: the stored time the volunteer knew (before a move)."""
    return {
        **signup_fact(signup_row),
        "reason": reason,
        "title": opportunity.title,
        "starts_at": from_db(starts_at).isoformat(),
    }


def signup_moved(signup_row, opportunity):
    return {
        **signup_fact(signup_row),
        "title": opportunity.title,
        "starts_at": from_db(opportunity.starts_at).isoformat(),
        "ends_at": from_db(opportunity.ends_at).isoformat(),
    }


def hours_recorded(record):
    return {
        "volunteer_id": record.volunteer_id,
        "activity_id": record.activity_id,
        "hours": f"{record.hours:.2f}",
        "starts_at": from_db(record.starts_at).isoformat(),
    }


def honorability_expiring(honorability, volunteer_row):
    return {
        "volunteer_id": volunteer_row.id,
        "honorability_id": honorability.id,  # no name nor email: volunteers `contact` gives them
        "expires_on": _expires_on(honorability).isoformat(),
    }
