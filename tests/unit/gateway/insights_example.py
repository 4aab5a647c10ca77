"""What the insights service answers, in the shapes of its contract (summary, monthly,
person_path), for the gateway's tests of the bilan; and a stand-in for the RPC pool answering them."""

from contextlib import contextmanager

DEFINITIONS = {
    "immersions": "Immersions (PMSMP) dont la convention a été signée pendant la période.",
    "hired": "Personnes embauchées par la structure après leur parcours.",
    "back_to_work": "Personnes sorties du parcours vers un emploi ou une reprise d'activité.",
    "back_to_work_3_months": "Personnes en emploi trois mois après leur sortie.",
    "back_to_work_6_months": "Personnes en emploi six mois après leur sortie.",
    "job_seeking_families_with_place": "Familles en recherche d'emploi dont un enfant a eu une place en crèche.",
    "avip_places_used": "Places réservées AVIP occupées.",
    "training_hours": "Heures de formation réalisées, selon les feuilles d'émargement.",
    "validated_placement_hours": "Heures de stage validées par le tuteur.",
    "certificates": "Certificats de réalisation délivrés.",
    "volunteer_hours": "Heures de bénévolat accomplies.",
    "intergenerational_activities": "Activités intergénérationnelles menées.",
    "distinct_seniors": "Seniors différents venus au moins une fois.",
    "distinct_children": "Enfants différents accueillis au moins une fois.",
    "occupancy_rate": "Heures de présence des enfants divisées par les heures de places ouvertes.",
    "billing_ratio": "Heures facturées divisées par les heures réalisées.",
}
SUMMARY = {
    "from": "2026-09-01",
    "to": "2026-11-30",
    "indicators": {
        "immersions": 12,
        "hired": 4,
        "back_to_work": 5,
        "back_to_work_3_months": 1,
        "back_to_work_6_months": 0,
        "job_seeking_families_with_place": 7,
        "avip_places_used": 3,
        "training_hours": "126.50",
        "validated_placement_hours": "70.00",
        "certificates": 9,
        "volunteer_hours": "48.25",
        "intergenerational_activities": 2,
        "distinct_seniors": 14,
        "distinct_children": 31,
        "occupancy_rate": "0.853",
        "billing_ratio": "1.04",
    },
    "definitions": DEFINITIONS,
    "funnel": [
        {"step": "immersion", "count": 12, "conversion": None},
        {"step": "training", "count": 6, "conversion": "0.50"},
        {"step": "placement", "count": 5, "conversion": "0.83"},
        {"step": "hired", "count": 4, "conversion": "0.80"},
    ],
    "immersions_by_object": {"discover": 7, "confirm": 3, "recruit": 2},
    "training_hours_by_funder": {"france_travail": "84.00", "opco": "42.50"},
}
MONTHLY = [
    {
        "month": "2026-10",
        "indicators": {"immersions": 5, "hired": 1, "volunteer_hours": "20.00", "occupancy_rate": "0.81"},
    },
    {
        "month": "2026-11",
        "indicators": {"immersions": 7, "hired": 3, "volunteer_hours": "28.25", "occupancy_rate": "0.90"},
    },
]
PATH = [
    {
        "on": "2026-11-03",
        "kind": "immersion_agreed",
        "detail": "Découvrir le métier",
        "source": "placements",
    },
    {"on": "2026-09-14", "kind": "childcare_place", "detail": "Place AVIP pour Lou", "source": "bookings"},
    {"on": "2026-11-20", "kind": "outcome", "detail": "Embauche dans la structure", "source": "placements"},
]


class InsightsStandIn:
    """Stands in for the RPC pool: answers insights' summary, monthly and person_path (recorded
    in `calls` with their arguments) and the menu's unread count."""

    def __init__(self, summary=None, months=None, path=None):
        self.calls = []
        self.summary_answer = SUMMARY if summary is None else summary
        self.monthly_answer = MONTHLY if months is None else months
        self.path_answer = PATH if path is None else path

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def insights(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def summary(self, from_date, to_date):
        self.calls.append(("summary", from_date, to_date))
        return self.summary_answer

    def monthly(self, from_date, to_date):
        self.calls.append(("monthly", from_date, to_date))
        return self.monthly_answer

    def person_path(self, person_id):
        self.calls.append(("person_path", person_id))
        return self.path_answer

    def close(self):
        pass
