"""The pilot's indicators over a period, counted from the projected facts (domain/projection.py)
and the links between a person's records. Pure: the facts in, numbers out. Sources: the défi
innovation sociale CNAF × France Travail's indicators (/work/shared/domain/passerelles.md, copied
into docs/insights-rules.md with each definition) [derived]; a count is an int, an amount or a
rate an exact decimal string, and an indicator whose inputs no event carries is None, its
definition saying what is missing.
"""

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shared.vocabulary import BACK_TO_WORK_OUTCOMES, IMMERSION_OBJECTS

CENT = Decimal("0.01")
FUNNEL = ("immersion", "training", "placement", "hired")
CANCELLING = {
    "childcare_place": "place_cancelled",
    "immersion_agreed": "immersion_cancelled",
    "enrolment": "enrolment_cancelled",
}

DEFINITIONS = {
    "immersions": (
        "Nombre de PMSMP (immersions) conventionnées dont le début tombe dans la période, hors immersions annulées."
    ),
    "immersions_by_object": (
        "Les mêmes immersions, par objet : découvrir un métier, confirmer un projet, initier un recrutement."
    ),
    "hired": (
        "Nombre de personnes distinctes embauchées dans la structure (suite enregistrée « embauche ») dans la période."
    ),
    "back_to_work": (
        "Nombre de personnes distinctes sorties de la recherche d'emploi dans la période : famille dont la "
        "recherche d'emploi s'arrête, ou suite enregistrée « embauche », « emploi trouvé » ou « reprise "
        "d'activité »."
    ),
    "back_to_work_3_months": (
        "Parmi les personnes sorties de la recherche d'emploi dans la période, celles dont la sortie a lieu "
        "au plus 3 mois après leur première place d'accueil obtenue en recherche d'emploi."
    ),
    "back_to_work_6_months": "Idem, au plus 6 mois après leur première place d'accueil obtenue en recherche d'emploi.",
    "job_seeking_families_with_place": (
        "Nombre de familles distinctes ayant une place d'accueil (réservation confirmée ou contrat) "
        "commençant dans la période alors qu'elles étaient en recherche d'emploi (dernier changement connu à "
        "cette date), ou sur une place AVIP."
    ),
    "avip_places_used": (
        "Nombre de places AVIP (à vocation d'insertion professionnelle) occupées : réservations confirmées "
        "non annulées et contrats AVIP commençant dans la période."
    ),
    "days_from_request_to_place": (
        "Délai moyen en jours entre la demande de place (réservation ou mise en liste d'attente) et la place "
        "obtenue, pour les places obtenues dans la période ; les contrats réguliers n'en ont pas (leur date "
        "de demande n'est dans aucun événement)."
    ),
    "training_hours": (
        "Heures de formation suivies (feuille d'émargement, présent, dernière version de chaque demi-journée)"
        " dans la période."
    ),
    "training_hours_by_funder": (
        "Heures de formation par financeur : le financeur n'est porté par aucun événement de la formation, il"
        " n'est donc pas encore ventilé."
    ),
    "validated_placement_hours": (
        "Heures de stage sur place validées par le tuteur dans la période (les heures de formation sont "
        "comptées à part)."
    ),
    "certificates": "Nombre de certificats de réalisation délivrés dans la période.",
    "volunteer_hours": "Heures de bénévolat sur les activités terminées dans la période.",
    "intergenerational_activities": (
        "Nombre d'activités terminées dans la période où au moins un bénévole a rencontré des enfants "
        "(activité prévue pour des enfants, ou dont la capacité n'est pas connue)."
    ),
    "distinct_seniors": (
        "Nombre de bénévoles distincts présents sur une activité terminée dans la période (l'âge des "
        "bénévoles n'est dans aucun événement : tous les bénévoles sont comptés)."
    ),
    "distinct_children": (
        "Nombre d'enfants distincts arrivés à la crèche dans la période (la présence d'un enfant à une "
        "activité n'est dans aucun événement)."
    ),
    "occupancy_rate": (
        "Taux d'occupation : heures facturées ÷ (heures d'ouverture × places), sur les mois clos de la période "
        "(heures comptées comme pour la CAF ; les fermetures déclarées ne sont pas retirées des heures d'ouverture)."
    ),
    "billing_ratio": (
        "Taux de facturation : heures facturées ÷ heures de présence, sur les mois clos de la période "
        "(au-delà de 107 %, le prix de revient PSU baisse)."
    ),
    "invoiced_total": "Montant total des factures émises pour les mois de la période (en euros).",
    "funnel": (
        "Parcours immersion → formation → stage → embauche : personnes distinctes à chaque étape dans la "
        "période (immersion conventionnée, inscription confirmée à une formation ou entrée en formation, "
        "début de stage, embauche) ; conversion = étape ÷ étape précédente."
    ),
}


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None

    def holds(self, day):
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


class People:
    """Who a subject is: the person its link names, else the subject itself."""

    def __init__(self, links):
        self.links = dict(links)

    def of(self, subject):
        if subject is None:
            return None
        if subject.startswith("person:"):
            return subject.split(":", 1)[1]
        return self.links.get(subject, subject)


def live(facts):
    """The facts without those a later fact cancelled (a booking, an immersion, an enrolment)."""
    cancelled = {(kind, f.ref) for f in facts for kind, ending in CANCELLING.items() if f.kind == ending}
    return [f for f in facts if (f.kind, f.ref) not in cancelled]


def money(value):
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def ratio(part, whole):
    return None if not whole else money(Decimal(part) / Decimal(whole))


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(fact):
    return date.fromisoformat(fact.on)


def _sum(facts):
    return money(sum((Decimal(f.value or "0") for f in facts), Decimal(0)))


def seeking_at(changes, day):
    known = [seeking for changed, seeking in changes if changed <= day]
    return known[-1] if known else False


class Counted:
    """The live facts by kind, each with its day, and what every period reads of the whole history
    (job search changes, the first place while seeking, the day a job search ended), worked out
    once: `monthly` counts many periods from the same facts."""

    def __init__(self, facts, links):
        self.people = People(links)
        self.by_kind = defaultdict(list)
        for fact in sorted(live(facts), key=lambda f: (f.on, f.key)):
            self.by_kind[fact.kind].append((_day(fact), fact))
        self.changes = self._job_search_changes()
        self.placed = self._places_while_seeking()
        self.ended = self._back_to_work_days()
        self.days = {kind: [day for day, _ in pairs] for kind, pairs in self.by_kind.items()}
        self.requested = {f.ref: day for day, f in self.by_kind["place_requested"]}
        self.capacity = {f.ref: Decimal(f.value or 0) for _, f in self.by_kind["activity_planned"]}

    def of(self, fact):
        return self.people.of(fact.subject)

    def pairs_in(self, kind, period):
        """(day, fact) of that kind within the period: the days are in order, so found by bisection."""
        days = self.days.get(kind, [])
        low = bisect_left(days, period.start) if period.start else 0
        high = bisect_right(days, period.end) if period.end else len(days)
        return self.by_kind[kind][low:high]

    def in_(self, kind, period, detail=None):
        return [f for _, f in self.pairs_in(kind, period) if detail is None or f.detail == detail]

    def people_in(self, kind, period, detail=None):
        return {self.of(f) for f in self.in_(kind, period, detail)}

    def seeking(self, fact, day):
        return fact.detail == "avip" or seeking_at(self.changes.get(self.of(fact), []), day)

    def _job_search_changes(self):
        """{person: [(day, seeking)]} from the families' job search changes, oldest first."""
        changes = defaultdict(list)
        for day, f in self.by_kind["job_search"]:
            changes[self.of(f)].append((day, f.detail == "seeking"))
        return {person: sorted(days) for person, days in changes.items()}

    def _places_while_seeking(self):
        """{person: the first day they had a place while job-seeking (or on an AVIP place)}."""
        first = {}
        for day, f in self.by_kind["childcare_place"]:
            if self.seeking(f, day):
                first.setdefault(self.of(f), day)
        return first

    def _back_to_work_days(self):
        """{person: the first day their job search ended} (a family's search stopped, or an outcome)."""
        endings = [(day, f) for day, f in self.by_kind["job_search"] if f.detail == "stopped"]
        endings += [(day, f) for day, f in self.by_kind["outcome"] if f.detail in BACK_TO_WORK_OUTCOMES]
        ended = {}
        for day, f in sorted(endings, key=lambda pair: pair[0]):
            ended.setdefault(self.of(f), day)
        return ended


def back_to_work(counted, period):
    ended = {p: d for p, d in counted.ended.items() if period.holds(d)}
    placed = counted.placed
    within = {
        months: sum(1 for p, d in ended.items() if p in placed and placed[p] <= d <= add_months(placed[p], months))
        for months in (3, 6)
    }
    return {"back_to_work": len(ended), "back_to_work_3_months": within[3], "back_to_work_6_months": within[6]}


def childcare(counted, period):
    places = counted.pairs_in("childcare_place", period)
    return {
        "job_seeking_families_with_place": len({counted.of(f) for day, f in places if counted.seeking(f, day)}),
        "avip_places_used": sum(1 for _, f in places if f.detail == "avip"),
        "days_from_request_to_place": days_to_place(counted, period),
        "distinct_children": len({f.subject for f in counted.in_("child_present", period)}),
        "invoiced_total": _sum(counted.in_("invoice", period)),
        **creche_rates(counted, period),
    }


def creche_rates(counted, period):
    """Over the months closed in the period: hours billed ÷ hours × places offered, and hours
    billed ÷ hours attended (ratios such as "0.85"; None when a month told none of them)."""
    kinds = ("hours_billed", "hours_attended", "place_hours")
    billed, attended, offered = (_sum(counted.in_(kind, period)) for kind in kinds)
    return {
        "occupancy_rate": ratio(billed, offered) if Decimal(offered) else None,
        "billing_ratio": ratio(billed, attended) if Decimal(attended) else None,
    }


def days_to_place(counted, period):
    """The mean days from a request to its place, for places given in the period (None: none)."""
    given = counted.pairs_in("place_given", period)
    waits = [(day - counted.requested[f.ref]).days for day, f in given if f.ref in counted.requested]
    return ratio(sum(waits), len(waits)) if waits else None


def funnel(counted, period):
    """Each step's distinct people in the period and its conversion from the step before."""
    steps = {
        "immersion": counted.people_in("immersion_agreed", period),
        "training": counted.people_in("enrolment", period) | counted.people_in("outcome", period, "training_started"),
        "placement": counted.people_in("placement_started", period)
        | counted.people_in("outcome", period, "placement_started"),
        "hired": counted.people_in("outcome", period, "hired"),
    }
    rows, previous = [], None
    for step in FUNNEL:
        count = len(steps[step])
        rows.append({"step": step, "count": count, "conversion": None if previous is None else ratio(count, previous)})
        previous = count
    return rows


def trades(counted, period):
    immersions = counted.in_("immersion_agreed", period)
    return {
        "immersions": len(immersions),
        "immersions_by_object": {obj: sum(1 for f in immersions if f.detail == obj) for obj in IMMERSION_OBJECTS},
        "hired": len(counted.people_in("outcome", period, "hired")),
        "training_hours": _sum(counted.in_("session_attended", period, "present")),
        "validated_placement_hours": _sum(counted.in_("placement_hours", period, "on_site")),
        "certificates": len(counted.in_("certificate", period)),
    }


def intergenerational(counted, period):
    done = counted.in_("activity_done", period)
    met = [f for f in done if Decimal(f.value or 0) > 0 and counted.capacity.get(f.ref, 1) > 0]
    return {
        "volunteer_hours": _sum(counted.in_("volunteer_hours", period)),
        "intergenerational_activities": len(met),
        "distinct_seniors": len({f.subject for f in counted.in_("volunteer_met", period)}),
    }


def counted_in(counted, period):
    """Every indicator of the period, by name (DEFINITIONS says what each counts)."""
    return {
        **trades(counted, period),
        **back_to_work(counted, period),
        **childcare(counted, period),
        **intergenerational(counted, period),
    }


def indicators(facts, links, period):
    return counted_in(Counted(facts, links), period)


def summary(facts, links, period):
    counted = Counted(facts, links)
    values = counted_in(counted, period)
    return {
        "indicators": values,
        "definitions": {name: DEFINITIONS[name] for name in [*values, "funnel", "training_hours_by_funder"]},
        "funnel": funnel(counted, period),
        "immersions_by_object": values["immersions_by_object"],
        "training_hours_by_funder": {},
    }


def months_between(start, end):
    """The first day of each month from start's to end's, both included."""
    month, months = start.replace(day=1), []
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_period(month):
    return Period(month, month.replace(day=calendar.monthrange(month.year, month.month)[1]))


def first_day(facts):
    days = [_day(f) for f in facts]
    return min(days) if days else None


def monthly(facts, links, start, end):
    """[{month, indicators}] for each month from start's to end's."""
    if start is None or end is None or start > end:
        return []
    counted = Counted(facts, links)
    return [
        {"month": month.strftime("%Y-%m"), "indicators": counted_in(counted, month_period(month))}
        for month in months_between(start, end)
    ]


PATH_KINDS = {
    "childcare_place",
    "immersion_agreed",
    "immersion_assessed",
    "enrolment",
    "session_attended",
    "placement_started",
    "placement_completed",
    "outcome",
}


def person_path(facts, links, person_id):
    """The person's steps across services, oldest first: what each was and where it came from."""
    people, steps = People(links), []
    for f in live(facts):
        if f.kind not in PATH_KINDS or people.of(f.subject) != person_id:
            continue
        if f.kind == "session_attended" and f.detail != "present":
            continue
        detail = (
            f.ref
            if f.kind in ("enrolment", "session_attended", "placement_started", "placement_completed")
            else f.detail
        )
        steps.append({"on": f.on, "kind": f.kind, "detail": detail, "source": f.source})
    return sorted(steps, key=lambda s: (s["on"], s["kind"], s["detail"] or ""))
