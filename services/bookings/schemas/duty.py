"""Who may be with the children (duty/entrypoints.py): the staff members bookings knows from the
team service, and the named staff of a slot or an activity as the answers show them."""

from marshmallow import Schema, fields

from shared.pagination import PageQuery


class DutyStaffQuery(PageQuery):
    """A page of staff members by name, their clearance told for `date` (default: today)."""

    date = fields.Date(load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class NamedStaffOut(Schema):
    """A staff member named on duty, as a slot, an activity or the board shows them on its day."""

    staff_id = fields.String(attribute="id")
    name = fields.String()
    counts_in_ratio = fields.Boolean()  # holds a qualifying diploma
    cleared = fields.Boolean()  # a valid attestation d'honorabilité on the day
    counted = fields.Boolean()  # counts in the ratio on the day (a professional, cleared, still at the venue)
    state_diploma = fields.Boolean()  # one of R2324-42's state diplomas
    refusal = fields.String(allow_none=True)  # why they may not be named on the day (else null)


class StaffMemberOut(NamedStaffOut):
    first_name = fields.String()
    last_name = fields.String()
    job_title = fields.String()
    diplomas = fields.List(fields.String())
