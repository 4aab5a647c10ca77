"""What duty answers: the staff members, through their Out schema."""

from services.bookings.presenting import shown_adult
from services.bookings.schemas.duty import StaffMemberOut


def staff_members(adults, members, day):
    """`adults`: duty.Adult of each of `members` (StaffMember rows), in the same order."""
    return StaffMemberOut(many=True).dump(
        [
            dict(
                shown_adult(adult, day),
                first_name=m.first_name,
                last_name=m.last_name,
                job_title=m.job_title,
                diplomas=list(m.diplomas or []),
            )
            for adult, m in zip(adults, members, strict=True)
        ]
    )
