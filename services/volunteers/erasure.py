"""The erasure of a volunteer's data (shared/erasure.py, docs/privacy.md).

What stays, under the pseudonym: sign-ups, hours given and training followed, with their dates
(the venue's volunteering report counts them), the attestations' dates, the birth year (the
birth date becomes its year's first day). What goes: email, names, phones, the emergency
contact, interests and availabilities."""

from services.volunteers import models as M
from shared import erasure
from shared.handlers import on_event
from shared.retention import RetentionPurge


def volunteer_person(volunteer):
    return erasure.person(
        volunteer.id,
        ids=[volunteer.id],
        emails=[volunteer.email],
        names=[f"{volunteer.first_name} {volunteer.last_name}", volunteer.emergency_name],
        phones=[volunteer.phone, volunteer.emergency_phone],
    )


class ErasureHandlers(RetentionPurge):
    """Mixed into VolunteersService."""

    dead_letters = erasure.DeadLetters()

    @on_event("team.account_erasure_requested", exclusive=True)
    def erase_volunteer(self, event):
        payload = event["payload"]
        volunteer = M.Volunteer.get_or_none(M.Volunteer.id == (payload.get("volunteer_id") or ""))
        if volunteer is not None and not erasure.is_pseudonym(volunteer.email):
            who = volunteer_person(volunteer)
            self.dead_letters(who.texts)
            M.Volunteer.update(
                email=erasure.pseudonym_email(volunteer.id),
                first_name=who.pseudonym,
                last_name="",
                phone="",
                birth_date=volunteer.birth_date.replace(month=1, day=1),
                interests=[],
                availability=[],
                emergency_name=None,
                emergency_phone=None,
            ).where(M.Volunteer.id == volunteer.id).execute()
            erasure.purge_spine(M, who)
        self.uow.emit("volunteers.personal_data_erased", erasure.answer("volunteers", payload["erasure_id"]))
