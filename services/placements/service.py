"""Placements service: trainees' placements at the venue (docs/placements-rules.md).

Each entrypoint is a thin method: load (store, locking what it changes) -> check with the
domain -> change -> record the event -> present (presenters), in one transaction. Locks,
parent before child: the trainee, the tutor's key, the placement, the hour log.
"""

from datetime import date
from decimal import Decimal

from nameko.timer import timer

from services.placements import conventions, models, presenters, store
from services.placements.contacts import ContactsRpc
from services.placements.domain import clearance, lifecycle, payments, programmes, working_time
from services.placements.erasure import ErasureHandlers
from services.placements.history import HistoryRpc
from services.placements.immersions.entrypoints import ImmersionEntrypoints
from services.placements.models import (
    FROM_ACTIVITY,
    REJECTED,
    SUBMITTED,
    VALIDATED,
    GratificationPayment,
    HourLog,
    Placement,
    PlacementChange,
    TraineeHonorability,
)
from services.placements.outcomes import OutcomesRpc
from services.placements.personal_data import PersonalDataExport
from services.placements.schemas import (
    EvaluationIn,
    GratificationPaymentIn,
    HourLogIn,
    HourLogQuery,
    PlacementIn,
    PlacementPatchIn,
    PlacementQuery,
    ReasonIn,
    TraineeHonorabilityIn,
    TraineeIn,
)
from services.placements.settings import Settings
from services.placements.training_credit import TrainingCreditEvents, credit_waiting_parts
from shared import honorability as honorability_rule
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Forbidden, Invalid, NotFound, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.renewals import RenewalQuery
from shared.service_rpc import BoundedRpcProxy
from shared.timeutil import as_utc, to_db
from shared.tombstones import bury, is_buried
from shared.unit_of_work import UnitOfWork
from shared.vocabulary import ACTIVITY_KIND_LABELS

ACTIVITY = "bookings.activity"  # an activity cancelled before it was completed (tombstone)
SWEEP_SECONDS = 300  # how often planned placements are started and finished ones completed
EXPIRY_SWEEP_SECONDS = 6 * 3600  # the "daily" check runs at start and every 6 h: once per attestation anyway
OBSERVATION = "Un stage d'observation n'a pas d'heures à noter ni à valider : ses dates suffisent."
NOT_TUTOR = "Seul le tuteur ou la tutrice de ce stage peut valider ou refuser ses heures."


def today():
    return timeutil.now_utc().astimezone(timeutil.venue_zone()).date()


class PlacementsService(
    TrainingCreditEvents,
    ImmersionEntrypoints,
    ContactsRpc,
    HistoryRpc,
    PersonalDataExport,
    ErasureHandlers,
    OutcomesRpc,
):
    name = "placements"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "placements", models.Outbox, models.Inbox)
    settings = Settings()
    team = BoundedRpcProxy("team")  # the host's staff count for the trainee quota, unless set

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # --- trainees -----------------------------------------------------------------------------
    @command
    def register_trainee(self, data):
        fields = load(TraineeIn(), data)
        with self.uow.atomic(exclusive=True):
            if store.email_taken(fields["email"]):
                raise Conflict(
                    "Un stagiaire est déjà inscrit avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
                )
            trainee = store.add_trainee(fields)
        return presenters.trainee(trainee, None, today())

    @rpc
    def get_trainee(self, trainee_id):
        trainee = store.trainee(trainee_id)
        return presenters.trainee(trainee, store.current_honorability(trainee.id), today())

    # --- honorability -------------------------------------------------------------------------
    @command
    def record_trainee_honorability(self, trainee_id, data, staff_id):
        """The attestation d'honorabilité as staff verified it on the national platform
        (`staff_id`: who verified); placements.trainee_cleared tells bookings the trainee may be
        with the children until it expires."""
        fields = load(TraineeHonorabilityIn(), data)
        day = today()
        errors = honorability_rule.recording_errors(fields["issued_on"], fields["verified_on"], day)
        if errors:
            raise Invalid("L'attestation n'a pas été enregistrée : corrigez les dates indiquées.", errors)
        with self.uow.atomic(exclusive=True):
            trainee = store.locked_trainee(trainee_id)
            TraineeHonorability.create(trainee=trainee, verified_by=str(staff_id), **fields)
            current = store.current_honorability(trainee.id)  # an older verification recorded late stays behind
            if presenters.attestation(current).clears_on(day):
                self.uow.emit("placements.trainee_cleared", presenters.trainee_cleared(current))
        return presenters.trainee(trainee, current, day)

    @timer(interval=EXPIRY_SWEEP_SECONDS, eager=True)
    def announce_expired_clearances(self):
        """placements.trainee_clearance_expired once per current attestation whose last day is
        past, whatever the restarts and the number of instances (the row's expiry_announced_at,
        set under its lock)."""
        day, announced = today(), []
        for row in store.current_honorabilities().values():
            if not clearance.newly_expired(presenters.attestation(row), day, row.expiry_announced_at is not None):
                continue
            with self.uow.atomic(exclusive=True):
                locked = store.locked_honorability(row.id)
                if locked is None or locked.expiry_announced_at is not None:
                    continue  # another instance announced it first
                if store.current_honorability(locked.trainee_id).id != locked.id:
                    continue  # renewed meanwhile: the new one clears
                locked.expiry_announced_at = to_db(timeutil.now_utc())
                locked.save()
                self.uow.emit("placements.trainee_clearance_expired", presenters.trainee_clearance_expired(locked))
            announced.append(row.id)
        return announced

    @rpc
    def honorability_renewals(self, notice_days=honorability_rule.RENEWAL_NOTICE_DAYS):
        """The trainees who are or will be with the children (a live placement, or none yet) with
        no attestation, an expired one, or one expiring within `notice_days`
        (shared/honorability.renewal_due), in the one shape volunteers and team answer too:
        missing first, then expired, then expiring, each soonest first, then by name."""
        notice_days = load(RenewalQuery(), {"notice_days": notice_days})["notice_days"]
        day, latest, lines = today(), store.current_honorabilities(), []
        for trainee in store.trainees_with_children_ahead():
            row = latest.get(trainee.id)
            status = clearance.renewal_status(presenters.attestation(row), day, notice_days)
            if status is not None:
                lines.append((trainee, row, status))
        return presenters.renewals(sorted(lines, key=_renewal_key))

    @rpc
    def list_programmes(self):
        """The programmes hosted, with their default required hours (None: the agreement gives them)."""
        return presenters.programmes()

    @rpc
    def trainee_exists(self, trainee_id):
        """Asked by bookings before it assigns a trainee to an activity."""
        return store.trainee_exists(trainee_id)

    # --- placements ---------------------------------------------------------------------------
    @command
    def create_placement(self, data):
        """A convention de stage: its planned hours from its dates x its weekly schedule (else its
        required hours), checked against the trainee's other placements, the tutor's limit on
        its first day, the host's weekly quota and the 6 months of the school year."""
        fields = load(PlacementIn(), data)
        staff_count = self._host_staff_count()  # asked before any lock is held
        with self.uow.atomic(exclusive=True):
            trainee = store.locked_trainee(fields["trainee_id"])
            required = fields["required_hours"]
            if required is None:
                required = programmes.default_hours(trainee.programme)
            if required is None and not fields["weekly_schedule"]:
                raise Invalid(
                    "Indiquez l'emploi du temps de la convention, ou ses heures prévues.",
                    {"required_hours": ["Cette formation n'a pas de durée par défaut : la convention la donne."]},
                )
            plan = conventions.Plan(fields["starts_on"], fields["ends_on"], fields["weekly_schedule"], required or 0)
            if required is None:
                required = plan.planned_hours()
                plan = conventions.Plan(plan.starts_on, plan.ends_on, plan.weekly_schedule, required)
            under = fields["under_convention"] and programmes.under_l124(trainee.programme)
            candidate = conventions.Candidate(None, trainee.id, fields["tutor_id"], fields["starts_on"], plan, under)
            self._refuse(candidate, staff_count)
            placement = Placement.create(
                trainee=trainee,
                tutor_id=fields["tutor_id"],
                school=fields["school"] or trainee.school,
                starts_on=fields["starts_on"],
                ends_on=fields["ends_on"],
                required_hours=required,
                planned_hours=plan.planned_hours(),
                weekly_schedule=fields["weekly_schedule"],
                designated_on=fields["starts_on"],
                under_convention=under,
                status=lifecycle.PLANNED,
            )
            credit_waiting_parts(placement)  # training attended before the convention was entered
            self.uow.emit("placements.placement_created", presenters.placement_created(placement))
        return self._present(store.placement(placement.id))

    @command
    def update_placement(self, placement_id, data, staff_id):
        """Dates (after an illness), schedule, hours or tutor of a planned or active placement,
        checked again as at its creation; the history keeps each field before and after, who
        changed it (`staff_id`) and why; placements.placement_changed tells what changed."""
        changes = load(PlacementPatchIn(), data)
        reason = changes.pop("reason", "")
        staff_count = self._host_staff_count()
        with self.uow.atomic(exclusive=True):
            found = store.placement(placement_id)
            store.locked_trainee(found.trainee_id)
            store.lock_tutor(changes.get("tutor_id") or found.tutor_id)  # parent keys before the placement
            store.lock_host()
            placement = store.locked_placement(placement_id)
            if placement.status not in lifecycle.LIVE:
                raise Conflict("Ce stage est terminé ou interrompu : il ne se modifie plus.")
            before = editable_values(placement)
            after = {**before, **{k: _jsonable(v) for k, v in changes.items()}}
            changed = sorted(k for k in after if after[k] != before[k])
            if not changed:
                return self._present(store.placement(placement.id))
            starts_on, ends_on = date.fromisoformat(after["starts_on"]), date.fromisoformat(after["ends_on"])
            if ends_on < starts_on:
                raise Invalid("La fin du stage doit être après son début.", {"ends_on": ["Après le premier jour."]})
            day = today()
            if placement.status == lifecycle.ACTIVE and "starts_on" in changed and starts_on > day:
                raise Conflict(
                    "Ce stage a commencé : son premier jour ne peut pas passer après aujourd'hui.",
                    {"starts_on": ["Au plus tard aujourd'hui."]},
                )
            outside = store.live_log_day_outside(placement, starts_on, ends_on)
            if outside is not None:
                field = "starts_on" if outside < starts_on else "ends_on"
                raise Conflict(
                    f"Des heures sont notées le {outside:%d/%m/%Y}, hors des nouvelles dates : refusez-les "
                    "ou gardez des dates qui les incluent.",
                    {field: ["Des heures sont notées hors de ces dates."]},
                )
            if "tutor_id" in changed:  # the new designation takes effect today, or on the first day
                designated_on = max(day, starts_on)
            else:
                designated_on = max(placement.designated_on or placement.starts_on, starts_on)
            plan = conventions.Plan(starts_on, ends_on, after["weekly_schedule"], Decimal(after["required_hours"]))
            candidate = conventions.Candidate(
                placement.id, placement.trainee_id, after["tutor_id"], designated_on, plan, placement.under_convention
            )
            self._refuse(candidate, staff_count)
            placement.tutor_id, placement.starts_on, placement.ends_on = after["tutor_id"], starts_on, ends_on
            placement.required_hours = Decimal(after["required_hours"])
            placement.weekly_schedule, placement.designated_on = after["weekly_schedule"], designated_on
            placement.planned_hours = plan.planned_hours()
            placement.save()
            history = {name: {"before": before[name], "after": after[name]} for name in changed}
            PlacementChange.create(placement=placement, changed_by=str(staff_id), reason=reason, changes=history)
            self.uow.emit("placements.placement_changed", presenters.placement_changed(placement, changed))
        return self._present(store.placement(placement.id))

    @command
    def record_gratification_payment(self, placement_id, data, staff_id):
        """What was actually paid for one month of the placement (D124-9), one payment per
        month; the attestation prints their total."""
        fields = load(GratificationPaymentIn(), data)
        with self.uow.atomic(exclusive=True):
            placement = store.locked_placement(placement_id)
            errors = payments.payment_errors(fields["month"], fields["amount"], placement.starts_on, placement.ends_on)
            if errors:
                raise Invalid(
                    "Le versement n'a pas été enregistré : corrigez ce qui est indiqué.",
                    {name: [text] for name, text in errors.items()},
                )
            duplicate = payments.duplicate(fields["month"], (p.month for p in store.payments_of(placement)))
            if duplicate:
                raise Conflict(duplicate, {"month": ["Ce mois a déjà son versement."]})
            GratificationPayment.create(
                placement=placement,
                month=fields["month"],
                amount=payments.parse_amount(fields["amount"]),
                recorded_by=str(staff_id),
            )
        return self._present(store.placement(placement.id))

    @rpc
    def get_placement(self, placement_id, trainee_id=None):
        """`trainee_id`: the caller is that trainee, who sees only their own placements (404 else)."""
        return self._present(self._visible(placement_id, trainee_id))

    @rpc
    def list_placements(self, query=None):
        found = store.placements(load(PlacementQuery(), query or {}))
        return found.answer(presenters.placement_rows(found.rows))

    @command
    def interrupt_placement(self, placement_id, data):
        reason = load(ReasonIn(), data)["reason"]
        with self.uow.atomic(exclusive=True):
            placement = store.locked_placement(placement_id)
            if not lifecycle.can_move(placement.status, lifecycle.INTERRUPTED):
                raise Conflict("Ce stage est déjà terminé ou interrompu.")
            placement.status, placement.interruption_reason = lifecycle.INTERRUPTED, reason
            placement.ended_at = to_db(timeutil.now_utc())
            placement.save()
            shown = self._present(store.placement(placement.id))
            self.uow.emit(
                "placements.placement_interrupted",
                {**presenters.placement_fact(placement), "reason": reason, "validated_hours": shown["validated_hours"]},
            )
        return shown

    @command
    def complete_placement(self, placement_id):
        with self.uow.atomic(exclusive=True):
            placement = store.locked_placement(placement_id)
            if not self._complete_if_due(placement):
                raise Conflict(
                    "Le stage ne peut être terminé qu'une fois sa date de fin passée et toutes ses heures validées."
                )
        return self._present(store.placement(placement_id))

    @command
    def evaluate(self, placement_id, tutor_id, data):
        items = load(EvaluationIn(), data)["items"]
        with self.uow.atomic(exclusive=True):
            placement = store.locked_placement(placement_id)
            if placement.tutor_id != tutor_id:
                raise Forbidden("Seul le tuteur ou la tutrice de ce stage l'évalue.")
            placement.evaluation, placement.evaluated_at = items, to_db(timeutil.now_utc())
            placement.save()
        return self._present(store.placement(placement_id))

    @timer(interval=SWEEP_SECONDS)
    def advance_placements(self):
        """Planned placements become active on their first day; active ones whose end date came
        with their hours validated are completed. Each in its own transaction, decided on the
        locked row (another instance may have done it first)."""
        day = today()
        for placement_id in store.placements_to_start(day):
            with self.uow.atomic(exclusive=True):
                self._start_if_due(store.locked_placement(placement_id), day)
        for placement_id in store.placements_to_check_completion(day):
            with self.uow.atomic(exclusive=True):
                self._complete_if_due(store.locked_placement(placement_id))

    # --- hour logs ----------------------------------------------------------------------------
    @command
    def log_hours(self, placement_id, trainee_id, data):
        """The trainee logs a period of their own placement; every rule it breaks is refused at once."""
        fields = load(HourLogIn(), data)
        with self.uow.atomic(exclusive=True):
            trainee = store.locked_trainee(trainee_id)
            placement = store.locked_placement(placement_id)
            if placement.trainee_id != trainee.id:
                raise NotFound(store.NO_PLACEMENT)
            if not programmes.programme(trainee.programme).hours_to_validate:
                raise Conflict(OBSERVATION)
            self._start_if_due(placement, today())
            if placement.status != lifecycle.ACTIVE:
                raise Conflict(_closed(placement))
            self._refuse_period(trainee, placement, fields["starts_at"], fields["ends_at"])
            log = HourLog.create(
                placement=placement,
                starts_at=to_db(fields["starts_at"]),
                ends_at=to_db(fields["ends_at"]),
                tasks=fields["tasks"],
                activity_id=fields["activity_id"],
            )
            self.uow.emit("placements.hours_submitted", _submitted(log, placement))
        return presenters.hour_log(log)

    @command
    def correct_hours(self, log_id, trainee_id, data):
        """A rejected log, or one pre-filled from an activity and not yet decided, corrected by its
        trainee, is submitted again (checked as a new one); a pre-filled one is then confirmed."""
        fields = load(HourLogIn(), data)
        with self.uow.atomic(exclusive=True):
            trainee = store.locked_trainee(trainee_id)
            log = store.locked_hour_log(log_id)
            placement = store.locked_placement(log.placement_id)
            if placement.trainee_id != trainee.id:
                raise NotFound(store.NO_LOG)
            if log.status != REJECTED and not (log.status == SUBMITTED and log.source == FROM_ACTIVITY):
                raise Conflict("Seules des heures refusées, ou proposées depuis une activité, peuvent être corrigées.")
            if placement.status != lifecycle.ACTIVE:
                raise Conflict(_closed(placement))
            self._refuse_period(trainee, placement, fields["starts_at"], fields["ends_at"], except_log=log)
            log.starts_at, log.ends_at = to_db(fields["starts_at"]), to_db(fields["ends_at"])
            log.tasks, log.status = fields["tasks"], SUBMITTED
            log.reason = log.validated_by = log.validated_at = None
            if log.source == FROM_ACTIVITY:
                log.confirmed_by_trainee_at = to_db(timeutil.now_utc())
            log.save()
            self.uow.emit("placements.hours_submitted", _submitted(log, placement))
        return presenters.hour_log(log)

    @command
    def confirm_hours(self, log_id, trainee_id):
        """The trainee says a log pre-filled from an activity is right, before the tutor decides on
        it (the tutor's list shows it). Confirming twice changes nothing. No event: nothing reacts."""
        with self.uow.atomic(exclusive=True):
            trainee = store.locked_trainee(trainee_id)
            log = store.locked_hour_log(log_id)
            placement = store.locked_placement(log.placement_id)
            if placement.trainee_id != trainee.id:
                raise NotFound(store.NO_LOG)
            if log.source != FROM_ACTIVITY:
                raise Conflict(
                    "Seules les heures proposées depuis une activité sont à confirmer : les vôtres le sont déjà."
                )
            if log.status != SUBMITTED:
                raise Conflict(
                    "Votre tuteur ou tutrice a déjà validé ou refusé ces heures : elles ne se confirment plus."
                )
            if log.confirmed_by_trainee_at is None:
                log.confirmed_by_trainee_at = to_db(timeutil.now_utc())
                log.save()
        return presenters.hour_log(log)

    @command
    def validate_hours(self, log_id, tutor_id):
        with self.uow.atomic(exclusive=True):
            log, placement = self._tutors_log(log_id, tutor_id)
            log.status, log.validated_by, log.validated_at = VALIDATED, tutor_id, to_db(timeutil.now_utc())
            log.save()
            self.uow.emit(
                "placements.hours_validated", {**presenters.hours_fact(log, placement), "validated_by": tutor_id}
            )
            self._complete_if_due(placement)
        return presenters.hour_log(log)

    @command
    def reject_hours(self, log_id, tutor_id, data):
        reason = load(ReasonIn(), data)["reason"]
        with self.uow.atomic(exclusive=True):
            log, placement = self._tutors_log(log_id, tutor_id)
            log.status, log.reason = REJECTED, reason
            log.validated_by, log.validated_at = tutor_id, to_db(timeutil.now_utc())
            log.save()
            self.uow.emit(
                "placements.hours_rejected",
                {**presenters.hours_fact(log, placement), "rejected_by": tutor_id, "reason": reason},
            )
        return presenters.hour_log(log)

    @rpc
    def list_hour_logs(self, placement_id, query=None, trainee_id=None):
        q = load(HourLogQuery(), query or {})
        found = store.logs_page(self._visible(placement_id, trainee_id), q)
        return found.answer(presenters.hour_logs(found.rows))

    @rpc
    def hour_sheet(self, placement_id, trainee_id=None):
        """Every log of the placement, by start (the CSV for the school), with the placement."""
        placement = self._visible(placement_id, trainee_id)
        return {"placement": self._present(placement), "logs": presenters.hour_logs(store.logs_of(placement))}

    @rpc
    def list_tutor_hour_logs(self, tutor_id, query=None):
        """The logs of a tutor's placements waiting for validation (or of another status)."""
        found = store.tutor_logs_page(tutor_id, load(HourLogQuery(), query or {}))
        return found.answer(presenters.hour_logs(found.rows, with_trainee=True))

    # --- events in ----------------------------------------------------------------------------
    @on_event("bookings.activity_completed", exclusive=True)
    def prefill_from_activity(self, event):
        """One submitted log per trainee of the activity who has a live placement that day:
        once per (placement, activity), whatever the deliveries; none after a cancellation."""
        p = event["payload"]
        if is_buried(models.Tombstone, ACTIVITY, p["activity_id"]):
            return []
        starts_at, ends_at = p["started_at"], p["ended_at"]
        day = starts_at.astimezone(timeutil.venue_zone()).date()
        made = []
        for trainee_id in sorted(set(p["trainee_ids"])):
            trainee = store.locked_trainee_or_none(trainee_id)
            if trainee is None or not programmes.programme(trainee.programme).hours_to_validate:
                continue  # not a trainee of ours, or an observation stage: no hours to log
            placement = store.placement_covering(trainee_id, day)
            if placement is None or store.log_for_activity(placement, p["activity_id"]) is not None:
                continue
            placement = store.locked_placement(placement.id)
            self._start_if_due(placement, max(day, today()))
            if placement.status != lifecycle.ACTIVE:
                continue
            live = [_period(log) for log in store.live_logs_of_trainee(trainee_id)]
            if any(o.starts_at < ends_at and starts_at < o.ends_at for o in live):
                continue  # the trainee already logged that time themselves
            log = HourLog.create(
                placement=placement,
                starts_at=to_db(starts_at),
                ends_at=to_db(ends_at),
                tasks=ACTIVITY_KIND_LABELS.get(p["kind"], p["kind"]),
                activity_id=p["activity_id"],
                source=FROM_ACTIVITY,
            )
            self.uow.emit("placements.hours_submitted", _submitted(log, placement))
            made.append(log.id)
        return made

    @on_event("bookings.activity_cancelled", exclusive=True)
    def forget_activity(self, event):
        """A cancelled activity gives no log, even if its completion came late (it cannot: bookings
        completes no cancelled activity; the tombstone keeps it so whatever the order)."""
        bury(models.Tombstone, ACTIVITY, event["payload"]["activity_id"], event)

    # Education's attendance of a trainee at a training session (training hours): credit_training
    # in training_credit.py (TrainingCreditEvents).

    # --- helpers ------------------------------------------------------------------------------
    def _present(self, placement):
        stays = [conventions.stay_of(row, _venue_day) for row in store.placements_of_trainee(placement.trainee_id)]
        return presenters.placement(
            placement,
            store.logs_of(placement),
            self.settings,
            today(),
            stays=stays,
            payments=store.payments_of(placement),
            changes=store.changes_of(placement),
        )

    def _host_staff_count(self):
        """The host's staff for the weekly quota: the venue's setting, else the team service's
        headcount (asked outside any transaction; 503 when team does not answer)."""
        if self.settings.host_staff_count is not None:
            return self.settings.host_staff_count
        return int(self.team.headcount())

    def _refuse(self, candidate, staff_count):
        """Inside the transaction that locked the trainee: the tutor's and the host's keys, then
        every rule of a convention (conventions.refuse)."""
        store.lock_tutor(candidate.tutor_id)
        store.lock_host()
        plan = candidate.plan
        conventions.refuse(
            candidate,
            trainee_rows=store.placements_of_trainee(candidate.trainee_id, except_id=candidate.placement_id),
            tutor_rows=store.tutor_conventions(candidate.tutor_id, except_id=candidate.placement_id),
            host_rows=store.host_conventions(plan.starts_on, plan.ends_on, except_id=candidate.placement_id),
            staff_count=staff_count,
            max_per_tutor=self.settings.tutor_max_trainees,
            venue_day_of=_venue_day,
        )

    def _visible(self, placement_id, trainee_id):
        placement = store.placement(placement_id)
        if trainee_id is not None and placement.trainee_id != trainee_id:
            raise NotFound(store.NO_PLACEMENT)
        return placement

    def _tutors_log(self, log_id, tutor_id):
        log = store.locked_hour_log(log_id)
        placement = store.locked_placement(log.placement_id)
        if placement.tutor_id != tutor_id:
            raise Forbidden(NOT_TUTOR)
        if log.status != SUBMITTED:
            raise Conflict("Ces heures ont déjà été validées ou refusées.")
        return log, placement

    def _refuse_period(self, trainee, placement, starts_at, ends_at, except_log=None):
        others = [_period(log) for log in store.live_logs_of_trainee(trainee.id, except_log=except_log)]
        new = working_time.Period(starts_at, ends_at)
        limits = working_time.limits_for(trainee.birth_date, starts_at.astimezone(timeutil.venue_zone()).date())
        refusals = working_time.check(
            new, others, limits, timeutil.now_utc(), placement.starts_on, placement.ends_on, timeutil.venue_zone()
        )
        if refusals:
            by_field = {}
            for refusal in refusals:
                by_field.setdefault(refusal.field, []).append(refusal.message)
            raise Invalid(" ".join(r.message for r in refusals), by_field)

    def _start_if_due(self, placement, day):
        if lifecycle.starts_today(placement.status, placement.starts_on, day):
            placement.status, placement.started_at = lifecycle.ACTIVE, to_db(timeutil.now_utc())
            placement.save()
            self.uow.emit(
                "placements.placement_started",
                {**presenters.placement_fact(placement), "started_on": day.isoformat()},
            )

    def _complete_if_due(self, placement):
        """Inside the transaction that locked `placement`: completes it when its hours and dates allow."""
        shown = self._present(store.placement(placement.id))
        if placement.status != lifecycle.ACTIVE or not shown["can_complete"]:
            return False
        placement.status, placement.ended_at = lifecycle.COMPLETED, to_db(timeutil.now_utc())
        placement.save()
        self.uow.emit(
            "placements.placement_completed",
            {
                **presenters.placement_fact(placement),
                "validated_hours": shown["validated_hours"],
                "gratification_total": shown["gratification_total"] or "0.00",
            },
        )
        return True


RENEWAL_ORDER = {clearance.MISSING: 0, clearance.EXPIRED: 1, clearance.EXPIRING: 2}


def _renewal_key(line):
    trainee, row, status = line
    expires = honorability_rule.expires_on(row.verified_on).isoformat() if row else ""
    return (RENEWAL_ORDER[status], expires, trainee.last_name, trainee.first_name, trainee.id)


EDITABLE = ("tutor_id", "starts_on", "ends_on", "required_hours", "weekly_schedule")


def editable_values(placement):
    """The fields a PATCH may change, as JSON values (the history keeps them so)."""
    return {name: _jsonable(getattr(placement, name)) for name in EDITABLE}


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return [{k: _jsonable(v) for k, v in item.items()} for item in value]
    return value


def _venue_day(stored):
    """A stored time (naive UTC) as the venue's date."""
    return as_utc(stored).astimezone(timeutil.venue_zone()).date()


def _period(log):
    return working_time.Period(as_utc(log.starts_at), as_utc(log.ends_at))


def _submitted(log, placement):
    return {**presenters.hours_fact(log, placement), "source": log.source}


def _closed(placement):
    if placement.status == lifecycle.PLANNED:
        return f"Le stage commence le {placement.starts_on:%d/%m/%Y} : notez vos heures à partir de ce jour."
    return "Ce stage est terminé ou interrompu : il ne prend plus d'heures."
