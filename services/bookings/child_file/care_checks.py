"""What the other areas ask of the child's file, as plain functions given the settings: whether a
child may be booked on a day (its vaccinations), who may collect it at check-out, and the
allergies and PAI the board and the evacuation register show. No area imports another's
entrypoints (docs/contributing.md)."""

import json
from datetime import date

from services.bookings.child_file import sealing, store
from services.bookings.domain import vaccinations
from services.bookings.presenting import fr_day
from shared.errors import Conflict

EMPTY_HEALTH = {
    "allergies": [],
    "pai": None,
    "medication_protocol": None,
    "vaccinations_up_to_date": False,
    "vaccinations_checked_on": None,
    "doctor": None,
    "emergency_authorisation": False,
}


def health_file(child, keys):
    """The child's health file as recorded (opened), or EMPTY_HEALTH before the first one."""
    kept = store.health_of(child)
    return opened(keys, kept) if kept else dict(EMPTY_HEALTH)


def opened(keys, kept):
    """A ChildHealth's file as a dict, its date a `date` again."""
    health = sealing.unseal(keys, kept.sealed)
    checked_on = health.get("vaccinations_checked_on")
    return dict(health, vaccinations_checked_on=date.fromisoformat(checked_on) if checked_on else None)


def refuse_unvaccinated(child, day, settings):
    """A 409 saying the rule and its source when `child`, not up to date with its mandatory
    vaccinations, would be cared for on `day` after its provisional admission (domain/vaccinations.py):
    at booking, at a contract's request, and at any check-in (a contract signed earlier included)."""
    kept = store.health_of(child)
    refuse_unvaccinated_as_read(child, kept.sealed if kept else None, lambda: store.admission_day(child), day, settings)


def refuse_unvaccinated_as_read(child, sealed, admission_day, day, settings):
    """refuse_unvaccinated on what the caller already read: the health file's token (None: no
    file yet) and `admission_day()`, asked only when the child is not up to date (a booking
    reads both with the child: childcare/store.py, locked_booker)."""
    up_to_date = sealed is not None and sealing.unseal(settings.health_keys, sealed)["vaccinations_up_to_date"]
    if up_to_date:
        return
    admitted_on = admission_day()
    if vaccinations.may_be_cared_for(False, admitted_on, day):
        return
    until = vaccinations.provisional_until(admitted_on)
    raise Conflict(
        f"{care_refusal(child.first_name, admitted_on)} Enregistrez les vaccinations à jour dans son dossier de santé.",
        {"child_id": [f"Vaccinations obligatoires à faire avant le {fr_day(until)}."]},
    )


def care_refusal(first_name, admitted_on):
    """Why a child not up to date, admitted provisionally on `admitted_on`, is not cared for after
    its provisional admission, with the rule's source."""
    until = vaccinations.provisional_until(admitted_on)
    return (
        f"{first_name} n'a pas ses vaccinations obligatoires à jour : admis à titre provisoire le "
        f"{fr_day(admitted_on)}, l'enfant ne peut être accueilli que jusqu'au {fr_day(until)}, le temps de les "
        f"faire ({vaccinations.SOURCE})."
    )


def refusals_on(children, day, keys):
    """{child id: why its care is refused on `day`} for the `children` not up to date whose
    provisional admission ended before `day` (what the board shows): no health file counts as
    not up to date."""
    up_to_date = {
        child_id
        for child_id, kept in store.healths_of([c.id for c in children]).items()
        if sealing.unseal(keys, kept.sealed)["vaccinations_up_to_date"]
    }
    refused = {}
    for child in children:
        if child.id in up_to_date:
            continue
        admitted_on = store.admission_day(child)
        stops = vaccinations.care_refused_from(False, admitted_on)
        if stops is not None and day >= stops:
            refused[child.id] = care_refusal(child.first_name, admitted_on)
    return refused


def pickup_people(child, family):
    """Who may collect the child: its family's guardians (id: their place in the list) and the
    adults the family lists, as {kind, id, name, relation, phone}."""
    people = [
        {
            "kind": "guardian",
            "id": str(index),
            "name": f"{g['first_name']} {g['last_name']}",
            "relation": "responsable légal",
            "phone": g.get("phone", ""),
        }
        for index, g in enumerate(json.loads(family.guardians))
    ]
    people += [
        {
            "kind": "pickup_adult",
            "id": a.id,
            "name": f"{a.first_name} {a.last_name}",
            "relation": a.relation,
            "phone": a.phone,
        }
        for a in store.listed_adults(child)
    ]
    return people


def collected_by(child, family, wanted):
    """What a departure records of who collected the child ({kind, id, name, id_checked}), once
    they are a guardian or a listed adult and staff checked their identity document; else a 409
    in French: the child is given to nobody else [practice: the venue's rules, the family's list]."""
    person = next(
        (p for p in pickup_people(child, family) if (p["kind"], p["id"]) == (wanted["kind"], wanted["id"])), None
    )
    if person is None:
        raise Conflict(
            f"Cette personne n'est ni un responsable de {child.first_name} ni un adulte que la famille autorise "
            "à venir le chercher : l'enfant ne lui est pas confié. Appelez la famille.",
            {"collected_by": ["Personne non autorisée à venir chercher l'enfant."]},
        )
    if not wanted["id_checked"]:
        raise Conflict(
            f"Vérifiez la pièce d'identité de {person['name']} avant de lui confier {child.first_name}.",
            {"collected_by": {"id_checked": ["Vérifiez la pièce d'identité avant de confier l'enfant."]}},
        )
    return {"kind": person["kind"], "id": person["id"], "name": person["name"], "id_checked": True}


def board_notes(child_ids, keys):
    """{child id: {allergies, pai}} for the children with a health file: what the board and the
    evacuation register show (staff only)."""
    notes = {}
    for child_id, kept in store.healths_of(child_ids).items():
        health = sealing.unseal(keys, kept.sealed)
        notes[child_id] = {"allergies": health["allergies"], "pai": health["pai"]}
    return notes
