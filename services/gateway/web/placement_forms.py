"""What the staff's placement forms and page share, without routes: the convention's week as
form fields (one line per weekday: arrival, departure, break) and back as the service's
`weekly_schedule`, the service's nested refusals (weekly_schedule.<i>.<field>) next to that
day's field, the months a payment may be for, and the placement's edit history in words.

The schedule's checks here are only the form's (a time as people type it, a departure after its
arrival), each said for its day; the placements service computes the planned hours and checks
the rest.
"""

import re
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from flask_babel import gettext as _

from services.gateway.web import clock, day, field_errors, hours_text, month

FORM_DAYS = range(6)  # Monday to Saturday: the days a trainee may be at the venue
TIME = re.compile(r"^(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?(?::\d{2})?$")  # 09:00, 9:00, 9h, 9 h 30, 09:00:00
SERVICE_TO_FORM = {"start": "start", "end": "end", "break_minutes": "break"}


def day_names():
    return [_("Lundi"), _("Mardi"), _("Mercredi"), _("Jeudi"), _("Vendredi"), _("Samedi"), _("Dimanche")]


def form_days(schedule=()):
    """Monday to Saturday, and Sunday too when the convention's week already has it."""
    return sorted(set(FORM_DAYS) | {period["weekday"] for period in schedule or ()})


def _hhmm(text):
    """ "09:00" from what people type in a time field ("9:00", "9h", "9 h 30"), None if not a time."""
    found = TIME.match(text.strip())
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def _minutes_of(hhmm):
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _break(text):
    """The break in whole minutes (blank: none), None when it is not a whole number of minutes."""
    text = text.strip()
    if not text:
        return 0
    return int(text) if text.isdecimal() else None


def schedule_from_form(form, days=FORM_DAYS):
    """(weekly_schedule, errors by form field) from the lines start_<d>, end_<d>, break_<d>: a
    day left blank is a day without presence; a day half filled says what it misses."""
    schedule, errors = [], {}
    for weekday in days:
        start, end, pause = (form.get(f"{name}_{weekday}", "").strip() for name in ("start", "end", "break"))
        if not (start or end or pause):
            continue
        period, found = _period(weekday, start, end, pause)
        if found:
            errors.update({field: [sentence] for field, sentence in found.items()})
        else:
            schedule.append(period)
    return schedule, errors


def _period(weekday, start, end, pause):
    """(the day's period, {form field: sentence}) of one line of the form."""
    name = day_names()[weekday].lower()
    arrival, departure, minutes = _hhmm(start), _hhmm(end), _break(pause)
    found = {}
    if not start:
        found[f"start_{weekday}"] = _("Indiquez l'heure d'arrivée du %(day)s, ou videz toute la ligne.", day=name)
    elif arrival is None:
        found[f"start_{weekday}"] = _("L'arrivée du %(day)s s'écrit en heures et minutes, par exemple 09:00.", day=name)
    if not end:
        found[f"end_{weekday}"] = _("Indiquez l'heure de départ du %(day)s, ou videz toute la ligne.", day=name)
    elif departure is None:
        found[f"end_{weekday}"] = _("Le départ du %(day)s s'écrit en heures et minutes, par exemple 17:00.", day=name)
    if minutes is None:
        found[f"break_{weekday}"] = _(
            "La pause du %(day)s se compte en minutes entières, par exemple 60 (0 ou vide sans pause).", day=name
        )
    times = {"day": name, "start": clock(arrival), "end": clock(departure)}
    if arrival and departure and departure <= arrival:
        found[f"end_{weekday}"] = _("Le départ du %(day)s (%(end)s) doit être après l'arrivée (%(start)s).", **times)
    elif arrival and departure and minutes is not None and minutes >= _minutes_of(departure) - _minutes_of(arrival):
        found[f"break_{weekday}"] = _(
            "La pause du %(day)s (%(minutes)s min) doit être plus courte que sa présence, de %(start)s à %(end)s.",
            minutes=minutes,
            **times,
        )
    return {"weekday": weekday, "start": arrival, "end": departure, "break_minutes": minutes}, found


def schedule_form(schedule):
    """The form's lines of a weekly schedule. Several periods of one day become one line (first
    arrival, last departure, the gaps between them counted as break): the same hours present."""
    by_day = {}
    for period in schedule or ():
        by_day.setdefault(period["weekday"], []).append(period)
    form = {}
    for weekday, periods in by_day.items():
        arrival = min(period["start"] for period in periods)
        departure = max(period["end"] for period in periods)
        present = sum(
            _minutes_of(p["end"]) - _minutes_of(p["start"]) - int(p.get("break_minutes") or 0) for p in periods
        )
        form[f"start_{weekday}"], form[f"end_{weekday}"] = arrival, departure
        form[f"break_{weekday}"] = str(_minutes_of(departure) - _minutes_of(arrival) - present)
    return form


def _sentences(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for inner in value.values() for s in _sentences(inner)]
    if isinstance(value, list | tuple):
        return [s for inner in value for s in _sentences(inner)]
    return [str(value)] if value else []


def schedule_errors_by_day(problems, schedule):
    """The service's weekly_schedule errors ({"0": {"end": [...]}}, by period sent) next to
    that period's day (end_<weekday>); one about the whole week next to its fieldset."""
    errors = {}
    if isinstance(problems, dict):
        for index, fields in problems.items():
            if str(index).isdecimal() and int(index) < len(schedule) and isinstance(fields, dict):
                weekday = schedule[int(index)]["weekday"]
                for name, messages in fields.items():
                    # the day itself, or the period as a whole: the day's arrival, where its line begins
                    field = f"{SERVICE_TO_FORM.get(name, 'start')}_{weekday}"
                    errors.setdefault(field, []).extend(_sentences(messages))
            else:
                errors.setdefault("weekly_schedule", []).extend(_sentences(fields))
    elif problems:
        errors["weekly_schedule"] = _sentences(problems)
    return errors


def refusal_errors(exc, schedule, fields_only=None):
    """{form field: [sentences]} of the service's refusal (a ServiceError, or the schema's
    problems as `fields_only`): the schedule's by day, the others by their field, and the
    refusal's sentence at the top when it names no field, or when it is a conflict (409) that
    says why more fully than its fields."""
    fields = dict(fields_only if fields_only is not None else getattr(exc, "fields", None) or {})
    by_day = schedule_errors_by_day(fields.pop("weekly_schedule", None), schedule)
    errors = field_errors(SimpleNamespace(fields=fields))
    for name, sentences in by_day.items():
        errors.setdefault(name, []).extend(sentences)
    message = getattr(exc, "message", "") if exc is not None else ""
    if message and (not errors or getattr(exc, "status", 0) == 409):
        if message not in [s for sentences in errors.values() for s in sentences]:
            errors = {"_schema": [message], **errors}
    return errors


def decimal_text(text):
    """ "140.5" from « 140,5 » or « 472,50 € » as people type them; the text as typed otherwise."""
    return re.sub(r"[\s\u00a0\u202f€]", "", text or "").replace(",", ".")


def as_decimal(text):
    """The number, or None when it is not a finite one."""
    try:
        number = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


# --- the placement page -----------------------------------------------------------------------
def placement_months(starts_on, ends_on):
    """The months "YYYY-MM" the placement's dates touch, in order (a payment is for one of them)."""
    try:
        year, number = int(starts_on[:4]), int(starts_on[5:7])
        last = (int(ends_on[:4]), int(ends_on[5:7]))
    except (TypeError, ValueError):
        return []
    months = []
    while (year, number) <= last:
        months.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months


def school_year_of_month(iso_month):
    """« 2026-2027 » for "2026-09" … "2027-08": the school year runs from 1 September to 31 August."""
    year = int(iso_month[:4]) if int(iso_month[5:7]) >= 9 else int(iso_month[:4]) - 1
    return f"{year}-{year + 1}"


def period_text(period):
    """« 9 h 00 – 17 h 00, pause de 60 min »."""
    text = _("%(start)s – %(end)s", start=clock(period["start"]), end=clock(period["end"]))
    if period.get("break_minutes"):
        text = _("%(period)s, pause de %(minutes)s min", period=text, minutes=period["break_minutes"])
    return text


def schedule_lines(schedule):
    """« Lundi : 9 h 00 – 17 h 00, pause de 60 min » for each period of the week, in order."""
    names = day_names()
    return [
        _("%(day)s : %(period)s", day=names[period["weekday"]], period=period_text(period))
        for period in sorted(schedule or (), key=lambda p: (p["weekday"], p["start"]))
    ]


def field_labels():
    """The French name of each field a placement's edit may change."""
    return {
        "tutor_id": _("Tuteur ou tutrice"),
        "starts_on": _("Premier jour du stage"),
        "ends_on": _("Dernier jour du stage"),
        "required_hours": _("Heures prévues par la convention"),
        "planned_hours": _("Heures prévues à la structure"),
        "weekly_schedule": _("Emploi du temps"),
        "designated_on": _("Désignation du tuteur ou de la tutrice"),
    }


def _value_text(field, value, names):
    if value is None or value == "" or value == []:
        return _("aucun emploi du temps") if field == "weekly_schedule" else "—"
    if field == "tutor_id":
        return names.get(value) or _("un membre de l'équipe")
    if field in ("starts_on", "ends_on", "designated_on"):
        return day(value)
    if field in ("required_hours", "planned_hours"):
        return f"{hours_text(value)}\u00a0h"
    if field == "weekly_schedule" and isinstance(value, list):
        return " ; ".join(schedule_lines(value))
    return str(value)


def history_rows(history, names):
    """Each edit of the placement (oldest first, as the service keeps them) in words: when, who,
    why, and each field's label with its value before and after."""
    labels = field_labels()
    rows = []
    for change in history or ():
        changes = []
        for field, values in (change.get("changes") or {}).items():
            before, after = (values or {}).get("before"), (values or {}).get("after")
            if field == "weekly_schedule" and isinstance(before, list) and isinstance(after, list):
                changes += _days_changed(before, after)
                continue
            changes.append(
                {
                    "label": labels.get(field, field),
                    "before": _value_text(field, before, names),
                    "after": _value_text(field, after, names),
                }
            )
        rows.append(
            {
                "changed_at": change.get("changed_at"),
                "who": names.get(change.get("changed_by")) or "—",
                "reason": change.get("reason") or "",
                "changes": changes,
            }
        )
    return rows


def _days_changed(before, after):
    """A schedule's change told day by day, only the days that changed: « Emploi du temps,
    vendredi : 9 h 00 – 17 h 00, pause de 60 min → pas de présence »."""
    names = day_names()

    def of(schedule, weekday):
        return sorted((p for p in schedule if p.get("weekday") == weekday), key=lambda p: p["start"])

    def text(periods):
        return " ; ".join(period_text(p) for p in periods) or _("pas de présence")

    return [
        {
            "label": _("Emploi du temps, %(day)s", day=names[weekday].lower()),
            "before": text(of(before, weekday)),
            "after": text(of(after, weekday)),
        }
        for weekday in range(7)
        if of(before, weekday) != of(after, weekday)
    ]


def people_ids(placement, logs=()):
    """The staff accounts a placement's page names: its tutor, who validated, who edited, who
    recorded a payment, and the tutors before and after an edit."""
    ids = [placement.get("tutor_id"), *(log.get("validated_by") for log in logs)]
    ids += [payment.get("recorded_by") for payment in placement.get("gratification_payments") or ()]
    for change in placement.get("history") or ():
        ids.append(change.get("changed_by"))
        tutor = (change.get("changes") or {}).get("tutor_id") or {}
        ids += [tutor.get("before"), tutor.get("after")]
    return [i for i in ids if isinstance(i, str)]


def month_options(placement):
    """(month, « mars 2026 ») of the placement's months, those already paid saying so."""
    paid = {payment.get("month") for payment in placement.get("gratification_payments") or ()}
    return [
        (m, _("%(month)s — versement déjà enregistré", month=month(m)) if m in paid else month(m))
        for m in placement_months(placement.get("starts_on"), placement.get("ends_on"))
    ]


def first_unpaid_month(placement):
    paid = {payment.get("month") for payment in placement.get("gratification_payments") or ()}
    months = placement_months(placement.get("starts_on"), placement.get("ends_on"))
    return next((m for m in months if m not in paid), months[0] if months else "")
