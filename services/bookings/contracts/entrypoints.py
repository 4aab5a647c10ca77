"""Regular care contracts (accueil régulier): request, acceptance against the places, early end,
amendment, attendance, and the public monthly quote (absences: absence_requests.py).

The places a contract holds are checked day by day against the venue's opening pattern, the
other contracts and the occasional bookings (domain/places.py), and against the childcare slots
already open on those days (ratio and slot places, as a booking is); every change of who holds
a place locks the days it is about first (lock_childcare_days, childcare/store.py), so a contract
and a booking deciding on the same day run one after the other.
"""

import json
import logging
from datetime import date, timedelta

from services.bookings import month_figures
from services.bookings.child_file import care_checks
from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import (
    contract_pattern,
    contract_spans,
    figures_quote,
    pattern_days,
    quote_of,
    slot_state,
    walks_on,
)
from services.bookings.contracts import presenters, store
from services.bookings.domain import (
    absences,
    attendance,
    care_pattern,
    childcare,
    early_end,
    fees,
    places,
    waitlist,
)
from services.bookings.models import Contract, ContractAttendance, ContractResources
from services.bookings.presenting import fr_day, hhmm
from services.bookings.schemas.child_file import CheckOutIn
from services.bookings.schemas.childcare import MomentIn
from services.bookings.schemas.contracts import (
    ContractAmendIn,
    ContractEndIn,
    ContractIn,
    ContractQuery,
    ContractQuoteQuery,
    YearIn,
)
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.vocabulary import CONTRACT_ACTIVE, CONTRACT_ENDED, CONTRACT_REQUESTED

log = logging.getLogger(__name__)
MAX_CONTRACT_DAYS = 3 * 366  # a contract is signed for at most about three years [practice]


class ContractsRpc:
    @rpc
    def quote_contract(self, query):
        """The mensualisation a family would pay, before asking (public)."""
        q = load(ContractQuoteQuery(), query)
        quote = _priced(lambda: quote_of(q, self.settings))
        monthly = care_pattern.mensualisation(quote.hourly_rate, q["hours_per_week"], q["weeks_per_year"], q["months"])
        return presenters.contract_quote(quote, monthly)

    @command
    def request_contract(self, data, family_id=None):
        """A family asks for its child (family_id given), or staff for any child: 'requested'."""
        fields = load(ContractIn(), data)
        pattern = self._checked_pattern(fields["pattern"])
        _check_period(fields["starts_on"], fields["ends_on"])
        with self.uow.atomic():
            child = store.child(fields["child_id"], family_id)
            care_checks.refuse_unvaccinated(child, fields["starts_on"], self.settings)
            contract = Contract.create(
                family=child.family_id,
                child=child,
                starts_on=fields["starts_on"],
                ends_on=fields["ends_on"],
                weeks_per_year=fields["weeks_per_year"],
                pattern=json.dumps(fields["pattern"]),
            )
        log.info("contract requested", extra={"contract_id": contract.id, "child_id": child.id})
        return presenters.contract(contract, pattern, [])

    @command
    def accept_contract(self, contract_id):
        """Staff accept: the rate at signing, the monthly amount, and the places of every day."""
        with self.uow.atomic(exclusive=True):
            contract = store.locked_contract(contract_id)
            if contract.status != CONTRACT_REQUESTED:
                raise Conflict(
                    f"Ce contrat n'est plus en attente (il est {presenters.CONTRACT_LABELS[contract.status]})."
                )
            family, pattern = contract.family, contract_pattern(contract)
            _one_contract_at_a_time(contract)
            self._sign(contract, family, pattern, family.job_seeker)
            self.uow.emit("bookings.contract_signed", presenters.contract_signed(contract, pattern))
        return presenters.contract(contract, pattern, [])

    @command
    def end_contract(self, contract_id, data, family_id=None):
        """Ended before its planned end: by the family with the venue's notice, by staff any day
        from today on (e.g. the family left without notice)."""
        on = load(ContractEndIn(), data)["on"]
        today = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()
        with self.uow.atomic(exclusive=True):
            contract = store.locked_contract(contract_id, family_id)
            if contract.status == CONTRACT_ENDED:
                raise Conflict("Ce contrat est déjà terminé.")
            notice = self.settings.contract_notice_days if family_id else 0
            errors = early_end.check_early_end(today, on, contract.starts_on, contract.ends_on, notice)
            if errors:
                raise Invalid(errors["ends_on"][0], {"on": errors["ends_on"]})
            was_active = contract.status == CONTRACT_ACTIVE
            contract.status, contract.ended_on = CONTRACT_ENDED, on
            contract.save()
            if was_active:
                self.uow.emit("bookings.contract_ended", presenters.contract_ended(contract, "early_end"))
        return presenters.contract(contract, contract_pattern(contract), store.absences_of(contract))

    @command
    def amend_contract(self, contract_id, data):
        """A new weekly pattern from a date: the contract ends the day before, a new one (same
        child, same end, the rate of the day) holds the new places from that date."""
        fields = load(ContractAmendIn(), data)
        pattern = self._checked_pattern(fields["pattern"])
        from_on = fields["from_on"]
        with self.uow.atomic(exclusive=True):
            old = store.locked_contract(contract_id)
            if old.status != CONTRACT_ACTIVE:
                raise Conflict("Seul un contrat en cours peut être modifié.")
            today = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()
            if not max(old.starts_on + timedelta(days=1), today) <= from_on <= old.last_day:
                raise Invalid(
                    "La modification doit commencer après le début du contrat et avant sa fin.",
                    {
                        "from_on": [
                            f"Entre le {old.starts_on + timedelta(days=1):%d/%m/%Y} et le {old.last_day:%d/%m/%Y}."
                        ]
                    },
                )
            family = old.family
            old.status, old.ended_on = CONTRACT_ENDED, from_on - timedelta(days=1)
            old.save()  # its days from `from_on` no longer hold places: the new pattern is checked alone
            new = Contract.create(
                family=family,
                child=old.child_id,
                starts_on=from_on,
                ends_on=old.ends_on,
                weeks_per_year=fields["weeks_per_year"],
                pattern=json.dumps(fields["pattern"]),
                amends=old.id,
            )
            self._sign(new, family, pattern, old.avip)
            self.uow.emit("bookings.contract_amended", presenters.contract_amended(old, new, pattern))
        return presenters.contract(new, pattern, [])

    @command
    def contract_check_in(self, contract_id, data):
        """Staff note a contract child's arrival (one per day); hours beyond the contract are billed."""
        at = _moment(load(MomentIn(), data)["at"])
        day = at.astimezone(timeutil.VENUE_TZ).date()
        with self.uow.atomic(exclusive=True):
            contract = self._attended_contract(contract_id, day)
            noted = store.locked_attendance(contract, day)
            if noted:
                raise Conflict(f"Arrivée déjà notée à {hhmm(noted.arrived_at)}.")
            care_checks.refuse_unvaccinated(contract.child, day, self.settings)  # a signed contract too
            if any(
                day in absences.deducted_days(a.reason, a.starts_on, a.ends_on)
                for a in store.approved_absences_of(contract)
            ):
                raise Conflict("Une absence déduite est déclarée ce jour-là : corrigez-la d'abord.")
            noted = ContractAttendance.create(contract=contract, day=day, arrived_at=timeutil.to_db(at))
            self.uow.emit("bookings.child_checked_in", presenters.contract_child_checked_in(contract, noted))
        return presenters.attendance(noted)

    @command
    def contract_check_out(self, contract_id, data):
        """As check_out: the departure and who collected the child, a guardian or a listed adult."""
        fields = load(CheckOutIn(), data)
        at = _moment(fields["at"])
        day = at.astimezone(timeutil.VENUE_TZ).date()
        with self.uow.atomic(exclusive=True):
            contract = self._attended_contract(contract_id, day)
            noted = store.locked_attendance(contract, day)
            if not noted:
                raise Conflict("Notez d'abord l'arrivée de l'enfant.")
            if noted.left_at:
                raise Conflict(f"Départ déjà noté à {hhmm(noted.left_at)}.")
            if not attendance.departure_after_arrival(timeutil.as_utc(noted.arrived_at), at):
                raise Invalid("Le départ doit être après l'arrivée.", {"at": ["Avant l'heure d'arrivée."]})
            noted.collected_by = care_checks.collected_by(contract.child, contract.family, fields["collected_by"])
            noted.left_at = timeutil.to_db(at)
            noted.save()
            self.uow.emit("bookings.child_checked_out", presenters.contract_child_checked_out(contract, noted))
        return presenters.attendance(noted)

    def _attended_contract(self, contract_id, day):
        contract = store.locked_contract(contract_id)
        if contract.status == CONTRACT_REQUESTED or not contract.starts_on <= day <= contract.last_day:
            raise Conflict("Ce contrat ne couvre pas ce jour : l'enfant n'y est pas accueilli.")
        return contract

    @rpc
    def get_contract(self, contract_id, family_id=None):
        contract = store.contract(contract_id, family_id)
        return presenters.contract(contract, contract_pattern(contract), store.absences_of(contract))

    @rpc
    def list_contracts(self, query=None, family_id=None):
        q = load(ContractQuery(), query or {})
        found = store.contracts(q, family_id, q["status"])
        patterns, absences = [contract_pattern(c) for c in found.rows], store.absences_of_contracts(found.rows)
        return found.answer(presenters.contract_list(found.rows, patterns, absences))

    @rpc
    def cnaf_report(self, year):
        """What the venue reports to the CAF for a year, month by month: hours billed and hours
        attended, for occasional care and for contracts (docs/childcare-rules.md: the PSU is paid on both)."""
        year = load(YearIn(), {"year": year})["year"]
        months = []
        for number in range(1, 13):
            month = f"{year}-{number:02d}"
            months.append((month, *month_figures.cnaf_month(month, self.settings)))
        return presenters.cnaf_report(year, months)

    # --- the places a contract holds ----------------------------------------------------------------
    def _sign(self, contract, family, pattern, avip):
        """Make a contract active: its places held (or a 409 with the days), the rate of its first
        day from the family's figures, its mensualisation, and the figures it is priced on."""
        quote = _priced(lambda: figures_quote(family, contract.starts_on, self.settings))
        self._hold_places(contract, pattern, avip)
        monthly = care_pattern.mensualisation(
            quote.hourly_rate, care_pattern.hours_per_week(pattern), contract.weeks_per_year
        )
        contract.status, contract.avip, contract.accepted_at = CONTRACT_ACTIVE, avip, timeutil.db_now()
        contract.hourly_rate, contract.hours_per_month = quote.hourly_rate, monthly.hours_per_month
        contract.monthly_amount = monthly.monthly_amount
        contract.save()
        ContractResources.create(
            contract=contract,
            from_on=contract.starts_on,
            monthly_resources=family.monthly_resources,
            dependent_children=family.dependent_children,
            aeeh_children=family.aeeh_children,
            aeeh=family.aeeh_children > 0,
            resources_known=family.resources_known,
        )

    def _checked_pattern(self, pattern_in):
        pattern = pattern_days(pattern_in)
        errors = care_pattern.check_pattern(pattern, places.opening_hours(self.settings.opening))
        if errors:
            raise Invalid("Les jours et horaires du contrat ne conviennent pas.", errors)
        return pattern

    def _hold_places(self, contract, pattern, avip):
        """Refuse with the days that do not fit; the days are locked first (then the slots)."""
        settings = self.settings
        wanted = contract_spans(contract.starts_on, contract.last_day, pattern)
        childcare_store.lock_childcare_days(sorted(wanted))
        first, last = min(wanted, default=contract.starts_on), max(wanted, default=contract.starts_on)
        presences = self._presences(first, last, exclude=contract.id)
        reserved = waitlist.reserved_places(settings.creche_places, settings.avip_share)
        refused = set(
            places.days_that_do_not_fit(wanted, presences, settings.opening, reserved, settings.creche_places, avip)
        )
        refused |= self._days_refused_by_open_slots(contract, wanted, avip)
        if not wanted:
            raise Invalid("Ce contrat ne prévoit aucun jour d'accueil.", {"pattern": ["Aucun jour entre ces dates."]})
        if refused:
            days = sorted(refused)
            shown = ", ".join(fr_day(d) for d in days[:10]) + (" …" if len(days) > 10 else "")
            raise Conflict(
                f"Pas de place pour ce contrat {len(days)} jour(s) : {shown}.",
                {"days": [d.isoformat() for d in days]},
            )

    def _presences(self, first, last, exclude=None):
        """{day: [places.Presence]} of the other active contracts and the confirmed bookings."""
        presences = {}
        for other in store.active_contracts_between(first, last, exclude):
            for day, spans in contract_spans(
                max(other.starts_on, first), min(other.last_day, last), contract_pattern(other)
            ).items():
                presences.setdefault(day, []).extend(places.Presence(s, e, other.avip) for s, e in spans)
        for starts_at, ends_at, avip in store.confirmed_between(first, last + timedelta(days=1)):
            day = timeutil.from_db(starts_at).date()
            presences.setdefault(day, []).append(
                places.Presence(timeutil.as_utc(starts_at), timeutil.as_utc(ends_at), avip)
            )
        return {day: sorted(spans, key=lambda p: p.starts_at) for day, spans in presences.items()}

    def _days_refused_by_open_slots(self, contract, wanted, avip):
        """The days where a childcare slot already open at the contract's hours, for the child's
        age group, would not admit one more child (its places, its staff's ratio, AVIP kept)."""
        child, settings, now = contract.child, self.settings, timeutil.now_utc()
        refused = set()
        for slot in store.slots_between(min(wanted), max(wanted) + timedelta(days=1)):
            day = timeutil.from_db(slot.starts_at).date()
            spans = wanted.get(day, [])
            starts, ends = timeutil.as_utc(slot.starts_at), timeutil.as_utc(slot.ends_at)
            if not any(s < ends and starts < e for s, e in spans):
                continue
            walks = walks_on(child, day, settings)
            if not childcare.fits_age_group(slot.age_group, walks):
                continue
            state = slot_state(slot, now, settings)
            if childcare.admit(state, walks, avip, settings) != childcare.CONFIRMED:
                refused.add(day)
        return refused


def _moment(at):
    if not attendance.has_passed(at, timeutil.now_utc()):
        raise Invalid("Cette heure n'est pas encore passée.", {"at": ["Heure dans le futur."]})
    return at


def _check_period(starts_on, ends_on):
    today = date.today()
    if starts_on < today:
        raise Invalid("Un contrat commence aujourd'hui ou plus tard.", {"starts_on": ["Date passée."]})
    if ends_on <= starts_on:
        raise Invalid("La fin du contrat doit être après son début.", {"ends_on": ["Avant le début."]})
    if (ends_on - starts_on).days > MAX_CONTRACT_DAYS:
        raise Invalid("Un contrat dure au plus trois ans.", {"ends_on": ["Plus de trois ans après le début."]})


def _one_contract_at_a_time(contract):
    """A child is under one contract at a time: another accepted one over these days is a 409
    (an amendment replaces a contract from a date instead)."""
    other = store.child_contract_between(contract.child, contract.starts_on, contract.last_day, exclude=contract.id)
    if other:
        raise Conflict(
            f"{contract.child.first_name} a déjà un contrat du {other.starts_on:%d/%m/%Y} au "
            f"{other.last_day:%d/%m/%Y} : modifiez-le plutôt."
        )


def _quote(monthly_resources, dependent_children, aeeh_children, on):
    return _priced(lambda: fees.quote(monthly_resources, dependent_children, aeeh_children, on))


def _priced(quote):
    """`quote()`, or a Conflict when the CNAF scale does not cover the day yet."""
    try:
        return quote()
    except ValueError:
        raise Conflict(
            "Le barème CNAF de cette date n'est pas encore connu : le contrat ne peut pas être tarifé."
        ) from None
