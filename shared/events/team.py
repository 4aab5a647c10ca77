"""Events published by the team service (the venue's staff members). Bookings answers them to
know who may be named on duty and who counts in the ratio (docs/architecture.md)."""

from marshmallow import Schema, fields

from shared.events.registry import register


class StaffProfile(Schema):
    """A staff member as bookings needs them: registered, or their profile changed (name, job,
    diplomas). `counts_in_ratio`: they hold a diploma the venue lists as qualifying
    (COCOON_RATIO_DIPLOMAS); `state_diploma`: one of R2324-42's state diplomas (the 40 % mix)."""

    staff_id = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    job_title = fields.String(required=True)
    diplomas = fields.List(fields.String(), required=True)  # codes, shared.diplomas
    counts_in_ratio = fields.Boolean(required=True)
    state_diploma = fields.Boolean(required=True)
    health_referent = fields.Boolean(required=True)  # référent santé et accueil inclusif
    active = fields.Boolean(required=True)  # false once they left the venue


class StaffCleared(Schema):
    """A verified attestation d'honorabilité was recorded: the staff member may be with the
    children from `verified_on` to `expires_on` (shared/honorability.py)."""

    staff_id = fields.String(required=True)
    verified_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)


class StaffClearanceExpired(Schema):
    """The staff member's attestation expired (team's daily timer, once per attestation):
    bookings stops counting them from `expired_on` + 1 day."""

    staff_id = fields.String(required=True)
    expired_on = fields.Date(required=True)  # the attestation's last valid day


register("team.staff_registered", StaffProfile)
register("team.staff_updated", StaffProfile)
register("team.staff_cleared", StaffCleared)
register("team.staff_clearance_expired", StaffClearanceExpired)
