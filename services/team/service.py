"""The team service: the venue's staff members (their profile, diplomas, the référent santé et
accueil inclusif, whether they still work here) and their attestations d'honorabilité. The gateway
keeps their accounts (email, password, role); a profile's id is its account's id.

Thin nameko entrypoints (load, locking what changes -> check with domain/ -> change -> emit the
event -> present), one screen per use case (docs/contributing.md). Bookings answers the events
to know who may be named on duty and who counts in the ratio (docs/architecture.md, "The venue's
staff: the team service")."""

from nameko.timer import timer

from services.team import models, presenters, store
from services.team.contacts import ContactsRpc
from services.team.domain import clearance, staff
from services.team.erasure import ErasureHandlers, ErasureOwner
from services.team.personal_data import PersonalDataExport
from services.team.schemas import StaffHonorabilityIn, StaffIn, StaffPatchIn, StaffQuery
from services.team.settings import Settings
from shared import honorability, timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.logs import CorrelationId
from shared.timeutil import to_db, venue_zone
from shared.unit_of_work import UnitOfWork

EXPIRY_SWEEP_SECONDS = 6 * 3600  # the daily check runs at start and every 6 h: once per attestation anyway
PROFILE_FIELDS = ("job_title", "diplomas", "health_referent", "active")


class TeamService(ErasureOwner, ErasureHandlers, ContactsRpc, PersonalDataExport):
    name = "team"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "team", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):  # the gateway's /readyz asks every service
        return self.uow.health(self.name)

    # --- profiles ---------------------------------------------------------------------------------
    @command
    def register_staff(self, data):
        """The profile of a staff account the gateway is creating (same id)."""
        fields = load(StaffIn(), data)
        fields["diplomas"] = staff.diplomas_in_order(fields["diplomas"])
        fields["staff_roles"] = staff.roles_in_order(fields["staff_roles"])
        fields["roles_version"] = 1
        with self.uow.atomic(exclusive=True):
            if store.email_taken(fields["email"]):
                raise Conflict(
                    "Un membre de l'équipe est déjà enregistré avec cette adresse.",
                    {"email": ["Adresse déjà utilisée."]},
                )
            member = store.add_member(fields)
            self.uow.emit("team.staff_registered", presenters.staff_profile(member, self._qualifying))
        return self._present(member, None)

    @rpc
    def get_staff(self, staff_id):
        member = store.member(staff_id)
        return self._present(member, store.current_attestation(member.id))

    @rpc
    def staff_access(self, staff_id):
        """What the gateway reads at a staff member's sign-in: their staff roles (NotFound: no
        profile, an account made before the team service)."""
        return presenters.staff_access(store.member(staff_id))

    @rpc
    def list_staff(self, query=None):
        """A page of the staff members with their clearance today, by name."""
        found = store.members(load(StaffQuery(), query or {}))
        latest = store.current_attestations([m.id for m in found.rows])
        return found.answer(presenters.staff_members(found.rows, latest, self._qualifying, _venue_today()))

    @rpc
    def headcount(self):
        """The staff members still at the venue: placements' host quota (R124-10) counts them."""
        return store.headcount()

    @rpc
    def referent_missing(self):
        """True when no staff member still at the venue is the référent santé et accueil inclusif."""
        return staff.referent_missing(store.referents())

    @command
    def update_staff(self, staff_id, data):
        """Job title, diplomas, référent, left the venue (`active` false), staff roles;
        team.staff_updated when the profile changed (the staff roles are the gateway's to read,
        not bookings' to know)."""
        changes = load(StaffPatchIn(), data)
        if "diplomas" in changes:
            changes["diplomas"] = staff.diplomas_in_order(changes["diplomas"])
        with self.uow.atomic(exclusive=True):
            member = store.locked_member(staff_id)
            changed = [name for name in PROFILE_FIELDS if name in changes and getattr(member, name) != changes[name]]
            for name in changed:
                setattr(member, name, changes[name])
            if "active" in changed:
                member.left_on = None if member.active else _venue_today()
            roles_changed = _change_roles(member, changes)
            if changed or roles_changed:
                member.save()
            if changed:
                self.uow.emit("team.staff_updated", presenters.staff_profile(member, self._qualifying))
        return self._present(member, store.current_attestation(member.id))

    # --- clearance ---------------------------------------------------------------------------------
    @command
    def record_honorability(self, staff_id, data, verified_by):
        """The attestation as `verified_by` (a staff account) checked it on the national platform:
        refused when verified more than 6 months after its issue (shared/honorability.py)."""
        fields = load(StaffHonorabilityIn(), data)
        errors = honorability.recording_errors(fields["issued_on"], fields["verified_on"], _venue_today())
        if errors:
            raise Invalid("L'attestation n'a pas été enregistrée : corrigez les dates indiquées.", errors)
        with self.uow.atomic(exclusive=True):
            member = store.locked_member(staff_id)
            row = store.add_attestation(member.id, fields["issued_on"], fields["verified_on"], verified_by)
            current = store.current_attestation(member.id)  # an older one recorded late changes nothing
            self.uow.emit("team.staff_cleared", presenters.staff_cleared(current))
        return presenters.attestation(row)

    @rpc
    def honorability_renewals(self, notice_days=honorability.RENEWAL_NOTICE_DAYS):
        """The staff still at the venue whose attestation is missing, expired or expiring within
        `notice_days`, as lines of the combined renewal list (shared/renewals.py, RenewalOut)."""
        today = _venue_today()
        latest = store.current_attestations()
        lines = []
        for member in store.all_members():
            if not member.active:
                continue
            row = latest.get(member.id)
            status = clearance.renewal_status(clearance.attestation(row), today, int(notice_days))
            if status is not None:
                lines.append(presenters.renewal(member, row, status))
        return sorted(lines, key=clearance.renewal_order)

    @timer(interval=EXPIRY_SWEEP_SECONDS, eager=True)
    def announce_expired(self):
        """team.staff_clearance_expired once per attestation past its last day, whatever the
        restarts and the number of instances (the row's expiry_announced_at, set under its lock)."""
        today = _venue_today()
        announced = []
        for row in store.current_attestations().values():
            if not clearance.expired_unannounced(clearance.attestation(row), row.expiry_announced_at, today):
                continue
            with self.uow.atomic(exclusive=True):
                locked = store.locked_attestation(row.id)
                if locked is None or locked.expiry_announced_at is not None:
                    continue  # another instance announced it first
                locked.expiry_announced_at = to_db(timeutil.now_utc())
                locked.save()
                self.uow.emit("team.staff_clearance_expired", presenters.clearance_expired(locked))
            announced.append(row.id)
        return announced

    # --- helpers -----------------------------------------------------------------------------------
    @property
    def _qualifying(self):
        return self.settings.ratio_diplomas

    def _present(self, member, attestation_row):
        return presenters.staff_member(member, attestation_row, self._qualifying, _venue_today())


def _change_roles(member, changes):
    """The new staff roles, when given and different: one more roles_version. True when changed."""
    if "staff_roles" not in changes:
        return False
    wanted = staff.roles_in_order(changes["staff_roles"])
    if wanted == list(member.staff_roles or []):
        return False
    member.staff_roles, member.roles_version = wanted, member.roles_version + 1
    return True


def _venue_today():
    return timeutil.now_utc().astimezone(venue_zone()).date()
