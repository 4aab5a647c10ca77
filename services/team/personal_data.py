"""The team service's part of the RGPD export (shared/personal_data.py): a staff member's profile,
diplomas and every attestation d'honorabilité recorded for them. Read-only."""

from services.team import presenters, store
from services.team.models import Honorability, StaffMember
from shared import personal_data, timeutil
from shared.broker_loss import rpc
from shared.timeutil import venue_zone


class PersonalDataExport:
    @rpc
    def export_person(self, person):
        """{"profile": the staff member (or None), "attestations": every verification, oldest first}."""
        who = personal_data.person(person)
        member = StaffMember.get_or_none(StaffMember.id == who["account_id"]) if who["role"] == "staff" else None
        if member is None:
            return {"profile": None, "attestations": []}
        rows = list(Honorability.select().where(Honorability.staff_id == member.id).order_by(Honorability.verified_on))
        today = timeutil.now_utc().astimezone(venue_zone()).date()
        current = store.current_attestation(member.id)
        return {
            "profile": presenters.staff_member(member, current, self.settings.ratio_diplomas, today),
            "attestations": [presenters.attestation(row) for row in rows],
        }
