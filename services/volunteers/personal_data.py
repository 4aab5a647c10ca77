"""The volunteers service's part of the RGPD export (shared/personal_data.py): a volunteer's file
(contact, emergency contact, consent, insurance, charter), every attestation d'honorabilité
recorded, every sign-up and the hours of every year they have some. Read-only."""

from marshmallow import Schema, fields

from services.volunteers import store
from services.volunteers.models import Honorability, HoursRecord, TrainingRecord
from shared import honorability as honorability_rule
from shared import personal_data
from shared.broker_loss import rpc
from shared.timeutil import from_db, venue_zone


class AttestationOut(Schema):
    id = fields.String()
    issued_on = fields.Date()
    verified_on = fields.Date()
    verified_by = fields.String()
    expires_on = fields.Date()


class PersonalDataExport:
    @rpc
    def export_person(self, person):
        """{"volunteer": the staff's view of the file (or None), "attestations": oldest first,
        "hours": one HoursOut per year with hours or training, oldest first}."""
        volunteer_id = personal_data.record_id(personal_data.person(person), "volunteer")
        volunteer = volunteer_or_none(volunteer_id)
        if volunteer is None:
            return {"volunteer": None, "attestations": [], "hours": []}
        return {
            "volunteer": self.volunteer_file(volunteer.id),
            "attestations": attestations(volunteer.id),
            "hours": [self.my_hours(volunteer.id, {"year": year}) for year in years_of(volunteer.id)],
        }


def volunteer_or_none(volunteer_id):
    return store.names_of([volunteer_id]).get(volunteer_id) if volunteer_id else None


def attestations(volunteer_id):
    rows = Honorability.select().where(Honorability.volunteer_id == volunteer_id)
    return AttestationOut(many=True).dump(
        [
            {
                "id": row.id,
                "issued_on": row.issued_on,
                "verified_on": row.verified_on,
                "verified_by": row.verified_by,
                "expires_on": honorability_rule.expires_on(row.verified_on),
            }
            for row in rows.order_by(Honorability.verified_on, Honorability.id)
        ]
    )


def years_of(volunteer_id):
    """The venue's years in which the volunteer has hours or a training line."""
    starts = [
        r.starts_at for r in HoursRecord.select(HoursRecord.starts_at).where(HoursRecord.volunteer_id == volunteer_id)
    ]
    starts += [
        t.starts_at
        for t in TrainingRecord.select(TrainingRecord.starts_at).where(TrainingRecord.volunteer_id == volunteer_id)
    ]
    return sorted({from_db(s).astimezone(venue_zone()).year for s in starts})
