"""What the child's file answers: the health file with its vaccination rule, the pickup adults,
who may collect the child, the incident register."""

from services.bookings.child_file import sealing
from services.bookings.domain import vaccinations
from services.bookings.presenting import Shown
from services.bookings.schemas.child_file import HealthOut, IncidentOut, PickupAdultOut, PickupOptionsOut


def health(child, health, kept, admitted_on):
    """`health`: the opened file (care_checks.health_file); `kept`: its ChildHealth row or None."""
    until = None
    if not health["vaccinations_up_to_date"]:
        until = vaccinations.provisional_until(admitted_on) if admitted_on else None
    required = vaccinations.required_vaccinations(child.birth_date)
    return HealthOut().dump(
        dict(
            health,
            child_id=child.id,
            first_name=child.first_name,
            recorded=kept is not None,
            updated_at=kept.updated_at if kept else None,
            updated_by=kept.updated_by if kept else None,
            required_vaccinations=list(required),
            admitted_on=admitted_on,
            provisional_until=until,
            rule=(
                f"{len(required)} vaccinations obligatoires pour un enfant accueilli en collectivité ; "
                "un enfant qui n'est pas à jour est admis à titre provisoire et les vaccinations manquantes "
                f"sont faites dans les trois mois ({vaccinations.SOURCE})."
            ),
        )
    )


def pickup_adult(adult):
    return PickupAdultOut().dump(adult)


def pickup_adults(adults):
    return PickupAdultOut(many=True).dump(adults)


def pickup_options(child, people):
    return PickupOptionsOut().dump({"child_id": child.id, "first_name": child.first_name, "people": people})


def incident(line, keys, corrected_by=None):
    return IncidentOut().dump(_opened(line, keys, corrected_by))


def incidents(lines, corrections, keys):
    """`corrections`: store.corrections_of, {corrected line id: correcting line id}."""
    return IncidentOut(many=True).dump([_opened(line, keys, corrections.get(line.id)) for line in lines])


def _opened(line, keys, corrected_by):
    """A line of the register with what it keeps encrypted (sealing.py) opened."""
    return Shown(line, corrected_by=corrected_by, **sealing.unseal(keys, line.sealed))
