"""The child's file: its health file (family and staff), the adults allowed to collect it (the
family lists them), the incident and accident register (staff).

Health data (RGPD art. 9) is kept encrypted (sealing.py) and answered only to staff and to the
child's own family: `family_id` is the signed-in family's (None: staff), a child of another
family is refused (403). The register is written once per line: a correction is a new line.
"""

from services.bookings.child_file import care_checks, presenters, sealing, store
from services.bookings.domain import incidents
from services.bookings.models import ChildHealth, Incident, PickupAdult
from services.bookings.schemas.child_file import HealthIn, IncidentIn, PickupAdultIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Forbidden, Invalid, load
from shared.pagination import PageQuery
from shared.timeutil import to_db

FAMILY_OR_STAFF = "Le dossier de cet enfant est réservé à l'équipe et à sa famille."
STAFF_ONLY = "Seule l'équipe tient le registre des incidents et accidents."
SEALED_LINE = ("description", "people_involved", "first_aid")  # kept encrypted: they may tell the child's health


def _own(child, family_id):
    """The child, when the caller is staff (None) or its family; else 403."""
    if family_id is not None and child.family_id != str(family_id):
        raise Forbidden(FAMILY_OR_STAFF)
    return child


def _health_fields(fields):
    """The health file as kept (JSON values): dates as ISO text."""
    checked_on = fields["vaccinations_checked_on"]
    return dict(fields, vaccinations_checked_on=checked_on.isoformat() if checked_on else None)


class ChildFileRpc:
    # --- the health file ------------------------------------------------------------------------
    @rpc
    def get_child_health(self, child_id, family_id=None):
        child = _own(store.child(child_id), family_id)
        return presenters.health(
            child,
            care_checks.health_file(child, self.settings.health_keys),
            store.health_of(child),
            store.admission_day(child),
        )

    @command
    def put_child_health(self, child_id, data, family_id=None):
        """The family or staff record the child's health file, replacing the previous one."""
        fields = load(HealthIn(), data)
        today = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()
        checked_on = fields["vaccinations_checked_on"]
        if checked_on and checked_on > today:
            raise Invalid("Certains champs ne sont pas valides.", {"vaccinations_checked_on": ["Date dans le futur."]})
        keys = self.settings.health_keys
        with self.uow.atomic(exclusive=True):
            child = _own(store.locked_child(child_id), family_id)
            kept = store.health_of(child)
            sealed = sealing.seal(keys, _health_fields(fields))
            who = "family" if family_id is not None else "staff"
            if kept is None:
                kept = ChildHealth.create(child=child, sealed=sealed, updated_by=who)
            else:
                kept.sealed, kept.updated_by, kept.updated_at = sealed, who, to_db(timeutil.now_utc())
                kept.save()
            admitted_on = store.admission_day(child)
        return presenters.health(child, care_checks.opened(keys, kept), kept, admitted_on)

    # --- who may collect the child --------------------------------------------------------------
    @command
    def add_pickup_adult(self, child_id, data, family_id=None):
        fields = load(PickupAdultIn(), data)
        with self.uow.atomic(exclusive=True):
            child = _own(store.locked_child(child_id), family_id)
            if len(store.listed_adults(child)) >= 10:
                raise Conflict("Au plus 10 adultes autorisés par enfant : retirez-en un d'abord.")
            adult = PickupAdult.create(child=child, **fields)
        return presenters.pickup_adult(adult)

    @rpc
    def list_pickup_adults(self, child_id, query=None, family_id=None):
        q = load(PageQuery(), query or {})
        child = _own(store.child(child_id), family_id)
        found = store.pickup_adults(child, q)
        return found.answer(presenters.pickup_adults(found.rows))

    @command
    def remove_pickup_adult(self, child_id, adult_id, family_id=None):
        """The adult is no longer allowed from now; the row stays for the departures it recorded."""
        with self.uow.atomic(exclusive=True):
            child = _own(store.locked_child(child_id), family_id)
            adult = store.locked_listed_adult(child, adult_id)
            adult.removed_at = to_db(timeutil.now_utc())
            adult.save()
        return presenters.pickup_adult(adult)

    @rpc
    def pickup_options(self, child_id):
        """Staff at check-out: the guardians and the listed adults who may collect the child."""
        child = store.child(child_id)
        return presenters.pickup_options(child, care_checks.pickup_people(child, child.family))

    # --- the incident and accident register -----------------------------------------------------
    @command
    def record_incident(self, child_id, data, recorded_by):
        """Staff write a line of the register; `corrects`: the line it corrects, which stays."""
        fields = load(IncidentIn(), data)
        if not recorded_by:
            raise Forbidden(STAFF_ONLY)
        now = timeutil.now_utc()
        errors = incidents.errors(fields, now, lambda moment: moment.astimezone(timeutil.VENUE_TZ).date())
        if errors:
            raise Invalid("Certains champs ne sont pas valides.", errors)
        with self.uow.atomic(exclusive=True):
            child = store.locked_child(child_id)
            if fields["corrects"]:
                store.incident_of(child, fields["corrects"])
                if not incidents.correctable(fields["corrects"], set(store.corrections_of(child))):
                    raise Conflict(
                        "Cette ligne est déjà corrigée : corrigez sa version la plus récente.",
                        {"corrects": ["Ligne déjà corrigée."]},
                    )
            line = Incident.create(
                child=child,
                kind=fields["kind"],
                occurred_at=to_db(fields["occurred_at"]),
                sealed=sealing.seal(self.settings.health_keys, {name: fields[name] for name in SEALED_LINE}),
                family_told_at=to_db(fields["family_told_at"]) if fields["family_told_at"] else None,
                serious=fields["serious"],
                pmi_notified_on=fields["pmi_notified_on"],
                recorded_by=recorded_by,
                corrects=fields["corrects"],
            )
        return presenters.incident(line, self.settings.health_keys)

    @rpc
    def list_incidents(self, child_id, query=None):
        q = load(PageQuery(), query or {})
        child = store.child(child_id)
        found = store.incidents(child, q)
        keys = self.settings.health_keys
        return found.answer(presenters.incidents(found.rows, store.corrections_of(child), keys))
