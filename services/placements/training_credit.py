"""Training hours from education's attendance sheet: one credited training log per (session,
part, half-day, trainee) on the placement covering that day, following the sheet's latest
revision (services/placements/domain/training.py). An event sent before half-days existed has no
`half_day`: its line is the whole part's (half_day "").

A mixin of PlacementsService (its `uow`, the store): the handler locks the trainee (parent before
child, as every placements entrypoint), then the placement, then changes the credit and its log
in the transaction that marks the event in the inbox.
"""

from services.placements import store
from services.placements.domain import training
from services.placements.domain.progress import TRAINING, VALIDATED
from services.placements.models import FROM_EDUCATION, HourLog, TrainingCredit
from shared import timeutil
from shared.handlers import on_event
from shared.timeutil import to_db

TRAINEE = "trainee"  # education's participant_kind of a placements trainee


def training_tasks(title):
    """What the hour sheet and the trainee's page say the log was."""
    return f"Formation « {title} » (feuille d'émargement)"


class TrainingCreditEvents:
    @on_event("education.attendance_recorded", exclusive=True)
    def credit_training(self, event):
        """Present: the half-day's hours as a validated training log of the placement covering that
        day (none without one); absent: no log. Only a revision above the kept one changes it.
        Answers the credited log's id, or None."""
        p = event["payload"]
        if p["participant_kind"] != TRAINEE:
            return None
        trainee = store.locked_trainee_or_none(p["participant_id"])
        if trainee is None:
            return None  # not a trainee of ours: nothing to credit
        attendance = training.Attendance(p["revision"], p["present"], p["starts_at"], p["ends_at"])
        half_day = p.get("half_day") or ""
        credit = store.training_credit(p["session_id"], p["part_index"], half_day, trainee.id)
        decision = training.decide(attendance, credit.revision if credit else None)
        if decision == training.KEEP:
            return credit.hour_log_id
        log = store.locked_hour_log(credit.hour_log_id) if credit and credit.hour_log_id else None
        if decision == training.CREDIT:
            log = log or _new_log(trainee, attendance)
            if log is not None:
                log.starts_at, log.ends_at = to_db(attendance.starts_at), to_db(attendance.ends_at)
                log.tasks, log.status = training_tasks(p["title"]), VALIDATED
                log.validated_at = to_db(timeutil.now_utc())
                log.save()
        fields = {"revision": attendance.revision, "present": attendance.present}
        fields["hour_log"] = log if decision == training.CREDIT else None
        fields["starts_at"], fields["ends_at"] = to_db(attendance.starts_at), to_db(attendance.ends_at)
        fields["title"] = p["title"]
        if credit is None:
            credit = TrainingCredit.create(
                session_id=p["session_id"],
                part_index=p["part_index"],
                half_day=half_day,
                trainee_id=trainee.id,
                **fields,
            )
        else:
            for name, value in fields.items():
                setattr(credit, name, value)
            credit.save()
        if decision == training.WITHDRAW and log is not None:
            log.delete_instance()  # the sheet now says absent: the credit is taken back
        return credit.hour_log_id


def _new_log(trainee, attendance):
    """A new training log on the trainee's live placement covering the part's day (locked), or None."""
    placement = store.placement_covering(trainee.id, training.day_of(attendance, timeutil.venue_zone()))
    if placement is None:
        return None  # no placement that day: the credit waits for one (credit_waiting_parts)
    return _log_on(store.locked_placement(placement.id), attendance)


def credit_waiting_parts(placement):
    """A placement just created over days the trainee already attended training on (the sheet
    came first) gets those parts as credited logs: the credits kept present with no log."""
    zone = timeutil.venue_zone()
    for credit in store.waiting_training_credits(placement.trainee_id):
        attendance = training.Attendance(
            credit.revision, credit.present, timeutil.as_utc(credit.starts_at), timeutil.as_utc(credit.ends_at)
        )
        if not placement.starts_on <= training.day_of(attendance, zone) <= placement.ends_on:
            continue
        log = _log_on(placement, attendance)
        log.tasks, log.validated_at = training_tasks(credit.title or ""), to_db(timeutil.now_utc())
        log.save()
        credit.hour_log = log
        credit.save()


def _log_on(placement, attendance):
    return HourLog.create(
        placement=placement,
        starts_at=to_db(attendance.starts_at),
        ends_at=to_db(attendance.ends_at),
        kind=TRAINING,
        source=FROM_EDUCATION,
        status=VALIDATED,
    )
